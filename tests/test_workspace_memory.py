"""The workspace's memory indexes: lookups from several threads while another thread writes."""

from __future__ import annotations

import threading

from glossary.memory.concordance import concordance
from glossary.memory.units import NewUnit, add_units, search
from glossary.workspace import Workspace

BASE = "The situation is stable in all regions of the country."
WRITTEN = "Written unit number {} describes the withdrawal of the contingent."


def test_lookups_from_threads_while_another_thread_writes(db_url: str) -> None:
    workspace = Workspace(db_url, bootstrap=False)
    workspace.initialize(empty=True)
    with workspace.transaction() as session:
        add_units(session=session, units=[NewUnit("en", "ru", BASE, "base", "t")])
    errors: list[BaseException] = []
    seen: dict[str, list[int]] = {}
    writing = threading.Event()
    writing.set()

    def writer() -> None:
        try:
            for batch in range(6):
                with workspace.transaction() as session:
                    add_units(session=session, units=[NewUnit("en", "ru", WRITTEN.format(batch * 10 + i),
                                                              f"w{batch * 10 + i}", "t") for i in range(10)])
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)
        finally:
            writing.clear()

    def reader() -> None:
        try:
            while writing.is_set():
                with workspace.session() as session:
                    found = search(session=session, text=BASE, source_lang="en", target_lang="ru",
                                   indexes=workspace.indexes)
                    assert [m.target for m in found][:1] == ["base"]
                    hits = concordance(session=session, words="contingent", lang="en", limit=500,
                                       indexes=workspace.indexes)
                    assert all("contingent" in hit.text for hit in hits)
                    seen.setdefault(threading.current_thread().name, []).append(len(hits))
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)] + [threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(seen) == 3
    for counts in seen.values():  # each reader sees the memory grow, never shrink or lose a unit
        assert counts == sorted(counts)
    with workspace.session() as session:
        for n in (0, 37, 59):
            found = search(session=session, text=WRITTEN.format(n), source_lang="en", target_lang="ru",
                           indexes=workspace.indexes)
            assert found[0].target == f"w{n}"
        hits = concordance(session=session, words="contingent", lang="en", limit=500,
                           indexes=workspace.indexes)
    assert len(hits) == 60
    workspace.close()
