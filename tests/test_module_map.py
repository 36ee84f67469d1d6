"""The README's module map names every module of the library and the TUI, and nothing that is gone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _map_rows() -> dict[str, set[str]]:
    """Package folder → the plain names (``word`` in backquotes) its row mentions."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Module map", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not re.fullmatch(r"`[a-z_/]+/`", cells[1]):
            continue
        names = set(re.findall(r"`([a-z_]+/?)`", cells[2]))
        rows.setdefault(cells[1].strip("`"), set()).update(names)
    return rows


def _modules(package: str) -> set[str]:
    folder = ROOT / package
    return {p.stem for p in folder.glob("*.py") if not p.stem.startswith("__")} | {
        f"{p.name}/" for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
    }


def test_every_package_has_a_row():
    rows = _map_rows()
    packages = {
        str(p.parent.relative_to(ROOT)) + "/"
        for top in ("glossary", "tui") for p in (ROOT / top).rglob("__init__.py")
    }
    assert packages <= set(rows), sorted(packages - set(rows))


def test_every_module_is_named_in_its_row_and_every_name_exists():
    for package, names in _map_rows().items():
        present = _modules(package)  # modules and folders (a folder may be named: `schemes/`)
        modules = {m for m in present if not m.endswith("/")}
        assert modules - names == set(), f"{package}: not in the module map"
        assert names - present == set(), f"{package}: named in the module map but not there"
