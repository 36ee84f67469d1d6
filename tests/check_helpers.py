"""Helpers of the check tests: the seed term base's path and a one-unit check."""

from __future__ import annotations

from pathlib import Path

from glossary.checks.model import CheckConfig, CheckUnit, Finding, check_units
from glossary.recognize.index import TermIndex

SEED = Path(__file__).resolve().parents[1] / "glossary" / "data" / "termbase.toml"


def check_one(
    index: TermIndex,
    source: str,
    target: str | None,
    lang: str | None,
    *,
    comments: tuple[str, ...] = (),
    sources: bool = False,
) -> list[Finding]:
    """The findings on one unit (target side only unless ``sources``)."""
    unit = CheckUnit("k", source, "en", target, lang, path="x.po", line=1, source_line=1, comments=comments)
    findings = list(check_units([unit], index, config=CheckConfig(check_sources=sources)))
    return findings if sources else [f for f in findings if f.side == "target"]
