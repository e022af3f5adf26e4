"""Alembic migrations: the only way Ravine's schema is created or changed."""
