"""Helpers of the hostile-input tests: what a database holds, and the command line in a real process."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlmodel import Session, func, select

from glossary.model.tables import CatalogEntry, Concept, Document, Segment, Term, TMUnit, Translation
from glossary.store.engine import make_engine

GLOSSARY = [sys.executable, "-m", "glossary"]
# Generous: only a guard against a hang.
TIMEOUT = 300


def counts(url: str) -> dict[str, int]:
    """Rows of every table an import writes to."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {
                table.__name__: session.exec(select(func.count()).select_from(table)).one()
                for table in (Concept, Term, Document, Segment, Translation, TMUnit, CatalogEntry)
            }
    finally:
        engine.dispose()


def glossary(url: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """``glossary --db URL ARGS`` in its own process."""
    done = subprocess.run([*GLOSSARY, "--db", url, *args], input=stdin, capture_output=True,
                          env={**os.environ, "COLUMNS": "200"}, timeout=TIMEOUT, check=False)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def refused(done: subprocess.CompletedProcess[str], where: str, message: str) -> bool:
    """Whether the command exited 2 with one line ``where: ...message...`` and no traceback."""
    err = done.stderr
    return (done.returncode == 2 and err.startswith(f"{where}: ") and message in err
            and err.count("\n") == 1 and "Traceback" not in err)
