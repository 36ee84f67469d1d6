"""Concurrent writer processes on SQLite and PostgreSQL: throughput, latency, and no lost edit.

Usage: python bench/bench_load.py [--writers 2] [--edits 50] [--backends sqlite,postgresql]
                                  [--cas 0.1] [--seed 13] [--workdir DIR]

Each backend gets a fresh database with the bundled data. ``--writers`` processes, released
together, make ``--edits`` edits each through the library's write transactions (what the CLI and
the review TUI call), a deterministic mix:

- add a form: a new English form to the shared concept ``tokayev`` (no version named);
- status: move one of a pool of entered forms to the next status, decided on the locked row
  (no version named);
- translate: a new Russian text for one of a pool of segments (no version named);
- conflict (``--cas`` of the edits): read the version of one of four hot rows (two German
  translations, two forms), wait a moment, then write naming that version, as an editor does;
  several writers do so on the same row from the same base version, and all but one must be
  refused.

Baseline in the same run: the very same edits (every writer's list, one after the other) from one
process on another fresh database.

Afterwards the database is checked, not the writers' word: every acknowledged form is stored and
no unacknowledged one; on every edited form and translation the acknowledged edits' versions are
exactly the versions the row went through, each status edit starts from the status the previous
one left and the last one's is stored; every acknowledged translation text is in the history (or
is the current text) at the version its writer was told. A refusal is real when another
acknowledged edit moved that row on from the version it named; any other refusal is spurious.
The run exits 1 when an edit is lost, a write appears that nobody acknowledged, a refusal is
spurious or an edit failed with any other error.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from glossary.model.errors import ConflictError, GlossaryError
from glossary.model.records import TermRecord
from glossary.model.tables import Term, Translation, TranslationHistory
from glossary.store.documents import set_translation
from glossary.store.termbase import ensure_term
from glossary.store.termedits import set_term_status
from glossary.workspace import Workspace

SHARED = "tokayev"
CYCLE = ("preferred", "admitted", "deprecated")
STATUS_POOL = 24
SEGMENT_POOL = 40
KINDS = (("add", 0.40), ("status", 0.25), ("translate", 0.25))  # the rest: conflict

Row = tuple[str, str]  # ("term", "<id>") or ("translation", "<segment id>:<lang>")


# ---------------------------------------------------------------- the edits


def _term_row(session: Session, term_id: int) -> Term:
    row = session.exec(
        select(Term).where(Term.id == term_id).with_for_update().execution_options(populate_existing=True)
    ).one()
    return row


def edit(workspace: Workspace, op: dict[str, Any]) -> dict[str, Any]:
    """Run one edit; the result says what the writer was told."""
    kind = op["kind"]
    try:
        if kind == "add":
            form = TermRecord("en", op["text"], "admitted")
            _, added = workspace.write(lambda s: ensure_term(session=s, concept=SHARED, term=form))
            return {"ok": added, "error": None if added else "not added"}
        if kind == "status":

            def advance(session: Session) -> dict[str, Any]:
                term = _term_row(session, op["term"])
                old = term.status
                new = CYCLE[(CYCLE.index(old) + 1) % len(CYCLE)] if old in CYCLE else CYCLE[0]
                written = set_term_status(session=session, concept=term.concept_id, lang=term.lang,
                                          text=term.text, scheme=term.scheme, status=new)
                return {"old": old, "new": new, "version": written.version}

            return {"ok": True, **workspace.write(advance)}
        if kind == "translate":
            version = workspace.write(
                lambda s: set_translation(session=s, segment_id=op["segment"], lang="ru", text=op["text"],
                                          state="translated", author=op["author"]).version
            )
            return {"ok": True, "version": version}
        return _conflicting(workspace, op)
    except ConflictError as exc:
        return {"ok": False, "error": "conflict", "message": str(exc)}
    except GlossaryError as exc:
        return {"ok": False, "error": type(exc).__name__, "message": str(exc)}
    except Exception as exc:  # counted as a failure of the run, with its message
        return {"ok": False, "error": type(exc).__name__, "message": " ".join(str(exc).split())[:300]}


def _conflicting(workspace: Workspace, op: dict[str, Any]) -> dict[str, Any]:
    """An editor's save: the version read first, the write naming it a moment later."""
    with workspace.session() as session:
        if op["target"] == "term":
            term = session.get(Term, op["term"])
            assert term is not None
            base, status = term.version, term.status
        else:
            base = session.exec(select(Translation.version).where(
                Translation.segment_id == op["segment"], Translation.lang == "de")).one()
    time.sleep(op["pause"])
    try:
        if op["target"] == "term":
            new = CYCLE[(CYCLE.index(status) + 1) % len(CYCLE)] if status in CYCLE else CYCLE[0]
            written = workspace.write(
                lambda s: set_term_status(session=s, concept=term.concept_id, lang=term.lang, text=term.text,
                                          scheme=term.scheme, status=new, expected_version=base)
            )
            return {"ok": True, "expected": base, "old": status, "new": new, "version": written.version}
        version = workspace.write(
            lambda s: set_translation(session=s, segment_id=op["segment"], lang="de", text=op["text"],
                                      state="translated", author=op["author"], expected_version=base).version
        )
    except ConflictError as exc:
        return {"ok": False, "error": "conflict", "expected": base, "message": str(exc)}
    return {"ok": True, "expected": base, "version": version}


def worker(url: str, plan_file: str, out_file: str) -> None:
    """A writer process: waits for a line on stdin, then runs its plan and writes its results."""
    plan = json.loads(Path(plan_file).read_text("utf-8"))
    with Workspace(url, bootstrap=False) as workspace, open(out_file, "w", encoding="utf-8") as out:
        print("ready", flush=True)
        sys.stdin.readline()
        for op in plan:
            started = time.perf_counter()
            result = edit(workspace, op)
            result["seconds"] = time.perf_counter() - started
            out.write(json.dumps({**op, **result}, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- plans


def pools(url: str) -> dict[str, list[int]]:
    """The rows the edits touch: status forms, translated segments and the hot rows."""
    with Workspace(url) as workspace, workspace.session() as session:
        terms = session.exec(
            select(Term.id)
            .where(Term.origin == "entered", Term.concept_id != SHARED, col(Term.scheme).is_(None))
            .order_by(col(Term.id))
        ).all()
        ru = set(session.exec(select(Translation.segment_id).where(Translation.lang == "ru")))
        de = sorted(set(session.exec(select(Translation.segment_id).where(Translation.lang == "de"))))
    return {
        "status": list(terms[: STATUS_POOL]),
        "hot_terms": list(terms[STATUS_POOL : STATUS_POOL + 2]),
        "segments": sorted(ru)[:SEGMENT_POOL],
        "hot_segments": de[-2:],
    }


def make_plans(
    writers: int, edits: int, cas: float, seed: int, rows: dict[str, list[int]]
) -> list[list[dict]]:
    plans = []
    for w in range(writers):
        rng = random.Random(seed * 1000 + w)
        plan = []
        for i in range(edits):
            draw = rng.random()
            author = f"writer{w}"
            if draw < cas:
                if rng.random() < 0.5:
                    plan.append({"kind": "conflict", "target": "term", "term": rng.choice(rows["hot_terms"]),
                                 "pause": rng.uniform(0, 0.02)})
                else:
                    plan.append({"kind": "conflict", "target": "translation", "author": author,
                                 "segment": rng.choice(rows["hot_segments"]), "text": f"Last w{w} e{i}",
                                 "pause": rng.uniform(0, 0.02)})
                continue
            draw = (draw - cas) / (1 - cas)
            if draw < KINDS[0][1]:
                plan.append({"kind": "add", "text": f"Load w{w} e{i}"})
            elif draw < KINDS[0][1] + KINDS[1][1]:
                plan.append({"kind": "status", "term": rng.choice(rows["status"])})
            else:
                plan.append({"kind": "translate", "segment": rng.choice(rows["segments"]), "author": author,
                             "text": f"нагрузка w{w} e{i}"})
        plans.append(plan)
    return plans


def run_writers(url: str, plans: list[list[dict]], workdir: Path) -> tuple[list[dict], float]:
    """Start one process per plan, release them together; their results and the wall time."""
    procs = []
    outs = []
    for n, plan in enumerate(plans):
        plan_file, out_file = workdir / f"plan{n}.json", workdir / f"out{n}.jsonl"
        plan_file.write_text(json.dumps(plan), "utf-8")
        outs.append(out_file)
        procs.append(subprocess.Popen(
            [sys.executable, __file__, "--worker", url, str(plan_file), str(out_file)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        ))
    for proc in procs:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise SystemExit("a writer did not start")
    started = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        proc.wait()
    wall = time.perf_counter() - started
    if any(proc.returncode for proc in procs):
        raise SystemExit("a writer process failed")
    results = [json.loads(line) for out in outs for line in out.read_text("utf-8").splitlines()]
    return results, wall


# ---------------------------------------------------------------- the check


def row_versions(url: str, rows: dict[str, list[int]]) -> dict[Row, int]:
    """The version of every row the edits can touch, before they run."""
    versions: dict[Row, int] = {}
    with Workspace(url, bootstrap=False) as workspace, workspace.session() as session:
        for term_id in rows["status"] + rows["hot_terms"]:
            term = session.get(Term, term_id)
            assert term is not None
            versions[("term", str(term_id))] = term.version
        for lang, key in (("ru", "segments"), ("de", "hot_segments")):
            for segment in rows[key]:
                found = session.exec(select(Translation.version).where(
                    Translation.segment_id == segment, Translation.lang == lang)).one()
                versions[("translation", f"{segment}:{lang}")] = found
    return versions


def verify(url: str, results: list[dict], initial: dict[Row, int]) -> dict[str, int]:
    """Compare what the writers were told with what the database holds."""
    counts = {"acknowledged": 0, "lost": 0, "phantom": 0, "real refusals": 0, "spurious refusals": 0,
              "errors": 0}
    chains: dict[Row, list[dict]] = defaultdict(list)
    refusals: list[dict] = []
    adds: set[str] = set()
    for r in results:
        if r["ok"]:
            counts["acknowledged"] += 1
        if r["kind"] == "add":
            if r["ok"]:
                adds.add(r["text"])
            else:
                counts["spurious refusals" if r["error"] in ("conflict", "not added") else "errors"] += 1
            continue
        row: Row
        if r["kind"] == "status" or (r["kind"] == "conflict" and r["target"] == "term"):
            row = ("term", str(r["term"]))
        else:
            lang = "de" if r["kind"] == "conflict" else "ru"
            row = ("translation", f"{r['segment']}:{lang}")
        if r["ok"]:
            chains[row].append(r)
        elif r["error"] == "conflict" and r["kind"] == "conflict":
            refusals.append({**r, "row": row})
        elif r["error"] == "conflict":
            counts["spurious refusals"] += 1
        else:
            counts["errors"] += 1
    with Workspace(url, bootstrap=False) as workspace, workspace.session() as session:
        stored = set(session.exec(select(Term.text).where(Term.concept_id == SHARED,
                                                          col(Term.text).like("Load w%"))))
        counts["lost"] += len(adds - stored)
        counts["phantom"] += len(stored - adds)
        for row, first in initial.items():  # rows nobody acknowledged an edit of must not have moved
            lost, phantom = _check_chain(session, row, chains.get(row, []), first)
            counts["lost"] += lost
            counts["phantom"] += phantom
        for refusal in refusals:
            moved = any(e["version"] == refusal["expected"] + 1 for e in chains.get(refusal["row"], []))
            counts["real refusals" if moved else "spurious refusals"] += 1
    return counts


def _check_chain(session: Session, row: Row, edits: list[dict], first: int) -> tuple[int, int]:
    """(lost, phantom) on one row: its acknowledged edits must be exactly the versions it went through."""
    edits = sorted(edits, key=lambda e: e["version"])
    versions = [e["version"] for e in edits]
    lost = len(versions) - len(set(versions))  # two writers told the same version: one was overwritten
    if row[0] == "term":
        term = session.get(Term, int(row[1]))
        assert term is not None
        final, value = term.version, term.status
        for before, after in itertools.pairwise(edits):
            if after["version"] == before["version"] + 1 and after["old"] != before["new"]:
                lost += 1  # the later edit did not see the earlier one
        if edits and (edits[-1]["version"] != final or edits[-1]["new"] != value):
            lost += 1
    else:
        segment, lang = row[1].split(":")
        translation = session.exec(select(Translation).where(
            Translation.segment_id == int(segment), Translation.lang == lang)).one()
        final = translation.version
        texts = {h.version: h.text for h in session.exec(
            select(TranslationHistory).where(TranslationHistory.translation_id == translation.id))}
        texts[final] = translation.text
        lost += sum(1 for e in edits if texts.get(e["version"]) != e["text"])
    # Versions the row went through in the run that no acknowledged edit claims.
    phantom = len(set(range(first + 1, final + 1)) - set(versions))
    lost += sum(1 for v in set(versions) if not first < v <= final)
    return lost, phantom


# ---------------------------------------------------------------- the table


def summary(label: str, processes: int, results: list[dict], wall: float, counts: dict[str, int]) -> str:
    latencies = sorted(r["seconds"] * 1000 for r in results)
    p50 = statistics.median(latencies)
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    return (f"| {label} | {processes} | {len(results):,} | {wall:.1f} | {len(results) / wall:.1f} | "
            f"{p50:.0f} | {p95:.0f} | {counts['acknowledged']:,} | {counts['real refusals']} | "
            f"{counts['spurious refusals']} | {counts['lost']} | {counts['phantom']} | {counts['errors']} | "
            f"{os.getloadavg()[0]:.1f} |")


def new_database(backend: str, workdir: Path, new_pg: Any, label: str) -> str:
    if backend == "postgresql":
        return new_pg()
    return f"sqlite:///{workdir / f'{label}.db'}"


def run_backend(backend: str, args: argparse.Namespace, workdir: Path, new_pg: Any) -> tuple[list[str], bool]:
    lines = []
    clean = True
    plans: list[list[dict]] = []
    for label, processes in (("concurrent", args.writers), ("baseline", 1)):
        url = new_database(backend, workdir, new_pg, f"{backend}-{label}")
        rows = pools(url)  # seeds the database with the bundled data
        if not plans:
            plans = make_plans(args.writers, args.edits, args.cas, args.seed, rows)
        run_plans = plans if processes > 1 else [[op for plan in plans for op in plan]]
        folder = workdir / f"{backend}-{label}"
        folder.mkdir(exist_ok=True)
        initial = row_versions(url, rows)
        results, wall = run_writers(url, run_plans, folder)
        counts = verify(url, results, initial)
        lines.append(summary(f"{backend} {label}", processes, results, wall, counts))
        bad = counts["lost"] + counts["phantom"] + counts["spurious refusals"] + counts["errors"]
        clean = clean and bad == 0
        for r in results:
            if not r["ok"] and r["error"] != "conflict":
                print(f"  {backend} {label}: {r['kind']} failed: {r['error']}: {r.get('message', '')}",
                      file=sys.stderr)
    return lines, clean


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=2, help="concurrent writer processes (default 2)")
    parser.add_argument("--edits", type=int, default=50, help="edits per writer (default 50)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--cas", type=float, default=0.1,
                        help="share of edits that name the version they read (default 0.1)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--workdir", type=Path,
                        help="where SQLite files and results go (default: a temp dir)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="glossary-bench-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
          f"{args.writers} writers x {args.edits} edits, {args.cas:.0%} naming a version")
    print("| run | processes | edits | wall s | edits/s | p50 ms | p95 ms | acknowledged | real refusals | "
          "spurious refusals | lost | phantom | other errors | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    clean = True
    for backend in args.backends.split(","):
        if backend == "postgresql":
            from bench_import import postgres_server

            with postgres_server() as new_pg:
                lines, ok = run_backend(backend, args, workdir, new_pg)
        else:
            lines, ok = run_backend(backend, args, workdir, None)
        for line in lines:
            print(line, flush=True)
        clean = clean and ok
    print(f"load average after the run {os.getloadavg()[0]:.1f}")
    if not clean:
        print("FAILED: lost edits, unacknowledged writes, spurious refusals or errors (see above)",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
