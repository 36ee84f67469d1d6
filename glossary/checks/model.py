"""The records every check shares: units to check, findings, fixes, and the check configuration."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossary.recognize.index import TermIndex

SEVERITIES = ("info", "warning", "error")
SIDES = ("source", "target")
STATES = ("new", "fuzzy", "translated", "reviewed", "approved")


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe replacement: code-point offsets into the checked text and what goes there."""

    start: int  # into the checked text (the target, or the source for source rules)
    end: int
    replacement: str  # e.g. "Токаевым" for "Токаевом": the case ending is kept


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found in one unit."""

    rule: str  # stable id, e.g. "term-variant"
    severity: str  # "error" | "warning" | "info"
    message: str
    key: str | None  # segment key / msgctxt (None for plain text files)
    side: str  # "source" | "target"
    path: str | None
    line: int | None  # 1-based, in the file
    column: int | None  # 1-based, in that line
    end_column: int | None
    surface: str  # the text found
    expected: str | None  # the form the term base wants (same case ending)
    concept: str | None
    fix: Fix | None = None
    fingerprint: str = ""  # stable across line moves: rule + key/context + surface (+ occurrence number)


@dataclass(frozen=True, slots=True)
class CheckUnit:
    """One entry to check: a source text and, where there is one, its translation."""

    key: str | None
    source: str
    source_lang: str
    target: str | None
    target_lang: str | None
    path: str | None = None
    line: int | None = None  # line of the target text (or the source for source-only units)
    source_line: int | None = None
    comments: tuple[str, ...] = ()  # translator comments (inline suppressions live here)
    state: str | None = None  # new/fuzzy/translated/reviewed/approved


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """What to check and how loudly: disabled rules, severity overrides, languages, the fail level."""

    disabled: frozenset[str] = frozenset()
    enabled: frozenset[str] | None = None  # only these rules (None: all that are not disabled)
    severities: Mapping[str, str] = field(default_factory=dict)  # rule id → severity
    languages: frozenset[str] | None = None  # target languages to check (None: all)
    fail_on: str = "error"
    check_sources: bool = True  # the term rules also run on source texts

    def runs(self, rule: str) -> bool:
        """Whether ``rule`` is switched on."""
        if rule in self.disabled:
            return False
        return self.enabled is None or rule in self.enabled

    def severity(self, rule: str, default: str) -> str:
        """The severity ``rule``'s findings carry under this configuration."""
        return self.severities.get(rule, default)


def check_units(
    units: Iterable[CheckUnit], index: TermIndex, *, config: CheckConfig | None = None
) -> Iterator[Finding]:
    """Every finding of every enabled rule over ``units``, unit by unit, then the rules across units.

    Cheap for one unit (a TUI can call it on every edit); the consistency rules compare units
    with each other and so see only the units given in one call.
    """
    from glossary.checks.run import run_checks  # the rules import this module

    return run_checks(units, index, config=config or CheckConfig())
