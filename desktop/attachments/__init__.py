"""Content-addressed attachment store, type sniffing from bytes, PDF facts."""
