"""Documents in the database: import and re-import articles without losing translations, edit them."""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from sqlalchemy import and_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from glossary.model.chars import check_chars, unstorable
from glossary.model.errors import ConflictError, LostRace, NotFoundError, ParseError, UsageError
from glossary.model.langtag import require_lang
from glossary.model.tables import Document, Segment, Translation, TranslationHistory, utcnow
from glossary.store.rows import SegmentRow
from glossary.text.segment import (
    FORMATS,
    SourceSegment,
    format_flags,
    is_read_only,
    normalize,
    sentence_language,
    split_document,
)

TRANSLATION_STATES = ("new", "fuzzy", "translated", "reviewed", "approved")
SEED_STATES = ("fuzzy", "translated", "approved")
# An edited sentence is recognised as the old one when it is at least this similar (rapidfuzz ratio).
MIN_SIMILARITY = 70.0
EDIT_CANDIDATES = 8  # removed rows considered per new sentence when pairing edits

_UNIT_HEADER = re.compile(r"^\s*\[\[\s*unit\s*\]\]")
_TOML_LINE = re.compile(r"at line (\d+)")
_UNIT_KEYS = {"source", "target", "state"}


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did to a document's segments."""

    document: str
    added: int = 0
    unchanged: int = 0
    changed: int = 0
    obsoleted: int = 0
    restored: int = 0  # obsolete segments that came back with the same text
    sentence_rules: str = "en"  # the language whose sentence rules split it (English if pysbd has none)


def import_document(
    *,
    session: Session,
    name: str,
    text: str,
    fmt: str = "text",
    source_lang: str = "en",
    path: str | None = None,
    credit: str | None = None,
) -> ImportReport:
    """Create the document ``name`` from ``text``, or bring an existing one up to date.

    Segments with an unchanged key keep their translations and take their new
    position. An edited sentence is matched to the removed sentence most like it
    (rapidfuzz ratio >= MIN_SIMILARITY, preferring the same place between
    unchanged neighbours): it keeps its row and translations, records the old
    text as ``previous_source`` and its translations become ``fuzzy``. Sentences
    that are gone are marked obsolete, never deleted.

    The function only flushes; the caller commits. Everything is computed before
    the first write, and a failure leaves nothing behind once the caller's
    session is rolled back (leaving ``with Session(...)`` without a commit does
    that), so an import is all or nothing.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown document format {fmt!r}; expected one of {', '.join(FORMATS)}")
    source_lang = require_lang(source_lang, "--source-lang")
    check_chars(text, path or name, 1)
    incoming = split_document(text, fmt=fmt, lang=source_lang)
    document = session.exec(select(Document).where(Document.name == name)).first()
    if document is None:
        document = Document(name=name, source_lang=source_lang, path=path, credit=credit)
        session.add(document)
        session.flush()
    else:
        document.source_lang = source_lang
        document.path = path if path is not None else document.path
        document.credit = credit if credit is not None else document.credit
    assert document.id is not None
    existing = list(session.exec(select(Segment).where(Segment.document_id == document.id)))
    # Each segment points to the line its block starts on in the file (a .po's "#:" reference).
    source_file = Path(path).name if path else name
    report = _merge(session, document.id, name, incoming, existing, source_file)
    session.flush()
    return replace(report, sentence_rules=sentence_language(source_lang))


def _merge(
    session: Session,
    document_id: int,
    name: str,
    incoming: list[SourceSegment],
    existing: list[Segment],
    source_file: str,
) -> ImportReport:
    by_key = {segment.key: segment for segment in existing}
    matched: dict[int, Segment] = {}  # incoming position -> existing row
    restored = 0
    for new in incoming:
        old = by_key.get(new.key)
        if old is not None:
            matched[new.position] = old
            restored += old.obsolete
    kept = {id(row) for row in matched.values()}
    removed = [row for row in existing if id(row) not in kept and not row.obsolete]
    unmatched = [new for new in incoming if new.position not in matched]
    edits = _match_edits(unmatched, removed, matched)

    for new in incoming:
        row = matched.get(new.position)
        if row is not None:
            row.position, row.block, row.obsolete, row.source = new.position, new.block, False, new.text
            row.flags = format_flags(new.flags)
            row.references = f"{source_file}:{new.line}"
    for new, row in edits:
        _fuzz_translations(session, row)
        row.previous_source, row.source, row.key = row.source, new.text, new.key
        row.position, row.block, row.flags = new.position, new.block, format_flags(new.flags)
        row.references = f"{source_file}:{new.line}"
    edited = {id(row) for _new, row in edits}
    obsoleted = 0
    for row in removed:
        if id(row) not in edited:
            row.obsolete = True
            obsoleted += 1
    edited_positions = {new.position for new, _row in edits}
    added = 0
    for new in unmatched:
        if new.position not in edited_positions:
            session.add(
                Segment(
                    document_id=document_id,
                    key=new.key,
                    position=new.position,
                    source=new.text,
                    block=new.block,
                    flags=format_flags(new.flags),
                    references=f"{source_file}:{new.line}",
                )
            )
            added += 1
    return ImportReport(
        document=name,
        added=added,
        unchanged=len(matched) - restored,
        changed=len(edits),
        obsoleted=obsoleted,
        restored=restored,
    )


def _match_edits(
    unmatched: list[SourceSegment], removed: list[Segment], anchors: dict[int, Segment]
) -> list[tuple[SourceSegment, Segment]]:
    """Pairs (new sentence, removed row) that are one sentence edited, best pairs first."""
    if not unmatched or not removed:
        return []
    import numpy as np  # here: re-importing an edited article is the only user, and rare
    from rapidfuzz import fuzz, process

    anchor_positions = sorted(anchors)
    # Every new sentence against every removed one, scored in C (rapidfuzz's cdist) rather than
    # in a Python double loop: a re-import with thousands of edits stays fast.
    scores = process.cdist(
        [normalize(new.text) for new in unmatched],
        [normalize(row.source) for row in removed],
        scorer=fuzz.ratio,
        score_cutoff=MIN_SIMILARITY,
        workers=-1,
    )
    old_positions = np.array([row.position for row in removed])
    candidates = []
    for i, new in enumerate(unmatched):
        (near,) = np.nonzero(scores[i])
        if not len(near):
            continue
        low, high = _gap(new.position, anchor_positions, anchors)
        outside = ~((old_positions[near] > low) & (old_positions[near] < high))
        distance = np.abs(old_positions[near] - new.position)
        # Only a new sentence's best few removed rows can win it: keeps the pairing linear.
        best = near[np.lexsort((distance, -scores[i, near], outside))[:EDIT_CANDIDATES]]
        for j in best:
            row = removed[j]
            in_gap = low < row.position < high
            candidates.append((not in_gap, -float(scores[i, j]), abs(row.position - new.position), new, row))
    candidates.sort(key=lambda c: c[:3])
    pairs, used_new, used_old = [], set(), set()
    for *_rank, new, row in candidates:
        if new.position not in used_new and id(row) not in used_old:
            pairs.append((new, row))
            used_new.add(new.position)
            used_old.add(id(row))
    return pairs


def _gap(position: int, anchor_positions: Sequence[int], anchors: dict[int, Segment]) -> tuple[float, float]:
    """Old positions of the unchanged neighbours around a new position: where its old self stood."""
    index = bisect_left(anchor_positions, position)
    count = len(anchor_positions)
    low = anchors[anchor_positions[index - 1]].position if index > 0 else float("-inf")
    following = index + (index < count and anchor_positions[index] == position)
    high = anchors[anchor_positions[following]].position if following < count else float("inf")
    return low, high


def _fuzz_translations(session: Session, segment: Segment) -> None:
    translations = session.exec(select(Translation).where(Translation.segment_id == segment.id))
    for translation in translations:
        if translation.state == "new" and not translation.text:
            continue
        session.add(_history_of(translation))
        translation.state = "fuzzy"  # the flush bumps its version (version_id_col)
        translation.updated = utcnow()


def _history_of(translation: Translation) -> TranslationHistory:
    """The history row that keeps ``translation`` as it is now."""
    assert translation.id is not None
    return TranslationHistory(
        translation_id=translation.id,
        text=translation.text,
        state=translation.state,
        author=translation.author,
        changed=translation.updated,
        version=translation.version,
    )


def set_translation(
    *,
    session: Session,
    segment_id: int,
    lang: str,
    text: str,
    state: str,
    author: str | None = None,
    expected_version: int | None = None,
) -> Translation:
    """Write a segment's translation, keeping the previous version in the history.

    ``expected_version`` is the version the editor started from (0 for a segment
    not translated yet); when someone else saved in between, ConflictError names
    both versions and nothing is written. Without it the edit applies to the row
    as it is now; a write that lost a race to another writer raises LostRace, and
    a write transaction (``store.retry``) runs again. The caller commits.
    """
    if state not in TRANSLATION_STATES:
        raise UsageError(
            f"unknown translation state {state!r}; expected one of {', '.join(TRANSLATION_STATES)}"
        )
    problem = unstorable(text)
    if problem:
        raise UsageError(f"segment {segment_id} ({lang}): {problem}")
    if session.get(Segment, segment_id) is None:
        raise NotFoundError(f"no segment with id {segment_id}")
    current = session.exec(
        select(Translation)
        .where(Translation.segment_id == segment_id, Translation.lang == lang)
        .with_for_update()  # PostgreSQL: the row is this edit's until it commits
        .execution_options(populate_existing=True)
    ).first()
    found = current.version if current is not None else 0
    if expected_version is not None and expected_version != found:
        theirs = f" by {current.author}" if current is not None and current.author else ""
        raise ConflictError(
            f"segment {segment_id} ({lang}) was changed by someone else: yours started from version "
            f"{expected_version}, the stored one is version {found}{theirs}; reload and edit again"
        )
    if current is None:
        translation = Translation(segment_id=segment_id, lang=lang, text=text, state=state, author=author)
        session.add(translation)
        try:
            session.flush()
        except IntegrityError as exc:
            raise LostRace(f"segment {segment_id} ({lang}) was translated by someone else meanwhile") from exc
        return translation
    if (current.text, current.state, current.author) == (text, state, author):
        return current
    session.add(_history_of(current))
    current.text, current.state, current.author, current.updated = text, state, author, utcnow()
    try:
        # version_id_col: the UPDATE carries the version read, so an edit committed in between
        # matches no row and nothing is overwritten.
        session.flush()
    except StaleDataError as exc:
        raise LostRace(f"segment {segment_id} ({lang}) was changed by someone else meanwhile") from exc
    return current


def list_segments(
    *,
    session: Session,
    document: str,
    lang: str | None = None,
    include_obsolete: bool = False,
    include_read_only: bool = False,
) -> list[SegmentRow]:
    """The segments of ``document`` in order, each with its translation into ``lang`` if given.

    Read-only segments (a bare URL: nothing to translate) are left out unless asked for.
    """
    doc = session.exec(select(Document).where(Document.name == document)).first()
    if doc is None:
        raise NotFoundError(f"no document named {document!r}")
    statement = (
        select(Segment, Translation)
        .outerjoin(Translation, and_(Translation.segment_id == Segment.id, Translation.lang == lang))
        .where(Segment.document_id == doc.id)
        .order_by(Segment.obsolete, Segment.position, Segment.id)
    )
    if not include_obsolete:
        statement = statement.where(Segment.obsolete == False)  # noqa: E712 (SQL expression)
    rows = []
    for segment, translation in session.exec(statement):
        assert segment.id is not None
        if not include_read_only and is_read_only(segment.flags):
            continue
        rows.append(SegmentRow.of(segment, translation, lang))
    return rows


def load_translations(*, session: Session, document: str, lang: str, path: str | Path) -> int:
    """Seed translations of ``document`` from a TOML file of ``[[unit]]`` source/target/state tables.

    Units are matched to live segments by exact source text. Segments that
    already have a translation keep it: seeds fill gaps, they never overwrite
    someone's work. Returns how many translations were written. Every unit is
    checked before anything is written.
    """
    path = Path(path)
    units = _read_units(path)
    segments: dict[str, list[int]] = {}
    for row in list_segments(session=session, document=document, lang=lang):
        if row.version == 0 or (row.state == "new" and not row.target):
            segments.setdefault(row.source, []).append(row.id)
        else:
            segments.setdefault(row.source, [])
    plan = []
    for line, unit in units:
        if unit["source"] not in segments:
            excerpt = unit["source"][:60]
            raise ParseError(path, line, f"source matches no segment of {document!r}: {excerpt!r}")
        plan.extend((segment_id, unit) for segment_id in segments[unit["source"]])
    for segment_id, unit in plan:
        set_translation(
            session=session, segment_id=segment_id, lang=lang, text=unit["target"], state=unit["state"]
        )
    return len(plan)


def _read_units(path: Path) -> list[tuple[int | None, dict[str, str]]]:
    """The units of a translations file with the line of each ``[[unit]]`` header."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParseError(path, None, f"cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ParseError(path, None, "not UTF-8 text") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise ParseError(path, int(found.group(1)) if found else None, f"invalid TOML: {exc}") from exc
    headers = [n for n, text in enumerate(raw.splitlines(), start=1) if _UNIT_HEADER.match(text)]
    entries = data.get("unit", [])
    if not isinstance(entries, list):
        raise ParseError(path, None, "'unit' must be an array of tables ([[unit]])")
    units = []
    for index, entry in enumerate(entries):
        line = headers[index] if index < len(headers) else None
        unknown = set(entry) - _UNIT_KEYS
        if unknown:
            raise ParseError(path, line, f"unknown keys {sorted(unknown)}")
        if not isinstance(entry.get("source"), str) or not isinstance(entry.get("target"), str):
            raise ParseError(path, line, "a unit needs string 'source' and 'target'")
        check_chars(entry["source"], path, line)
        check_chars(entry["target"], path, line)
        state = entry.get("state", "translated")
        if state not in SEED_STATES:
            raise ParseError(path, line, f"state {state!r} is not one of {', '.join(SEED_STATES)}")
        units.append((line, {"source": entry["source"], "target": entry["target"], "state": state}))
    return units


def bundled_translation_files() -> list[Path]:
    """The seed files ``glossary/data/translations/<lang>.toml``, sorted by language."""
    folder = Path(str(resources.files("glossary") / "data" / "translations"))
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def load_bundled_translations(*, session: Session, document: str) -> int:
    """Seed ``document`` with every bundled translation file; returns translations written."""
    return sum(
        load_translations(session=session, document=document, lang=file.stem, path=file)
        for file in bundled_translation_files()
    )
