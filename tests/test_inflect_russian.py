"""Tests for glossary.recognize.inflect.russian: case forms of people, places and organisations."""

from __future__ import annotations

import pytest

from glossary.recognize.inflect.russian import person_word_forms, russian_forms


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Токаев", "person", {"Токаева", "Токаеву", "Токаевым", "Токаеве"}),
        ("Масимова", "person", {"Масимовой", "Масимову"}),
        (
            "Касым-Жомарт Токаев",
            "person",
            {
                "Касыма-Жомарта Токаева",
                "Касыму-Жомарту Токаеву",
                "Касымом-Жомартом Токаевым",
                "Касыме-Жомарте Токаеве",
            },
        ),
        (
            "Станислав Зась",
            "person",
            {"Станислава Зася", "Станиславу Засю", "Станиславом Засем", "Станиславе Засе"},
        ),
        ("Казахстан", "place", {"Казахстана", "Казахстану", "Казахстаном", "Казахстане"}),
        ("Алма-Ата", "place", {"Алма-Аты", "Алма-Ате", "Алма-Ату", "Алма-Атой"}),
        (
            "Организация Договора о коллективной безопасности",
            "organisation",
            {
                "Организации Договора о коллективной безопасности",
                "Организацию Договора о коллективной безопасности",
                "Организацией Договора о коллективной безопасности",
            },
        ),
        (
            "Комитет национальной безопасности",
            "organisation",
            {
                "Комитета национальной безопасности",
                "Комитету национальной безопасности",
                "Комитетом национальной безопасности",
                "Комитете национальной безопасности",
            },
        ),
        ("Красная армия", "organisation", {"Красной армии", "Красную армию", "Красной армией"}),
        ("Аль-Каида", "organisation", {"Аль-Каиды", "Аль-Каиде", "Аль-Каиду", "Аль-Каидой"}),
    ],
)
def test_case_forms(text, kind, expected):
    assert expected <= russian_forms(text, kind)


@pytest.mark.parametrize(
    ("text", "kind"), [("Алматы", "place"), ("ОДКБ", "organisation"), ("Лукашенко", "person")]
)
def test_indeclinable_names_stay(text, kind):
    assert russian_forms(text, kind) == set()


def test_the_name_itself_is_not_repeated():
    assert "Токаев" not in russian_forms("Токаев", "person")


def test_a_surname_pymorphy_misreads_gets_the_surname_paradigm():
    # The dictionary takes "Токаев" for a plural of "токай"; the rule must win.
    assert person_word_forms("Токаев")[0] == "Токаева"


def test_organisation_inflects_only_its_head():
    forms = russian_forms("Организация Договора о коллективной безопасности", "organisation")
    assert all(form.endswith(" Договора о коллективной безопасности") for form in forms)
