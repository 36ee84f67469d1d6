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
        ("English", None),
        ("en_US", None),
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


def test_require_lang_names_what_was_wrong():
    with pytest.raises(UsageError, match="--target 'xx!' is not a language tag"):
        require_lang("xx!", "--target")
