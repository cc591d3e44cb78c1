"""dvc-desk core: everything that does not need Qt (catalog, dossiers, files, signing, sync)."""

__version__ = "0.1.0"
