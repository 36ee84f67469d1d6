"""One document under review: segment references under a filter, rows a page at a time, progress."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from glossary.model.errors import NotFoundError
from glossary.model.tables import Document, Segment, Translation
from glossary.store.documents import TRANSLATION_STATES
from glossary.store.rows import (
    DEFAULT_DOCUMENT,
    DONE_STATES,
    Progress,
    ReviewDocument,
    SegmentRef,
    SegmentRow,
    listed_state,
    tally,
)
from glossary.text.segment import is_read_only


def _documents(session: Session) -> list[ReviewDocument]:
    """Every document, oldest first."""
    rows = session.exec(select(Document).order_by(col(Document.id)))
    return [_info(doc) for doc in rows]


def open_document(*, session: Session, name: str | None = None) -> ReviewDocument:
    """The document ``name``; without a name the bundled article, else the first document."""
    if name is not None:
        doc = session.exec(select(Document).where(Document.name == name)).first()
        if doc is None:
            raise NotFoundError(f"no document named {name!r}")
        return _info(doc)
    documents = _documents(session)
    if not documents:
        raise NotFoundError("the database holds no document: import one with `glossary import FILE`")
    return next((d for d in documents if d.name == DEFAULT_DOCUMENT), documents[0])


def _info(doc: Document) -> ReviewDocument:
    assert doc.id is not None
    return ReviewDocument(id=doc.id, name=doc.name, source_lang=doc.source_lang, credit=doc.credit)


def segment_refs(
    *,
    session: Session,
    document_id: int,
    lang: str,
    states: Collection[str] | None = None,
    text: str | None = None,
) -> list[SegmentRef]:
    """The live, translatable segments of a document in order, with their state in ``lang``.

    ``states`` keeps only segments in those states (``new`` also covers an empty translation);
    ``text`` keeps those whose source or translation contains it, compared casefolded and NFC.
    """
    columns = [Segment.id, Segment.key, Segment.flags, Translation.state, Translation.text]
    if text:
        columns.append(Segment.source)
    statement = (
        select(*columns)
        .outerjoin(Translation, and_(Translation.segment_id == Segment.id, Translation.lang == lang))  # type: ignore[arg-type]
        .where(Segment.document_id == document_id, Segment.obsolete == False)  # noqa: E712
        .order_by(col(Segment.position), col(Segment.id))
    )
    needle = _folded(text) if text else None
    wanted = set(states) if states is not None else None
    refs = []
    for row in session.exec(statement):
        segment_id, key, flags, state, target = row[:5]
        if is_read_only(flags):
            continue
        state = listed_state(state, target)
        if wanted is not None and state not in wanted:
            continue
        if needle is not None and needle not in _folded(row[5]) and needle not in _folded(target or ""):
            continue
        refs.append(SegmentRef(int(segment_id), key, state))
    return refs


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def fetch_rows(*, session: Session, ids: Sequence[int], lang: str) -> list[SegmentRow]:
    """The segments with these ids and their translation into ``lang``, in the order of ``ids``."""
    if not ids:
        return []
    statement = (
        select(Segment, Translation)
        .outerjoin(Translation, and_(Translation.segment_id == Segment.id, Translation.lang == lang))  # type: ignore[arg-type]
        .where(col(Segment.id).in_(list(ids)))
    )
    found: dict[int, SegmentRow] = {}
    for segment, translation in session.exec(statement):
        row = SegmentRow.of(segment, translation, lang)
        found[row.id] = row
    return [found[i] for i in ids if i in found]


def target_langs(*, session: Session, document_id: int) -> list[str]:
    """The languages this document has translations in, sorted."""
    statement = (
        select(Translation.lang)
        .join(Segment, Translation.segment_id == Segment.id)  # type: ignore[arg-type]
        .where(Segment.document_id == document_id)
        .distinct()
    )
    return sorted(session.exec(statement))


def progress(*, session: Session, document_id: int, lang: str) -> Progress:
    """Counts of the document's translatable segments by how far their ``lang`` translation is."""
    empty = func.coalesce(func.length(Translation.text), 0) == 0
    statement = (
        select(Segment.flags, Translation.state, empty, func.count())
        .outerjoin(Translation, and_(Translation.segment_id == Segment.id, Translation.lang == lang))  # type: ignore[arg-type]
        .where(Segment.document_id == document_id, Segment.obsolete == False)  # noqa: E712
        .group_by(Segment.flags, Translation.state, empty)
    )
    return tally(session.exec(statement))


def segment_of_translation(*, session: Session, translation_id: int) -> int:
    """The segment a translation belongs to."""
    translation = session.get(Translation, translation_id)
    if translation is None:
        raise NotFoundError(f"no translation with id {translation_id}")
    return translation.segment_id


def state_after_edit(state: str, text: str) -> str:
    """The state a translation takes when a reviewer changes its text.

    An emptied translation is ``new``; a first text is ``translated``; a changed approved or
    reviewed text needs review again (``translated``); a fuzzy one stays fuzzy until approved.
    """
    if state not in TRANSLATION_STATES:
        raise ValueError(f"unknown translation state {state!r}")
    if not text.strip():
        return "new"
    if state in ("new", *DONE_STATES):
        return "translated"
    return state
