"""The console script's entry point: Ctrl-C at any moment, start-up included, prints one line."""

from __future__ import annotations

import os
import signal
import sys


def _interrupted(_signum: int, _frame: object) -> None:
    # Only imports run before the command starts: nothing to unwind, so the process ends here
    # (an exit raised inside an import could end it by the signal instead).
    print("glossary: interrupted", file=sys.stderr, flush=True)
    os._exit(130)


def run() -> None:
    """Install the Ctrl-C handler before anything heavy is imported, then run the command."""
    signal.signal(signal.SIGINT, _interrupted)
    # NumPy (the recognizer's and the memory index's arrays; no linear algebra) starts OpenBLAS
    # with a thread per core unless told otherwise: half of NumPy's import time, for nothing.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from glossary.cli import run as run_cli

    # Once the command runs, Ctrl-C raises KeyboardInterrupt again (run_cli installs its handler),
    # so work in progress (a transaction, an atomic write) unwinds and cleans up before the
    # one-line message.
    run_cli()
