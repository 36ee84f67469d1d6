"""Ordinary words of each language: a capitalised word that is one is never a misspelt name.

English, German, French and Russian words come from wordfreq (Zipf frequency at least
``ZIPF``: a word used about once per three million words or more); Kazakh words from the list in
``wordlists/`` (see its README). Words are folded as names are (``Série`` → ``serie``).

Reading a wordfreq list takes a second or more, so each language's folded words are written
once to the user cache folder, as the sorted 64-bit hashes of the words
(:mod:`glossary.recognize.hashed`), and read from there afterwards: loading is reading one
file, with no string made, and a batch of words is looked up in one numpy search. The loaded
tables are immutable and shared by every index (and thread) in the process.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import threading
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from glossary.atomic import write_atomic_bytes
from glossary.model.errors import GlossaryError
from glossary.recognize.hashed import contains, hashes
from glossary.text.fold import fold

ZIPF = 2.5
WORDFREQ_LANGUAGES = ("en", "de", "fr", "ru")
BUNDLED_LANGUAGES = ("kk",)
LANGUAGES = WORDFREQ_LANGUAGES + BUNDLED_LANGUAGES
_FORMAT = "h1"  # how the words are stored: sorted hashes (glossary.recognize.hashed)
_LOCK = threading.Lock()


class WordTable:
    """A language's folded ordinary words, as the sorted hashes of the words."""

    def __init__(self, table: np.ndarray) -> None:
        self.table = table

    @classmethod
    def of(cls, words: Iterable[str]) -> WordTable:
        return cls(np.unique(hashes(list(words))))

    def __len__(self) -> int:
        return int(self.table.size)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and contains(self.table, [word])[0]

    def contains_many(self, words: Sequence[str]) -> list[bool]:
        """Whether each of ``words`` is an ordinary word, in one lookup."""
        return contains(self.table, words)

    def issuperset(self, words: Iterable[str]) -> bool:
        return all(contains(self.table, list(words)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordTable) and np.array_equal(self.table, other.table)

    __hash__ = None  # type: ignore[assignment]


EMPTY = WordTable(np.zeros(0, dtype=np.uint64))
_LOADED: dict[str, WordTable] = {}


def is_ordinary(folded: str, primary: str) -> bool:
    """Whether every word of the folded ``folded`` is an ordinary word of language ``primary``."""
    words = _LOADED.get(primary)
    if words is None:
        words = ordinary_words(primary)
    if not words:
        return False
    if " " not in folded and "ß" not in folded:
        return folded in words
    return words.issuperset(part.replace("ß", "ss") for part in folded.split(" "))


def ordinary_words(primary: str) -> WordTable:
    """The folded ordinary words of a language (empty for a language without a list)."""
    found = _LOADED.get(primary)
    if found is None:
        if primary not in LANGUAGES:
            return EMPTY
        with _LOCK:
            found = _LOADED.get(primary)
            if found is None:
                found = _LOADED[primary] = _load(primary)
    return found


def _source_id(primary: str) -> str:
    if primary in WORDFREQ_LANGUAGES:
        return f"wordfreq-{_wordfreq_version()}-zipf{ZIPF}"
    digest = hashlib.sha256(_bundled(primary).read_bytes()).hexdigest()[:12]
    return f"bundled-{digest}"


def _wordfreq_version() -> str:
    """The installed wordfreq's version, from the name of its dist-info folder (importlib.metadata
    would read every installed package's metadata first: a twentieth of a second at each start)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is not None and spec.origin:
        found = list(Path(spec.origin).parent.parent.glob("wordfreq-*.dist-info"))
        if len(found) == 1:
            return found[0].name.removeprefix("wordfreq-").removesuffix(".dist-info")
    from importlib import metadata

    return metadata.version("wordfreq")


def _bundled(primary: str) -> Path:
    return Path(str(resources.files("glossary.recognize") / "wordlists" / f"{primary}.txt.gz"))


def _cache_file(primary: str) -> Path:
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("glossary", appauthor=False)) / "wordlists"
    return folder / f"{primary}-{_source_id(primary)}-{_FORMAT}.u64"


def _load(primary: str) -> WordTable:
    path = _cache_file(primary)
    try:
        data = path.read_bytes()
        if len(data) % 8 == 0:
            table = np.frombuffer(data, dtype="<u8").astype(np.uint64)
            if table.size < 2 or bool(np.all(table[1:] > table[:-1])):
                return WordTable(table)
    except OSError:
        pass
    words = WordTable.of(_folded(primary))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(path, [words.table.astype("<u8").tobytes()])
    except (OSError, GlossaryError):
        pass  # a read-only cache folder only costs the next process the same second
    return words


def _folded(primary: str) -> set[str]:
    if primary in WORDFREQ_LANGUAGES:
        import wordfreq

        floor = 10 ** (ZIPF - 9)
        raw = [w for w, f in wordfreq.get_frequency_dict(primary, "large").items() if f >= floor]
    else:
        with gzip.open(_bundled(primary), "rt", encoding="utf-8") as stream:
            raw = stream.read().split("\n")
    return {fold(word).replace("ß", "ss") for word in raw if len(word) >= 3 and word.isalpha()}
