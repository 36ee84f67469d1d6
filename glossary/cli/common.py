"""Options and helpers that every command shares: the database option and output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from glossary.model.errors import NotFoundError, ParseError, ParseWarning, UsageError

if TYPE_CHECKING:  # SQLModel costs a quarter second to import: only commands that use it pay
    from sqlmodel import Session

    from glossary.workspace import Workspace


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db URL``; falls back to ``GLOSSARY_DB`` and then the user data folder."""
    parser.add_argument(
        "--db",
        metavar="URL",
        # SUPPRESS: an option given before the command (glossary --db URL init) is not reset here.
        default=argparse.SUPPRESS,
        help="database URL (sqlite:///file.db or postgresql://...); "
        "default: $GLOSSARY_DB or an SQLite file in the user data folder",
    )


def lang_tag(value: str) -> str:
    """argparse ``type=`` for language options: the canonical tag (``EN`` → ``en``) or a usage error."""
    from glossary.model.langtag import canonical_lang

    canonical = canonical_lang(value)
    if canonical is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a language tag such as en, ru, kk or kk-Latn")
    return canonical


def concept_id(value: str) -> str:
    """argparse ``type=`` for a concept id that is to be created: the id, or a usage error."""
    from glossary.model.conceptid import concept_id_problem

    problem = concept_id_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def add_format_option(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format`` with ``text`` first and the given machine formats after it."""
    options = ("text", *choices)
    parser.add_argument("--format", choices=options, default="text", help="output format (default: text)")


@contextmanager
def workspace_for(args: argparse.Namespace) -> Iterator[Workspace]:
    """The command's workspace on the database it names (seeded if it is empty), closed at the end."""
    from glossary.workspace import Workspace

    with Workspace(getattr(args, "db", None)) as workspace:
        yield workspace


@contextmanager
def session_for(args: argparse.Namespace) -> Iterator[Session]:
    """A session on the database the command names, seeded if it is empty."""
    with workspace_for(args) as workspace, workspace.session() as session:
        yield session


def read_bytes_file(path: Path) -> bytes:
    """The bytes of a file, or of standard input for ``-``; errors name the file."""
    try:
        return sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFoundError(f"no such file: {path}") from exc
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc


def read_text_file(path: Path) -> str:
    """A UTF-8 text file, or standard input for ``-`` (a BOM is dropped); errors name the file and,
    for bad bytes, the line."""
    data = read_bytes_file(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(path, line, f"not UTF-8 text (byte {exc.start})") from exc


def print_json(data: Any) -> None:
    """JSON for scripts: UTF-8, not ASCII-escaped, stable key order as given."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def import_tmx(
    *, session: Session, fileobj: IO[bytes], path: str | Path, left_out: list[ParseWarning] | None = None
) -> int:
    """Add every new unit of a TMX file to the memory: all or nothing; the caller commits.

    Units are inserted as the file is read; on any error the ParseError propagates and the
    caller, who owns the session, rolls it back (leaving ``with Session(...)`` uncommitted does).
    A unit without a target is left out with a warning on stderr, and added to ``left_out``.
    """
    from glossary.formats.tmx import read_tmx
    from glossary.memory.units import import_units
    from glossary.model.limits import ORIGIN

    def warn(warning: ParseWarning) -> None:
        print(warning, file=sys.stderr)
        if left_out is not None:
            left_out.append(warning)

    origin = Path(path).name[:ORIGIN]  # a label: a very long file name is shortened, not refused
    return import_units(session=session, units=read_tmx(fileobj, path, warn=warn), origin=origin)


def progress(items: Iterable[Any], *, total: int, label: str) -> Iterable[Any]:
    """``items``, with a progress bar on stderr when it is a terminal (and nothing when piped)."""
    if not sys.stderr.isatty() or total < 1000:
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, total=total, description=label, console=Console(stderr=True), transient=True)


@contextmanager
def busy(label: str) -> Iterator[None]:
    """A spinner with ``label`` on stderr while the block runs, when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(label):
        yield


def repository_locales() -> Path:
    """``locales/`` when run at the root of the Glossary repository; a usage error elsewhere."""
    project = Path("pyproject.toml")
    if project.is_file() and Path("glossary").is_dir() and 'name = "glossary"' in project.read_text("utf-8"):
        return Path("locales")
    raise UsageError("give -o DIR: the default, locales/, is used only at the root of the repository")
