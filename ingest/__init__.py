"""Ingest: file import, live connectors, the push path and the scoring pool."""
