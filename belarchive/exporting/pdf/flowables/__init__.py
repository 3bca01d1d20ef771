"""Dossier-specific flowables: the weekly chart and page-number markers."""
