"""The README's console examples run as written and print what the README shows.

Every ``console`` block of the README is a session: lines starting with ``$ `` are commands, the
lines under a command are its expected output. A line ``…`` stands for any number of lines, and a
line ending in ``…`` matches any line that starts with the text before it. Commands run in order,
in one temporary folder (holding a link to the repository's ``glossary/data``), on one new
database, so the tour is checked exactly as a new user would follow it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# Commands of the set-up section (make, activating the venv) are not part of the tour.
RUNNABLE = ("glossary ", "printf ", "cat ", "echo ")


def console_blocks(text: str) -> list[list[tuple[str, list[str]]]]:
    """Each ``console`` block as a list of (command, expected output lines)."""
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        steps: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        blocks.append(steps)
    return blocks


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` fits ``expected`` with its ``…`` wildcards."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "…":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    if head.endswith("…"):
        ok = actual[0].startswith(head[:-1].rstrip()) or actual[0] == head
    else:
        ok = actual[0].rstrip() == head.rstrip()
    return ok and matches(rest, actual[1:])


def test_the_block_parser_and_wildcards() -> None:
    blocks = console_blocks("```console\n$ glossary x\na\n…\nz\n$ glossary y\n```\n")
    assert blocks == [[("glossary x", ["a", "…", "z"]), ("glossary y", [])]]
    assert matches(["a", "…", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "…", "z"], ["a", "z"])
    assert not matches(["a", "…", "z"], ["a", "b"])
    assert matches(["long line…"], ["long line that goes on"])
    assert not matches(["a"], ["b"])


def test_the_tour_runs_as_written(tmp_path: Path) -> None:
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "data").symlink_to(ROOT / "glossary" / "data")
    env = {
        **os.environ,
        "GLOSSARY_DB": f"sqlite:///{tmp_path / 'tour.db'}",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }
    steps = [step for block in console_blocks(README.read_text(encoding="utf-8")) for step in block]
    ran = 0
    for command, expected in steps:
        if not command.startswith(RUNNABLE):
            continue
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        actual = done.stdout.splitlines()
        if expected:
            assert matches(expected, actual), f"$ {command}\n--- README\n" + "\n".join(expected) + \
                "\n--- actual\n" + "\n".join(actual)
        ran += 1
    assert ran >= 10
