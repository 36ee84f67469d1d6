"""The console script's entry point: Ctrl-C at any moment, start-up included, prints one line."""

from __future__ import annotations

import signal
import sys


def _interrupted(_signum: int, _frame: object) -> None:
    print("glossary: interrupted", file=sys.stderr)
    sys.exit(130)


def run() -> None:
    """Install the Ctrl-C handler before anything heavy is imported, then run the command."""
    previous = signal.signal(signal.SIGINT, _interrupted)
    from glossary.cli import run as run_cli

    # Once the command runs, Ctrl-C raises KeyboardInterrupt again, so work in progress
    # (a transaction, an atomic write) unwinds and cleans up before the one-line message.
    signal.signal(signal.SIGINT, previous)
    run_cli()
