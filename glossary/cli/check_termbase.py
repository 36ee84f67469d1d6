"""A term-base file (TBX, CSV, seed TOML) compiled once into a recognizer, cached by its content hash."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from glossary import __version__
from glossary.model.errors import ParseError, UsageError
from glossary.model.records import ConceptRecord
from glossary.recognize.index import TermIndex

_FORMAT = 2  # bump when what is read from a term-base file changes


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


def load_termbase(path: Path) -> tuple[TermIndex, bool]:
    """The compiled recognizer of the term base at ``path`` and whether it came from the cache.

    Stored in the recognizer's own format (``glossary.recognize.stored``) under a folder per term-base
    file, keyed by the file's content hash: an edited file is compiled once, and its older compiled
    versions are removed when the new one is stored.
    """
    from glossary.recognize.index import compile_index
    from glossary.recognize.stored import load_index, save_index

    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UsageError(f"--termbase {path}: no such file") from exc
    except IsADirectoryError as exc:
        raise UsageError(f"--termbase {path}: a file is needed, not a folder") from exc
    root = cache_folder() / hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    version = _key(data)
    index = load_index(root, version)
    if index is not None:
        return index, True
    index = compile_index(read_termbase_file(path, data))
    save_index(index, root, version)  # a read-only cache only costs the next run a compile
    return index, False
