"""Connectors: one module per kind of source, each turning an upstream API into pages of
normalised documents with the cursor after each page (see :mod:`ingest.connectors.base`)."""
