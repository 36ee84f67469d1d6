"""Tests for tui.pending: waiters get the workspace, or the error that stopped it; none waits for ever."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from glossary.model.errors import GlossaryError
from tui.pending import PendingWorkspace


@pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)
def test_waiters_get_the_workspace_once_a_worker_opens_it(seeded_db_url: str):
    pending = PendingWorkspace(seeded_db_url)
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(pending.get()))
    waiter.start()
    assert not pending.ready
    opened = pending.open()
    waiter.join(60)
    assert got == [opened] and pending.ready
    assert pending.open() is opened  # once
    pending.close()
    with pytest.raises(GlossaryError, match="closed"):
        pending.get()


def test_the_error_that_stopped_it_reaches_every_waiter(tmp_path: Path):
    pending = PendingWorkspace(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'glossary.db'}")
    with pytest.raises(GlossaryError, match="cannot open database") as opening:
        pending.open()
    with pytest.raises(GlossaryError) as waiting:
        pending.get()
    assert waiting.value is opening.value
    assert not pending.ready


def test_closed_before_it_was_opened_nobody_waits(tmp_path: Path):
    pending = PendingWorkspace(f"sqlite:///{tmp_path / 'glossary.db'}")
    pending.close()
    with pytest.raises(GlossaryError, match="closed"):
        pending.get()
    with pytest.raises(GlossaryError, match="closed"):
        pending.open()
    assert not (tmp_path / "glossary.db").exists()  # nothing was opened, or set up
