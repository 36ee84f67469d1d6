"""The translation memory: units from approved work and TMX files, fuzzy search, pre-translation.

Scores (see :mod:`glossary.memory.score`): ``raw = rapidfuzz.fuzz.ratio(normalize(query),
normalize(source))`` where ``normalize`` is NFC, casefolds and collapses white space;
``ratio = 100 · (1 − indel_distance / (len(a) + len(b)))``. The shown score is
``raw`` minus penalties (unit fuzzy −5, different context −1, same text but
other case/spacing −1, a language tag of another region −1 per side), at most 100;
an exact match in the same context ranks at 101 and is shown as 100 "same context".
Units are stored in NFC, and a lookup uses every stored pair whose tags match its own
(:mod:`glossary.memory.langmatch`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, delete, insert
from sqlalchemy import select as sql_select
from sqlmodel import Session, select

from glossary.memory.langmatch import matching_pairs
from glossary.memory.score import NameFinder, adjust, differences, normalize, raw_score, word_diff
from glossary.model.records import UnitRecord, UnitVariant, tmx_date
from glossary.model.tables import Document, Segment, TMUnit, Translation
from glossary.text.normalize import nfc
from glossary.text.segment import is_read_only

if TYPE_CHECKING:
    from glossary.memory.lifecycle import IndexCache


TM_STATES = ("approved", "translated")
BATCH = 5000
STATE_PROPS = ("x-state", "state", "x-glossary-state")
_TABLE = TMUnit.__table__  # type: ignore[attr-defined]
# Built once: a lookup only binds the ids (the statement's compiled form is cached by SQLAlchemy).
_UNITS_BY_ID = sql_select(
    *(_TABLE.c[name] for name in ("id", "source", "target", "source_lang", "target_lang", "origin",
                                  "context", "props"))
).where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))


@dataclass(slots=True)
class Match:
    """One memory match, best first in a result list."""

    score: float
    source: str
    target: str
    source_lang: str
    target_lang: str
    origin: str
    context: str | None
    explanation: dict[str, Any]
    diff: list[dict[str, str]] = field(default_factory=list)
    differences: list[dict[str, Any]] = field(default_factory=list)
    unit_id: int = 0

    def to_json(self) -> dict[str, Any]:
        """The JSON shape scripts rely on (the unit id is internal and left out)."""
        return {
            "score": self.score,
            "source": self.source,
            "target": self.target,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "origin": self.origin,
            "context": self.context,
            "explanation": self.explanation,
            "diff": self.diff,
            "differences": self.differences,
        }


@dataclass(frozen=True, slots=True)
class NewUnit:
    """A unit to add to the memory."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: str
    context: str | None = None
    segment_id: int | None = None
    props: list[tuple[str, str]] = field(default_factory=list)
    note: str | None = None
    created: datetime | None = None


def add_units(*, session: Session, units: Iterable[NewUnit]) -> int:
    """Insert units in batches, their texts in NFC; the caller commits. The index picks them up on the
    next search."""
    count = 0
    batch: list[dict[str, Any]] = []
    for unit in units:
        batch.append(_row(unit))
        if len(batch) >= BATCH:
            count += _flush(session, batch)
    return count + _flush(session, batch)


def _row(unit: NewUnit) -> dict[str, Any]:
    return {
        "source_lang": unit.source_lang,
        "target_lang": unit.target_lang,
        "source": nfc(unit.source),
        "target": nfc(unit.target),
        "origin": unit.origin,
        "context": unit.context,
        "segment_id": unit.segment_id,
        "props": json.dumps(unit.props, ensure_ascii=False) if unit.props else None,
        "note": unit.note,
        "created": unit.created or datetime.now(UTC),
    }


def _flush(session: Session, batch: list[dict[str, Any]]) -> int:
    if not batch:
        return 0
    session.execute(insert(TMUnit), batch)
    count = len(batch)
    batch.clear()
    return count


def context_of(previous: str | None, msgctxt: str | None, following: str | None) -> str:
    """The context key of a segment: a digest of its neighbours' sources and its gettext context.

    Neighbours' texts rather than keys, so a new version of a document (another
    name, other keys) still matches in context.
    """
    parts = (normalize(previous or ""), msgctxt or "", normalize(following or ""))
    return "ctx:" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _document_contexts(session: Session, document_id: int) -> dict[int, str]:
    rows = session.exec(
        select(Segment.id, Segment.source, Segment.context)
        .where(Segment.document_id == document_id, Segment.obsolete == False)  # noqa: E712
        .order_by(Segment.position, Segment.id)
    ).all()
    contexts: dict[int, str] = {}
    for i, (segment_id, _source, msgctxt) in enumerate(rows):
        previous = rows[i - 1][1] if i else None
        following = rows[i + 1][1] if i + 1 < len(rows) else None
        contexts[int(segment_id)] = context_of(previous, msgctxt, following)
    return contexts


def sync_from_documents(*, session: Session) -> int:
    """Make approved and translated translations units of the memory; returns units added or changed.

    A unit is kept per segment and target language. When the segment's source or
    the translation changed, the old unit is replaced, since both sides are indexed
    (concordance searches targets too); context, origin and state are updated in
    place. Units stay when a translation later loses its state: a memory remembers. The caller commits.
    """
    rows = session.exec(
        select(Translation, Segment, Document)
        .join(Segment, Translation.segment_id == Segment.id)  # type: ignore[arg-type]
        .join(Document, Segment.document_id == Document.id)  # type: ignore[arg-type]
        .where(Translation.state.in_(TM_STATES), Translation.text != "", Segment.obsolete == False)  # type: ignore[attr-defined]  # noqa: E712
        .order_by(Document.id, Segment.position, Translation.lang)  # new units in document order
    ).all()
    existing = {
        (unit.segment_id, unit.target_lang): unit
        for unit in session.exec(select(TMUnit).where(TMUnit.segment_id != None))  # noqa: E711
    }
    contexts: dict[int, dict[int, str]] = {}
    fresh: list[NewUnit] = []
    replaced: list[int] = []
    changed = 0
    for translation, segment, document in rows:
        assert segment.id is not None and document.id is not None
        if document.id not in contexts:
            contexts[document.id] = _document_contexts(session, document.id)
        context = contexts[document.id].get(segment.id)
        props = [("x-state", translation.state)]
        unit = existing.get((segment.id, translation.lang))
        same_texts = unit is not None and (unit.source, unit.source_lang, unit.target) == (
            nfc(segment.source), document.source_lang, nfc(translation.text)
        )
        if unit is not None and same_texts:
            values = (context, document.name, json.dumps(props))
            if (unit.context, unit.origin, unit.props) != values:
                unit.context, unit.origin, unit.props = values
                session.add(unit)
                changed += 1
            continue
        if unit is not None:
            assert unit.id is not None
            replaced.append(unit.id)
        fresh.append(
            NewUnit(document.source_lang, translation.lang, segment.source, translation.text,
                    document.name, context, segment.id, props)
        )
    if replaced:
        session.execute(delete(TMUnit).where(TMUnit.id.in_(replaced)))  # type: ignore[union-attr]
    session.flush()
    return changed + add_units(session=session, units=fresh)


def import_units(*, session: Session, units: Iterable[UnitRecord], origin: str) -> int:
    """Add the units the memory does not hold yet (one per target variant); returns how many.

    Units are inserted as they are read, so a reader's error surfaces midway: the caller owns the
    transaction and rolls it back (nothing of a failed file stays). On success the caller commits.
    """
    return add_units(session=session, units=_new_only(session, _record_units(units, origin)))


def _new_only(session: Session, units: Iterable[NewUnit]) -> Iterator[NewUnit]:
    """The units the memory does not hold yet (same languages, source, target and context), so
    importing a file twice adds nothing. Looked up a batch at a time, by source text."""
    seen: set[int] = set()  # hashes of this import's own units: repeats inside one file
    chunk: list[NewUnit] = []

    def fresh(batch: list[NewUnit]) -> Iterator[NewUnit]:
        columns = (TMUnit.source_lang, TMUnit.target_lang, TMUnit.source, TMUnit.target, TMUnit.context)
        sources = {nfc(unit.source) for unit in batch}
        stored = set(session.exec(select(*columns).where(TMUnit.source.in_(sources))))  # type: ignore[attr-defined]
        for unit in batch:
            key = (unit.source_lang, unit.target_lang, nfc(unit.source), nfc(unit.target), unit.context)
            if key in stored or hash(key) in seen:
                continue
            seen.add(hash(key))
            yield unit

    for unit in units:
        chunk.append(unit)
        if len(chunk) >= BATCH:
            yield from fresh(chunk)
            chunk = []
    yield from fresh(chunk)


def _record_units(units: Iterable[UnitRecord], origin: str) -> Iterator[NewUnit]:
    for unit in units:
        source = unit.source()
        props = list(unit.props)
        context = next((value for kind, value in props if kind == "x-context"), None)
        props = [(kind, value) for kind, value in props if kind != "x-context"]
        created = _parse_date(unit.creationdate)
        for variant in unit.variants:
            if variant is source or not variant.text.strip() or not source.text.strip():
                continue
            yield NewUnit(source.lang, variant.lang, source.text, variant.text, origin, context,
                          None, props + variant.props, "\n".join(unit.notes + variant.notes) or None, created)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def unit_state(props: str | None) -> str | None:
    """The workflow state recorded in a unit's properties, if any."""
    if not props:
        return None
    for kind, value in json.loads(props):
        if kind in STATE_PROPS:
            return str(value)
    return None


def search(
    *,
    session: Session,
    text: str,
    source_lang: str,
    target_lang: str,
    min_score: float = 70,
    limit: int = 5,
    context: str | None = None,
    names: NameFinder | None = None,
    indexes: IndexCache | None = None,
) -> list[Match]:
    """The best memory matches for ``text``, best first, each scoring at least ``min_score``.

    Every stored pair whose tags match ``source_lang`` and ``target_lang`` is searched (``de``
    finds ``de-DE`` and ``de-AT``; ``de-AT`` prefers ``de-AT``). Candidates come from the word
    index (:mod:`glossary.memory.wordindex`), then each is scored exactly;
    ``names(text, lang) -> concept ids`` (e.g. from :meth:`glossary.workspace.Workspace.finders`)
    adds differing names to ``differences``.
    """
    from glossary.memory.lifecycle import IndexCache, memory_versions

    query = normalize(text)
    if not query or limit <= 0:
        return []
    cache = indexes if indexes is not None else IndexCache()
    versions = memory_versions(session=session)
    regions: dict[tuple[str, str], list[str]] = {}
    preference: dict[tuple[str, str], int] = {}
    scored: list[tuple[float, int]] = []
    keep = max(4 * limit, 20)  # exact scores of the best few; their rows are read from the database
    for source, target, src, tgt in matching_pairs(list(versions), source_lang, target_lang):
        preference[(source, target)] = src.rank + tgt.rank
        regions[(source, target)] = [
            f"{side} region differs: {stored}, not {wanted}"
            for side, match, stored, wanted in (("source", src, source, source_lang),
                                                ("target", tgt, target, target_lang))
            if match.region_differs
        ]
        view = cache.get(session=session, source_lang=source, target_lang=target,
                         version=versions[(source, target)])
        found = view.candidates(query, min_score, keep)
        scored.extend((candidate.score, candidate.unit_id) for candidate in found)
    scored.sort(reverse=True)
    scored = scored[:keep]
    wanted = [uid for _, uid in scored]
    units = _units_by_id(session, wanted)
    ranked: list[tuple[float, int, int, int, Match]] = []
    for unit_id in wanted:
        unit = units.get(unit_id)
        pair = (unit.source_lang, unit.target_lang) if unit is not None else ("", "")
        if unit is None or pair not in preference:
            continue  # removed (or moved to another pair) since the index was read
        state = unit_state(unit.props)
        adjusted = adjust(raw=raw_score(query, normalize(unit.source)), query=text, source=unit.source,
                          query_context=context, unit_context=unit.context, unit_state=state,
                          other_region=regions[pair])
        if adjusted.score < min_score:
            continue
        match = Match(adjusted.score, unit.source, unit.target, unit.source_lang, unit.target_lang,
                      unit.origin, unit.context, adjusted.explanation, unit_id=unit_id)
        ranked.append((-adjusted.rank, preference[pair], 0 if state == "approved" else 1, -unit_id, match))
    ranked.sort(key=lambda item: item[:4])
    matches = [item[4] for item in ranked[:limit]]
    for match in matches:
        match.diff = word_diff(text, match.source)
        match.differences = differences(text, match.source, lang=source_lang, names=names)
    return matches


def _units_by_id(session: Session, ids: list[int]) -> dict[int, Any]:
    """The rows of the units with ``ids`` that still exist, read as plain rows (no ORM objects: a
    lookup reads them and lets them go)."""
    if not ids:
        return {}
    return {row.id: row for row in session.connection().execute(_UNITS_BY_ID, {"ids": ids})}


def pretranslate(
    *, session: Session, lang: str, min_score: float = 75, document: str | None = None,
    indexes: IndexCache | None = None,
) -> int:
    """Fill untranslated segments (no translation, or an empty one) from the memory as ``fuzzy``.

    Work already there, in any state, is never overwritten: the write names the
    version it saw, so a translation saved meanwhile wins. Returns segments
    filled; the caller commits.
    """
    from glossary.store.documents import set_translation

    statement = (
        select(Segment, Document, Translation)
        .join(Document, Segment.document_id == Document.id)  # type: ignore[arg-type]
        .outerjoin(Translation, and_(Translation.segment_id == Segment.id, Translation.lang == lang))  # type: ignore[arg-type]
        .where(Segment.obsolete == False)  # noqa: E712
        .order_by(Document.id, Segment.position)
    )
    if document is not None:
        statement = statement.where(Document.name == document)
    filled = 0
    contexts: dict[int, dict[int, str]] = {}
    for segment, doc, translation in session.exec(statement).all():
        if (translation is not None and translation.text.strip()) or is_read_only(segment.flags):
            continue
        assert segment.id is not None and doc.id is not None
        if doc.id not in contexts:
            contexts[doc.id] = _document_contexts(session, doc.id)
        found = search(session=session, text=segment.source, source_lang=doc.source_lang, target_lang=lang,
                       min_score=min_score, limit=1, context=contexts[doc.id].get(segment.id),
                       indexes=indexes)
        if not found:
            continue
        set_translation(session=session, segment_id=segment.id, lang=lang, text=found[0].target,
                        state="fuzzy", author="memory",
                        expected_version=translation.version if translation is not None else 0)
        filled += 1
    return filled


def iter_units(
    *, session: Session, source_lang: str | None = None, target_lang: str | None = None
) -> Iterator[TMUnit]:
    """Every unit (optionally of one pair side), in id order, streamed."""
    statement = select(TMUnit).order_by(TMUnit.id)  # type: ignore[arg-type]
    if source_lang:
        statement = statement.where(TMUnit.source_lang == source_lang)
    if target_lang:
        statement = statement.where(TMUnit.target_lang == target_lang)
    yield from session.exec(statement.execution_options(yield_per=2000))


def as_records(units: Iterable[TMUnit]) -> Iterator[UnitRecord]:
    """Memory units as unit records: both variants, context and state as props (what TMX writes)."""
    for unit in units:
        props = [(str(kind), str(value)) for kind, value in json.loads(unit.props)] if unit.props else []
        if unit.context:
            props.append(("x-context", unit.context))
        yield UnitRecord(
            variants=[UnitVariant(unit.source_lang, unit.source), UnitVariant(unit.target_lang, unit.target)],
            srclang=unit.source_lang,
            props=props,
            notes=[unit.note] if unit.note else [],
            tuid=str(unit.id),
            creationdate=tmx_date(unit.created) if unit.created else None,
        )
