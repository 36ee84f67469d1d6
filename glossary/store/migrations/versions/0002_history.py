"""History of concepts, terms and translations: who changed what, when, before and after.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 01:20:00

The table is written only by triggers (glossary.store.history, idempotent; a change to the
triggers comes with a new revision that calls install_history_triggers again).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from glossary.store.history import install_history_triggers

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the history table and the triggers of concept, term and translation that write it."""
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("concept_id", sa.String(length=120), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("lang", sa.String(length=20), nullable=True),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("history", schema=None) as batch_op:
        batch_op.create_index("ix_history_concept", ["concept_id", "id"], unique=False)
        batch_op.create_index("ix_history_segment", ["segment_id", "lang", "id"], unique=False)
    install_history_triggers(op.get_bind())


def downgrade() -> None:
    """Glossary upgrades only; a database is restored from a backup, not downgraded."""
    raise NotImplementedError("downgrades are not supported")
