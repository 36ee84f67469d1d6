"""Property tests of the romanizer's shortcuts: a word takes them only where the full rules agree."""

from __future__ import annotations

import iuliia
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.translit.engine import (
    _iuliia_plan,
    _iuliia_word,
    _plan,
    _table_word,
    _table_word_in_context,
    romanize_word,
)
from glossary.translit.registry import load_schemes
from glossary.translit.variants import VariantMaker

SCHEMES = load_schemes()
TABLE = sorted(key for key, (_, rules) in SCHEMES.items() if rules.engine == "table")
IULIIA = sorted(key for key, (_, rules) in SCHEMES.items() if rules.engine == "iuliia")
# Every letter of the schemes' source alphabets, both cases, plus a Latin letter and Turkic İ/ı.
_LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіґєїўҷҳӣӯԱաբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև" + "iıq"
_ALPHABET = _LOWER + _LOWER.upper() + "İ"
words = st.text(alphabet=_ALPHABET, min_size=1, max_size=12)
# Real names are mostly one capital and lower case, or all capitals: draw those shapes often.
# A scheme romanizes one word, a run of letters (``apply`` splits text so): capitalising a word
# that holds İ lowers it to i and a combining dot, which is no letter and would end the word there.
shaped = (words | words.map(str.capitalize) | words.map(str.upper)).filter(lambda word: word.isalpha())


@pytest.mark.parametrize("key", TABLE, ids="_".join)
@given(word=shaped)
@settings(max_examples=150, deadline=None)
def test_a_table_scheme_gives_what_its_full_rules_give(key, word):
    rules = SCHEMES[key][1]
    lower = "".join(letter if len(letter.lower()) != 1 else letter.lower() for letter in word)
    assert _table_word(rules, word) == _table_word_in_context(rules, _plan(rules), word, lower)


def test_a_letter_with_a_longer_lower_case_keeps_the_others_in_place():
    """İ lower-cases to two characters; the letters after it were read at the wrong index."""
    rules = SCHEMES[("be", "bgn_pcgn")][1]
    assert _table_word(rules, "İЁ") == "İYO"


@pytest.mark.parametrize("key", IULIIA, ids="_".join)
@given(word=shaped)
@settings(max_examples=150, deadline=None)
def test_an_iuliia_scheme_gives_what_iuliia_gives(key, word):
    rules = SCHEMES[key][1]
    expected = iuliia.schemas.get(rules.iuliia_schema).translate(word)
    for wrong, right in rules.output_fixes.items():
        expected = expected.replace(wrong, right).replace(wrong.upper(), right.upper())
    if word.isupper() and sum(c.isupper() for c in word) >= 2:
        expected = expected.upper()
    assert _iuliia_word(rules, word) == expected


def test_the_shortcuts_are_taken():
    """Without the shortcut both tests above would pass trivially: common names must take it."""
    ru_bgn = SCHEMES[("ru", "bgn_pcgn")][1]
    kk_2021 = SCHEMES[("kk", "kz_latin_2021")][1]
    assert _plan(kk_2021).mixed, "the Kazakh 2021 table has no plain letters"
    assert {"т", "к"} <= {chr(code) for code in _plan(kk_2021).mixed}
    assert _iuliia_plan(ru_bgn.iuliia_schema).letters[ord("М")] == "M"
    assert _iuliia_word(ru_bgn, "Мамин") == "Mamin"
    assert romanize_word(kk_2021, "ТОҚАЕВ") == "TOQAEV"
    assert romanize_word(kk_2021, "Тоқаев") == "Toqaev"


@given(text=st.lists(shaped, min_size=1, max_size=4).map(" ".join))
@settings(max_examples=200, deadline=None)
def test_a_variant_maker_romanizes_as_the_public_function(text):
    from glossary.translit import romanize

    maker = VariantMaker()
    for lang, name in (("ru", "bgn_pcgn"), ("ru", "de_press"), ("kk", "kz_latin_2021"), ("hy", "iso_9985")):
        assert maker.romanize(text, lang, name) == romanize(text, lang, name)
