"""Helpers of the check tests: the seed term base's path, a one-unit check, a folder with no database."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def without_database(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    """Run the check from ``folder`` with a database URL it must never create, and none of the
    environment that changes its output (a step summary, a fail-on level, NO_COLOR)."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GLOSSARY_DB", f"sqlite:///{folder / 'never.db'}")
    for name in ("GITHUB_STEP_SUMMARY", "GLOSSARY_FAIL_ON", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return folder
