"""A compiled term index kept in a folder, keyed by the term-base version, and loaded without compiling.

Each version has its own folder, ``<root>/<key>/``, ``key`` a digest of the format and the
version string, holding:

* ``manifest.json``: format, version and the SHA-256 of every other file;
* ``automaton.pickle``: the Aho-Corasick automaton (pyahocorasick's own pickle support);
* one ``<table>.txt`` per string table (concept ids, their terms as JSON lines, written forms,
  near-miss forms), one string a line, each line decoded when a text first needs it;
* ``misspellings.json`` and ``arrays.npz`` (the integer tables: offsets, entry and posting
  numbers, the sorted hashes of the near-miss keys; read with ``allow_pickle=False``).

Nothing is built when loading: the near-miss keys are probed as stored (sorted hashes, searched
with numpy), and a table's lines are decoded one by one as they are first read, so a run pays
for the names its texts touch rather than for the whole term base.

A folder is written under a temporary name and renamed into place in one step, so a reader
sees a whole index or none; two processes that build the same version at once both succeed,
and the second rename simply loses. Older versions' folders are removed after a new one is in
place. Anything unexpected when loading (a missing or damaged file, a checksum that does not
match, another format or version) makes :func:`load_index` return ``None``: the caller compiles
the index again. It is never fatal.

About the pickle: the automaton has no other stored form that loads as fast (its ``save``
and ``load`` rebuild it node by node, slower than compiling it). The folder is the user's own,
next to their database or in their cache folder, and the file is read only after its checksum
matched the manifest; beyond that, the unpickler accepts exactly one class,
``ahocorasick.Automaton``, and refuses every other global, so a doctored file cannot run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
import secrets
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np

from glossary.recognize.index import IndexTables, TermIndex

FORMAT = 3  # 2: term rows carry valid_until; 3: near-miss keys stored as sorted hashes
MANIFEST = "manifest.json"
_AUTOMATON = "automaton.pickle"
_MISSPELLINGS = "misspellings.json"
_ARRAYS = "arrays.npz"
_LINE_FIELDS = ("concept_ids", "concept_kinds", "concept_terms", "entry_raw", "near_forms")
_FILES = (_AUTOMATON, _MISSPELLINGS, _ARRAYS, *(f"{name}.txt" for name in _LINE_FIELDS))
_ARRAY_FIELDS = (
    "key_lengths", "key_offsets", "entry_concept", "entry_term", "entry_flags",
    "near_concept", "near_term", "near_key_hashes", "near_offsets", "near_postings",
)
_STALE_TEMP_SECONDS = 3600


def folder_for(root: Path, version: str) -> Path:
    """The folder of one term-base version's index under ``root``."""
    digest = hashlib.sha256(f"{FORMAT}\0{version}".encode()).hexdigest()[:24]
    return root / digest


class _AutomatonOnly(pickle.Unpickler):
    """Unpickles an ``ahocorasick.Automaton`` and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("ahocorasick", "Automaton"):
            return ahocorasick.Automaton
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a stored recognizer")


def _digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def save_index(index: TermIndex, root: Path, version: str) -> Path | None:
    """Store ``index`` as the index of ``version`` under ``root`` (replacing a folder of that
    version that could not be loaded); the folder, or ``None`` when it cannot be written (a
    read-only place only costs the next process a compile)."""
    final = folder_for(root, version)
    try:
        root.mkdir(parents=True, exist_ok=True)
        temp = root / f".tmp-{secrets.token_hex(6)}"
        temp.mkdir()
    except OSError:
        return None
    try:
        _write(index, temp, version)
        try:
            os.rename(temp, final)
        except OSError:
            # A folder of this version is there: another process's, just written, or a damaged
            # one. Move it aside and put ours in its place (readers meanwhile compile).
            aside = root / f".tmp-{secrets.token_hex(6)}"
            os.rename(final, aside)
            os.rename(temp, final)
            shutil.rmtree(aside, ignore_errors=True)
        _fsync_folder(root)
    except OSError:
        return None
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    _remove_others(root, keep=final)
    return final


def _write(index: TermIndex, folder: Path, version: str) -> None:
    tables = index.tables
    near = index.near_index()  # stored with the rest: loading must never compile anything
    forms, key_hashes, offsets, postings = near.tables()
    lines = {name: list(getattr(tables, name)) for name in _LINE_FIELDS}
    lines["near_forms"] = list(forms)
    if any("\n" in item for column in lines.values() for item in column):
        raise OSError("a form holds a line break")  # not storable as lines: compile each time
    arrays = {
        name: np.asarray(getattr(tables, name), dtype=np.int64)
        for name in _ARRAY_FIELDS
        if name != "near_key_hashes"
    }
    arrays["near_offsets"] = np.asarray(offsets, dtype=np.int64)
    arrays["near_postings"] = np.asarray(postings, dtype=np.int64)
    arrays["near_key_hashes"] = np.asarray(key_hashes, dtype=np.uint64)
    for name, array in arrays.items():
        # The smallest type that holds the numbers: less to read and to checksum.
        if name == "near_key_hashes":
            continue
        if not array.size or (array.max() < 2**31 and array.min() >= -(2**31)):
            arrays[name] = array.astype(np.int32)
    (folder / _AUTOMATON).write_bytes(pickle.dumps(index.automaton, protocol=pickle.HIGHEST_PROTOCOL))
    (folder / _MISSPELLINGS).write_text(json.dumps(tables.misspellings, ensure_ascii=False), encoding="utf-8")
    for name, column in lines.items():
        (folder / f"{name}.txt").write_text("\n".join(column), encoding="utf-8")
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    (folder / _ARRAYS).write_bytes(buffer.getvalue())
    files = {name: _digest(folder / name) for name in _FILES}
    counts = {name: len(column) for name, column in lines.items()}
    manifest = {"format": FORMAT, "version": version, "files": files, "lines": counts}
    for name in (*files, ""):
        with contextlib.suppress(OSError):
            fd = os.open(folder / name, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


class _Lines(Sequence[str]):
    """A stored string table: the file's bytes, each line decoded when it is first read.

    Reading line ``i`` decodes that line only (the line starts are found in one numpy pass over
    the bytes, when a line is first asked for); iterating splits the whole table once. Either
    may happen from several threads at once: both fill their tables under a lock.
    """

    def __init__(self, data: bytes, count: int) -> None:
        self._data = data
        self._count = count
        self._items: list[str] | None = None
        self._starts: list[int] | None = None
        self._lock = threading.Lock()

    def _split(self) -> list[str]:
        items = self._items
        if items is None:
            with self._lock:
                if self._items is None:
                    split = self._data.decode("utf-8").split("\n") if self._count else []
                    if len(split) != self._count:
                        raise ValueError("stored recognizer table has the wrong number of lines")
                    self._items = split
                items = self._items
        return items

    def _line_starts(self) -> list[int]:
        starts = self._starts
        if starts is None:
            with self._lock:
                if self._starts is None:
                    breaks = np.flatnonzero(np.frombuffer(self._data, dtype=np.uint8) == 10)
                    if self._count and len(breaks) != self._count - 1:
                        raise ValueError("stored recognizer table has the wrong number of lines")
                    # Line i runs from starts[i] to starts[i + 1] - 1 (its line break).
                    self._starts = [0, *(breaks + 1).tolist(), len(self._data) + 1]
                starts = self._starts
        return starts

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        items = self._items
        if items is not None:
            return items[index]
        if not -self._count <= index < self._count:
            raise IndexError("stored recognizer table index out of range")
        if index < 0:
            index += self._count
        starts = self._line_starts()
        return self._data[starts[index] : starts[index + 1] - 1].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self._split())


def _readable(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return manifest.get("format") == FORMAT
    except (OSError, ValueError):
        return False


def load_index(root: Path, version: str) -> TermIndex | None:
    """The stored index of ``version``, or ``None`` when there is none or it cannot be trusted."""
    folder = folder_for(root, version)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("version") != version:
            return None
        files, counts = manifest["files"], manifest["lines"]
        if set(files) != set(_FILES):
            return None
        blobs = {}
        for name, digest in files.items():
            data = (folder / name).read_bytes()
            if hashlib.sha256(data).hexdigest() != digest:
                return None
            blobs[name] = data
        automaton = _AutomatonOnly(io.BytesIO(blobs[_AUTOMATON])).load()
        if not isinstance(automaton, ahocorasick.Automaton):
            return None
        with np.load(io.BytesIO(blobs[_ARRAYS]), allow_pickle=False) as stored:
            arrays: dict[str, Any] = {name: stored[name] for name in _ARRAY_FIELDS}
        arrays["key_lengths"] = arrays["key_lengths"].tolist()
        lines: dict[str, Any] = {
            name: _Lines(blobs[f"{name}.txt"], int(counts[name])) for name in _LINE_FIELDS
        }
        # Concept ids are needed by every span: split them now, where an error is still cheap.
        lines["concept_ids"] = list(lines["concept_ids"])
        misspellings = [tuple(row) for row in json.loads(blobs[_MISSPELLINGS].decode("utf-8"))]
        tables = IndexTables(**lines, **arrays, misspellings=misspellings)
        _check(tables, automaton)
    except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError, AttributeError,
            IndexError, UnicodeDecodeError):
        return None
    return TermIndex(tables, automaton)


def _check(tables: IndexTables, automaton: Any) -> None:
    """Refuse tables whose sizes do not fit together (raises ValueError)."""
    keys = len(tables.key_lengths)
    entries = len(tables.entry_raw)
    concepts = len(tables.concept_ids)
    entry_concept = np.asarray(tables.entry_concept)
    hashes = np.asarray(tables.near_key_hashes)
    consistent = (
        len(tables.key_offsets) == keys + 1
        and (not keys or int(tables.key_offsets[-1]) == entries)
        and len(tables.entry_concept) == len(tables.entry_term) == len(tables.entry_flags) == entries
        and len(tables.concept_kinds) == len(tables.concept_terms) == concepts
        and len(tables.near_concept) == len(tables.near_term) == len(tables.near_forms)
        and len(tables.near_offsets) == len(tables.near_key_hashes) + 1
        and (len(hashes) < 2 or bool(np.all(hashes[1:] > hashes[:-1])))
        and len(automaton) == keys
        and (not entries or (int(entry_concept.min()) >= 0 and int(entry_concept.max()) < concepts))
    )
    if not consistent:
        raise ValueError("stored recognizer tables do not fit together")


def _remove_others(root: Path, keep: Path) -> None:
    """Remove the folders of other versions, and temporary folders left by a crash long ago."""
    try:
        children = list(root.iterdir())
    except OSError:
        return
    now = time.time()
    for child in children:
        if child == keep or not child.is_dir():
            continue
        if child.name.startswith(".tmp-"):
            with contextlib.suppress(OSError):
                if now - child.stat().st_mtime < _STALE_TEMP_SECONDS:
                    continue
        shutil.rmtree(child, ignore_errors=True)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
