"""Alembic revisions of the database schema; ``python -m glossary.store.migrations MESSAGE`` adds one."""
