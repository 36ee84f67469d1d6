"""Generated romanizations of a concept's native forms (glossary/translit/variants.py)."""

from __future__ import annotations

import pytest

from glossary.model.records import ConceptRecord, TermRecord
from glossary.translit.variants import generate_variants


def _concept(*terms: TermRecord) -> ConceptRecord:
    return ConceptRecord("x", "person", terms=list(terms))


@pytest.mark.parametrize(
    ("lang", "text", "scheme", "expected"),
    [
        ("ru", "Пашинян", "bgn_pcgn", "Pashinyan"),
        ("ky", "Жапаров", "bgn_pcgn", "Japarov"),
        ("hy", "Փաշինյան", "bgn_pcgn", "P’ashinyan"),
        ("hy", "Փաշինյան", "iso_9985", "P’ašinyan"),
    ],
)
def test_native_forms_get_each_schemes_romanization(lang: str, text: str, scheme: str, expected: str):
    generated = generate_variants(_concept(TermRecord(lang, text)))
    assert (f"{lang}-Latn", scheme, expected) in {(t.lang, t.scheme, t.text) for t in generated}
    assert all(t.origin == "generated" and t.status == "deprecated" for t in generated)


def test_latin_and_forbidden_forms_are_not_romanized() -> None:
    concept = _concept(TermRecord("kk", "Toqaev"), TermRecord("ru", "Назарбяев", status="forbidden"))
    assert generate_variants(concept) == []


def test_a_generated_forms_note_names_its_scheme_and_the_form_once() -> None:
    """The scheme titles already say "romanization of Kazakh": the note used to say it twice."""
    generated = generate_variants(_concept(TermRecord("kk", "Тоқаев")))
    notes = {t.scheme: t.note for t in generated}
    assert notes["ala_lc"].startswith("ALA-LC romanization of Kazakh: Тоқаев")
    assert all(note.count("romanization of") <= 1 for note in notes.values())
