"""Transfer bundles (.dvcb): dossiers carried on a USB stick to an office that submits
them, and their receipts and results carried back (docs/bundles.md)."""
