"""Concordance: where words, or a name in any inflection, occur in segments, translations and the memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from glossary.memory.langmatch import match_tag
from glossary.memory.lifecycle import IndexCache, memory_versions
from glossary.memory.score import normalize
from glossary.memory.score import words as word_tokens
from glossary.model.tables import Document, Segment, TMUnit, Translation
from glossary.text.normalize import CaselessText, caseless

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

    Matching is by substring of the caseless forms (NFC and case folded on both sides, so
    ``strasse`` finds ``Straße``). Memory units are found in every pair whose tag matches
    ``lang`` (``de`` finds ``de-AT``). With ``spans`` (a recognizer), a query that is a known
    name finds that name in any inflection instead: the candidates share a stem of each word
    and the recognizer confirms the concept.
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
    def check(text: str) -> tuple[list[tuple[int, int]], str | None] | None:
        folded = CaselessText(text)
        found: list[tuple[int, int]] = []
        for term in terms:
            spans = []
            at = folded.folded.find(term)
            while at >= 0:
                spans.append(folded.span(at, at + len(term)))
                at = folded.folded.find(term, at + len(term))
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
    folded = caseless(text)
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
    hits: list[Hit] = []
    for (source_lang, target_lang), version in sorted(memory_versions(session=session).items()):
        for side in ("source", "target"):
            if match_tag(lang, source_lang if side == "source" else target_lang) is None:
                continue
            view = indexes.get(session=session, source_lang=source_lang, target_lang=target_lang, side=side,
                               version=version)
            ids = view.unit_ids_with_all(stems)[:MAX_VERIFY]
            if not ids:
                continue
            units = session.exec(select(TMUnit).where(TMUnit.id.in_(ids)).order_by(TMUnit.id))  # type: ignore[union-attr]
            for unit in units:
                here, there = (unit.source, unit.target) if side == "source" else (unit.target, unit.source)
                if (result := check(here)) is not None:
                    assert unit.id is not None
                    tag = source_lang if side == "source" else target_lang
                    hits.append(Hit("memory", unit.id, tag, here, there, unit.origin, *result))
                    if len(hits) >= limit:
                        return hits
    return hits

