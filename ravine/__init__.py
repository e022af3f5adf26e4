"""Ravine's shared core: settings, schema, storage, scoring and gap analytics.

Nothing here imports the ``api``, ``ingest`` or ``dashboard`` packages.
"""
