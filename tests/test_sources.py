"""The sources register loader (glossary/sources.py) and what a register entry covers."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.formats.sources import read_sources
from glossary.model.errors import ParseError
from glossary.model.records import SourceRecord

ENTRY = """
[[source]]
id = "kremlin"
title = "President of Russia: official website"
publisher = "Presidential Executive Office of Russia"
url = "http://en.kremlin.ru"
basis = "official"
langs = ["en", "ru"]
kinds = ["person", "organisation"]
consulted = "2026-12-01"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_an_entry_with_every_field(tmp_path):
    [(sid, record)] = read_sources(_write(tmp_path, ENTRY)).items()
    assert sid == "kremlin"
    assert record == SourceRecord(
        id="kremlin",
        title="President of Russia: official website",
        basis="official",
        langs=("en", "ru"),
        publisher="Presidential Executive Office of Russia",
        url="http://en.kremlin.ru",
        kinds=("person", "organisation"),
        consulted="2026-12-01",
    )


def test_the_bundled_register_holds_the_rests_on_entries():
    sources = read_sources()
    assert {"editor", "article", "kz_latin_2021"} <= set(sources)
    assert sources["kz_latin_2021"].basis == "scheme"
    assert sources["kz_latin_2021"].langs == ("kk-Latn",)
    assert sources["article"].langs == ("en",)


@pytest.mark.parametrize(
    ("lang", "kind", "type", "covered"),
    [
        ("en", "person", "full_form", True),
        ("ru", "organisation", "abbreviation", True),
        ("kk", "person", "full_form", False),  # language not covered
        ("en", "place", "full_form", False),  # kind not covered
        ("en", None, None, True),  # nothing known but the language
    ],
)
def test_covers_language_and_kind(tmp_path, lang, kind, type, covered):
    record = read_sources(_write(tmp_path, ENTRY))["kremlin"]
    assert record.covers(lang, kind, type) is covered


def test_types_narrow_an_entry():
    record = SourceRecord(id="ungegn", title="t", basis="official", langs=("en",), types=("full_form",))
    assert record.covers("en", "place", "full_form")
    assert not record.covers("en", "place", "abbreviation")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('basis = "official"', 'basis = "blog"'), "unknown basis"),
        (lambda t: t.replace('consulted = "2026-12-01"', 'consulted = "December 2026"'), "not an ISO date"),
        (lambda t: t.replace('langs = ["en", "ru"]', "langs = []"), "non-empty list"),
        (lambda t: t.replace('kinds = ["person", "organisation"]', 'kinds = ["city"]'), "unknown kind"),
        (lambda t: t.replace('id = "kremlin"', 'id = "Kremlin"'), "not a lowercase slug"),
        (lambda t: t.replace('title = "President', 'website = "x"\ntitle = "President'), "unknown keys"),
        (lambda t: t.replace('title = "President of Russia: official website"\n', ""), "missing ['title']"),
        (lambda t: t + t, "appears twice"),
        (lambda t: t + "[broken", "invalid TOML"),
    ],
)
def test_malformed_registers_are_refused(tmp_path, change, message):
    with pytest.raises(ParseError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_sources(_write(tmp_path, change(ENTRY)))
