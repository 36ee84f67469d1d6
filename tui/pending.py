"""A workspace opened in a worker thread while the first screen is already up; users wait for it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from glossary.model.errors import GlossaryError

if TYPE_CHECKING:
    from glossary.workspace import Workspace


class PendingWorkspace:
    """The workspace of ``url``, opened by :meth:`open` (importing SQLAlchemy and the store takes about
    a second); :meth:`get` waits for it, and raises what opening it raised."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._workspace: Workspace | None = None
        self._failure: BaseException | None = None
        self._closed = False
        self._started = False
        self._done = threading.Event()
        self._lock = threading.Lock()

    @classmethod
    def of(cls, workspace: Workspace) -> PendingWorkspace:
        """One that is open already."""
        pending = cls(workspace.url)
        pending._workspace = workspace
        pending._started = True
        pending._done.set()
        return pending

    @property
    def ready(self) -> bool:
        """Open (a call to :meth:`get` returns at once)."""
        return self._done.is_set() and self._workspace is not None

    def open(self) -> Workspace:
        """Open the workspace (once; later calls return it); run in a worker thread."""
        with self._lock:
            first = not (self._started or self._closed)
            self._started = True
        if not first:
            return self.get()
        try:
            from glossary.workspace import Workspace

            workspace = Workspace(self.url)
        except BaseException as exc:
            self._failure = exc
            self._done.set()
            raise
        with self._lock:
            if self._closed:  # the app left while this was opening
                workspace.close()
                self._failure = GlossaryError("the review was closed before the database opened")
            else:
                self._workspace = workspace
        self._done.set()
        return self.get()

    def get(self) -> Workspace:
        """The workspace, once :meth:`open` has opened it (waits until then)."""
        self._done.wait()
        if self._workspace is None:
            raise self._failure or GlossaryError("the database is not open")
        return self._workspace

    def close(self) -> None:
        """Close the workspace; one still opening is closed as soon as it is open."""
        with self._lock:
            self._closed = True
            workspace, self._workspace = self._workspace, None
            if self._failure is None:
                self._failure = GlossaryError("the review's database is closed")
            if not self._started:
                self._done.set()  # nobody will open it: waiting ends
        if workspace is not None:
            workspace.close()
