"""Ingest: file import, connectors, the scoring pool and the `ravine` command line."""
