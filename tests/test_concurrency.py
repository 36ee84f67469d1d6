"""Concurrent writer processes on SQLite and PostgreSQL: no spurious conflict, no lost edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from glossary.model.tables import Concept, Segment, Term, Translation, TranslationHistory
from glossary.store.engine import make_engine

WORKER = Path(__file__).with_name("concurrency_worker.py")
TIMEOUT = 600  # a guard against a hang only
SCALE = int(os.environ.get("GLOSSARY_SCALE", "1"))


def run_writers(url: str, plans: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Start one process per plan, release them together, return each one's results."""
    procs = [
        subprocess.Popen([sys.executable, str(WORKER), url, json.dumps(plan)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for plan in plans
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.stderr.read() if proc.stderr else line
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=TIMEOUT)
            assert proc.returncode == 0, err
            results.append([json.loads(line) for line in out.splitlines()])
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _session(url: str) -> Session:
    return Session(make_engine(url))


def _version(url: str, concept: str) -> int:
    with _session(url) as session:
        row = session.get(Concept, concept)
        assert row is not None
        return row.version


def test_writers_adding_forms_to_one_concept_never_conflict(seeded_db_url: str):
    writers, edits = 4, 10 * SCALE
    before = _version(seeded_db_url, "tokayev")
    plans = [
        [{"cli": ["terms", "add", "tokayev", f"Tokayev {w}-{i}", "--lang", "en", "--status", "admitted"]}
         for i in range(edits)]
        for w in range(writers)
    ]
    results = run_writers(seeded_db_url, plans)
    failed = [r for rs in results for r in rs if r["code"] != 0]
    assert failed == []
    with _session(seeded_db_url) as session:
        texts = set(session.exec(select(Term.text).where(Term.concept_id == "tokayev")))
        positions = list(session.exec(
            select(Term.position).where(Term.concept_id == "tokayev", Term.origin != "generated")
        ))
    assert {f"Tokayev {w}-{i}" for w in range(writers) for i in range(edits)} <= texts
    assert len(positions) == len(set(positions))  # each writer saw the forms committed before it
    assert _version(seeded_db_url, "tokayev") == before  # a new form leaves the concept row alone


def test_the_same_new_concept_created_at_once_is_one_concept(seeded_db_url: str):
    same = ["terms", "add", "zorbalek", "Zorbalek", "--lang", "en", "--kind", "person"]
    plans = [
        [{"cli": same}],
        [{"cli": same}],
        [{"cli": ["terms", "add", "zorbalek", "Зорбалек", "--lang", "ru", "--kind", "person"]}],
        [{"cli": ["terms", "add", "zorbalek", "Sorbalek", "--lang", "de", "--kind", "person"]}],
    ]
    results = [rs[0] for rs in run_writers(seeded_db_url, plans)]
    assert [r["code"] for r in results] == [0, 0, 0, 0], results
    outs = sorted(r["out"] for r in results[:2])
    # One of the two identical requests added the form; the other found it there as asked.
    assert outs == ["added en preferred form 'Zorbalek' to zorbalek",
                    "zorbalek already has the en preferred form 'Zorbalek'"]
    with _session(seeded_db_url) as session:
        rows = session.exec(select(Concept).where(Concept.id == "zorbalek")).all()
        assert [(r.kind, r.version) for r in rows] == [("person", 1)]
        entered = session.exec(
            select(Term.lang, Term.text).where(Term.concept_id == "zorbalek", Term.origin != "generated")
        ).all()
    assert sorted(entered) == [("de", "Sorbalek"), ("en", "Zorbalek"), ("ru", "Зорбалек")]


def test_the_same_concept_created_as_two_kinds_at_once_names_the_winner(seeded_db_url: str):
    plans = [
        [{"cli": ["terms", "add", "qaraqum", "Qaraqum", "--lang", "en", "--kind", "place"]}],
        [{"cli": ["terms", "add", "qaraqum", "Qaraqum Ltd", "--lang", "en", "--kind", "organisation"]}],
    ]
    results = [rs[0] for rs in run_writers(seeded_db_url, plans)]
    assert sorted(r["code"] for r in results) == [0, 2], results
    loser = next(r for r in results if r["code"] == 2)
    with _session(seeded_db_url) as session:
        concept = session.get(Concept, "qaraqum")
        assert concept is not None
        kept = session.exec(
            select(Term.text).where(Term.concept_id == "qaraqum", Term.origin != "generated")
        ).all()
    assert loser["err"].startswith(f"glossary: error: concept 'qaraqum' exists as {concept.kind}, not ")
    assert "Traceback" not in loser["err"] and "UNIQUE" not in loser["err"].upper()
    assert len(kept) == 1


def _segment_ids(url: str, count: int) -> list[int]:
    """The first segments translated into both Russian and German."""
    with _session(url) as session:
        ru = set(session.exec(select(Translation.segment_id).where(Translation.lang == "ru")))
        de = set(session.exec(select(Translation.segment_id).where(Translation.lang == "de")))
        ids = session.exec(select(Segment.id).order_by(col(Segment.id))).all()
    return [i for i in ids if i in ru and i in de][:count]


def test_status_and_translation_edits_naming_no_version_are_all_applied(seeded_db_url: str):
    """Every writer changes the same form's status and the same translation: none is refused
    and none is lost (each one moved the row's version on by one; the history holds every text)."""
    writers, edits = 4, 10 * SCALE
    [segment] = _segment_ids(seeded_db_url, 1)
    term = ["tokayev", "en", "Tokaev"]
    with _session(seeded_db_url) as session:
        term_before = session.exec(select(Term.version).where(Term.concept_id == "tokayev",
                                                              Term.text == "Tokaev")).one()
        translation_before = session.exec(select(Translation.version).where(
            Translation.segment_id == segment, Translation.lang == "ru")).one()
    plans = [
        [op for i in range(edits)
         for op in ({"status": term}, {"translate": [segment, "ru", f"перевод {w}-{i}"]})]
        for w in range(writers)
    ]
    per_writer = run_writers(seeded_db_url, plans)
    assert [r for rs in per_writer for r in rs if r["code"] != 0] == []
    total = writers * edits
    with _session(seeded_db_url) as session:
        term_after = session.exec(select(Term.version).where(Term.concept_id == "tokayev",
                                                             Term.text == "Tokaev")).one()
        translation = session.exec(select(Translation).where(
            Translation.segment_id == segment, Translation.lang == "ru")).one()
        history = set(session.exec(select(TranslationHistory.text).where(
            TranslationHistory.translation_id == translation.id)))
    assert term_after == term_before + total
    assert translation.version == translation_before + total
    assert {f"перевод {w}-{i}" for w in range(writers) for i in range(edits)} <= history | {translation.text}
    # Each acknowledged edit wrote its own version, one after the other: none was overwritten unseen.
    term_versions = sorted(r["version"] for rs in per_writer for r in rs[0::2])
    translation_versions = sorted(r["version"] for rs in per_writer for r in rs[1::2])
    assert term_versions == list(range(term_before + 1, term_before + total + 1))
    assert translation_versions == list(range(translation_before + 1, translation_before + total + 1))


def test_edits_from_the_same_base_version_conflict_and_name_both_versions(seeded_db_url: str):
    writers = 4
    [segment] = _segment_ids(seeded_db_url, 1)
    with _session(seeded_db_url) as session:
        base = session.exec(select(Translation.version).where(
            Translation.segment_id == segment, Translation.lang == "de")).one()
        term_base = session.exec(select(Term.version).where(Term.concept_id == "tokayev",
                                                            Term.text == "Tokajew")).one()
    plans = [
        [{"translate": [segment, "de", f"Fassung {w}"], "expected": base},
         {"status": ["tokayev", "de", "Tokajew"], "expected": term_base}]
        for w in range(writers)
    ]
    results = run_writers(seeded_db_url, plans)
    for kind, index, start in (("translation", 0, base), ("term", 1, term_base)):
        outcomes = [rs[index] for rs in results]
        won = [r for r in outcomes if r["code"] == 0]
        lost = [r for r in outcomes if r["code"] != 0]
        assert len(won) == 1, (kind, outcomes)
        assert won[0]["version"] == start + 1
        for refusal in lost:
            assert refusal["err"].startswith("ConflictError: "), refusal
            assert f"from version {start}, the stored one is version {start + 1}" in refusal["err"]
    with _session(seeded_db_url) as session:
        stored = session.exec(select(Translation).where(
            Translation.segment_id == segment, Translation.lang == "de")).one()
    winner = next(w for w, rs in enumerate(results) if rs[0]["code"] == 0)
    assert (stored.text, stored.version) == (f"Fassung {winner}", base + 1)
