"""Live ingest: the sources file, and runs that read each due source page by page."""
