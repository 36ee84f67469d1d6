"""Cold ``glossary scan`` and ``glossary tm search`` (names on) on a term base of 10,000 concepts more
than the bundled one: wall time of new processes, with the stored recognizer and without it.

Run: ``python bench/bench_cold_cli.py [--concepts 10000] [--workdir DIR]``. Prints one table and
exits 1 when an answer is wrong (the scan must find the bundled and the synthetic names, the
memory search must find its sentence). The target is under 1 s once the recognizer is stored.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from recogdata import synthesize
from sqlalchemy import insert

from glossary.model.tables import Concept, Term
from glossary.workspace import Workspace

TARGET_SECONDS = 1.0
QUERY = "The situation is stable in all regions, Tokayev said."


def _fill(url: str, count: int) -> list[str]:
    """Add ``count`` synthetic people in one transaction; the English full forms of the first few."""
    concepts = synthesize(count, random.Random(7))
    now = datetime.now(UTC)
    with Workspace(url) as workspace, workspace.engine.begin() as conn:
        conn.execute(insert(Concept), [
            {"id": f"synthetic_{c.id}", "kind": c.kind, "version": 1, "updated": now} for c in concepts
        ])
        conn.execute(insert(Term), [
            {"concept_id": f"synthetic_{c.id}", "position": position, "version": 1, **t.as_dict()}
            for c in concepts for position, t in enumerate(c.terms)
        ])
    return [next(t.text for t in c.terms if t.lang == "en") for c in concepts[:3]]


CPU: dict[str, list[float]] = {}


def _run(args: list[str], env: dict[str, str], name: str = "") -> tuple[float, str]:
    """Wall seconds and output of one new process; its CPU seconds (user + system) go to ``CPU``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "glossary", *args], capture_output=True, text=True,
                          env=env, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"glossary {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    CPU.setdefault(name or " ".join(args[:2]), []).append(cpu)
    return seconds, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="glossary-cold-"))
    work.mkdir(parents=True, exist_ok=True)
    database = work / "cold.db"
    for stale in (database, work / "cold.db.recognizer"):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    url = f"sqlite:///{database}"
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    started = time.perf_counter()
    synthetic = _fill(url, args.concepts)
    print(f"term base: bundled concepts + {args.concepts:,} synthetic people "
          f"({time.perf_counter() - started:.0f} s to seed and fill)")
    text = work / "news.txt"
    article = (Path(__file__).resolve().parents[1] / "glossary" / "data" / "article.txt").read_text("utf-8")
    news = "\n".join(article.splitlines()[:12]) + f"\n{synthetic[0]} met {synthetic[1]} in Almaty.\n"
    text.write_text(news, encoding="utf-8")
    scan = ["scan", str(text), "--lang", "en", "--format", "json", "--db", url]
    search = ["tm", "search", QUERY, "--target", "ru", "--format", "json", "--db", url]

    failures: list[str] = []
    first, _ = _run(scan, env, "first")
    rows = [("first scan (compiles and stores the recognizer)", "first")]
    commands = {
        "scan": scan,
        "search": search,
        "search, --no-names": [*search, "--no-names"],
        "translit": ["translit", "Тоқаев", "--lang", "kk"],
    }
    timings: dict[str, list[float]] = {name: [] for name in commands}
    outputs: dict[str, str] = {}
    for _ in range(args.repeat):
        for name, command in commands.items():
            seconds, out = _run(command, env, name)
            timings[name].append(seconds)
            outputs[name] = out
    timings["first"] = [first]
    rows += [
        ("cold scan, stored recognizer", "scan"),
        ("cold tm search (names on), stored recognizer", "search"),
        ("baseline: the same tm search with --no-names", "search, --no-names"),
        ("baseline: glossary translit (no database)", "translit"),
    ]
    shutil.rmtree(work / "cold.db.recognizer")
    timings["compiles"] = [_run(search, env, "compiles")[0]]
    rows.append(("cold tm search, nothing stored (compiles)", "compiles"))
    _run(["terms", "add", "synthetic_new", "Zorbalek Qanatuly", "--lang", "en", "--kind",
          "person", "--db", url], env, "add")
    timings["rebuilt"] = [_run(scan, env, "rebuilt")[0]]
    rows.append(("scan after another process added a term", "rebuilt"))
    timings["again"] = [_run(scan, env, "again")[0]]
    rows.append(("the scan after that (stored again)", "again"))

    found = {span["surface"] for span in json.loads(outputs["scan"])}
    expected = {"Tokayev", "CSTO", "Almaty", synthetic[0], synthetic[1]}
    if not expected <= found:
        failures.append(f"scan missed {sorted(expected - found)}")
    if not json.loads(outputs["search"]):
        failures.append("tm search found no match")
    text.write_text("Zorbalek Qanatuly spoke.\n", encoding="utf-8")
    _, out = _run(scan, env)
    if [span["concept"] for span in json.loads(out)] != ["synthetic_new"]:
        failures.append("the added term was not found")

    print(f"{'run (new process each)':<48} {'wall best':>9} {'median':>7} {'CPU best':>9}")
    for label, name in rows:
        wall = timings[name]
        print(f"{label:<48} {min(wall):>9.2f} {statistics.median(wall):>7.2f} {min(CPU[name]):>9.2f}")
    for name in ("scan", "search"):
        verdict = "meets" if min(timings[name]) < TARGET_SECONDS else "misses"
        extra = min(CPU[name]) - min(CPU["search, --no-names"])
        print(f"cold {name}: best {min(timings[name]):.2f} s by the wall clock {verdict} the "
              f"{TARGET_SECONDS:.0f} s target; {extra:+.2f} s of CPU against the --no-names search")
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
