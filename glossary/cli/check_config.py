"""Where ``glossary check`` finds its settings: glossary.toml, or ``[tool.glossary]`` in pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from glossary.model.errors import ParseError

CONFIG_NAMES = ("glossary.toml", "pyproject.toml")


def find_config(start: Path) -> Path | None:
    """The nearest ``glossary.toml``, or ``pyproject.toml`` with a ``[tool.glossary]`` table, from
    ``start`` up to the file system's root (``glossary.toml`` wins in one folder)."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name == "glossary.toml" or _has_table(candidate)):
                return candidate
    return None


def _has_table(path: Path) -> bool:
    try:
        return "glossary" in _read(path).get("tool", {})
    except ParseError:
        return True  # a broken pyproject.toml is reported when it is read


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(path, getattr(exc, "lineno", None), f"invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ParseError(path, None, "not UTF-8 text") from exc


def read_config(path: Path) -> dict[str, Any]:
    """The check settings of a config file; a ``termbase`` path is made relative to the file's folder."""
    data = _read(path)
    table = data.get("tool", {}).get("glossary", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ParseError(path, None, "[tool.glossary] must be a table")
    settings = dict(table)
    termbase = settings.get("termbase")
    if isinstance(termbase, str):
        settings["termbase"] = str(path.parent / termbase)
    return settings
