"""Ordinary words of each language: a capitalised word that is one is never a misspelt name.

English, German, French and Russian words come from wordfreq (Zipf frequency at least
``ZIPF``: a word used about once per three million words or more); Kazakh words from the list in
``wordlists/`` (see its README). Words are folded as names are (``Série`` → ``serie``).

Reading a wordfreq list takes a second or more, so each language's folded words are written
once to the user cache folder and read from there afterwards (a few hundredths of a second).
The loaded sets are immutable and shared by every index in the process.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from importlib import metadata, resources
from pathlib import Path

from glossary.atomic import write_atomic
from glossary.model.errors import GlossaryError
from glossary.text.fold import fold

ZIPF = 2.5
WORDFREQ_LANGUAGES = ("en", "de", "fr", "ru")
BUNDLED_LANGUAGES = ("kk",)
LANGUAGES = WORDFREQ_LANGUAGES + BUNDLED_LANGUAGES
_LOCK = threading.Lock()
_LOADED: dict[str, frozenset[str]] = {}


def is_ordinary(folded: str, primary: str) -> bool:
    """Whether every word of the folded ``folded`` is an ordinary word of language ``primary``."""
    words = _LOADED.get(primary)
    if words is None:
        words = ordinary_words(primary)
    if not words:
        return False
    if " " not in folded and "ß" not in folded:
        return folded in words
    return all(part.replace("ß", "ss") in words for part in folded.split(" "))


def ordinary_words(primary: str) -> frozenset[str]:
    """The folded ordinary words of a language (empty for a language without a list)."""
    found = _LOADED.get(primary)
    if found is None:
        if primary not in LANGUAGES:
            return frozenset()
        with _LOCK:
            found = _LOADED.get(primary)
            if found is None:
                found = _LOADED[primary] = _load(primary)
    return found


def _source_id(primary: str) -> str:
    if primary in WORDFREQ_LANGUAGES:
        return f"wordfreq-{metadata.version('wordfreq')}-zipf{ZIPF}"
    digest = hashlib.sha256(_bundled(primary).read_bytes()).hexdigest()[:12]
    return f"bundled-{digest}"


def _bundled(primary: str) -> Path:
    return Path(str(resources.files("glossary.recognize") / "wordlists" / f"{primary}.txt.gz"))


def _cache_file(primary: str) -> Path:
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("glossary", appauthor=False)) / "wordlists"
    return folder / f"{primary}-{_source_id(primary)}.txt"


def _load(primary: str) -> frozenset[str]:
    path = _cache_file(primary)
    try:
        return frozenset(path.read_text(encoding="utf-8").split("\n"))
    except (OSError, UnicodeDecodeError):
        pass
    words = frozenset(_folded(primary))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, ["\n".join(sorted(words))])
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
