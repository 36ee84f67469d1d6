"""The plain rows a review reads (segment rows, references, progress): no database imports, so a
screen can show them before SQLAlchemy is loaded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from glossary.text.segment import is_read_only

if TYPE_CHECKING:
    from glossary.model.tables import Segment, Translation

DEFAULT_DOCUMENT = "article"  # reviewed when no document is named (else the first one)
DONE_STATES = ("reviewed", "approved")


@dataclass(frozen=True, slots=True)
class SegmentRow:
    """A segment with its translation in one language; ``version`` 0 means not translated yet."""

    id: int
    key: str
    position: int
    block: str
    source: str
    previous_source: str | None
    obsolete: bool
    lang: str | None
    target: str | None
    state: str
    version: int
    author: str | None

    @classmethod
    def of(cls, segment: Segment, translation: Translation | None, lang: str | None) -> SegmentRow:
        """The row of a stored segment and its translation in ``lang`` (``None``: not translated)."""
        assert segment.id is not None
        return cls(
            id=segment.id,
            key=segment.key,
            position=segment.position,
            block=segment.block,
            source=segment.source,
            previous_source=segment.previous_source,
            obsolete=segment.obsolete,
            lang=lang,
            target=translation.text if translation else None,
            state=translation.state if translation else "new",
            version=translation.version if translation else 0,
            author=translation.author if translation else None,
        )


@dataclass(frozen=True, slots=True)
class ReviewDocument:
    """What a reviewer sees of a document before its segments."""

    id: int
    name: str
    source_lang: str
    credit: str | None


@dataclass(frozen=True, slots=True)
class SegmentRef:
    """A segment's place in the review list: cheap enough to hold 100,000 of them.

    ``state`` is the translation's state, and ``new`` when there is no translation or it is empty.
    """

    id: int
    key: str
    state: str


@dataclass(frozen=True, slots=True)
class Progress:
    """How far one language is: approved or reviewed, translated, fuzzy, untranslated."""

    done: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.done + self.translated + self.fuzzy + self.untranslated


def listed_state(state: str | None, text: str | int | None) -> str:
    """A segment's state in the review list: its translation's, ``new`` when none or empty (``text``
    is the translation's text, or its length)."""
    return state if state is not None and text else "new"


def tally(groups: Iterable[tuple[str | None, str | None, bool, int]]) -> Progress:
    """Progress from ``(flags, state, translation empty, count)`` groups (read-only segments left out)."""
    counts = {"done": 0, "translated": 0, "fuzzy": 0, "untranslated": 0}
    for flags, state, is_empty, count in groups:
        if is_read_only(flags):
            continue
        state = "new" if is_empty else state
        if state in DONE_STATES:
            counts["done"] += count
        elif state in ("translated", "fuzzy"):
            counts[str(state)] += count
        else:
            counts["untranslated"] += count
    return Progress(**counts)
