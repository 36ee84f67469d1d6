"""Catalogues built from the database: the article's entries, headers, stable dates, gettext's checks."""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlmodel import Session, select

from glossary.formats.mo import generate_mo
from glossary.formats.po import encode_po, generate_po
from glossary.formats.seed import bundled_path
from glossary.model.catalog_langs import gettext_language, language_team, plural_forms
from glossary.model.tables import Segment
from glossary.store.catalogs import build_catalog
from glossary.store.documents import import_document
from glossary.store.engine import make_engine
from glossary.store.termbase import load_concepts

needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools are not installed")


@pytest.fixture
def session(seeded_db_url: str):
    with Session(make_engine(seeded_db_url)) as session:
        yield session


def _bytes(session: Session, lang: str | None) -> bytes:
    concepts = load_concepts(session=session)
    exported = build_catalog(session=session, document="article", lang=lang, concepts=concepts)
    return b"".join(encode_po(exported.catalog, generate_po(exported.catalog)))


def test_article_entries_carry_key_reference_and_names(session: Session):
    concepts = load_concepts(session=session)
    exported = build_catalog(session=session, document="article", lang="kk", concepts=concepts)
    header, *entries = exported.catalog.messages
    segments = len(session.exec(select(Segment)).all())
    assert header.is_header and len(entries) == segments
    first = entries[0]
    assert first.msgid == "[Image: Kazakh President Tokayev. Source Eurasianet.org]"
    assert first.references == ("article.txt:1",)
    assert "Tokayev → Тоқаев" in first.extracted_comments
    assert len({e.msgctxt for e in entries}) == segments  # the segment keys tell repeated sentences apart
    assert set(exported.versions) and all(v >= 0 for v in exported.versions.values())


def test_headers_come_from_locale_data():
    assert language_team("ru") == "русский" and language_team("kk") == "қазақ тілі"
    assert language_team("de") == "Deutsch" and language_team("fr") == "français"
    assert plural_forms("fr") == "nplurals=2; plural=(n > 1);"
    assert plural_forms("ru").startswith("nplurals=3;")
    assert plural_forms("kk") == plural_forms("de") == "nplurals=2; plural=(n != 1);"
    assert gettext_language("kk-Latn") == "kk@latin" and gettext_language("pt-BR") == "pt_BR"


def test_two_exports_of_unchanged_data_are_identical(session: Session):
    assert _bytes(session, "ru") == _bytes(session, "ru")
    assert _bytes(session, None) == _bytes(session, None)


def test_a_changed_source_gives_fuzzy_with_previous_msgid(session: Session):
    text = bundled_path("article.txt").read_text(encoding="utf-8")
    old = "The situation is stable in all regions."
    edited = text.replace(old, "The situation is stable in every region.")
    import_document(session=session, name="article", text=edited, path="article.txt")
    catalog = build_catalog(session=session, document="article", lang="ru").catalog
    entry = next(m for m in catalog.messages if m.msgid == "The situation is stable in every region.")
    assert entry.fuzzy and entry.previous_msgid == old
    assert entry.msgstr == "Во всех регионах ситуация стабильная."
    written = b"".join(encode_po(catalog, generate_po(catalog))).decode()
    assert '#| msgid "The situation is stable in all regions."' in written


@needs_gettext
@pytest.mark.parametrize("lang", ["ru", "kk", "de", "fr"])
def test_exported_catalogues_pass_gettexts_checks(session: Session, lang: str, tmp_path: Path):
    path = tmp_path / f"{lang}.po"
    path.write_bytes(_bytes(session, lang))
    check = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True)
    assert (check.returncode, check.stderr) == (0, "")
    assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout == path.read_bytes()


def test_compiled_catalogue_translates_with_python_gettext(session: Session):
    exported = build_catalog(session=session, document="article", lang="ru")
    translations = gettext.GNUTranslations(io.BytesIO(generate_mo(exported.catalog)))
    entry = next(m for m in exported.catalog.messages if m.msgid == "The situation is stable in all regions.")
    assert translations.pgettext(entry.msgctxt, entry.msgid) == "Во всех регионах ситуация стабильная."
