"""The dossier editor: forms, components, problems, autosave, validate, sign, submit."""
