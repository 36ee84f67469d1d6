"""Fixtures of the check tests: the seed term base compiled once per run, and a shared cache folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.checks.model import CheckConfig, CheckUnit, Finding, check_units
from glossary.recognize.index import TermIndex

SEED = Path(__file__).resolve().parents[1] / "glossary" / "data" / "termbase.toml"


@pytest.fixture(scope="session")
def seed_index() -> TermIndex:
    """The bundled term base with its generated romanizations, as the database would hold it."""
    from glossary.cli.check_termbase import read_termbase_file
    from glossary.recognize.index import compile_index

    return compile_index(read_termbase_file(SEED, SEED.read_bytes()))


@pytest.fixture(scope="session")
def _compiled_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("check-cache")


@pytest.fixture
def shared_cache(_compiled_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """One cache of compiled term bases for the whole run, so --termbase compiles once."""
    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(_compiled_cache))
    yield _compiled_cache


def check_one(index: TermIndex, source: str, target: str | None, lang: str | None, *,
              comments: tuple[str, ...] = (), sources: bool = False) -> list[Finding]:
    """The findings on one unit (target side only unless ``sources``)."""
    unit = CheckUnit("k", source, "en", target, lang, path="x.po", line=1, source_line=1, comments=comments)
    findings = list(check_units([unit], index, config=CheckConfig(check_sources=sources)))
    return findings if sources else [f for f in findings if f.side == "target"]
