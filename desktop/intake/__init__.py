"""Scans to PDF: images→PDF, page work, compression to a size limit, watched folders,
batches and optional OCR. This package knows files, never dossiers: the parts that
attach to dossiers receive a narrow sink (see `desktop.intake.batch.DossierSink`).
"""
