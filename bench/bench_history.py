"""What the history triggers cost a term-base import: the same import with and without them."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).parent))
from bench_import import synthesize

from glossary.store.engine import init_database, make_engine
from glossary.store.termbase import merge_concepts


def run(url: str, records: list, *, history: bool) -> tuple[float, float, int]:
    """Import ``records`` into a new database; without ``history`` its triggers are dropped first."""
    engine = make_engine(url)
    try:
        init_database(engine)
        if not history:
            with engine.begin() as conn:
                names = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_history'"
                ).scalars().all()
                for name in names:
                    conn.exec_driver_sql(f"DROP TRIGGER {name}")
        wall, cpu = time.perf_counter(), time.process_time()
        with Session(engine) as session:
            merge_concepts(session=session, concepts=records)
            session.commit()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM history")).scalar_one()
    finally:
        engine.dispose()
    return wall, cpu, int(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,10000")
    args = parser.parse_args()
    print("| concepts | baseline: no history triggers, s (CPU s) | with history, s (CPU s) | history rows "
          "| CPU ratio | load |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        records = synthesize(size)
        with tempfile.TemporaryDirectory() as folder:
            base = run(f"sqlite:///{Path(folder) / 'base.db'}", synthesize(size), history=False)
            shipped = run(f"sqlite:///{Path(folder) / 'history.db'}", records, history=True)
        print(f"| {size:,} | {base[0]:.1f} ({base[1]:.1f}) | {shipped[0]:.1f} ({shipped[1]:.1f}) "
              f"| {shipped[2]:,} | {shipped[1] / base[1]:.2f} | {os.getloadavg()[0]:.1f} |")


if __name__ == "__main__":
    main()
