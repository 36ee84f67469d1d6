"""Names recognised for the rules in batches: each distinct text of a batch once, grouped by language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from glossary.recognize.spans import Span, recognize

if TYPE_CHECKING:
    from glossary.checks.context import UnitContext
    from glossary.recognize.index import TermIndex

# Units whose names are recognised together (per language, distinct texts once).
BATCH = 1_000
# The rules that read the recognised names of a unit's texts.
SPAN_RULES = frozenset(
    {"term-forbidden", "term-variant", "term-misspelled", "term-script", "term-missing", "cross-language"}
)

_Many = Callable[[Sequence[str], str, "TermIndex"], list[list[Span]]]


def _many_of_recognizer() -> _Many | None:
    """The recognizer's own batch function, where it has one."""
    try:
        from glossary.recognize.spans import recognize_many  # type: ignore[attr-defined]
    except ImportError:
        return None
    return recognize_many  # type: ignore[no-any-return]


_MANY = _many_of_recognizer()


def recognize_texts(texts: Sequence[str], lang: str, index: TermIndex) -> list[list[Span]]:
    """The names in each of ``texts`` (all written in ``lang``): the same spans as
    :func:`~glossary.recognize.spans.recognize` gives text by text."""
    if _MANY is not None:
        return _MANY(texts, lang, index)
    return [recognize(text, lang, index) for text in texts]


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
