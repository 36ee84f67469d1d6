"""Plain text and Markdown as check units: one unit per paragraph, its text the file's own slice."""

from __future__ import annotations

import re
from dataclasses import dataclass

from glossary.checks.model import CheckUnit
from glossary.checks.suppress import suppressions

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph: where its text starts in the file (offset, line) and the text as it is there."""

    offset: int
    line: int
    text: str


def text_blocks(text: str) -> list[Block]:
    """The non-blank lines of a plain text: a line is a paragraph in the texts this checks, and a
    finding's fingerprint then changes only when its own line does."""
    blocks: list[Block] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            blocks.append(Block(offset, number, line.rstrip()))
        offset += len(line) + 1
    return blocks


def markdown_blocks(text: str) -> list[tuple[Block, tuple[str, ...]]]:
    """Paragraphs and headings of a Markdown text with the suppression comments before them; code,
    HTML blocks, tables and link definitions are not prose and are left out."""
    from markdown_it import MarkdownIt

    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    result: list[tuple[Block, tuple[str, ...]]] = []
    pending: list[str] = []
    inside_table = 0
    for token in tokens:
        if token.type == "table_open":
            inside_table += 1
        elif token.type == "table_close":
            inside_table -= 1
        elif token.type == "html_block":
            pending.extend(_comments(token.content))
        elif token.type == "inline" and token.map is not None and not inside_table:
            first, last = token.map
            start = starts[first]
            body = "\n".join(lines[first:last]).rstrip()
            comments = (*pending, *_comments(token.content))
            result.append((Block(start, first + 1, body), comments))
            pending = []
    return result


def _comments(html: str) -> list[str]:
    found = []
    for match in _COMMENT.finditer(html):
        inner = match.group(1).strip()
        if any(suppressions([inner])):
            found.append(inner)
    return found


def text_units(text: str, path: str, lang: str, markdown: bool) -> list[tuple[CheckUnit, Block]]:
    """Source-only units, one per paragraph (Markdown: per paragraph or heading), with their blocks."""
    pairs = markdown_blocks(text) if markdown else [(block, ()) for block in text_blocks(text)]
    return [
        (
            CheckUnit(
                key=None,
                source=block.text,
                source_lang=lang,
                target=None,
                target_lang=None,
                path=path,
                line=block.line,
                source_line=block.line,
                comments=comments,
            ),
            block,
        )
        for block, comments in pairs
    ]
