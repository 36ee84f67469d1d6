"""The edge of the command line: global options, standard streams, closed pipes, interrupts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glossary.cli import main

GLOSSARY = [sys.executable, "-m", "glossary"]


def test_db_option_before_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    assert main(["--db", url, "init", "--empty"]) == 0
    assert "empty schema" in capsys.readouterr().out
    assert (tmp_path / "g.db").exists()


def test_db_option_after_the_command_still_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    assert main(["--db", f"sqlite:///{first}", "init", "--empty", "--db", f"sqlite:///{second}"]) == 0
    assert second.exists() and not first.exists()


def test_a_password_in_a_url_is_never_printed(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://someone:s3cret-word@127.0.0.1:1/nowhere"
    assert main(["--db", url, "init"]) == 2
    captured = capsys.readouterr()
    assert "s3cret-word" not in captured.out + captured.err
    assert captured.err.count("\n") == 1


def test_scan_reads_standard_input(seeded_db_url: str) -> None:
    done = subprocess.run([*GLOSSARY, "--db", seeded_db_url, "scan", "-", "--lang", "en", "--format", "json"],
                          input="Tokayev spoke in Almaty.\n", capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert '"concept": "tokayev"' in done.stdout and '"concept": "almaty"' in done.stdout


def test_export_tmx_to_standard_output(seeded_db_url: str, tmp_path: Path) -> None:
    done = subprocess.run([*GLOSSARY, "--db", seeded_db_url, "export", "tmx", "-o", "-"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<?xml") and "<tu" in done.stdout
    assert not (tmp_path / "-").exists()
    assert "unit(s) to standard output" in done.stderr


def test_a_closed_pipe_ends_quietly(seeded_db_url: str) -> None:
    command = " ".join([*GLOSSARY, "--db", seeded_db_url, "terms", "export", "--output-format", "csv"])
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -1"], capture_output=True,
                          text=True, check=False)
    assert done.stdout.startswith("concept,")
    assert done.stderr == ""
    assert done.returncode == 128 + signal.SIGPIPE


@pytest.mark.parametrize("moment", ["starting", "seeding"])
def test_ctrl_c_while_starting_and_seeding_prints_one_line(tmp_path: Path, moment: str) -> None:
    # A new database is seeded first (a second or more): the interrupt lands early (start-up, or
    # seeding just begun) or well inside seeding (soon after the database file appears), not at a
    # fixed time that a faster or slower machine would move past the end of the command.
    database = tmp_path / "g.db"
    env = {**os.environ, "GLOSSARY_DB": f"sqlite:///{database}"}
    process = subprocess.Popen([*GLOSSARY, "terms", "list"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    if moment == "starting":
        time.sleep(0.5)
    else:
        deadline = time.monotonic() + 60
        while not database.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.fail("the command finished before the interrupt arrived; nothing was tested")
    assert process.returncode == 130
    assert err.strip().splitlines() == ["glossary: interrupted"]


_CTRL_C_IN_SQL = """
import argparse, os, signal, sqlite3
import glossary.cli as cli

def ring(args):
    connection = sqlite3.connect(":memory:")
    connection.create_function("ring", 0, lambda: os.kill(os.getpid(), signal.SIGINT))
    connection.execute("SELECT ring()").fetchall()

def parser():
    found = argparse.ArgumentParser()
    found.set_defaults(handler=ring)
    return found

cli.build_parser = parser
cli.run()
"""


def test_ctrl_c_inside_an_sql_function_is_an_interrupt_not_a_database_error() -> None:
    """SQLite reports a KeyboardInterrupt raised in a Python SQL function (the fold functions) as
    "user-defined function raised exception"; seen in a run interrupted while seeding."""
    done = subprocess.run([sys.executable, "-c", _CTRL_C_IN_SQL], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == ["glossary: interrupted"]


@pytest.mark.parametrize("seeded_db_url", ["sqlite"], indirect=True)  # a read-only file is SQLite's case
def test_a_read_only_database_opens_for_reading(seeded_db_url: str, capsys: pytest.CaptureFixture) -> None:
    import sqlite3

    path = seeded_db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    assert main(["--db", url, "terms", "show", "knb"]) == 0
    assert "КНБ" in capsys.readouterr().out


_BLAS_THREADS = """
import os, sys
import glossary.cli as cli
from glossary.entry import run

cli.run = lambda: print(os.environ.get("OPENBLAS_NUM_THREADS"))
sys.argv = ["glossary"]
run()
"""


@pytest.mark.parametrize(("given", "seen"), [(None, "1"), ("3", "3")])
def test_the_command_asks_numpy_for_one_blas_thread_unless_told(given: str | None, seen: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run([sys.executable, "-c", _BLAS_THREADS], capture_output=True, text=True,
                          timeout=60, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == seen
