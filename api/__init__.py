"""HTTP API (FastAPI): lands with the REST issue; imports dashboard and the core."""
