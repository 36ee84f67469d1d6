"""PostgreSQL: the term-base version is bumped at commit, so a long import no longer holds up other writers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 02:50:00

Until now every statement that wrote concepts or terms updated the one shared counter row at
once, which locked it until the transaction ended: any other writer of the term base waited for
a whole import. Now a statement marks its transaction with a counter row of its own and a
deferred trigger bumps the shared counter at commit (glossary.store.versions). SQLite, where
writers take turns anyway, keeps its triggers.
"""

from __future__ import annotations

from alembic import op

from glossary.store.versions import install_postgresql_termbase_triggers

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Replace the PostgreSQL term-base triggers (idempotent; nothing to do on SQLite)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        install_postgresql_termbase_triggers(bind)


def downgrade() -> None:
    """Glossary upgrades only; a database is restored from a backup, not downgraded."""
    raise NotImplementedError("downgrades are not supported")
