"""Hypothesis profiles and strategies shared by the property tests of the readers.

Profiles: ``default`` (50 examples a test, used unless told otherwise) and ``fuzz`` (a long run:
``HYPOTHESIS_PROFILE=fuzz``, ``HYPOTHESIS_EXAMPLES`` examples a test, 5,000 by default).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from glossary.model.chars import NOT_XML
from glossary.model.conceptid import CONCEPT_ID
from glossary.model.errors import GlossaryError, ParseError

# No "explain" phase: it re-runs a failing example hundreds of times to say which lines it ran.
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
settings.register_profile(
    "default", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=_PHASES,
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "5000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=_PHASES,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

LANGS = ("en", "ru", "kk", "kk-Latn", "de", "fr", "be", "ky")
# Characters a valid file can carry: no controls but tab, line feed and carriage return, no
# surrogates, no non-characters. Cyrillic and Kazakh letters come often, as in real files.
_CHARS = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")),
    st.sampled_from("ТоқаевАлматыҚазақстанӘәҒғҢңӨөҰұҮүҺһІі«»—–„“ "),
    st.sampled_from("\t\n\r&<>\"'"),
)


def texts(*, min_size: int = 0, max_size: int = 30, stripped: bool = False) -> st.SearchStrategy[str]:
    """Text a valid file may hold; ``stripped``: no white space at either end, not empty."""
    base = st.text(_CHARS, min_size=min_size, max_size=max_size).filter(lambda t: not NOT_XML.search(t))
    if stripped:
        return st.text(_CHARS, min_size=1, max_size=max_size).map(str.strip).filter(
            lambda t: bool(t) and not NOT_XML.search(t))
    return base


def one_line(*, max_size: int = 30) -> st.SearchStrategy[str]:
    """Stripped text of one line (no line breaks at all)."""
    return texts(max_size=max_size, stripped=True).map(lambda t: " ".join(t.split())).filter(bool)


concept_ids = st.from_regex(CONCEPT_ID, fullmatch=True)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` corrupted once or a few times: cut short, bytes put in or taken out, a piece
    repeated or nested, re-encoded in another encoding."""
    for _ in range(draw(st.integers(1, 3))):
        size = len(data)
        at = draw(st.integers(0, size))
        kind = draw(st.sampled_from(
            ["truncate", "insert", "delete", "repeat", "nest", "utf-16", "latin-1", "flip", "control"]
        ))
        if kind == "truncate":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 16)):]
        elif kind == "repeat":
            end = draw(st.integers(at, size))
            data = data[:end] + data[at:end] * draw(st.integers(1, 50)) + data[end:]
        elif kind == "nest":
            tag = draw(st.sampled_from([b"hi", b"note", b"seg", b"termSec", b"tu"]))
            depth = draw(st.integers(1, 300))
            data = data[:at] + (b"<" + tag + b">") * depth + b"x" + (b"</" + tag + b">") * depth + data[at:]
        elif kind == "utf-16":
            codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]))
            data = data.decode("utf-8", "replace").encode(codec)
        elif kind == "latin-1":
            data = data.decode("utf-8", "replace").encode("cp1251", "replace")
        elif kind == "flip" and size:
            at = min(at, size - 1)
            data = data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1:]
        elif kind == "control":
            data = data[:at] + bytes([draw(st.sampled_from([0, 1, 7, 8, 11, 12, 27, 31]))]) + data[at:]
    return data


def refusal(call: Callable[[], object]) -> GlossaryError | None:
    """What ``call`` raised of the project's own errors (None if nothing); any other exception
    escapes and fails the test."""
    try:
        call()
    except GlossaryError as exc:
        return exc
    return None


def names_its_place(error: GlossaryError | None, path: str, data: bytes) -> bool:
    """Whether ``error`` (if any) is a ParseError naming ``path`` and a line the data has."""
    if error is None:
        return True
    # A lone carriage return ends a line too; "the file ends inside an entry" names the line after.
    lines = data.count(b"\n") + data.count(b"\r") + 2
    in_file = error.line is None or 1 <= error.line <= lines if isinstance(error, ParseError) else False
    return isinstance(error, ParseError) and error.path == path and in_file
