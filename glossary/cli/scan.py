"""``glossary scan``: the names of the term base found in a text file, with where and how they matched."""

from __future__ import annotations

import argparse
import re
import sys
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING

from glossary.cli.common import (
    add_db_option,
    add_format_option,
    lang_tag,
    print_json,
    read_text_file,
    workspace_for,
)

if TYPE_CHECKING:
    from glossary.recognize.spans import Span



def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``scan`` command."""
    parser = sub.add_parser(
        "scan",
        help="find the term base's names in a text file",
        description="Find every name of the term base in FILE (written in LANG): any spelling, any "
        "script, any case ending, and near misses of people and places. Text output shows "
        "path:line:col, the line, the concept and its preferred form; --format json prints the "
        "spans with code-point offsets into the decoded text.",
    )
    parser.add_argument("file", metavar="FILE", help="UTF-8 text file to scan")
    parser.add_argument(
        "--lang", required=True, metavar="LANG", type=lang_tag,
        help="language of the text (en, ru, kk, de, fr...)",
    )
    add_format_option(parser, "json")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _render_text(path: str, text: str, spans: list[Span]) -> None:
    from rich.console import Console
    from rich.text import Text

    # Rich colours only on a terminal; piped output stays plain.
    console = Console(highlight=False, soft_wrap=True)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for span in spans:
        row = bisect_right(starts, span.start) - 1
        line_start = starts[row]
        line_end = starts[row + 1] - 1 if row + 1 < len(starts) else len(text)
        line = text[line_start:line_end]
        column = span.start - line_start
        end = min(span.end - line_start, len(line))
        how = span.match if span.match != "near_miss" else f"near miss, distance {span.distance}"
        preferred = span.preferred if span.preferred is not None else "-"
        console.print(
            Text.assemble(
                (f"{path}:{row + 1}:{column + 1}", "bold"),
                ": ",
                (span.surface, "cyan"),
                f" → {span.concept} (preferred: ",
                (preferred, "green"),
                f"; matched {span.term} [{span.lang}, {span.status}], {how})",
            )
        )
        before, after = excerpt_bounds(line, column, end)
        console.print(Text.assemble(
            "    ", "…" if before > 0 else "", line[before:column], (line[column:end], "reverse"),
            line[end:after], "…" if after < len(line) else "",
        ))


def excerpt_bounds(line: str, start: int, end: int, context: int = 30) -> tuple[int, int]:
    """Where to cut ``line`` so a hit at ``start:end`` keeps about ``context`` characters each side,
    cutting at a space where there is one."""
    left = max(0, start - context)
    if left > 0:
        space = line.find(" ", left, start)
        left = space + 1 if space != -1 else left
    right = min(len(line), end + context)
    if right < len(line):
        space = line.rfind(" ", end, right)
        right = space if space != -1 else right
    return left, right


def run(args: argparse.Namespace) -> int:
    """Scan FILE and print the spans."""
    path = Path(args.file)
    text = read_text_file(path)
    with workspace_for(args) as workspace:
        spans = workspace.recognize(text, args.lang)
    if args.format == "json":
        print_json([span.to_json() for span in spans])
    else:
        _render_text(args.file, text, spans)
        if not spans:
            print(f"{args.file}: no names found", file=sys.stderr)
    return 0
