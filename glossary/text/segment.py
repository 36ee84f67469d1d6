"""Splits an article (plain text or Markdown) into translatable segments with stable keys."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pysbd

FORMATS = ("text", "markdown")
BLOCKS = ("heading", "paragraph", "list_item", "quote", "caption", "meta")
# The gettext-style flag (as Weblate uses it) of a segment that is kept but not translated.
READ_ONLY = "read-only"

# A plain-text line with no final punctuation is a heading only when it is this short.
HEADING_MAX_WORDS = 8
HEADING_MAX_CHARS = 80

_FINAL_PUNCT = ".!?…:;"
_CLOSERS = "\"'”’»)]"
_CAPTION = re.compile(r"^(?:\[[^\[\]]+\]|!\[[^\]]*\]\([^)]*\))$")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BARE_URL = re.compile(r"^<?(?:https?|ftp)://\S+?>?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SourceSegment:
    """One segment of a source document, in document order."""

    key: str  # stable across re-imports: see segment_keys()
    position: int  # 0-based order in the document
    text: str  # the sentence (or the whole heading, list item, caption or meta line)
    block: str  # one of BLOCKS
    paragraph: int  # 0-based index of the block it came from
    flags: tuple[str, ...] = ()  # gettext-style flags, e.g. READ_ONLY
    line: int = 0  # 1-based line of the source where its block starts

    @property
    def translatable(self) -> bool:
        """Whether a translator has anything to do with this segment."""
        return READ_ONLY not in self.flags


@dataclass(frozen=True, slots=True)
class _Block:
    kind: str
    text: str
    split: bool  # whether the block is split into sentences
    line: int = 0


@cache
def _segmenter() -> pysbd.Segmenter:
    # pysbd compiles many regular expressions on import; pay for it only when text is split.
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def split_sentences(text: str) -> list[str]:
    """The sentences of one paragraph, stripped; nothing but whitespace is lost."""
    text = text.strip()
    if not text:
        return []
    return [s for s in (part.strip() for part in _segmenter().segment(text)) if s]


def segment_flags(text: str) -> tuple[str, ...]:
    """The flags a segment's text implies: a bare URL is kept as it is, never translated."""
    return (READ_ONLY,) if _BARE_URL.match(text) else ()


def format_flags(flags: tuple[str, ...]) -> str | None:
    """Flags as gettext writes them (``read-only, c-format``), or None for none."""
    return ", ".join(flags) or None


def is_read_only(flags: str | None) -> bool:
    """Whether a stored flags string (gettext style, comma-separated) marks a segment read-only."""
    return READ_ONLY in (flag.strip() for flag in (flags or "").split(","))


def normalize(text: str) -> str:
    """The form a key is computed from: NFC, whitespace runs collapsed to one space."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def segment_keys(texts: list[str]) -> list[str]:
    """Stable keys for segment texts in document order.

    A key is the first 12 hex digits of the SHA-1 of the normalized text, so it
    depends on the sentence alone and not on where it stands: inserting or
    removing a sentence leaves every other key as it was. The second, third ...
    occurrence of an identical sentence gets ``-2``, ``-3`` ... appended, counted
    in document order.
    """
    seen: Counter[str] = Counter()
    keys = []
    for text in texts:
        digest = hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()[:12]
        seen[digest] += 1
        keys.append(digest if seen[digest] == 1 else f"{digest}-{seen[digest]}")
    return keys


def split_document(text: str, *, fmt: str = "text") -> list[SourceSegment]:
    """Segments of a whole document; ``fmt`` is ``"text"`` (one block per line) or ``"markdown"``."""
    if fmt == "text":
        blocks = list(_text_blocks(text))
    elif fmt == "markdown":
        blocks = list(_markdown_blocks(text))
    else:
        raise ValueError(f"unknown document format {fmt!r}; expected one of {FORMATS}")
    pieces: list[tuple[str, str, int, int]] = []
    for index, block in enumerate(blocks):
        parts = split_sentences(block.text) if block.split else [block.text.strip()]
        pieces.extend((part, block.kind, index, block.line) for part in parts if part)
    keys = segment_keys([piece[0] for piece in pieces])
    return [
        SourceSegment(
            key=key, position=position, text=part, block=kind, paragraph=paragraph, flags=segment_flags(part),
            line=line,
        )
        for position, (key, (part, kind, paragraph, line)) in enumerate(zip(keys, pieces, strict=True))
    ]


def _ends_sentence(line: str) -> bool:
    return line.rstrip().rstrip(_CLOSERS).endswith(tuple(_FINAL_PUNCT))


def _is_meta(line: str) -> bool:
    """A dateline such as ``Publication date: 2022-02-11`` or ``Update 2022-01-13: ...``."""
    label, colon, _rest = line.partition(":")
    return bool(colon) and len(label.split()) <= 4 and bool(_ISO_DATE.search(line)) and label[:1].isupper()


def _classify_line(line: str, *, in_header: bool) -> _Block:
    """The block a plain-text line forms; ``in_header`` is true before the first body line."""
    if _CAPTION.match(line):
        return _Block("caption", line, split=False)
    if in_header and _is_meta(line):
        # A dateline may carry several sentences of news ("Update ...: added X. Also added Y.").
        return _Block("meta", line, split=True)
    # A line of several sentences is prose even when it ends in a URL or a bracketed aside.
    if _ends_sentence(line) or len(split_sentences(line)) > 1:
        return _Block("paragraph", line, split=True)
    short = len(line.split()) <= HEADING_MAX_WORDS and len(line) <= HEADING_MAX_CHARS
    if short and "," not in line:
        return _Block("heading", line, split=False)
    # Long lines without final punctuation are the items of a list that lost its bullets
    # (sources, enumerations introduced by "He notes:").
    return _Block("list_item", line, split=False)


def _text_blocks(text: str) -> Iterator[_Block]:
    # Plain text keeps one paragraph per line, as blogs and editors export it; wrapped prose
    # belongs in Markdown, where blank lines separate paragraphs.
    in_header = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        block = _classify_line(line, in_header=in_header)
        in_header = in_header and block.kind in ("caption", "meta")
        yield dataclasses.replace(block, line=number)


def _markdown_blocks(text: str) -> Iterator[_Block]:
    lines = text.splitlines()
    paragraph: list[str] = []
    quote: list[str] = []
    item: list[str] | None = None
    in_header = True
    i = 0
    starts = {"paragraph": 0, "quote": 0, "item": 0}  # 1-based line where each open block began

    def flush() -> Iterator[_Block]:
        nonlocal paragraph, quote, item, in_header
        if paragraph:
            joined = " ".join(paragraph)
            line = starts["paragraph"]
            if _CAPTION.match(joined):
                yield _Block("caption", joined, split=False, line=line)
            elif in_header and len(paragraph) == 1 and _is_meta(joined):
                yield _Block("meta", joined, split=True, line=line)
            else:
                in_header = False
                yield _Block("paragraph", joined, split=True, line=line)
        if quote:
            in_header = False
            # Quoted speech runs to many sentences; a memory is only useful sentence by sentence.
            yield _Block("quote", " ".join(quote), split=True, line=starts["quote"])
        if item is not None:
            in_header = False
            yield _Block("list_item", " ".join(item), split=False, line=starts["item"])
        paragraph, quote, item = [], [], None

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        fence = _FENCE.match(line)
        if fence:
            yield from flush()
            body = [stripped]
            fence_line = i + 1
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence.group(1)):
                body.append(lines[i])
                i += 1
            if i < len(lines):
                body.append(lines[i].strip())
            # Code is not prose: one segment, kept verbatim so nothing is lost.
            yield _Block("meta", "\n".join(body), split=False, line=fence_line)
        elif not stripped:
            yield from flush()
        elif paragraph and _SETEXT.match(line) and not quote and item is None:
            heading, paragraph = " ".join(paragraph), []
            in_header = False
            yield _Block("heading", heading, split=False, line=starts["paragraph"])
        elif _RULE.match(line):
            yield from flush()
        elif atx := _ATX.match(line):
            yield from flush()
            in_header = False
            if atx.group(2):
                yield _Block("heading", atx.group(2), split=False, line=i + 1)
        elif quoted := _QUOTE.match(line):
            if not quote:
                yield from flush()
            if quoted.group(1).strip():
                if not quote:
                    starts["quote"] = i + 1
                quote.append(quoted.group(1).strip())
            else:
                yield from flush()
        elif bullet := _ITEM.match(line):
            yield from flush()
            item = [bullet.group(1).strip()]
            starts["item"] = i + 1
        elif item is not None:
            item.append(stripped)
        else:
            if quote:
                yield from flush()
            if not paragraph:
                starts["paragraph"] = i + 1
            paragraph.append(stripped)
        i += 1
    yield from flush()
