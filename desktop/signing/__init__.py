"""Signing PDFs with local certificates (PKCS#12 files, PKCS#11 tokens) and verifying them.

Knows files, never dossiers: the dossier service hands it paths and stores the results.
"""
