"""A writer process for the concurrency tests: waits for "go" on stdin, runs its edits, prints JSON.

Usage: python concurrency_worker.py URL OPS_JSON. Each op is one of
``{"cli": [argv...]}`` (the ``glossary`` command, run in this process),
``{"status": [concept, lang, text], "expected": version or null}`` (the next status in a cycle,
decided inside the transaction) and
``{"translate": [segment_id, lang, text], "expected": version or null}``. One JSON line per op:
``{"code": exit code, "out": ..., "err": ..., "version": version written or null}``.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from typing import Any

from sqlmodel import Session, select

from glossary.cli import main
from glossary.model.errors import GlossaryError
from glossary.model.tables import Term
from glossary.store.documents import set_translation
from glossary.store.termedits import set_term_status
from glossary.workspace import Workspace

CYCLE = ("preferred", "admitted", "deprecated")


def _next_status(session: Session, concept: str, lang: str, text: str, expected: int | None) -> int:
    # Decided on the locked row (PostgreSQL; SQLite's write transaction holds the write lock):
    # each edit then moves the status on from the one the edit before it left.
    current = session.exec(
        select(Term.status)
        .where(Term.concept_id == concept, Term.lang == lang, Term.text == text)
        .with_for_update()
    ).one()
    status = CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)] if current in CYCLE else CYCLE[0]
    term = set_term_status(session=session, concept=concept, lang=lang, text=text, scheme=None,
                           status=status, expected_version=expected)
    return term.version


def _run(workspace: Workspace, url: str, op: dict[str, Any]) -> dict[str, Any]:
    if "cli" in op:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*op["cli"], "--db", url])
        return {"code": code, "out": out.getvalue().strip(), "err": err.getvalue().strip(), "version": None}
    try:
        if "status" in op:
            concept, lang, text = op["status"]
            version = workspace.write(lambda s: _next_status(s, concept, lang, text, op.get("expected")))
        else:
            segment, lang, text = op["translate"]
            version = workspace.write(
                lambda s: set_translation(session=s, segment_id=segment, lang=lang, text=text,
                                          state="translated", author="worker",
                                          expected_version=op.get("expected")).version
            )
    except GlossaryError as exc:
        return {"code": 2, "out": "", "err": f"{type(exc).__name__}: {exc}", "version": None}
    return {"code": 0, "out": "", "err": "", "version": version}


def run() -> None:
    url, ops = sys.argv[1], json.loads(sys.argv[2])
    with Workspace(url, bootstrap=False) as workspace:
        print("ready", flush=True)
        sys.stdin.readline()
        for op in ops:
            print(json.dumps(_run(workspace, url, op), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    run()
