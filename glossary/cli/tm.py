"""``glossary tm``: search the memory, concordance, pre-translation, TMX import and syncing approved work."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.cli.common import (
    add_db_option,
    add_format_option,
    lang_tag,
    print_json,
    session_for,
    workspace_for,
)

if TYPE_CHECKING:
    from glossary.workspace import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``tm`` and its subcommands."""
    tm = sub.add_parser(
        "tm",
        help="the translation memory: search, concordance, pretranslate, import, sync",
        description="Look up, fill and extend the translation memory. Approved and translated "
        "translations become memory units (tm sync); TMX files add more (tm import).",
    )
    tm_sub = tm.add_subparsers(dest="tm_command", metavar="SUBCOMMAND", required=True)

    search = tm_sub.add_parser(
        "search",
        help="fuzzy matches for a sentence",
        description="The best memory matches for TEXT, best first. The score is rapidfuzz's ratio "
        "on casefolded text minus penalties; --format json shows how each was reached.",
    )
    search.add_argument("text", help="the sentence to look up")
    search.add_argument("--source", default="en", type=lang_tag, help="source language (default: en)")
    search.add_argument("--target", required=True, type=lang_tag, help="target language, e.g. ru")
    search.add_argument("--min", type=float, default=70, dest="min_score", help="minimum score (default: 70)")
    search.add_argument("--limit", type=int, default=5, help="most matches to show (default: 5)")
    search.add_argument("--context", help="context key of the segment (exact matches in it rank first)")
    search.add_argument("--no-names", dest="names", action="store_false",
                        help="do not compare the names in query and match (skips loading the term base)")
    add_db_option(search)
    add_format_option(search, "json")
    search.set_defaults(handler=run_search)

    conc = tm_sub.add_parser(
        "concordance",
        help="where words occur in segments and the memory",
        description="Segments, translations and memory units containing every word, highlighted. "
        "A query that the term base knows as a name finds it in any spelling and inflection "
        "(Токаев finds Токаева, Токаевым); --literal searches the words as written.",
    )
    conc.add_argument("words", nargs="+", help="the words to find")
    conc.add_argument("--lang", default="en", type=lang_tag, help="language of the words (default: en)")
    conc.add_argument("--limit", type=int, default=50, help="most hits to show (default: 50)")
    conc.add_argument("--literal", action="store_true", help="plain word search, no name recognition")
    add_db_option(conc)
    add_format_option(conc, "json")
    conc.set_defaults(handler=run_concordance)

    pre = tm_sub.add_parser(
        "pretranslate",
        help="fill untranslated segments from the memory as fuzzy",
        description="Fill segments with no translation (or an empty one) with the best memory match "
        "as a fuzzy translation. Existing work is never overwritten.",
    )
    pre.add_argument("--lang", required=True, type=lang_tag, help="target language")
    pre.add_argument("--min", type=float, default=75, dest="min_score", help="minimum score (default: 75)")
    pre.add_argument("--document", help="only this document")
    add_db_option(pre)
    pre.set_defaults(handler=run_pretranslate)

    imp = tm_sub.add_parser(
        "import",
        help="add the units of a TMX file",
        description="Add every unit of a TMX 1.4 file to the memory, in one transaction: a malformed "
        "file changes nothing.",
    )
    imp.add_argument("file", type=Path, help="a .tmx file")
    add_db_option(imp)
    imp.set_defaults(handler=run_import)

    sync = tm_sub.add_parser(
        "sync",
        help="make approved and translated translations memory units",
        description="Add or update a memory unit for every approved or translated translation.",
    )
    add_db_option(sync)
    sync.set_defaults(handler=run_sync)


def _lazy_names(workspace: Workspace) -> Callable[[str, str], list[str]]:
    """The recognizer's names, with the term base loaded only once a match needs comparing."""
    loaded: list[Callable[[str, str], list[str]]] = []

    def names(text: str, lang: str) -> list[str]:
        if not loaded:
            loaded.append(workspace.finders()[0])
        return loaded[0](text, lang)

    return names


def run_search(args: argparse.Namespace) -> int:
    """Print the matches for one sentence."""
    from glossary.memory.units import search

    with workspace_for(args) as workspace, workspace.session() as session:
        names = _lazy_names(workspace) if args.names else None
        matches = search(session=session, text=args.text, source_lang=args.source, target_lang=args.target,
                         min_score=args.min_score, limit=args.limit, context=args.context, names=names,
                         indexes=workspace.indexes)
    if args.format == "json":
        print_json([m.to_json() for m in matches])
        return 0
    if not matches:
        print(f"no match at {args.min_score:g} or above", file=sys.stderr)
    for match in matches:
        note = match.explanation["summary"]
        print(f"{match.score:5.1f}  {match.source}")
        print(f"       {match.target}")
        print(f"       ({match.origin}; {note}{_differences(match.differences)})")
    return 0


def _differences(items: list[dict[str, Any]]) -> str:
    parts = []
    for item in items:
        query, source = ", ".join(item["query"]) or "—", ", ".join(item["source"]) or "—"
        parts.append(f"{item['kind']}s differ: {query} → {source}")
    return "; " + "; ".join(parts) if parts else ""


def run_concordance(args: argparse.Namespace) -> int:
    """Print the hits with the words highlighted."""
    from glossary.memory.concordance import concordance

    with workspace_for(args) as workspace, workspace.session() as session:
        spans = None if args.literal else workspace.finders()[1]
        hits = concordance(session=session, words=" ".join(args.words), lang=args.lang, limit=args.limit,
                           spans=spans, indexes=workspace.indexes)
    if args.format == "json":
        print_json([hit.to_json() for hit in hits])
        return 0
    hits = distinct_hits(hits)
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False)
        for hit in hits:
            console.print(Text(f"{hit.origin} · {hit.kind} ({hit.lang})", style="bold"))
            console.print(Text("  ").append_text(_rich_marked(hit.text, hit.spans, Text)))
            console.print(Text(f"  ↔ {hit.other}", style="dim"))
    else:
        for hit in hits:
            print(f"{hit.origin} · {hit.kind} ({hit.lang})")
            print(f"  {hit.text}")
            print(f"  {carets(hit.text, hit.spans)}".rstrip())
            print(f"  ↔ {hit.other}")
    if not hits:
        print("no occurrences", file=sys.stderr)
    return 0


def distinct_hits(hits: list[Any]) -> list[Any]:
    """Each sentence pair once: a memory unit made from a translation listed above is not repeated."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for hit in hits:
        key = (hit.text, hit.other)
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def carets(text: str, spans: list[tuple[int, int]]) -> str:
    """A line of ``^`` under each span of ``text`` (as compilers mark a column), for plain output."""
    marks = [" "] * len(text)
    for start, end in _merged(spans):
        for i in range(start, end):
            marks[i] = "^"
    return "".join(marks)


def _rich_marked(text: str, spans: list[tuple[int, int]], text_type: Any) -> Any:
    marked = text_type(text)
    for start, end in _merged(spans):
        marked.stylize("bold black on yellow", start, end)
    return marked


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def run_pretranslate(args: argparse.Namespace) -> int:
    """Fill untranslated segments and commit."""
    from glossary.memory.units import pretranslate

    with workspace_for(args) as workspace, workspace.session() as session:
        count = pretranslate(session=session, lang=args.lang, min_score=args.min_score,
                             document=args.document, indexes=workspace.indexes)
        session.commit()
    print(f"pre-translated {count} segment(s) into {args.lang} as fuzzy")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import one TMX file in one transaction."""
    from glossary.cli.common import import_tmx
    from glossary.model.errors import ParseWarning, UsageError

    try:
        handle = args.file.open("rb")
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from exc
    left_out: list[ParseWarning] = []
    with handle, session_for(args) as session:
        count = import_tmx(session=session, fileobj=handle, path=args.file, left_out=left_out)
        session.commit()
    note = f"; {len(left_out)} unit(s) without a target left out" if left_out else ""
    print(f"imported {count} unit(s) from {args.file}{note}")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    """Sync approved work into the memory and commit."""
    from glossary.memory.units import sync_from_documents

    with session_for(args) as session:
        count = sync_from_documents(session=session)
        session.commit()
    print(f"{count} memory unit(s) added or updated")
    return 0
