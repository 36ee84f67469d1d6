"""A small writer beside an import: one edit every --every seconds until --stop exists; prints its waits.

Usage: python bench/share_writer.py URL --stop FILE [--every 0.2] [--concept writer]

Each edit adds one new form to ``--concept`` (created first if missing) in its own transaction,
as ``glossary terms add`` does. At the end it prints one JSON line: the number of edits, the
failed ones with their messages, and the longest and mean time an edit took (its wait for the
database included).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from glossary.model.errors import GlossaryError
from glossary.model.records import TermRecord
from glossary.store.termbase import add_term
from glossary.workspace import Workspace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--stop", type=Path, required=True)
    parser.add_argument("--every", type=float, default=0.2)
    parser.add_argument("--concept", default="writer")
    parser.add_argument("--started", type=Path, help="a file created once the first edit is done")
    args = parser.parse_args()
    waits: list[float] = []
    errors: list[str] = []
    with Workspace(args.url) as workspace:
        number = 0
        while not args.stop.exists():
            number += 1
            began = time.perf_counter()
            try:
                with workspace.session() as session:
                    add_term(session=session, concept=args.concept, kind="other",
                             term=TermRecord("en", f"Edit {time.time_ns()} {number}"))
                    session.commit()
            except GlossaryError as exc:
                errors.append(str(exc))
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            waits.append(time.perf_counter() - began)
            if args.started is not None and not args.started.exists():
                args.started.touch()
            time.sleep(max(0.0, args.every - waits[-1]))
    print(json.dumps({"edits": len(waits), "failed": len(errors), "errors": errors[:5],
                      "max_wait": max(waits, default=0.0),
                      "mean_wait": sum(waits) / len(waits) if waits else 0.0}))


if __name__ == "__main__":
    main()
