"""Progress of a long import on a terminal: concepts read and written, and the rate."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


class ImportProgress:
    """Counts what an import read and wrote; shows it on stderr when that is a terminal.

    ``counted`` wraps the reader's records; ``written`` is the callback the merge calls after
    each batch. When stderr is not a terminal (a pipe, a file, a test) nothing is printed.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.read = 0
        self.done = 0
        self._started = time.monotonic()
        self._live: object | None = None
        self._task: object | None = None

    def counted(self, records: Iterable[T]) -> Iterator[T]:
        """``records``, counted as they are read."""
        for record in records:
            self.read += 1
            if self.read % 500 == 0:
                self._show()
            yield record

    def written(self, count: int) -> None:
        """``count`` more concepts are merged."""
        self.done += count
        self._show()

    def swapping(self) -> None:
        """Everything is read and staged; the database is being written."""
        self._show(" - writing to the database")

    def _show(self, stage: str = "") -> None:
        if self._live is None:
            return
        from rich.progress import Progress

        assert isinstance(self._live, Progress)
        elapsed = max(time.monotonic() - self._started, 1e-9)
        self._live.update(
            self._task,  # type: ignore[arg-type]
            description=f"{self.label}: read {self.read:,}, written {self.done:,} concepts "
            f"({self.done / elapsed:,.0f}/s){stage}",
        )

    @contextmanager
    def shown(self) -> Iterator[ImportProgress]:
        """Show the counts on stderr while the block runs, if stderr is a terminal."""
        if not sys.stderr.isatty():
            yield self
            return
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=console, transient=True,
        ) as live:
            self._live = live
            self._task = live.add_task(f"{self.label}: starting", total=None)
            try:
                yield self
            finally:
                self._live = None
        console.print(
            f"{self.label}: read {self.read:,}, written {self.done:,} concepts "
            f"in {time.monotonic() - self._started:,.1f} s"
        )
