"""The ``glossary`` command: argument parsing, dispatch, and errors turned into exit codes."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from glossary import __version__
from glossary.model.errors import GlossaryError, ParseError

if TYPE_CHECKING:
    import importlib.metadata

# Each module registers one command group; adding a command is adding a module here.
COMMAND_MODULES = (
    "glossary.cli.init",
    "glossary.cli.terms",
    "glossary.cli.translit",
    "glossary.cli.scan",
    "glossary.cli.document",
    "glossary.cli.tm",
    "glossary.cli.export",
    "glossary.cli.catalog",
    "glossary.cli.check",
    "glossary.cli.history",
    "glossary.cli.db",
)
# Command groups other packages add (the review TUI registers ``review``): an entry point in this
# group names a ``register(sub)`` function, so the core never imports the packages above it.
PLUGIN_GROUP = "glossary.commands"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit code 2 and one line on stderr."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The full parser with every registered command group (when ``command`` names one of the core
    commands, the installed plug-ins are not looked up: that reads every package's metadata)."""
    parser = _Parser(
        prog="glossary",
        description="Term base, transliteration and translation memory for names "
        "in texts about Kazakhstan, Russia and Central Asia.",
    )
    parser.add_argument("--version", action="version", version=f"glossary {__version__}")
    parser.add_argument("--db", metavar="URL", default=None,
                        help="database URL for any command (also accepted after the command)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    if command is None or command not in sub.choices:
        for entry in _plugins():
            entry.load()(sub)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The command word of a command line (the first word that is no option or --db's value)."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif word == "--" or not word.startswith("-"):
            return None if word == "--" else word
    return None


def _plugins() -> list[importlib.metadata.EntryPoint]:
    """The installed command groups of other packages, in name order."""
    import importlib.metadata

    return sorted(importlib.metadata.entry_points(group=PLUGIN_GROUP), key=lambda entry: entry.name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 clean, 1 findings, 2 error)."""
    command = _command_of(sys.argv[1:] if argv is None else argv)
    parser = build_parser() if command is None else build_parser(command)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(handler(args) or 0)
    except ParseError as exc:
        print(_one_line(str(exc)), file=sys.stderr)
        return 2
    except GlossaryError as exc:
        print(f"glossary: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _closed_pipe()
    except OSError as exc:  # a file the user named: missing folder, a directory, permissions
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"glossary: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("glossary: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if _INTERRUPTS:
            # Ctrl-C inside one of our SQL functions reaches us as SQLite's "user-defined function
            # raised exception"; the interrupt is what happened.
            print("glossary: interrupted", file=sys.stderr)
            return 130
        # SQLAlchemy is imported here, not at start-up: --help and translit never load it.
        from sqlalchemy.exc import SQLAlchemyError

        # psycopg's own errors come through where it is used directly (COPY in bulk imports).
        if not isinstance(exc, SQLAlchemyError) and not type(exc).__module__.startswith("psycopg"):
            raise
        # The database refused: locked, not a database, gone away.
        detail = getattr(exc, "orig", None) or exc
        print(f"glossary: error: database: {_one_line(str(detail))}", file=sys.stderr)
        return 2


def _one_line(message: str) -> str:
    """Messages from drivers (psycopg, expat) may span lines; scripts read one line per error."""
    return " ".join(message.split())


def _closed_pipe() -> int:
    """The reader went away (``glossary terms export | head``): end quietly, as other tools do."""
    # Python would report the broken pipe again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 128 + signal.SIGPIPE


# Ctrl-C presses seen while a command runs from the console script (signals are per process).
_INTERRUPTS: list[int] = []
# Set by a command that has closed everything it opened (files, database connections, worker
# processes): the console script then ends the process without tearing the interpreter down.
_NOTHING_OPEN: list[bool] = []


def nothing_left_open() -> None:
    """Say that the running command has closed all it opened, so the process may end at once.

    Tearing the interpreter down frees every object one by one: after ``glossary check`` has
    loaded a recognizer of 100,000 forms that took longer than checking ten files.
    """
    _NOTHING_OPEN.append(True)


def _remember_interrupt(signum: int, _frame: object) -> None:
    """Ctrl-C raises KeyboardInterrupt as Python's own handler does, and is remembered."""
    _INTERRUPTS.append(signum)
    raise KeyboardInterrupt


def run() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGINT, _remember_interrupt)
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        code = _closed_pipe()
    except KeyboardInterrupt:
        print("glossary: interrupted", file=sys.stderr)
        code = 130
    if _INTERRUPTS or code == 130:
        # The work has unwound. Python would still end the process by the signal (exit -2) when
        # the interrupt passed through code that an extension ran with PyRun_String, however it
        # was handled since: end here with the conventional status.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    if _NOTHING_OPEN:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    # The command is over. As the interpreter finalizes it gives the signals it handled their
    # default action back, so a Ctrl-C while it tears down would end the process by the signal
    # (status -2, nothing said): it is ignored instead, and the command's status stands.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
