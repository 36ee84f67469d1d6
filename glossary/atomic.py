"""Atomic file writes: chunks go to a temp file in the target's folder, then replace it in one step."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from glossary.model.errors import GlossaryError


def write_atomic(path: str | Path, chunks: Iterable[str], *, encoding: str = "utf-8") -> None:
    """Write text ``chunks`` to ``path`` so readers see the old file or the whole new one.

    Newlines are written exactly as given (no platform translation), so generated
    bytes are the same everywhere.
    """
    with _replacing(path) as fd, open(fd, "w", encoding=encoding, newline="", closefd=False) as stream:
        for chunk in chunks:
            stream.write(chunk)


def write_atomic_bytes(path: str | Path, chunks: Iterable[bytes]) -> None:
    """Write byte ``chunks`` to ``path`` atomically."""
    with _replacing(path) as fd, open(fd, "wb", closefd=False) as stream:
        for chunk in chunks:
            stream.write(chunk)


@contextlib.contextmanager
def _replacing(path: str | Path) -> Iterator[int]:
    """Yield a file descriptor of a temp file that replaces ``path`` when the block succeeds.

    On any exception the temp file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    try:
        fd, temp_name = _create_temp(target)
    except OSError as exc:
        raise GlossaryError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        yield fd
        os.fsync(fd)
        os.close(fd)
        fd = -1
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp_name, target.stat().st_mode & 0o7777)
        os.replace(temp_name, target)
    except OSError as exc:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise GlossaryError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_folder(target.parent)


def _create_temp(target: Path) -> tuple[int, str]:
    """A new hidden file next to ``target``: os.replace is only atomic within one file system.

    Created with mode 0666 so the umask decides a new file's permissions, as for
    any ordinary write (tempfile.mkstemp would make it 0600).
    """
    while True:
        name = str(target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), name
        except FileExistsError:
            continue


def _fsync_folder(folder: Path) -> None:
    """Persist the rename itself; not every platform lets a folder be opened, hence the guard."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
