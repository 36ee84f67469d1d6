"""Names recognised for the rules in batches: each distinct text of a batch once, grouped by language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from glossary.recognize.spans import Span, recognize_many

if TYPE_CHECKING:
    from glossary.checks.context import UnitContext
    from glossary.recognize.index import TermIndex

# Units whose names are recognised together (per language, distinct texts once).
BATCH = 1_000
# The rules that read the recognised names of a unit's texts.
SPAN_RULES = frozenset(
    {"term-forbidden", "term-variant", "term-misspelled", "term-script", "term-missing", "cross-language"}
)

def recognize_texts(texts: Sequence[str], lang: str, index: TermIndex) -> list[list[Span]]:
    """The names in each of ``texts`` (all written in ``lang``): the same spans as
    :func:`~glossary.recognize.spans.recognize` gives text by text."""
    return recognize_many(texts, lang, index)


def recognize_batch(
    contexts: Sequence[UnitContext], seen: dict[tuple[str, str], list[Span]], index: TermIndex
) -> None:
    """Recognise, language by language, every text of ``contexts`` the rules will read and ``seen``
    lacks, and remember the spans in ``seen`` (where :meth:`UnitContext.spans` finds them)."""
    wanted: dict[str, dict[str, None]] = {}
    for ctx in contexts:
        for side in ("source", "target") if ctx.translated else ("source",):
            text = ctx.text(side)
            if not text:
                continue
            lang = ctx.lang(side)
            if (text, lang) not in seen:
                wanted.setdefault(lang, {})[text] = None
    for lang, distinct in wanted.items():
        texts = list(distinct)
        for text, spans in zip(texts, recognize_texts(texts, lang, index), strict=True):
            seen[(text, lang)] = spans
