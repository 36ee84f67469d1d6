"""Fixes applied to a text: non-overlapping replacements, last first, and the unified diff they make."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator


def apply_edits(text: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, int]:
    """``text`` with the replacements made, and how many; an edit overlapping an earlier one is skipped."""
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end, replacement in sorted(set(edits)):
        if start < last_end or not 0 <= start <= end <= len(text):
            continue
        chosen.append((start, end, replacement))
        last_end = end
    for start, end, replacement in reversed(chosen):
        text = text[:start] + replacement + text[end:]
    return text, len(chosen)


def unified_diff(before: str, after: str, path: str) -> Iterator[str]:
    """The change as a unified diff (``a/path`` → ``b/path``), as ``git diff`` shows it."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
