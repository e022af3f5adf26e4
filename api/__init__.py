"""The HTTP API (FastAPI): the REST endpoints under /api/v1 and the dashboard's routes."""
