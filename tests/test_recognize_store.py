"""Tests for glossary.recognize.stored: a loaded index answers as the compiled one; bad files are refused."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from glossary.formats.seed import bundled_path, read_termbase_toml
from glossary.model.records import ConceptRecord, TermRecord
from glossary.recognize.spans import compile_index, recognize
from glossary.recognize.stored import MANIFEST, folder_for, load_index, save_index
from glossary.translit.variants import generate_variants

TEXTS = [
    ("en", "Nazarbyev and Tokaev met the CSTO in Almaty; Kassym-Jomart Tokayev's aide was there."),
    ("ru", "Касыма-Жомарта Токаева поддержали в ОДКБ, а Назрбаев промолчал."),
    ("kk", "Тоқаевтың сөзін Назарбаев қолдады."),
    ("de", "Tokajews Sprecher traf Lukaschenka in Moskau."),
    ("fr", "Entretien d'Almaty : Tokaïve et Poutine."),
]


@pytest.fixture(scope="module")
def seed_index():
    concepts = [replace(c, terms=[*c.terms, *generate_variants(c)]) for c in read_termbase_toml()]
    return compile_index(concepts)


def test_a_loaded_index_finds_what_the_compiled_one_finds(seed_index, tmp_path: Path):
    assert save_index(seed_index, tmp_path, "db:1") is not None
    loaded = load_index(tmp_path, "db:1")
    assert loaded is not None
    article = bundled_path("article.txt").read_text(encoding="utf-8")
    for lang, text in [*TEXTS, ("en", article)]:
        expected = recognize(text, lang, seed_index)
        assert expected
        assert recognize(text, lang, loaded) == expected
    assert {s.match for s in recognize(article, "en", loaded)} >= {"exact", "near_miss"}


def test_another_version_is_not_loaded(seed_index, tmp_path: Path):
    save_index(seed_index, tmp_path, "db:1")
    assert load_index(tmp_path, "db:2") is None
    assert load_index(tmp_path / "nowhere", "db:1") is None


def test_a_new_version_replaces_the_old_folder(seed_index, tmp_path: Path):
    first = save_index(seed_index, tmp_path, "db:1")
    second = save_index(seed_index, tmp_path, "db:2")
    assert first is not None and second is not None
    assert not first.exists()
    assert [p.name for p in tmp_path.iterdir()] == [second.name]


@pytest.mark.parametrize("name", ["automaton.pickle", "arrays.npz", "entry_raw.txt", "concept_terms.txt"])
def test_a_damaged_file_is_refused(seed_index, tmp_path: Path, name: str):
    folder = save_index(seed_index, tmp_path, "db:1")
    assert folder is not None
    path = folder / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert load_index(tmp_path, "db:1") is None


def test_a_truncated_or_missing_file_is_refused(seed_index, tmp_path: Path):
    folder = save_index(seed_index, tmp_path, "db:1")
    assert folder is not None
    (folder / "near_forms.txt").write_bytes(b"")
    assert load_index(tmp_path, "db:1") is None
    (folder / "near_forms.txt").unlink()
    assert load_index(tmp_path, "db:1") is None
    (folder / MANIFEST).write_text("{not json", encoding="utf-8")
    assert load_index(tmp_path, "db:1") is None


class _Boom:
    def __reduce__(self):
        return (print, ("this must never run",))


def test_a_pickle_naming_any_other_class_is_refused(seed_index, tmp_path: Path, capsys):
    folder = save_index(seed_index, tmp_path, "db:1")
    assert folder is not None
    # A doctored file with a matching checksum: the unpickler still refuses to call print.
    import hashlib

    payload = pickle.dumps(_Boom())
    (folder / "automaton.pickle").write_bytes(payload)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["automaton.pickle"] = hashlib.sha256(payload).hexdigest()
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert load_index(tmp_path, "db:1") is None
    assert "this must never run" not in capsys.readouterr().out


def test_a_damaged_folder_is_replaced_by_the_next_save(seed_index, tmp_path: Path):
    folder = save_index(seed_index, tmp_path, "db:1")
    assert folder is not None
    (folder / "arrays.npz").write_bytes(b"damaged")
    assert load_index(tmp_path, "db:1") is None
    assert save_index(seed_index, tmp_path, "db:1") == folder
    assert load_index(tmp_path, "db:1") is not None
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_an_unwritable_place_is_not_fatal(seed_index, tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert save_index(seed_index, blocker / "recognizer", "db:1") is None


def test_an_empty_term_base_round_trips(tmp_path: Path):
    index = compile_index([])
    assert save_index(index, tmp_path, "db:0") is not None
    loaded = load_index(tmp_path, "db:0")
    assert loaded is not None
    assert recognize("Tokayev in Almaty.", "en", loaded) == []


def test_folder_names_differ_per_version(tmp_path: Path):
    assert folder_for(tmp_path, "a:1") != folder_for(tmp_path, "a:2")
    assert folder_for(tmp_path, "a:1").parent == tmp_path


def test_forms_with_unusual_characters_round_trip(tmp_path: Path):
    concepts = [ConceptRecord("x", "person", terms=[TermRecord("en", "Zoë O’Brien-Łukasz"),
                                                   TermRecord("kk", "Әлихан Бөкейхан")])]
    index = compile_index(concepts)
    save_index(index, tmp_path, "v")
    loaded = load_index(tmp_path, "v")
    assert loaded is not None
    text = "Zoe O'Brien-Łukasz and Әлихан Бөкейхан met Zoë O’Brien-Łukaśz."
    assert recognize(text, "en", loaded) == recognize(text, "en", index)
    assert len(recognize(text, "en", loaded)) == 3


def test_records_made_from_the_tables_equal_the_constructed_ones():
    from dataclasses import fields

    from glossary.recognize.index import FormEntry, form_entry, term_record

    # The fast constructors set every field by name: a field added to either record must be added there.
    assert [f.name for f in fields(TermRecord)] == [
        "lang", "text", "status", "type", "scheme", "origin", "note", "source", "valid_from", "valid_until",
        "given",
    ]
    assert [f.name for f in fields(FormEntry)] == [
        "concept", "concept_id", "term", "raw", "inflected", "case_sensitive", "capital",
    ]
    made = term_record("kk-Latn", "Toqaev", "admitted", "short_form", "ala_lc", "generated", "2019-03-20")
    expected = TermRecord("kk-Latn", "Toqaev", status="admitted", type="short_form", scheme="ala_lc",
                          origin="generated", valid_until="2019-03-20")
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert made.given is None and made.note is None
    entry = form_entry(3, "tokayev", made, "Toqaev", True, False, True)
    assert entry == FormEntry(3, "tokayev", expected, "Toqaev", True, False, True)
    with pytest.raises(AttributeError):
        made.text = "changed"  # still frozen
