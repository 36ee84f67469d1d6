"""Alembic's environment: runs on the connection Glossary hands it (no alembic.ini, no URL here)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from glossary.model import tables  # noqa: F401  (registers every table on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through glossary.store.schema (glossary db upgrade), not alembic")
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters a table by copying it: op.batch_alter_table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
