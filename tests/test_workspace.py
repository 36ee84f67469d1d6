"""Tests for the workspace recognizer: stored, loaded, rebuilt after a change, safe from threads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import glossary.recognize.spans as spans_module
from glossary.model.records import TermRecord
from glossary.store.termbase import add_term
from glossary.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]


def _concepts(workspace: Workspace, text: str, lang: str = "en") -> list[str]:
    return [span.concept for span in workspace.recognize(text, lang)]


def _add(workspace: Workspace, concept: str, text: str, lang: str = "en") -> None:
    with workspace.transaction() as session:
        add_term(session=session, concept=concept, term=TermRecord(lang, text), kind="person")


def test_a_second_workspace_loads_the_stored_recognizer_without_compiling(seeded_db_url, monkeypatch):
    with Workspace(seeded_db_url) as first:
        assert "tokayev" in _concepts(first, "Tokayev spoke.")
        root = first.recognizer_root
    assert root is not None
    assert [p for p in root.iterdir() if not p.name.startswith(".")]

    def no_compiling(*args, **kwargs):
        raise AssertionError("the stored recognizer should have been loaded")

    monkeypatch.setattr(spans_module, "compile_index", no_compiling)  # the workspace imports it when used
    with Workspace(seeded_db_url) as second:
        assert "tokayev" in _concepts(second, "Tokayev spoke.")


def test_a_sqlite_recognizer_lives_next_to_the_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    with Workspace(url) as workspace:
        workspace.recognizer()
        assert workspace.recognizer_root == tmp_path / "g.db.recognizer"
    assert (tmp_path / "g.db.recognizer").is_dir()


def test_an_in_memory_database_stores_nothing():
    with Workspace("sqlite://") as workspace:
        assert workspace.recognizer_root is None
        assert "tokayev" in _concepts(workspace, "Tokayev spoke.")


def test_a_change_in_another_workspace_is_seen(seeded_db_url):
    with Workspace(seeded_db_url) as reader, Workspace(seeded_db_url) as writer:
        assert "zorbalek" not in _concepts(reader, "Zorbalek met Tokayev.")
        _add(writer, "zorbalek", "Zorbalek")
        assert "zorbalek" in _concepts(reader, "Zorbalek met Tokayev.")


def test_a_damaged_stored_recognizer_is_rebuilt(seeded_db_url):
    with Workspace(seeded_db_url) as workspace:
        workspace.recognizer()
        root = workspace.recognizer_root
    assert root is not None
    [folder] = [p for p in root.iterdir() if not p.name.startswith(".")]
    (folder / "automaton.pickle").write_bytes(b"\x80\x05garbage")
    with Workspace(seeded_db_url) as workspace:
        assert "tokayev" in _concepts(workspace, "Tokayev spoke.")
    # Written again, whole: the next process loads it.
    assert (folder / "automaton.pickle").read_bytes() != b"\x80\x05garbage"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) >= {"automaton.pickle", "arrays.npz"}


def _glossary(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "glossary", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300, check=False)


def test_the_first_scan_after_another_process_added_a_term_sees_it(seeded_db_url, tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    text = tmp_path / "news.txt"
    text.write_text("Zorbalek met Tokayev in Almaty.\n", encoding="utf-8")
    scan = ("scan", str(text), "--lang", "en", "--format", "json", "--db", seeded_db_url)
    before = _glossary(*scan, env=env)
    assert before.returncode == 0, before.stderr
    assert {s["concept"] for s in json.loads(before.stdout)} == {"tokayev", "almaty"}
    added = _glossary("terms", "add", "zorbalek", "Zorbalek", "--lang", "en", "--kind", "person",
                      "--db", seeded_db_url, env=env)
    assert added.returncode == 0, added.stderr
    after = _glossary(*scan, env=env)
    assert after.returncode == 0, after.stderr
    assert {s["concept"] for s in json.loads(after.stdout)} == {"zorbalek", "tokayev", "almaty"}


def test_recognition_from_threads_while_another_thread_writes(seeded_db_url):
    errors: list[BaseException] = []
    done = threading.Event()
    seen: list[set[str]] = []
    with Workspace(seeded_db_url) as workspace:
        workspace.recognizer()

        def read() -> None:
            try:
                while not done.is_set():
                    found = set(_concepts(workspace, "Kassym-Jomart Tokayev met Nazarbyev and Zorbalek0."))
                    assert {"tokayev", "nazarbayev"} <= found
                    found |= set(_concepts(workspace, "Токаева поддержали в ОДКБ.", "ru"))
                    seen.append(found)
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
                done.set()

        def write() -> None:
            try:
                for number in range(3):
                    _add(workspace, f"zorbalek{number}", f"Zorbalek{number}")
            except BaseException as exc:
                errors.append(exc)
            finally:
                done.set()

        readers = [threading.Thread(target=read) for _ in range(4)]
        writer = threading.Thread(target=write)
        for thread in [*readers, writer]:
            thread.start()
        for thread in [*readers, writer]:
            thread.join(timeout=600)
        assert not errors, errors
        assert seen and all({"tokayev", "csto"} <= found for found in seen)
        assert "zorbalek0" in _concepts(workspace, "Zorbalek0 and Zorbalek2 met.")
        assert "zorbalek2" in _concepts(workspace, "Zorbalek0 and Zorbalek2 met.")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_finders_use_the_same_recognizer(seeded_db_url, lang):
    with Workspace(seeded_db_url) as workspace:
        names, spans = workspace.finders()
        assert "tokayev" in names("Tokayev spoke.", lang)
        assert spans("Tokayev spoke.", lang)[0][:2] == (0, 7)


def test_the_workspace_recognizes_several_texts_at_once(seeded_db_url):
    texts = ["Tokayev spoke in Almaty.", "No names here.", "Nazarbyev left Astana."]
    with Workspace(seeded_db_url) as workspace:
        together = workspace.recognize_many(texts, "en")
        assert together == [workspace.recognize(text, "en") for text in texts]
    assert [span.concept for span in together[0]][:1] == ["tokayev"]
    assert together[1] == []
    assert together[2][0].match == "near_miss"
