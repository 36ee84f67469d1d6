"""Language tags: one canonical spelling for every input."""

from __future__ import annotations

import pytest

from glossary.model.errors import UsageError
from glossary.model.langtag import canonical_lang, require_lang


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("kk-latn", "kk-Latn"),
        ("ru-ru", "ru-RU"),
        ("de-AT", "de-AT"),
        ("tg", "tg"),
        ("HY", "hy"),
        ("ky-cyrl", "ky-Cyrl"),
        ("en-US-x-twain", "en-US-x-twain"),
        ("en-x-ab", "en-x-ab"),  # private use stays lower case
        ("en-x-AB", "en-x-ab"),
        ("en_US", "en-US"),
        ("en-US-u-ca-gregory", "en-US-u-ca-gregory"),  # extensions are kept
        ("EN-us-U-CA-gregory", "en-US-u-ca-gregory"),
        ("zh-yue", "yue"),  # an extended language subtag: its preferred value
        ("iw", "he"),  # deprecated codes are mapped
        ("in", "id"),
        ("kaz", "kk"),
        ("English", None),
        ("x-klingon", None),  # private use alone names no language
        ("und", None),
        ("zz", None),
        ("../../etc", None),
        ("", None),
    ],
)
def test_canonical_lang(tag: str, expected: str | None):
    assert canonical_lang(tag) == expected


def test_every_term_base_language_is_a_known_tag():
    from glossary.model.records import TERMBASE_LANGS

    assert [canonical_lang(tag) for tag in TERMBASE_LANGS] == list(TERMBASE_LANGS)
    assert {"hy", "ky"} <= set(TERMBASE_LANGS)


def test_a_file_s_bad_tag_names_the_file_and_line():
    from glossary.model.errors import ParseError
    from glossary.model.langtag import parse_lang

    with pytest.raises(ParseError, match=r"^terms\.csv:7: .*'en-'"):
        parse_lang("en-", "terms.csv", 7)
    assert parse_lang("EN_gb", "terms.csv", 7) == "en-GB"


def test_require_lang_names_what_was_wrong():
    with pytest.raises(UsageError, match="--target 'xx!' is not a language tag"):
        require_lang("xx!", "--target")
