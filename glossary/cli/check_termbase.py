"""A term-base file (TBX, CSV, seed TOML) compiled into a recognizer once and kept in the user cache by content hash."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import threading
from pathlib import Path
from typing import Any

from glossary import __version__
from glossary.model.errors import ParseError, UsageError
from glossary.model.records import ConceptRecord
from glossary.recognize.index import TermIndex

_FORMAT = 1  # bump when the stored layout changes: old files are then ignored
_MEMOS = ("preferred_memo", "_first_name_memo", "_near_memo", "choice_memo")


def read_termbase_file(path: Path, data: bytes) -> list[ConceptRecord]:
    """The concepts of a term-base file, by its suffix, with their romanizations generated as the
    database would (generated forms in the file are replaced)."""
    from dataclasses import replace

    from glossary.translit.variants import generate_variants

    suffix = path.suffix.lower()
    name = str(path)
    if suffix == ".tbx" or suffix == ".xml":
        from glossary.formats.tbx import read_tbx

        concepts = list(read_tbx(io.BytesIO(data), name))
    elif suffix == ".csv":
        from glossary.formats.csv import read_csv

        concepts = list(read_csv(io.StringIO(_text(data, name), newline=""), name))
    elif suffix == ".toml":
        import tomllib

        from glossary.formats.seed import read_termbase_toml

        try:
            concepts = read_termbase_toml(path)
        except tomllib.TOMLDecodeError as exc:  # pragma: no cover - the reader converts it
            raise ParseError(name, None, str(exc)) from exc
    else:
        raise UsageError(f"--termbase {name}: a .tbx, .csv or .toml term base is needed")
    result = []
    for concept in concepts:
        entered = [term for term in concept.terms if term.origin != "generated"]
        record = replace(concept, terms=entered)
        record.terms.extend(generate_variants(record))
        result.append(record)
    return result


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(name, data.count(b"\n", 0, exc.start) + 1, "not UTF-8 text") from exc


def cache_folder() -> Path:
    """Where compiled term bases are kept (``$GLOSSARY_CACHE_DIR`` or the user cache folder)."""
    override = os.environ.get("GLOSSARY_CACHE_DIR")
    if override:
        return Path(override) / "check"
    import platformdirs

    return Path(platformdirs.user_cache_dir("glossary", appauthor=False)) / "check"


def _key(data: bytes) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{__version__}\0{_FORMAT}".encode())
    return digest.hexdigest()[:32]


class _Pickler(pickle.Pickler):
    """Pickles a TermIndex without its lock and remembered answers."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is TermIndex:
            state = dict(obj.__dict__)
            state.pop("_near_lock", None)
            for name in _MEMOS:
                state[name] = {}
            return _restore, (state,)
        return NotImplemented


def _restore(state: dict[str, Any]) -> TermIndex:
    index = object.__new__(TermIndex)
    index.__dict__.update(state)
    index._near_lock = threading.Lock()
    return index


def load_termbase(path: Path) -> tuple[TermIndex, bool]:
    """The compiled recognizer of the term base at ``path`` and whether it came from the cache."""
    from glossary.atomic import write_atomic_bytes
    from glossary.recognize.index import compile_index

    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UsageError(f"--termbase {path}: no such file") from exc
    stored = cache_folder() / f"{_key(data)}.pickle"
    try:
        with stored.open("rb") as handle:
            index = pickle.load(handle)
        if isinstance(index, TermIndex):
            return index, True
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # not there yet, or written by another version: rebuild
    index = compile_index(read_termbase_file(path, data))
    index.near_index()  # stored with the rest, so no later run builds it
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(index)
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(stored, [buffer.getvalue()])
    except OSError:
        pass  # a read-only cache only costs the next run a rebuild
    return index, False
