"""Plain records: the preferred form a concept offers for a language and a form type."""

from __future__ import annotations

import pytest

from glossary.model.records import ConceptRecord, TermRecord

TOKAYEV = ConceptRecord(
    id="tokayev",
    kind="person",
    terms=[
        TermRecord("en", "Kassym-Jomart Tokayev"),
        TermRecord("en", "Tokayev", type="short_form"),
        TermRecord("en", "Tokaev", status="admitted", type="short_form"),
        TermRecord("ru", "Токаев", type="short_form"),
        TermRecord("ru-Latn", "Tokaev", status="preferred", scheme="iso9", origin="generated"),
    ],
)


@pytest.mark.parametrize(
    ("lang", "type", "expected"),
    [
        ("en", None, "Kassym-Jomart Tokayev"),
        ("en", "full_form", "Kassym-Jomart Tokayev"),
        ("en", "short_form", "Tokayev"),
        ("en-GB", "short_form", "Tokayev"),
        ("en", "abbreviation", "Kassym-Jomart Tokayev"),
        ("ru", "full_form", "Токаев"),
        ("ru-Latn", None, "Токаев"),  # primary-language fallback; generated forms never count
        ("de", None, None),
    ],
)
def test_preferred_by_language_and_type(lang: str, type: str | None, expected: str | None):
    found = TOKAYEV.preferred(lang, type)
    assert (found.text if found else None) == expected
