"""Property tests of the PO wrapper's short way: it fills lines exactly as the general way does."""

from __future__ import annotations

import re
import unicodedata

import property_helpers  # noqa: F401  (loads the hypothesis profiles)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.formats.po_linebreak import class_of, is_narrow, simple_text_patterns
from glossary.formats.po_wrap import _simple_patterns, _wrap_any, wrap_string

_SIMPLE_CHAR = re.compile(simple_text_patterns()[0])
_CHARS = [chr(code) for code in range(0x20, 0x2030) if _SIMPLE_CHAR.fullmatch(chr(code))]
_WORD_CHARS = [ch for ch in _CHARS if ch != " "]
# Letters weigh most, as in text; then every character the short way takes, punctuation included.
_LETTERS = list("abcdefghijklmnopqrstuvwxyzАБВабвгдежзийклмнопрстуңқәөүұ")
_words = st.text(alphabet=st.sampled_from(_LETTERS) | st.sampled_from(_WORD_CHARS), min_size=1, max_size=14)
_PREFIXES = ("", "#~ ", "#| ", "#~| ")
_KEYWORDS = ("msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr[2]")


@st.composite
def simple_texts(draw: st.DrawFn) -> str:
    """Words parted by single spaces, a space at either end now and then."""
    words = draw(st.lists(_words, min_size=1, max_size=40))
    return draw(st.sampled_from(["", " "])) + " ".join(words) + draw(st.sampled_from(["", " "]))


@settings(max_examples=400)
@given(text=simple_texts(), prefix=st.sampled_from(_PREFIXES), keyword=st.sampled_from(_KEYWORDS))
def test_the_short_way_fills_lines_as_the_general_way(text: str, prefix: str, keyword: str) -> None:
    simple, _lines, _any_break = _simple_patterns(77 - len(prefix))
    assert simple.fullmatch(text) is not None  # the short way is the one taken
    assert wrap_string(keyword, text, line_prefix=prefix) == _wrap_any(
        f"{prefix}{keyword} ", text, wrap=True, line_prefix=prefix
    )


@pytest.mark.parametrize("text", [
    "Kazakh President Tokayev made a speech before the lower house of the Kazakh parliament some hours ago.",
    "Касым-Жомарт Токаев заявил, что основная миссия миротворческих сил ОДКБ успешно завершена.",
    "« Selon Tokaïev, la mission de l'OTSC est terminée » : le retrait commencera dans deux jours.",
    "0123456789" * 9,  # no break opportunity: one over-long line on the keyword's
    "U.S.-led talks—in Astana/Nur-Sultan—(again); 50% of $1,000 «cost» „less“ ’than’ 2022-01-16!",
])
def test_known_sentences_take_the_short_way_with_the_same_lines(text: str) -> None:
    assert _simple_patterns(77)[0].fullmatch(text) is not None
    for prefix in _PREFIXES:
        general = _wrap_any(f"{prefix}msgid ", text, wrap=True, line_prefix=prefix)
        assert wrap_string("msgid", text, line_prefix=prefix) == general


def test_the_short_way_takes_only_what_it_can_handle() -> None:
    assert all(is_narrow(ch) for ch in _CHARS)
    assert not {'"', "\\", "\n", "\t", "\u00ad", "\u0301", "\u200b", "中"} & set(_CHARS)
    assert all(unicodedata.category(ch) != "Cn" and class_of(ch) != "m" for ch in _CHARS)
    simple = _simple_patterns(77)[0]
    assert simple.fullmatch("two  spaces") is not None  # wrap_string sends these the general way
    assert wrap_string("msgid", "a" * 40 + "  " + "b" * 40) == _wrap_any(
        "msgid ", "a" * 40 + "  " + "b" * 40, wrap=True, line_prefix=""
    )
