"""All SQLModel tables: the term base, documents with their translations, and the memory."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Index, Integer, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware now, for the timestamps of every table."""
    return datetime.now(UTC)


def _version_column() -> Column:  # type: ignore[type-arg]
    """A row version for optimistic locking: SQLAlchemy writes ``UPDATE … WHERE version = <read>``
    and raises StaleDataError when another writer got there first (``version_id_col``)."""
    return Column("version", Integer, nullable=False, default=1)


_CONCEPT_VERSION = _version_column()
_TERM_VERSION = _version_column()
_TRANSLATION_VERSION = _version_column()


class Concept(SQLModel, table=True):
    """A person, organisation, place or event: the unit of the term base.

    ``pending`` names the SQLite import that wrote the concept: while that import is registered
    (``PendingImport``, in progress) every reader of the term base leaves the concept and its
    terms out. Cleared once the import has finished.
    """

    __table_args__ = (
        Index("ix_concept_pending", "pending", sqlite_where=text("pending IS NOT NULL"),
              postgresql_where=text("pending IS NOT NULL")),
    )

    id: str = Field(primary_key=True, max_length=120)
    kind: str = Field(default="other", max_length=20)
    note: str | None = Field(default=None, sa_column=Column(Text))
    external_id: str | None = Field(default=None, index=True, max_length=60)
    valid_from: str | None = Field(default=None, max_length=20)
    valid_until: str | None = Field(default=None, max_length=20)
    version: int = Field(default=1, sa_column=_CONCEPT_VERSION)
    updated: datetime = Field(default_factory=utcnow)
    pending: str | None = Field(default=None, max_length=60)

    __mapper_args__ = {"version_id_col": _CONCEPT_VERSION}


class Term(SQLModel, table=True):
    """One form of a concept in one language, with its status and provenance."""

    __table_args__ = (
        UniqueConstraint("concept_id", "lang", "text", "scheme", name="uq_term_form"),
        Index("ix_term_lang_text", "lang", "text"),
    )

    id: int | None = Field(default=None, primary_key=True)
    concept_id: str = Field(foreign_key="concept.id", index=True, max_length=120)
    lang: str = Field(max_length=20)
    text: str = Field(max_length=400)
    status: str = Field(default="preferred", max_length=20)
    type: str = Field(default="full_form", max_length=20)
    scheme: str | None = Field(default=None, max_length=40)
    origin: str = Field(default="entered", max_length=20)
    note: str | None = Field(default=None, sa_column=Column(Text))
    source: str | None = Field(default=None, sa_column=Column(Text))
    valid_from: str | None = Field(default=None, max_length=20)
    valid_until: str | None = Field(default=None, max_length=20)
    position: int = 0
    version: int = Field(default=1, sa_column=_TERM_VERSION)

    __mapper_args__ = {"version_id_col": _TERM_VERSION}


class Document(SQLModel, table=True):
    """An imported article or catalogue: the parent of its segments."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    source_lang: str = Field(default="en", max_length=20)
    path: str | None = Field(default=None, max_length=1000)
    credit: str | None = Field(default=None, sa_column=Column(Text))
    created: datetime = Field(default_factory=utcnow)


class Segment(SQLModel, table=True):
    """One translatable unit of a document, with a key that survives re-imports."""

    __table_args__ = (UniqueConstraint("document_id", "key", name="uq_segment_key"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    key: str = Field(max_length=200)
    position: int = 0
    source: str = Field(sa_column=Column(Text, nullable=False))
    source_plural: str | None = Field(default=None, sa_column=Column(Text))
    context: str | None = Field(default=None, max_length=400)
    comments: str | None = Field(default=None, sa_column=Column(Text))
    references: str | None = Field(default=None, sa_column=Column(Text))
    flags: str | None = Field(default=None, max_length=400)
    previous_source: str | None = Field(default=None, sa_column=Column(Text))
    block: str = Field(default="paragraph", max_length=20)
    obsolete: bool = False


class Translation(SQLModel, table=True):
    """A segment's text in one target language and its workflow state."""

    __table_args__ = (UniqueConstraint("segment_id", "lang", name="uq_translation_lang"),)

    id: int | None = Field(default=None, primary_key=True)
    segment_id: int = Field(foreign_key="segment.id", index=True)
    lang: str = Field(max_length=20)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    plurals: str | None = Field(default=None, sa_column=Column(Text))
    state: str = Field(default="new", max_length=20)
    author: str | None = Field(default=None, max_length=200)
    updated: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_TRANSLATION_VERSION)

    __mapper_args__ = {"version_id_col": _TRANSLATION_VERSION}


class TranslationHistory(SQLModel, table=True):
    """Every earlier version of a translation, so no edit is ever lost."""

    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translation.id", index=True)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    state: str = Field(max_length=20)
    author: str | None = Field(default=None, max_length=200)
    changed: datetime = Field(default_factory=utcnow)
    version: int = 1


class History(SQLModel, table=True):
    """One change of a concept, an entered term or a translation: who, when, the row before and
    after (JSON); written by the database's triggers, never by the application."""

    __table_args__ = (
        Index("ix_history_concept", "concept_id", "id"),
        Index("ix_history_segment", "segment_id", "lang", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # concept, term or translation
    action: str = Field(max_length=10)  # insert, update or delete
    concept_id: str | None = Field(default=None, max_length=120)
    segment_id: int | None = None
    lang: str | None = Field(default=None, max_length=20)
    old: str | None = Field(default=None, sa_column=Column(Text))
    new: str | None = Field(default=None, sa_column=Column(Text))
    changed_by: str = Field(max_length=200)
    changed: datetime


class TMUnit(SQLModel, table=True):
    """A source/target pair in the translation memory."""

    __table_args__ = (Index("ix_tmunit_langs", "source_lang", "target_lang"),)

    id: int | None = Field(default=None, primary_key=True)
    source_lang: str = Field(max_length=20)
    target_lang: str = Field(max_length=20)
    source: str = Field(sa_column=Column(Text, nullable=False))
    target: str = Field(sa_column=Column(Text, nullable=False))
    origin: str = Field(default="document", max_length=200)
    context: str | None = Field(default=None, sa_column=Column(Text))
    segment_id: int | None = Field(default=None, index=True)
    props: str | None = Field(default=None, sa_column=Column(Text))
    note: str | None = Field(default=None, sa_column=Column(Text))
    created: datetime = Field(default_factory=utcnow)


class TMChange(SQLModel, table=True):
    """A memory unit edited or removed, logged by the database's triggers: the memory's index
    re-reads the units logged since it was built."""

    __table_args__ = (Index("ix_tmchange_pair", "source_lang", "target_lang", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    source_lang: str = Field(max_length=20)
    target_lang: str = Field(max_length=20)
    unit_id: int


class Meta(SQLModel, table=True):
    """Key/value facts about the database itself: schema version, how it was seeded."""

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(default="", max_length=400)


class PendingImport(SQLModel, table=True):
    """An SQLite import writing new concepts in committed chunks, hidden until its final flip:
    its process (to tell an abandoned one) and the first history id its rows may have."""

    token: str = Field(primary_key=True, max_length=60)
    pid: int
    host: str = Field(max_length=200)
    started: datetime = Field(default_factory=utcnow)
    first_history: int


class Counter(SQLModel, table=True):
    """Versions the database keeps itself: triggers bump them in the writer's own transaction."""

    name: str = Field(primary_key=True, max_length=120)
    value: int = 0


class Catalog(SQLModel, table=True):
    """A document's gettext catalogue in one language ("" for the template).

    ``origin`` is ``"po"`` when the document itself came from a .po file: its entries are
    then written back as they were read, header included (``header`` holds that entry as
    JSON). ``exported`` maps segment id to the translation version the last export wrote
    (0: none), so an import can tell who changed a translation since.
    """

    __table_args__ = (UniqueConstraint("document_id", "lang", name="uq_catalog_lang"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    lang: str = Field(default="", max_length=20)
    origin: str = Field(default="export", max_length=20)
    charset: str = Field(default="UTF-8", max_length=40)
    header: str | None = Field(default=None, sa_column=Column(Text))
    exported: str | None = Field(default=None, sa_column=Column(Text))
    exported_at: datetime | None = None


class CatalogEntry(SQLModel, table=True):
    """The gettext parts of a segment's entry in one language that Segment has no column for."""

    segment_id: int = Field(foreign_key="segment.id", primary_key=True)
    lang: str = Field(default="", max_length=20, primary_key=True)
    translator_comments: str | None = Field(default=None, sa_column=Column(Text))
    previous_context: str | None = Field(default=None, sa_column=Column(Text))
    previous_plural: str | None = Field(default=None, sa_column=Column(Text))
