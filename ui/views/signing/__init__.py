"""The signing dialog: certificates from .p12 files and tokens, stamp, per-file results."""
