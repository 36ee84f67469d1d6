"""The cheaper benchmarks still run on the current library (at a tiny size; their tables are not checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script, options", [
    ("bench_po.py", ["--entries", "200"]),
    ("bench_import.py", ["--sizes", "100", "--backends", "sqlite", "--baseline", "10"]),
    ("bench_import_share.py", ["--concepts", "200", "--backends", "sqlite", "--baseline-seconds", "1"]),
])
def test_benchmark_runs(script: str, options: list[str], tmp_path: Path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *options, "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "|---|" in done.stdout  # the table was printed
