"""Concordance: where words, or a name in any inflection, occur in segments, translations and the memory."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import text as sql
from sqlmodel import Session, select

from glossary.memory.lifecycle import IndexCache
from glossary.memory.score import normalize
from glossary.memory.score import words as word_tokens
from glossary.model.tables import Document, Segment, TMUnit, Translation

# (start, end, concept id) of each recognised name in a text written in a language.
SpanFinder = Callable[[str, str], list[tuple[int, int, str]]]
MAX_VERIFY = 2000


@dataclass(frozen=True, slots=True)
class Hit:
    """A segment, translation or memory unit containing the words, with the spans to highlight."""

    kind: str  # "segment" | "translation" | "memory"
    id: int
    lang: str
    text: str
    other: str  # the other side: translation of a source, source of a translation or unit
    origin: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    concept: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--format json``."""
        return {"kind": self.kind, "id": self.id, "lang": self.lang, "text": self.text, "other": self.other,
                "origin": self.origin, "spans": [list(s) for s in self.spans], "concept": self.concept}


def concordance(
    *,
    session: Session,
    words: str,
    lang: str,
    limit: int = 50,
    spans: SpanFinder | None = None,
    indexes: IndexCache | None = None,
) -> list[Hit]:
    """Segments, translations and memory units in ``lang`` that contain every word of ``words``.

    Matching is case-insensitive by substring. With ``spans`` (a recognizer), a
    query that is a known name finds that name in any inflection instead: the
    candidates share a stem of each word and the recognizer confirms the concept.
    """
    query = normalize(words)
    terms = _words(query)
    if not terms:
        return []
    concepts = {c for _, _, c in spans(words, lang)} if spans is not None else set()
    if concepts:
        assert spans is not None
        stems = [_stem(w) for w in terms]
        check = _by_concept(spans, lang, concepts)
    else:
        stems = terms
        check = _by_words(terms)
    hits: list[Hit] = []
    hits.extend(_documents(session, lang, stems, check, limit))
    if len(hits) < limit:
        hits.extend(_memory(session, lang, stems, check, limit, indexes or IndexCache()))
    return hits[:limit]


Checker = Callable[[str], tuple[list[tuple[int, int]], str | None] | None]


def _words(query: str) -> list[str]:
    return list(dict.fromkeys(word_tokens(query))) or ([query] if query.strip() else [])


def _stem(word: str) -> str:
    """A prefix that survives inflection (Назарбаев → Назарбаева, Алматы → Алматы)."""
    return word[: max(4, len(word) - 3)]


def _by_words(terms: list[str]) -> Checker:
    patterns = [re.compile(re.escape(t), re.IGNORECASE) for t in terms]

    def check(text: str) -> tuple[list[tuple[int, int]], str | None] | None:
        found: list[tuple[int, int]] = []
        for pattern in patterns:
            spans = [m.span() for m in pattern.finditer(text)]
            if not spans:
                return None
            found.extend(spans)
        return sorted(found), None

    return check


def _by_concept(spans: SpanFinder, lang: str, concepts: set[str]) -> Checker:
    def check(text: str) -> tuple[list[tuple[int, int]], str | None] | None:
        found = [(s, e, c) for s, e, c in spans(text, lang) if c in concepts]
        if not found:
            return None
        return [(s, e) for s, e, _ in found], found[0][2]

    return check


def _contains_all(text: str, stems: list[str]) -> bool:
    folded = text.casefold()
    return all(stem in folded for stem in stems)


def _documents(session: Session, lang: str, stems: list[str], check: Checker, limit: int) -> list[Hit]:
    hits: list[Hit] = []
    sources = session.exec(
        select(Segment.id, Segment.source, Document.name)
        .join(Document, Segment.document_id == Document.id)  # type: ignore[arg-type]
        .where(Document.source_lang == lang, Segment.obsolete == False)  # noqa: E712
        .order_by(Document.id, Segment.position)
    )
    for segment_id, source, name in sources:
        if _contains_all(source, stems) and (result := check(source)) is not None:
            hits.append(Hit("segment", int(segment_id), lang, source, "", name, *result))
            if len(hits) >= limit:
                return hits
    translations = session.exec(
        select(Translation.id, Translation.text, Segment.source, Document.name)
        .join(Segment, Translation.segment_id == Segment.id)  # type: ignore[arg-type]
        .join(Document, Segment.document_id == Document.id)  # type: ignore[arg-type]
        .where(Translation.lang == lang, Translation.text != "")
        .order_by(Document.id, Segment.position)
    )
    for translation_id, target, source, name in translations:
        if _contains_all(target, stems) and (result := check(target)) is not None:
            hits.append(Hit("translation", int(translation_id), lang, target, source, name, *result))
            if len(hits) >= limit:
                break
    return hits


def _memory(
    session: Session, lang: str, stems: list[str], check: Checker, limit: int, indexes: IndexCache
) -> list[Hit]:
    pairs = session.execute(sql("SELECT DISTINCT source_lang, target_lang FROM tmunit")).all()
    hits: list[Hit] = []
    for source_lang, target_lang in pairs:
        for side in ("source", "target"):
            if (source_lang if side == "source" else target_lang) != lang:
                continue
            index = indexes.get(session=session, source_lang=source_lang, target_lang=target_lang, side=side)
            ids = _ids_with_all(index.segments, stems)[:MAX_VERIFY]
            if not ids:
                continue
            units = session.exec(select(TMUnit).where(TMUnit.id.in_(ids)).order_by(TMUnit.id))  # type: ignore[union-attr]
            for unit in units:
                here, there = (unit.source, unit.target) if side == "source" else (unit.target, unit.source)
                if (result := check(here)) is not None:
                    assert unit.id is not None
                    hits.append(Hit("memory", unit.id, lang, here, there, unit.origin, *result))
                    if len(hits) >= limit:
                        return hits
    return hits


def _ids_with_all(segments: list[Any], stems: list[str]) -> list[int]:
    """Unit ids whose indexed text has, for every stem, a word containing it."""
    ids: list[int] = []
    for segment in segments:
        rows: np.ndarray | None = None
        for stem in stems:
            positions = [i for i, word in enumerate(segment.vocabulary()) if stem in word]
            found = segment.rows_with(positions)
            rows = found if rows is None else np.intersect1d(rows, found, assume_unique=True)
            if not len(rows):
                break
        if rows is not None and len(rows):
            ids.extend(segment.unit_ids(rows))
    return ids
