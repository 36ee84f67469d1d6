"""Running the registered rules over units: per-unit rules first, then the rules across units."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from glossary.checks.model import CheckConfig, CheckUnit, Finding
from glossary.recognize.index import TermIndex


def run_checks(units: Iterable[CheckUnit], index: TermIndex, *, config: CheckConfig) -> Iterator[Finding]:
    """Findings of every enabled rule (placeholder until the rules land)."""
    del units, index, config
    return iter(())
