"""Benchmark of memory lookup: our index against a brute-force rapidfuzz scan and translate-toolkit's matcher.

Usage: python bench/bench_tm.py [--sizes 10000,100000,1000000] [--queries 500] [--workdir DIR]

For each size a fresh SQLite memory is filled with deterministic synthetic
sentences (5–40 words; see bench/tmdata.py), its index is built, and queries
(memory sentences with one to three words substituted, deleted or inserted)
are looked up through ``glossary.memory.units.search`` in a separate process that only
loads the stored index. The same queries (a subset at large sizes) go through
``rapidfuzz.process.extract`` over every normalised source and through
translate-toolkit's ``matcher``, in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmdata import SentenceMaker  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def fill(url: str, sentences: list[str]) -> float:
    """Create the database and add the units; returns the seconds it took."""
    from sqlalchemy import text
    from sqlmodel import Session

    from glossary.memory.units import NewUnit, add_units
    from glossary.store.engine import init_database, make_engine

    engine = make_engine(url)
    init_database(engine)
    started = time.perf_counter()
    with Session(engine) as session:
        add_units(session=session, units=(NewUnit("en", "ru", s, f"[ru] {s}", "bench") for s in sentences))
        session.commit()
        # A memory in use has long been checkpointed; a fresh 1M-row WAL would skew the readers.
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return time.perf_counter() - started


def build_index(url: str) -> float:
    from sqlmodel import Session

    from glossary.memory.lifecycle import pair_index
    from glossary.store.engine import make_engine

    started = time.perf_counter()
    with Session(make_engine(url)) as session:
        pair_index(session=session, source_lang="en", target_lang="ru")
    return time.perf_counter() - started


def lookup_worker(url: str, queries_file: str, out_file: str) -> None:
    """Run in a new process: open the stored index and time ``search`` on every query."""
    from sqlmodel import Session

    from glossary.memory import wordindex as tmindex
    from glossary.memory.units import search
    from glossary.store.engine import make_engine

    queries = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    latencies, results = [], []
    with Session(make_engine(url)) as session:
        search(session=session, text=queries[0], source_lang="en", target_lang="ru")  # open the index
        for query in queries:
            started = time.perf_counter()
            found = search(session=session, text=query, source_lang="en", target_lang="ru", min_score=70,
                           limit=5)
            latencies.append(time.perf_counter() - started)
            results.append([[m.unit_id, m.score] for m in found])
    memory = memory_mb()
    Path(out_file).write_text(json.dumps({"latencies": latencies, "results": results, **memory,
                                          "builds": tmindex.BUILD_COUNT}))


def memory_mb() -> dict[str, float]:
    """Peak RSS, and how much of the current RSS is private memory rather than mapped index files.

    Linux keeps ``ru_maxrss`` across exec, so a child of a big parent would report the
    parent's peak; ``VmHWM`` belongs to this process image alone.
    """
    values = {"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "anon_mb": float("nan")}
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "RssAnon"):
                values["rss_mb" if key == "VmHWM" else "anon_mb"] = int(rest.split()[0]) / 1024
    return values


def brute_force(
    queries: list[str], sentences: list[str]
) -> tuple[list[float], list[list[tuple[int, float]]]]:
    """``process.extract`` over every normalised source (normalised once, before timing)."""
    from rapidfuzz import fuzz, process

    from glossary.memory.score import normalize

    choices = [normalize(s) for s in sentences]
    times, results = [], []
    for query in queries:
        started = time.perf_counter()
        found = process.extract(normalize(query), choices, scorer=fuzz.ratio, limit=5, score_cutoff=70)
        times.append(time.perf_counter() - started)
        results.append([(index + 1, score) for _, score, index in found])
    return times, results


def toolkit(queries: list[str], sentences: list[str]) -> tuple[list[float], float]:
    """translate-toolkit's matcher over the same units (its own Levenshtein similarity)."""
    from translate.search.match import matcher
    from translate.storage.base import TranslationStore, TranslationUnit

    # The matcher keeps (score, unit) pairs in a heap; two equal scores make it compare units, which
    # have no order, and it raises TypeError. Any order between units is fine for the timing.
    TranslationUnit.__lt__ = lambda self, other: id(self) < id(other)  # type: ignore[method-assign]
    started = time.perf_counter()
    store = TranslationStore()
    for sentence in sentences:
        unit = TranslationUnit(sentence)
        unit.target = f"[ru] {sentence}"
        store.units.append(unit)
    tm = matcher(store, max_candidates=5, min_similarity=70, max_length=1000)
    setup = time.perf_counter() - started
    times = []
    for query in queries:
        started = time.perf_counter()
        tm.matches(query)
        times.append(time.perf_counter() - started)
    return times, setup


def recall(ours: list[list[list[float]]], truth: list[list[tuple[int, float]]]) -> float:
    """Share of brute-force top-5 units we return; a unit tied with our fifth score counts as found."""
    found = total = 0
    for mine, best in zip(ours, truth, strict=False):
        ids = {int(unit_id) for unit_id, _ in mine}
        floor = min(score for _, score in mine) if len(mine) >= 5 else 101.0
        for unit_id, score in best:
            total += 1
            found += unit_id in ids or score <= floor + 0.05
    return found / total if total else 1.0


def cold_cli(url: str, query: str, runs: int = 3) -> list[float]:
    """Wall time of ``glossary tm search`` in a new process, start-up included."""
    times = []
    command = [str(Path(sys.executable).with_name("glossary")), "tm", "search", query, "--source", "en",
               "--target", "ru", "--db", url, "--format", "json"]
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def run_size(size: int, args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    maker = SentenceMaker(seed=11)
    sentences = maker.memory(size)
    queries = maker.queries(sentences, args.queries)
    baseline_count = len(queries) if size <= 100_000 else args.baseline_queries
    toolkit_count = min(baseline_count, args.toolkit_queries) if size > 100_000 else baseline_count
    db = workdir / f"tm-{size}.db"
    url = f"sqlite:///{db}"
    print(f"[{size}] filling", flush=True)
    fill_s = fill(url, sentences)
    print(f"[{size}] building the index", flush=True)
    build_s = build_index(url)
    queries_file, out_file = workdir / f"q-{size}.json", workdir / f"r-{size}.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    print(f"[{size}] lookups in a new process", flush=True)
    subprocess.run([sys.executable, __file__, "--lookup-worker", url, str(queries_file), str(out_file)],
                   check=True)
    ours = json.loads(out_file.read_text())
    print(f"[{size}] brute force on {baseline_count} queries", flush=True)
    brute_times, truth = brute_force(queries[:baseline_count], sentences)
    print(f"[{size}] translate-toolkit on {toolkit_count} queries", flush=True)
    tt_times, tt_setup = toolkit(queries[:toolkit_count], sentences)
    cli = cold_cli(url, queries[0])
    lat = ours["latencies"]
    ours_mean_base = statistics.mean(lat[:baseline_count])
    ours_mean_tt = statistics.mean(lat[:toolkit_count])
    row = {
        "size": size,
        "queries": len(queries),
        "fill_s": fill_s,
        "build_s": build_s,
        "index_mb": folder_mb(Path(f"{db}.tmindex")),
        "db_mb": db.stat().st_size / 1e6,
        "rss_mb": ours["rss_mb"],
        "anon_mb": ours["anon_mb"],
        "rebuilds_in_lookup_process": ours["builds"],
        "p50_ms": percentile(lat, 0.5) * 1000,
        "p95_ms": percentile(lat, 0.95) * 1000,
        "mean_ms": statistics.mean(lat) * 1000,
        "recall": recall(ours["results"][:baseline_count], truth),
        "brute_queries": baseline_count,
        "brute_mean_ms": statistics.mean(brute_times) * 1000,
        "speedup_brute": statistics.mean(brute_times) / ours_mean_base,
        "toolkit_queries": toolkit_count,
        "toolkit_setup_s": tt_setup,
        "toolkit_mean_ms": statistics.mean(tt_times) * 1000,
        "speedup_toolkit": statistics.mean(tt_times) / ours_mean_tt,
        "cli_s": cli,
    }
    print(json.dumps(row), flush=True)
    return row


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| units | build s | index MB | lookup RSS MB (private) | p50 ms | p95 ms | recall@5 "
        "| brute force ms (queries) "
        "| × brute | translate-toolkit ms (queries) | × toolkit | cold CLI s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['build_s']:.1f} | {r['index_mb']:.0f} | {r['rss_mb']:.0f} "
            f"({r['anon_mb']:.0f}) | "
            f"{r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {100 * r['recall']:.1f} % | "  # type: ignore[operator]
            f"{r['brute_mean_ms']:.1f} ({r['brute_queries']}) | {r['speedup_brute']:.0f}× | "
            f"{r['toolkit_mean_ms']:.1f} ({r['toolkit_queries']}) | {r['speedup_toolkit']:.0f}× | "
            f"{min(r['cli_s']):.2f} |"  # type: ignore[type-var]
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated memory sizes")
    parser.add_argument("--queries", type=int, default=500, help="queries per size (default 500)")
    parser.add_argument("--baseline-queries", type=int, default=100,
                        help="queries for brute force above 100,000 units (default 100)")
    parser.add_argument("--toolkit-queries", type=int, default=20,
                        help="queries for translate-toolkit above 100,000 units (default 20)")
    parser.add_argument("--workdir", type=Path, help="where the databases go (default: a temp folder)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--lookup-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lookup_worker:
        lookup_worker(*args.lookup_worker)
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-tm-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("GLOSSARY_DB", f"sqlite:///{workdir / 'unused.db'}")
    rows = [run_size(int(size), args, workdir) for size in args.sizes.split(",")]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print(table(rows))


if __name__ == "__main__":
    main()
