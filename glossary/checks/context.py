"""What a rule sees of one unit: its texts, the names recognised in them, the term base, a finding maker."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from glossary.checks.model import CheckUnit, Finding, Fix
from glossary.model.records import TermRecord
from glossary.recognize.index import TermIndex
from glossary.recognize.spans import Span, recognize

# (unit, side, start, end) → (line, column, end column) in the file, for inputs whose text is not
# laid out in the file as it is in the unit (a .po msgstr is quoted, escaped and wrapped).
Locator = Callable[[CheckUnit, str, int, int], tuple[int, int, int] | None]

ACCEPTED = ("preferred", "admitted")
_CYRILLIC_LANGS = frozenset({"ru", "kk", "be", "tg", "uk", "ky", "bg", "sr", "mk", "mn"})


@cache
def primary(lang: str) -> str:
    """The primary subtag (``kk-Latn`` → ``kk``)."""
    return lang.split("-")[0].lower()


@cache
def script_of(lang: str) -> str:
    """``Cyrl`` or ``Latn``: the script a text in ``lang`` is written in."""
    parts = lang.split("-")
    for part in parts[1:]:
        if part.lower() in ("latn", "cyrl"):
            return part.title()
    return "Cyrl" if parts[0].lower() in _CYRILLIC_LANGS else "Latn"


class ConceptTable:
    """The term base as the rules look things up in it: read from the compiled index concept by
    concept, as the rules ask (a stored index of 10,000 concepts is not decoded for one unit)."""

    def __init__(self, index: TermIndex) -> None:
        self.index = index
        self._terms: dict[str, dict[tuple[str, str], TermRecord]] = {}
        self._fits: dict[tuple[str, str], bool] = {}

    def number(self, concept: str) -> int | None:
        """The concept's position in the index."""
        return self.index.concept_number(concept)

    def _by_form(self, concept: str) -> dict[tuple[str, str], TermRecord]:
        found = self._terms.get(concept)
        if found is None:
            number = self.number(concept)
            found = {}
            if number is not None:
                for term in self.index.terms(number):
                    found.setdefault((term.lang, term.text), term)
            self._terms[concept] = found
        return found

    def terms(self, concept: str) -> list[TermRecord]:
        """Every form of the concept."""
        return list(self._by_form(concept).values())

    def term(self, concept: str, lang: str, text: str) -> TermRecord | None:
        """The term record a span matched."""
        return self._by_form(concept).get((lang, text))

    def kind(self, concept: str) -> str:
        number = self.number(concept)
        return self.index.tables.concept_kinds[number] if number is not None else "other"

    def fits(self, term_lang: str, text_lang: str) -> bool:
        """Whether a form tagged ``term_lang`` belongs in a text in ``text_lang`` (same language and
        script: ``kk-Latn`` forms do not belong in Cyrillic Kazakh)."""
        key = (term_lang, text_lang)
        found = self._fits.get(key)
        if found is None:
            found = self._fits[key] = (
                primary(term_lang) == primary(text_lang) and script_of(term_lang) == script_of(text_lang)
            )
        return found

    def accepted(self, concept: str, lang: str) -> list[TermRecord]:
        """The preferred and admitted entered forms of ``concept`` that belong in ``lang``."""
        return [
            t
            for t in self.terms(concept)
            if t.status in ACCEPTED and t.origin != "generated" and self.fits(t.lang, lang)
        ]


_TABLES: weakref.WeakKeyDictionary[TermIndex, ConceptTable] = weakref.WeakKeyDictionary()


def concept_table(index: TermIndex) -> ConceptTable:
    """The concept table of ``index`` (built on first use, dropped with the index)."""
    table = _TABLES.get(index)
    if table is None:
        table = _TABLES[index] = ConceptTable(index)
    return table


@dataclass(slots=True)
class UnitContext:
    """One unit with its recognised names; rules read it and call :meth:`finding`."""

    unit: CheckUnit
    index: TermIndex
    table: ConceptTable
    locate: Locator | None = None
    check_sources: bool = True
    seen_texts: dict[tuple[str, str], list[Span]] | None = None  # shared by the units of one run
    _spans: dict[str, list[Span]] = field(default_factory=dict)
    memo: dict[str, object] = field(default_factory=dict)  # rule families share their analyses here
    occurrences: dict[tuple[str, str, str], int] = field(default_factory=dict)
    made: list[Finding] = field(default_factory=list)  # findings of the rules across units, by unit
    _translated: bool | None = None
    _sides: tuple[str, ...] | None = None

    def text(self, side: str) -> str:
        return (self.unit.target or "") if side == "target" else self.unit.source

    def lang(self, side: str) -> str:
        return (self.unit.target_lang or "") if side == "target" else self.unit.source_lang

    @property
    def translated(self) -> bool:
        """Whether there is a target text to check."""
        found = self._translated
        if found is None:
            unit = self.unit
            found = self._translated = bool(unit.target and unit.target.strip() and unit.target_lang)
        return found

    def sides(self) -> tuple[str, ...]:
        """The sides the term rules look at: the target, and the source unless switched off."""
        found = self._sides
        if found is None:
            translated = self.translated
            sides = ("source",) if self.check_sources or not translated else ()
            found = self._sides = (*sides, "target") if translated else sides
        return found

    def spans(self, side: str) -> list[Span]:
        """The names recognised on one side (computed once; a text met before in the run is not
        recognised again: a source repeats in every language's catalogue)."""
        found = self._spans.get(side)
        if found is None:
            text = self.text(side)
            key = (text, self.lang(side))
            found = self.seen_texts.get(key) if self.seen_texts is not None else None
            if found is None:
                found = recognize(text, self.lang(side), self.index) if text else []
                if self.seen_texts is not None:
                    self.seen_texts[key] = found
            self._spans[side] = found
        return found

    def preset(self, side: str, spans: list[Span]) -> None:
        """Give one side the names recognised elsewhere (in a worker process) for it."""
        self._spans[side] = spans

    def position(self, side: str, start: int, end: int) -> tuple[int | None, int | None, int | None]:
        """(line, column, end column), 1-based, of ``start:end`` on one side, in the file."""
        if self.locate is not None:
            located = self.locate(self.unit, side, start, end)
            if located is not None:
                return located
        unit = self.unit
        if side == "target":
            base = unit.line
        else:  # a source-only unit's line is its source's
            base = unit.source_line if unit.source_line is not None or unit.target is not None else unit.line
        text = self.text(side)
        line_start = text.rfind("\n", 0, start) + 1
        column = start - line_start + 1
        end_column = column + len(text[start:end].split("\n")[0])
        if base is None:
            return None, None, None
        return base + text.count("\n", 0, start), column, end_column

    def finding(
        self,
        rule: str,
        severity: str,
        side: str,
        start: int,
        end: int,
        message: str,
        *,
        expected: str | None = None,
        concept: str | None = None,
        fix: str | None = None,
    ) -> Finding:
        """A finding at ``start:end`` of one side; ``fix`` is a safe replacement for that span."""
        line, column, end_column = self.position(side, start, end)
        unit = self.unit
        made = Finding(
            rule=rule,
            severity=severity,
            message=message,
            key=unit.key,
            side=side,
            path=unit.path,
            line=line,
            column=column,
            end_column=end_column,
            surface=self.text(side)[start:end],
            expected=expected,
            concept=concept,
            fix=Fix(start, end, fix) if fix is not None else None,
        )
        self.made.append(made)
        return made
