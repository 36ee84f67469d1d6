"""The panels beside the editor: memory matches with word diffs, names, findings, and the progress counter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from glossary.store.rows import Progress
from tui.widgets.text_panel import TextPanel

if TYPE_CHECKING:
    from glossary.checks.model import Finding
    from glossary.memory.units import Match
    from tui.data import NameItem

CATEGORY_STYLES = {
    "preferred": "bold green",
    "variant": "bold yellow",
    "forbidden": "bold white on red",
    "near miss": "bold magenta underline",
}
SEVERITY_MARKS = {"error": ("✖", "bold red"), "warning": ("▲", "bold yellow"), "info": ("●", "cyan")}


def progress_text(progress: Progress) -> str:
    """``132 ✓ · 3 fuzzy · 10 untranslated`` (translated-but-unreviewed shown when there are any)."""
    parts = [f"{progress.done} ✓"]
    if progress.translated:
        parts.append(f"{progress.translated} translated")
    parts.append(f"{progress.fuzzy} fuzzy")
    parts.append(f"{progress.untranslated} untranslated")
    return " · ".join(parts)


def first_sentence(note: str, limit: int = 90) -> str:
    """The note's first sentence, cut at ``limit`` characters: the panel has room for little more."""
    sentence = note.split(". ")[0].split("; ")[0].rstrip(".")
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def highlighted_source(match: Match) -> Text:
    """The match's source with the words the query lacks or has otherwise highlighted, and the
    query's words the match lacks shown struck through where they would stand."""
    text = Text()
    source = match.source
    position = 0
    for op in match.diff:
        stretch = op["source"]
        if stretch:
            found = source.find(stretch, position)
            if found < 0:
                continue
            text.append(source[position:found])
            style = "" if op["op"] == "equal" else "bold black on yellow"
            text.append(stretch, style=style)
            position = found + len(stretch)
        elif op["op"] == "delete" and op["query"]:
            if position and not source[position - 1 : position].isspace():
                text.append(" ")
            text.append(op["query"], style="strike red")
    text.append(source[position:])
    return text


def explain(match: Match) -> str:
    """The score's reasons in a few words: the summary and each penalty or bonus."""
    explanation = match.explanation
    parts = [str(explanation.get("summary", ""))]
    parts += [f"{p['reason']} −{p['points']:g}" for p in explanation.get("penalties", [])]
    for difference in match.differences:
        only = ", ".join(difference["source"]) or ", ".join(difference["query"])
        parts.append(f"{difference['kind']}s differ: {only}")
    return "; ".join(p for p in parts if p)


class MatchesPanel(TextPanel, can_focus=True):
    """Memory matches, numbered for the insert-match keys."""

    def show_matches(self, matches: Sequence[Match] | None) -> None:
        if matches is None:
            self.show(Text("looking up the memory…", style="italic dim"))
            return
        if not matches:
            self.show(Text("no memory match ≥ 70 %", style="italic dim"))
            return
        text = Text()
        for number, match in enumerate(matches, start=1):
            if number > 1:
                text.append("\n")
            text.append(f"{number} ", style="bold reverse")
            text.append(f" {match.score:g} % ", style="bold")
            text.append(explain(match), style="dim")
            text.append("\n  ")
            text.append_text(highlighted_source(match))
            text.append("\n  → ")
            text.append(match.target, style="bold")
        self.show(text)


class NamesPanel(TextPanel, can_focus=True):
    """The names of the segment with the form the term base wants in the target language."""

    def show_names(self, items: Sequence[NameItem] | None) -> None:
        if items is None:
            self.show(Text("recognising names…", style="italic dim"))
            return
        if not items:
            self.show(Text("no known names", style="italic dim"))
            return
        text = Text()
        for number, item in enumerate(items, start=1):
            if number > 1:
                text.append("\n")
            text.append(f"{number} ", style="bold reverse")
            text.append(" ")
            text.append(item.surface, style=CATEGORY_STYLES.get(item.category, ""))
            text.append(f" ({item.category})", style="dim")
            text.append(" → ")
            text.append(item.wanted or "no form in this language", style="bold" if item.wanted else "dim")
            if item.target_span is not None and item.target_as_wanted:
                text.append(" ✓ in target", style="green")
            elif item.target_span is not None:
                # Named, but not as wanted (an admitted or deprecated form): no tick for that.
                text.append(f" · target writes {item.target_surface}", style="yellow")
            if item.note:
                text.append(f"\n   {first_sentence(item.note)}", style="dim italic")
        self.show(text)


class FindingsPanel(TextPanel, can_focus=True):
    """The findings of the segment, numbered for the apply-fix keys."""

    def show_findings(self, findings: Sequence[Finding] | None) -> None:
        if findings is None:
            self.show(Text("checking…", style="italic dim"))
            return
        if not findings:
            self.show(Text("no findings", style="italic green"))
            return
        text = Text()
        for number, finding in enumerate(findings, start=1):
            if number > 1:
                text.append("\n")
            mark, style = SEVERITY_MARKS.get(finding.severity, ("?", ""))
            text.append(f"{number} ", style="bold reverse")
            text.append(f" {mark} ", style=style)
            text.append(finding.message)
            text.append(f"  [{finding.rule}]", style="dim")
            if finding.fix is not None:
                text.append(f"\n   fix: {finding.surface} → {finding.fix.replacement}", style="green")
        self.show(text)
