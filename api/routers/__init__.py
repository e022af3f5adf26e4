"""Thin routers: validate, call the core, shape the response."""
