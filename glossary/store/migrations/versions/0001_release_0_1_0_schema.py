"""The schema of release 0.1.0: the term base, documents, translations, the memory, counters.

Revision ID: 0001
Revises:
Create Date: 2026-12-02 01:03:50

Databases made by release 0.1.0 have this schema without an alembic_version table; ``glossary db
upgrade`` stamps them with this revision (glossary.store.schema). The counters' triggers are
installed by glossary.store.versions (idempotent; a change to them comes with a new revision
that calls it again).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from glossary.store.versions import install_triggers

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table, index and trigger of release 0.1.0."""
    op.create_table(
        "concept",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(length=60), nullable=True),
        sa.Column("valid_from", sa.String(length=20), nullable=True),
        sa.Column("valid_until", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("concept", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_concept_external_id"), ["external_id"], unique=False)

    op.create_table(
        "counter",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source_lang", sa.String(length=20), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=True),
        sa.Column("credit", sa.Text(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "tmchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_lang", sa.String(length=20), nullable=False),
        sa.Column("target_lang", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tmchange", schema=None) as batch_op:
        batch_op.create_index("ix_tmchange_pair", ["source_lang", "target_lang", "id"], unique=False)

    op.create_table(
        "tmunit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_lang", sa.String(length=20), nullable=False),
        sa.Column("target_lang", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("props", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tmunit", schema=None) as batch_op:
        batch_op.create_index("ix_tmunit_langs", ["source_lang", "target_lang"], unique=False)
        batch_op.create_index(batch_op.f("ix_tmunit_segment_id"), ["segment_id"], unique=False)

    op.create_table(
        "catalog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("charset", sa.String(length=40), nullable=False),
        sa.Column("header", sa.Text(), nullable=True),
        sa.Column("exported", sa.Text(), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "lang", name="uq_catalog_lang"),
    )
    with op.batch_alter_table("catalog", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_document_id"), ["document_id"], unique=False)

    op.create_table(
        "segment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_plural", sa.Text(), nullable=True),
        sa.Column("context", sa.String(length=400), nullable=True),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("references", sa.Text(), nullable=True),
        sa.Column("flags", sa.String(length=400), nullable=True),
        sa.Column("previous_source", sa.Text(), nullable=True),
        sa.Column("block", sa.String(length=20), nullable=False),
        sa.Column("obsolete", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "key", name="uq_segment_key"),
    )
    with op.batch_alter_table("segment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_segment_document_id"), ["document_id"], unique=False)

    op.create_table(
        "term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.String(length=120), nullable=False),
        sa.Column("lang", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=400), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.String(length=20), nullable=True),
        sa.Column("valid_until", sa.String(length=20), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["concept_id"],
            ["concept.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("concept_id", "lang", "text", "scheme", name="uq_term_form"),
    )
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_term_concept_id"), ["concept_id"], unique=False)
        batch_op.create_index("ix_term_lang_text", ["lang", "text"], unique=False)

    op.create_table(
        "catalogentry",
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=20), nullable=False),
        sa.Column("translator_comments", sa.Text(), nullable=True),
        sa.Column("previous_context", sa.Text(), nullable=True),
        sa.Column("previous_plural", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["segment.id"],
        ),
        sa.PrimaryKeyConstraint("segment_id", "lang"),
    )
    op.create_table(
        "translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("plurals", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["segment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("segment_id", "lang", name="uq_translation_lang"),
    )
    with op.batch_alter_table("translation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_translation_segment_id"), ["segment_id"], unique=False)

    op.create_table(
        "translationhistory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("changed", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["translation_id"],
            ["translation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("translationhistory", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_translationhistory_translation_id"), ["translation_id"], unique=False
        )

    install_triggers(op.get_bind())


def downgrade() -> None:
    """Glossary upgrades only; a database is restored from a backup, not downgraded."""
    raise NotImplementedError("downgrades are not supported")
