"""Fixtures of the check tests: the seed term base compiled once per run, and a shared cache folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from check_helpers import SEED

from glossary.recognize.index import TermIndex


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
