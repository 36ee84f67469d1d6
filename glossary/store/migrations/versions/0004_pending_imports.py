"""SQLite imports publish new concepts in chunks: a pending marker on concepts and the imports in progress.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00

A large import on SQLite writes its new concepts and their terms in short committed chunks,
each concept marked with the import's token (``concept.pending``), and makes them all visible
at the end by deleting its row of ``pendingimport`` (glossary.store.staging). Every reader of
the term base leaves out the concepts of a registered import. ``pendingimport`` also names the
import's process, so that the rows of an importer that died are removed (glossary.store.pending).
The partial index holds the marked concepts only: empty outside an import.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``concept.pending`` (in place: no copy of the table), its partial index and ``pending_import``."""
    op.add_column("concept", sa.Column("pending", sa.String(length=60), nullable=True))
    op.create_index("ix_concept_pending", "concept", ["pending"], unique=False,
                    sqlite_where=sa.text("pending IS NOT NULL"),
                    postgresql_where=sa.text("pending IS NOT NULL"))
    op.create_table(
        "pendingimport",
        sa.Column("token", sa.String(length=60), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_history", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )


def downgrade() -> None:
    """Glossary upgrades only; a database is restored from a backup, not downgraded."""
    raise NotImplementedError("downgrades are not supported")
