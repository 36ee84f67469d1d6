"""The localized article: a document's translations in one language, laid out as its source (Markdown).

Segments are put back into the blocks they came from (a block is the run of segments with the
same kind and source line): headings as ``##`` headings, list items as ``-`` items, quotes as
``>`` quotes, everything else as paragraphs. A segment without a usable translation (none,
empty, or fuzzy) is shown in its source text, names untouched; ``mark_untranslated`` flags it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlmodel import Session

from glossary.model.tables import Document
from glossary.store.documents import list_segments

USABLE_STATES = ("translated", "reviewed", "approved")


@dataclass(frozen=True, slots=True)
class RenderedArticle:
    """The text of a localized build and how much of it is translated."""

    text: str
    segments: int
    translated: int


@dataclass(frozen=True, slots=True)
class _Piece:
    block: str
    group: tuple[str, str]
    text: str


def render_article(
    *, session: Session, document: str, lang: str, mark_untranslated: bool = False
) -> RenderedArticle:
    """The document in ``lang`` as Markdown, with the document's credit at the end."""
    from sqlmodel import select

    from glossary.model.tables import Segment

    rows = list_segments(session=session, document=document, lang=lang)
    references = dict(session.exec(
        select(Segment.id, Segment.references).where(Segment.id.in_([r.id for r in rows]))  # type: ignore[union-attr]
    ).all()) if rows else {}
    pieces = []
    translated = 0
    for row in rows:
        usable = bool(row.target) and row.state in USABLE_STATES
        translated += usable
        if usable:
            text = row.target or ""
        else:
            text = f"[untranslated: {row.source}]" if mark_untranslated else row.source
        group = (row.block, references.get(row.id) or f"segment {row.id}")
        pieces.append(_Piece(row.block, group, text))
    blocks = []
    for (block, _where), members in itertools.groupby(pieces, key=lambda piece: piece.group):
        texts = [piece.text for piece in members]
        blocks.append(_block(block, texts))
    credit = session.exec(select(Document.credit).where(Document.name == document)).first()
    if credit:
        blocks.append(f"---\n\n*{credit}*")
    return RenderedArticle("\n\n".join(blocks) + "\n", len(rows), translated)


def _block(kind: str, texts: list[str]) -> str:
    if kind == "heading":
        return "## " + " ".join(texts)
    if kind == "list_item":
        return "\n".join(f"- {text}" for text in texts)
    if kind == "quote":
        return "> " + " ".join(texts)
    return " ".join(texts)
