"""A large term-base import beside another writer: time, CPU, peak memory, and the writer's longest wait.

Usage: python bench/bench_import_share.py [--concepts 20000] [--formats csv,tbx]
       [--backends sqlite,postgresql] [--baseline-seconds 10] [--workdir DIR]

The people of ``bench_import.synthesize`` (an English, a Russian and a Kazakh form each) are
written once to a CSV and a TBX file in the work folder (kept out of git). For each backend and
format a fresh, empty database gets the file through ``glossary terms import`` in its own
process, while ``share_writer.py`` in another process adds one form every 0.2 s in its own
transaction. Reported: the import's wall and CPU time and peak resident memory (``wait4``), the
writer's edits, failures and longest wait during the import, and, as the baseline of the same
run, the writer's longest wait with no import running. The run fails when the import fails or
stores another number of concepts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_import import postgres_server, synthesize
from sqlmodel import Session, func, select

from glossary.formats.csv import generate_csv
from glossary.formats.tbx import generate_tbx
from glossary.model.tables import Concept
from glossary.store.engine import init_database, make_engine

HERE = Path(__file__).resolve().parent
WRITER = HERE / "share_writer.py"


def write_files(workdir: Path, count: int) -> dict[str, Path]:
    """The CSV and TBX files of ``count`` people, made once per size."""
    files = {"csv": workdir / f"people-{count}.csv", "tbx": workdir / f"people-{count}.tbx"}
    if all(path.exists() for path in files.values()):
        return files
    records = synthesize(count)
    for fmt, path in files.items():
        chunks = generate_csv(records) if fmt == "csv" else generate_tbx(records)
        partial = path.with_suffix(".part")
        with partial.open("w", encoding="utf-8", newline="") as out:
            out.writelines(chunks)
        partial.replace(path)
    return files


def start_writer(url: str, workdir: Path) -> tuple[subprocess.Popen[bytes], Path]:
    stop, started = workdir / "writer.stop", workdir / "writer.started"
    for leftover in (stop, started):
        leftover.unlink(missing_ok=True)
    command = [sys.executable, str(WRITER), url, "--stop", str(stop), "--started", str(started),
               "--every", "0.2"]
    writer = subprocess.Popen(command, stdout=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not started.exists() and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return writer, stop


def stop_writer(writer: subprocess.Popen[bytes], stop: Path) -> dict[str, object]:
    stop.touch()
    out, _err = writer.communicate(timeout=600)
    if writer.returncode != 0:
        raise SystemExit("FAILED: the writer process failed")
    return json.loads(out)


def baseline(url: str, workdir: Path, seconds: float) -> dict[str, object]:
    """The writer alone for ``seconds``."""
    writer, stop = start_writer(url, workdir)
    time.sleep(seconds)
    return stop_writer(writer, stop)


def run_import(url: str, path: Path) -> tuple[float, float, float, str]:
    """Wall s, CPU s and peak RSS MB of ``glossary terms import`` in its own process, and its output."""
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "glossary", "--db", url, "terms", "import", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read() if process.stdout else b""
    err = process.stderr.read() if process.stderr else b""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - began
    if process.returncode != 0:
        raise SystemExit(f"FAILED: the import of {path.name} failed: {err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode().strip()


def stored(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(Concept)).one()
    finally:
        engine.dispose()


def run(
    backend: str, args: argparse.Namespace, files: dict[str, Path], new_url: Callable[[str], str]
) -> None:
    for fmt in args.formats.split(","):
        url = new_url(f"{backend}-{fmt}")
        engine = make_engine(url)
        init_database(engine)
        engine.dispose()
        alone = baseline(url, args.workdir, args.baseline_seconds)
        writer, stop = start_writer(url, args.workdir)
        wall, cpu, rss, summary = run_import(url, files[fmt])
        shared = stop_writer(writer, stop)
        count = stored(url) - 1  # the writer's own concept
        if count != args.concepts:
            raise SystemExit(f"FAILED: {count} concepts stored, expected {args.concepts}")
        size = files[fmt].stat().st_size / 1e6
        print(f"| {backend} | {fmt} | {args.concepts:,} | {size:.1f} | {wall:.1f} | {cpu:.1f} | {rss:.0f} | "
              f"{shared['edits']} | {shared['failed']} | {shared['max_wait']:.2f} | "
              f"{alone['max_wait']:.2f} ({alone['edits']}) | {os.getloadavg()[0]:.1f} |", flush=True)
        if shared["failed"]:
            print(f"  writer errors: {shared['errors']}", flush=True)
        if not summary.startswith(f"created {args.concepts}"):
            raise SystemExit(f"FAILED: the import reported {summary!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=20000)
    parser.add_argument("--formats", default="csv,tbx")
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    args.workdir = args.workdir or Path(tempfile.mkdtemp(prefix="glossary-bench-share-"))
    args.workdir.mkdir(parents=True, exist_ok=True)
    files = write_files(args.workdir, args.concepts)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print("| backend | format | concepts | file MB | import s | import CPU s | peak RSS MB | writer edits | "
          "writer failed | writer max wait s | baseline: max wait s (edits) | load |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend in args.backends.split(","):
        if backend == "postgresql":
            with postgres_server() as new_pg:
                run(backend, args, files, lambda _label: new_pg())
        else:
            def new_sqlite(label: str) -> str:
                for leftover in args.workdir.glob(f"{label}.db*"):
                    leftover.unlink()
                return f"sqlite:///{args.workdir / label}.db"

            run(backend, args, files, new_sqlite)
    print(f"load average after the run {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
