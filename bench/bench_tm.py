"""Benchmark of memory lookup: our index against a brute-force rapidfuzz scan and translate-toolkit's matcher.

Usage: python bench/bench_tm.py [--corpora news,small] [--sizes 10000,100000,1000000] [--queries 500]
                                [--workdir bench/out]

For each corpus and size, an SQLite database seeded with the bundled term base and article is
filled with deterministic synthetic sentences (see bench/tmdata.py) as ``en → ru`` units. The
corpus, its queries and the database are written to the work folder once and reused by later
runs; the word index is deleted and built again in every run, and its build is timed.

The queries are of three kinds: memory sentences with one to three words substituted, deleted
or inserted (``edited``), new sentences that mostly have no match (``unseen``), and sentences
made of the most frequent words only (``frequent``). They are looked up through
``glossary.memory.units.search(min_score=70, limit=5)`` in a new process that only loads the
stored index. In the same run, the same queries go through ``rapidfuzz.process.extract`` over
every normalised source of the pair (the truth and the brute-force baseline) and a subset
through translate-toolkit's ``matcher``.

Strict recall: of the brute-force top five units scoring 70 or more, the share that ``search``
also returns. When ``search`` returns five, a unit whose score equals our fifth counts as
found (the tie is arbitrary in both); when it returns fewer, only units it returns count.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmdata import CORPORA, QUERY_KINDS, SentenceMaker  # noqa: E402

SEED = 11
TARGETS = {"p50_ms": 10.0, "p95_ms": 30.0, "recall": 0.99, "speedup_brute": 20.0, "speedup_toolkit": 50.0,
           "cli_s": 1.0}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def corpus(name: str, size: int, count: int, workdir: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """The corpus sentences and ``(kind, query)`` pairs, made once and kept in ``workdir``."""
    path = workdir / f"corpus-{name}-{size}.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["queries_asked"] == count:
            return data["sentences"], [tuple(q) for q in data["queries"]]  # type: ignore[misc]
    maker = SentenceMaker(seed=SEED, vocab_size=CORPORA[name])
    sentences = maker.memory(size)
    queries = maker.query_set(sentences, count)
    path.write_text(json.dumps({"sentences": sentences, "queries": queries, "queries_asked": count},
                               ensure_ascii=False), encoding="utf-8")
    return sentences, queries


def fill(url: str, sentences: list[str]) -> float:
    """Create the database (seeded with the bundled data) and add the units; seconds it took."""
    from sqlalchemy import text

    from glossary.memory.units import NewUnit, add_units
    from glossary.workspace import Workspace

    with Workspace(url) as workspace:
        started = time.perf_counter()
        with workspace.transaction() as session:
            add_units(session=session,
                      units=(NewUnit("en", "ru", s, f"[ru] {s}", "bench") for s in sentences))
        elapsed = time.perf_counter() - started
        with workspace.session() as session:
            # A memory in use has long been checkpointed; a fresh 1M-row WAL would skew the readers.
            session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return elapsed


def units_of_pair(url: str) -> tuple[list[int], list[str]]:
    """Ids and sources of every ``en → ru`` unit (the article's and the corpus's), in id order."""
    from sqlalchemy import text

    from glossary.store.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, source FROM tmunit WHERE source_lang = 'en' "
                                 "AND target_lang = 'ru' ORDER BY id")).all()
    engine.dispose()
    return [int(r[0]) for r in rows], [r[1] for r in rows]


def build_index(url: str) -> tuple[float, int]:
    """Build the pair's index from scratch; seconds and the rows it holds."""
    from sqlmodel import Session

    from glossary.memory.lifecycle import IndexCache, index_root
    from glossary.store.engine import make_engine

    engine = make_engine(url)
    shutil.rmtree(index_root(engine), ignore_errors=True)
    started = time.perf_counter()
    with Session(engine) as session:
        view = IndexCache().get(session=session, source_lang="en", target_lang="ru")
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, view.rows


def lookup_worker(url: str, queries_file: str, out_file: str) -> None:
    """Run in a new process: open the stored index and time ``search`` on every query."""
    from sqlmodel import Session

    from glossary.memory.lifecycle import IndexCache
    from glossary.memory.units import search
    from glossary.store.engine import make_engine

    queries = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    cache = IndexCache()
    latencies, cpu, results = [], [], []
    with Session(make_engine(url)) as session:
        search(session=session, text=queries[0], source_lang="en", target_lang="ru", indexes=cache)
        for query in queries:
            started, started_cpu = time.perf_counter(), time.thread_time()
            found = search(session=session, text=query, source_lang="en", target_lang="ru", min_score=70,
                           limit=5, indexes=cache)
            latencies.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - started_cpu)
            results.append([[m.unit_id, m.explanation["raw"]] for m in found])
    Path(out_file).write_text(json.dumps({"latencies": latencies, "cpu": cpu, "results": results,
                                          **memory_mb(), "builds": cache.builds}))


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


def brute_force(queries: list[str], ids: list[int], sources: list[str]) -> tuple[list[float], list[list]]:
    """``process.extract`` over every normalised source (normalised once, before timing)."""
    from rapidfuzz import fuzz, process

    from glossary.memory.score import normalize

    choices = [normalize(s) for s in sources]
    times, results = [], []
    for query in queries:
        started = time.thread_time()
        found = process.extract(normalize(query), choices, scorer=fuzz.ratio, limit=5, score_cutoff=70)
        times.append(time.thread_time() - started)
        results.append([(ids[index], score) for _, score, index in found])
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
        started = time.thread_time()
        tm.matches(query)
        times.append(time.thread_time() - started)
    return times, setup


def strict_recall(ours: list[list[list[float]]], truth: list[list[tuple[int, float]]]) -> tuple[int, int]:
    """(found, total) over the brute-force top-5 units scoring 70 or more: a unit counts as found if we
    return it, or, when we return five, if it scores no more than our fifth (an arbitrary tie)."""
    found = total = 0
    for mine, best in zip(ours, truth, strict=True):
        ids = {int(unit_id) for unit_id, _ in mine}
        floor = min(score for _, score in mine) if len(mine) >= 5 else None
        for unit_id, score in best:
            total += 1
            found += unit_id in ids or (floor is not None and score <= floor + 1e-6)
    return found, total


def cold_cli(url: str, query: str, *options: str, runs: int = 3) -> tuple[list[float], list[float]]:
    """Wall and CPU times of ``glossary tm search`` (names compared unless ``--no-names``) as a new
    process, start-up included."""
    wall, cpu = [], []
    command = [str(Path(sys.executable).with_name("glossary")), "tm", "search", query, "--source", "en",
               "--target", "ru", "--db", url, "--format", "json", *options]
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        wall.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu


def concepts(url: str) -> int:
    from sqlalchemy import text

    from glossary.store.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM concept")).scalar_one())
    engine.dispose()
    return count


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def run_one(name: str, size: int, args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    sentences, asked = corpus(name, size, args.queries, workdir)
    kinds = [kind for kind, _ in asked]
    queries = [query for _, query in asked]
    db = workdir / f"tm-{name}-{size}.db"
    url = f"sqlite:///{db}"
    marker = workdir / f"tm-{name}-{size}.filled"
    fill_s = None
    if not (db.exists() and marker.exists()):
        for stale in workdir.glob(f"tm-{name}-{size}.db*"):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        print(f"[{name} {size:,}] filling", flush=True)
        fill_s = fill(url, sentences)
        marker.write_text(json.dumps({"fill_s": fill_s}))
    else:
        fill_s = json.loads(marker.read_text())["fill_s"]
    print(f"[{name} {size:,}] building the index", flush=True)
    build_s, rows = build_index(url)
    queries_file, out_file = workdir / f"q-{name}-{size}.json", workdir / f"r-{name}-{size}.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    print(f"[{name} {size:,}] lookups in a new process", flush=True)
    subprocess.run([sys.executable, __file__, "--lookup-worker", url, str(queries_file), str(out_file)],
                   check=True)
    ours = json.loads(out_file.read_text())
    ids, sources = units_of_pair(url)
    brute_count = min(len(queries), args.baseline_queries or len(queries))
    print(f"[{name} {size:,}] brute force on {brute_count} queries", flush=True)
    brute_times, truth = brute_force(queries[:brute_count], ids, sources)
    toolkit_count = min(brute_count, args.toolkit_queries) if size > 100_000 else brute_count
    toolkit_queries = _spread(queries[:brute_count], toolkit_count)
    print(f"[{name} {size:,}] translate-toolkit on {toolkit_count} queries", flush=True)
    tt_times, tt_setup = toolkit([q for _, q in toolkit_queries], sources)
    print(f"[{name} {size:,}] cold CLI", flush=True)
    cli, cli_cpu = cold_cli(url, queries[0])
    bare, bare_cpu = cold_cli(url, queries[0], "--no-names")
    lat, cpu = ours["latencies"], ours["cpu"]
    by_kind = {}
    for kind in QUERY_KINDS:
        picked = [i for i, k in enumerate(kinds[:brute_count]) if k == kind]
        found, total = strict_recall([ours["results"][i] for i in picked], [truth[i] for i in picked])
        kind_lat = [lat[i] for i in picked]
        kind_cpu = [cpu[i] for i in picked]
        by_kind[kind] = {
            "queries": len(picked),
            "with_truth": sum(1 for i in picked if truth[i]),
            "truth_units": total,
            "recall": found / total if total else None,
            "p50_ms": percentile(kind_lat, 0.5) * 1000,
            "p95_ms": percentile(kind_lat, 0.95) * 1000,
            "cpu_p50_ms": percentile(kind_cpu, 0.5) * 1000,
            "cpu_p95_ms": percentile(kind_cpu, 0.95) * 1000,
            "returned": statistics.mean(len(ours["results"][i]) for i in picked),
        }
    found, total = strict_recall(ours["results"][:brute_count], truth)
    row = {
        "corpus": name,
        "size": size,
        "units": len(ids),
        "queries": len(queries),
        "fill_s": fill_s,
        "build_s": build_s,
        "index_rows": rows,
        "index_mb": folder_mb(Path(f"{db}.tmindex")),
        "db_mb": db.stat().st_size / 1e6,
        "rss_mb": ours["rss_mb"],
        "anon_mb": ours["anon_mb"],
        "rebuilds_in_lookup_process": ours["builds"],
        "p50_ms": percentile(lat, 0.5) * 1000,
        "p95_ms": percentile(lat, 0.95) * 1000,
        "mean_ms": statistics.mean(lat) * 1000,
        "cpu_p50_ms": percentile(cpu, 0.5) * 1000,
        "cpu_p95_ms": percentile(cpu, 0.95) * 1000,
        "recall": found / total if total else 1.0,
        "truth_units": total,
        "by_kind": by_kind,
        "brute_queries": brute_count,
        "brute_mean_ms": statistics.mean(brute_times) * 1000,
        "speedup_brute": statistics.mean(brute_times) / statistics.mean(cpu[:brute_count]),
        "toolkit_queries": toolkit_count,
        "toolkit_setup_s": tt_setup,
        "toolkit_mean_ms": statistics.mean(tt_times) * 1000,
        "speedup_toolkit": statistics.mean(tt_times) / statistics.mean(cpu[i] for i, _ in toolkit_queries),
        "cli_s": cli,
        "cli_cpu_s": cli_cpu,
        "cli_no_names_s": bare,
        "cli_no_names_cpu_s": bare_cpu,
        "concepts": concepts(url),
        "load": os.getloadavg(),
    }
    row["verdict"] = {key: _meets(key, row) for key in TARGETS} if size >= 1_000_000 else {}
    print(json.dumps({k: v for k, v in row.items() if k != "by_kind"}), flush=True)
    return row


def _spread(queries: list[str], count: int) -> list[tuple[int, str]]:
    """``count`` queries spread evenly over the list (so every kind is in the subset)."""
    step = max(1, len(queries) // max(count, 1))
    return [(i, queries[i]) for i in range(0, len(queries), step)][:count]


def _meets(key: str, row: dict[str, object]) -> bool:
    value = min(row["cli_s"]) if key == "cli_s" else row[key]  # type: ignore[type-var]
    if key in ("p50_ms", "p95_ms", "cli_s"):
        return float(value) <= TARGETS[key] if key != "cli_s" else float(value) < TARGETS[key]  # type: ignore[arg-type]
    return float(value) >= TARGETS[key]  # type: ignore[arg-type]


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| corpus | units | build s | index MB | lookup RSS MB (private) | p50 ms wall (CPU) "
        "| p95 ms wall (CPU) | strict recall | brute force CPU ms (queries) | × brute "
        "| translate-toolkit CPU ms (queries) | × toolkit | cold CLI s wall (CPU) | --no-names |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        best = min(range(len(r["cli_s"])), key=lambda i: r["cli_s"][i])  # type: ignore[arg-type,index]
        bare = min(range(len(r["cli_no_names_s"])), key=lambda i: r["cli_no_names_s"][i])  # type: ignore[arg-type,index]
        lines.append(
            f"| {r['corpus']} | {r['size']:,} | {r['build_s']:.1f} | {r['index_mb']:.0f} | {r['rss_mb']:.0f} "
            f"({r['anon_mb']:.0f}) | {r['p50_ms']:.2f} ({r['cpu_p50_ms']:.2f}) | "
            f"{r['p95_ms']:.2f} ({r['cpu_p95_ms']:.2f}) | "
            f"{100 * r['recall']:.1f} % ({r['truth_units']}) | "  # type: ignore[operator]
            f"{r['brute_mean_ms']:.1f} ({r['brute_queries']}) | {r['speedup_brute']:.0f}× | "
            f"{r['toolkit_mean_ms']:.1f} ({r['toolkit_queries']}) | {r['speedup_toolkit']:.0f}× | "
            f"{r['cli_s'][best]:.2f} ({r['cli_cpu_s'][best]:.2f}) | "  # type: ignore[index]
            f"{r['cli_no_names_s'][bare]:.2f} ({r['cli_no_names_cpu_s'][bare]:.2f}) |"  # type: ignore[index]
        )
    lines += ["", "| corpus | units | queries | kind | with a match ≥ 70 | strict recall | p50 ms wall (CPU) "
              "| p95 ms wall (CPU) | matches returned (mean) |",
              "|---|---:|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        for kind, k in r["by_kind"].items():  # type: ignore[attr-defined]
            recall = "—" if k["recall"] is None else f"{100 * k['recall']:.1f} % ({k['truth_units']})"
            lines.append(f"| {r['corpus']} | {r['size']:,} | {k['queries']} | {kind} | {k['with_truth']} | "
                         f"{recall} | {k['p50_ms']:.2f} ({k['cpu_p50_ms']:.2f}) | "
                         f"{k['p95_ms']:.2f} ({k['cpu_p95_ms']:.2f}) | {k['returned']:.1f} |")
    lines.append("\nLoad average during each run: " + "; ".join(
        f"{r['corpus']} {r['size']:,}: {r['load'][0]:.1f}" for r in rows))  # type: ignore[index]
    verdicts = [(r, r["verdict"]) for r in rows if r["verdict"]]
    for r, verdict in verdicts:
        failed = [key for key, ok in verdict.items() if not ok]  # type: ignore[attr-defined]
        lines.append(f"\n{r['corpus']} at {r['size']:,} units: "
                     + ("every target met" if not failed else "targets missed: " + ", ".join(failed)))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="news,small", help="comma-separated corpora (news, small)")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated memory sizes")
    parser.add_argument("--queries", type=int, default=500, help="queries per corpus and size (default 500)")
    parser.add_argument("--baseline-queries", type=int, default=0,
                        help="queries for the brute-force scan and recall (default: all)")
    parser.add_argument("--toolkit-queries", type=int, default=20,
                        help="queries for translate-toolkit above 100,000 units (default 20)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out",
                        help="where corpora, databases and results go (default bench/out, git-ignored)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--lookup-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lookup_worker:
        lookup_worker(*args.lookup_worker)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("GLOSSARY_DB", f"sqlite:///{args.workdir / 'unused.db'}")
    rows = [run_one(name, int(size), args, args.workdir)
            for name in args.corpora.split(",") for size in args.sizes.split(",")]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print(table(rows))


if __name__ == "__main__":
    main()
