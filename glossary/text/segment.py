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

from glossary.text.windows import WINDOW, split_windows

if TYPE_CHECKING:
    import pysbd

FORMATS = ("text", "markdown")
# The gettext-style flag (as Weblate uses it) of a segment that is kept but not translated.
READ_ONLY = "read-only"
BLOCKS = ("heading", "paragraph", "list_item", "quote", "caption", "meta")

# A plain-text line with no final punctuation is a heading only when it is this short.
HEADING_MAX_WORDS = 8
HEADING_MAX_CHARS = 80

_FINAL_PUNCT = ".!?…:;"
_CLOSERS = "\"'”’»)]"
_CAPTION = re.compile(r"^(?:\[[^\[\]]+\]|!\[[^\]]*\]\([^)]*\))$")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Markdown blocks that are never translatable segments: code (indented or fenced), HTML and tables.
# Link reference definitions never become tokens at all.
_SKIPPED_BLOCKS = {"code_block", "fence", "html_block", "table_open"}
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
    sentences: tuple[str, ...] | None = None  # its sentences, when classifying it split them already


def sentence_language(lang: str) -> str:
    """The language whose sentence rules split text in ``lang``: its own where pysbd has rules for
    it (``kk-Latn`` → ``kk``), else English."""
    from pysbd.languages import LANGUAGE_CODES

    primary = lang.split("-")[0].lower()
    return primary if primary in LANGUAGE_CODES else "en"


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    # pysbd compiles many regular expressions on import; pay for it only when text is split.
    import pysbd

    return pysbd.Segmenter(language=language, clean=False, char_span=False)


def split_sentences(text: str, lang: str = "en") -> list[str]:
    """The sentences of one paragraph in ``lang``, stripped; nothing but whitespace is lost.

    Time is linear in the paragraph's length: a paragraph longer than ``WINDOW`` characters is
    split window by window (see :func:`glossary.text.windows.split_windows`).
    """
    text = text.strip()
    if not text:
        return []
    segmenter = _segmenter(sentence_language(lang))
    if len(text) > WINDOW:
        return list(split_windows(text, lambda piece: pysbd_sentences(segmenter, piece)))
    return pysbd_sentences(segmenter, text)


def pysbd_sentences(segmenter: pysbd.Segmenter, text: str) -> list[str]:
    """The sentences ``segmenter.segment(text)`` gives, stripped and none empty, found in linear time.

    ``Segmenter.segment`` finds each sentence pysbd cut in the text again by a search from the
    text's start, so its time grows with the number of sentences times the length (0.9 s for
    3,000 characters of ``a. a. a.``). Here each is looked for where the one before it ends. A
    sentence not found as it is (pysbd changed it) leaves the decision to ``segment``, as before.
    """
    found: list[str] = []
    cursor = 0
    for part in segmenter.processor(text).process():
        start = text.find(part, cursor)
        if start < 0:
            return [s for s in (piece.strip() for piece in segmenter.segment(text)) if s]
        cursor = start + len(part)
        if part.strip():
            found.append(part.strip())
    return found


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


def segment_flags(text: str) -> tuple[str, ...]:
    """The flags a segment's text implies: a bare URL is kept as it is, never translated."""
    return (READ_ONLY,) if _BARE_URL.match(text) else ()


def format_flags(flags: tuple[str, ...]) -> str | None:
    """Flags as gettext writes them (``read-only, c-format``), or None for none."""
    return ", ".join(flags) or None


def is_read_only(flags: str | None) -> bool:
    """Whether a stored flags string (gettext style, comma-separated) marks a segment read-only."""
    return READ_ONLY in (flag.strip() for flag in (flags or "").split(","))


def split_document(text: str, *, fmt: str = "text", lang: str = "en") -> list[SourceSegment]:
    """Segments of a whole document in ``lang``; ``fmt`` is ``"text"`` (one block per line) or
    ``"markdown"``. Sentences are split by the rules of ``sentence_language(lang)``."""
    if fmt == "text":
        blocks = list(_text_blocks(text, lang))
    elif fmt == "markdown":
        blocks = list(_markdown_blocks(text))
    else:
        raise ValueError(f"unknown document format {fmt!r}; expected one of {FORMATS}")
    pieces: list[tuple[str, str, int, int]] = []
    for index, block in enumerate(blocks):
        if not block.split:
            parts = [block.text.strip()]
        elif block.sentences is not None:
            parts = list(block.sentences)
        else:
            parts = split_sentences(block.text, lang)
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


def _classify_line(line: str, *, in_header: bool, lang: str) -> _Block:
    """The block a plain-text line forms; ``in_header`` is true before the first body line."""
    if _CAPTION.match(line):
        return _Block("caption", line, split=False)
    if in_header and _is_meta(line):
        # A dateline may carry several sentences of news ("Update ...: added X. Also added Y.").
        return _Block("meta", line, split=True)
    if _ends_sentence(line):
        return _Block("paragraph", line, split=True)
    # A line of several sentences is prose even when it ends in a URL or a bracketed aside.
    sentences = split_sentences(line, lang)
    if len(sentences) > 1:
        return _Block("paragraph", line, split=True, sentences=tuple(sentences))
    short = len(line.split()) <= HEADING_MAX_WORDS and len(line) <= HEADING_MAX_CHARS
    if short and "," not in line:
        return _Block("heading", line, split=False)
    # Long lines without final punctuation are the items of a list that lost its bullets
    # (sources, enumerations introduced by "He notes:").
    return _Block("list_item", line, split=False)


def _text_blocks(text: str, lang: str) -> Iterator[_Block]:
    # Plain text keeps one paragraph per line, as blogs and editors export it; wrapped prose
    # belongs in Markdown, where blank lines separate paragraphs.
    in_header = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        block = _classify_line(line, in_header=in_header, lang=lang)
        in_header = in_header and block.kind in ("caption", "meta")
        yield dataclasses.replace(block, line=number)


def _markdown_blocks(text: str) -> Iterator[_Block]:
    """Blocks of a CommonMark document (tables as GitHub writes them), parsed by markdown-it-py.

    Headings, paragraphs, quoted paragraphs and list items are segments; a list item's
    paragraphs make one segment, and a nested item its own. Code, HTML blocks, tables and link
    reference definitions are not prose and never become segments. Inline markup is kept as
    written, so a translation can keep it.
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    containers: list[str] = []  # open list items and block quotes, innermost last
    item: list[str] | None = None  # the paragraphs of the innermost list item not yet yielded
    item_line = 0  # 1-based line where that item starts
    in_header = True
    skip_until: str | None = None
    for index, token in enumerate(tokens):
        if skip_until is not None:
            skip_until = None if token.type == skip_until else skip_until
            continue
        if token.type in _SKIPPED_BLOCKS:
            skip_until = "table_close" if token.type == "table_open" else None
            continue
        if token.type in ("list_item_open", "blockquote_open"):
            if item:
                yield _Block("list_item", " ".join(item), split=False, line=item_line)
            item = [] if token.type == "list_item_open" else None
            item_line = token.map[0] + 1 if token.map else 0
            containers.append(token.type)
        elif token.type in ("list_item_close", "blockquote_close"):
            if item:
                yield _Block("list_item", " ".join(item), split=False, line=item_line)
            containers.pop()
            item = None
        elif token.type == "inline":
            content = _one_line(token.content)
            opener = tokens[index - 1].type
            line = token.map[0] + 1 if token.map else 0
            if not content:
                continue
            if opener == "heading_open":
                in_header = False
                yield _Block("heading", content, split=False, line=line)
            elif containers and containers[-1] == "list_item_open":
                if item is None:
                    item, item_line = [], line
                item.append(content)
                in_header = False
            elif containers:
                in_header = False
                # Quoted speech runs to many sentences; a memory is only useful sentence by sentence.
                yield _Block("quote", content, split=True, line=line)
            elif _CAPTION.match(content):
                yield _Block("caption", content, split=False, line=line)
            elif in_header and "\n" not in token.content.strip() and _is_meta(content):
                yield _Block("meta", content, split=True, line=line)
            else:
                in_header = False
                yield _Block("paragraph", content, split=True, line=line)


def _one_line(content: str) -> str:
    """An inline's source lines joined by single spaces."""
    return " ".join(line.strip() for line in content.splitlines() if line.strip())
