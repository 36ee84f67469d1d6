"""Tests for glossary.cli.translit: one scheme, all schemes, the listing and errors."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from glossary.cli import main
from glossary.translit import list_schemes

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["Қасым-Жомарт Тоқаев", "--lang", "kk", "--scheme", "kz_latin_2021"], "Qasym-Jomart Toqaev"),
        (["Қасым-Жомарт Тоқаев", "--lang", "kk", "--scheme", "bgn_pcgn"], "Qasym-Zhomart Toqaev"),
        (["Касым-Жомарт Токаев", "--lang", "ru", "--scheme", "bgn_pcgn"], "Kasym-Zhomart Tokayev"),
        (["Касым-Жомарт Токаев", "--lang", "ru"], "Kasym-Zhomart Tokayev"),
    ],
)
def test_cli_one_scheme_prints_just_the_romanization(capsys, args: list[str], expected: str) -> None:
    assert main(["translit", *args]) == 0
    assert capsys.readouterr().out == expected + "\n"


def test_cli_all_schemes_as_json_and_text(capsys) -> None:
    assert (
        main(["translit", "Қасым-Жомарт Тоқаев", "--lang", "kk", "--scheme", "all", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [s.name for s in list_schemes("kk")]
    assert data["kz_latin_2021"] == "Qasym-Jomart Toqaev"
    assert data["bgn_pcgn"] == "Qasym-Zhomart Toqaev"
    assert main(["translit", "Тоқаев", "--lang", "kk", "--scheme", "all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "kz_latin_2021\tToqaev" in lines and "de_press\tTokajew" in lines
    assert len(lines) == len(list_schemes("kk"))


CSTO_LEADERS = {
    ("Никол Пашинян", "ru"): {
        "ala_lc": "Nikol Pashini͡an",
        "bgn_pcgn": "Nikol Pashinyan",
        "de_press": "Nikol Paschinjan",
        "en_press": "Nikol Pashinyan",
        "fr_press": "Nikol Pachinian",
        "gost_7_79_b": "Nikol Pashinyan",
        "icao_9303": "Nikol Pashinian",
        "iso9": "Nikol Pašinân",
        "scientific": "Nikol Pašinjan",
        "wikipedia": "Nikol Pashinyan",
    },
    ("Садыр Жапаров", "ru"): {
        "ala_lc": "Sadyr Zhaparov",
        "bgn_pcgn": "Sadyr Zhaparov",
        "de_press": "Sadyr Schaparow",
        "en_press": "Sadyr Zhaparov",
        "fr_press": "Sadyr Japarov",
        "gost_7_79_b": "Sady`r Zhaparov",
        "icao_9303": "Sadyr Zhaparov",
        "iso9": "Sadyr Žaparov",
        "scientific": "Sadyr Žaparov",
        "wikipedia": "Sadyr Zhaparov",
    },
    ("Նիկոլ Փաշինյան", "hy"): {"bgn_pcgn": "Nikol P’ashinyan", "iso_9985": "Nikol P’ašinyan"},
    ("Садыр Жапаров", "ky"): {"bgn_pcgn": "Sadyr Japarov", "iso9": "Sadyr Žaparov"},
}


@pytest.mark.parametrize(("text", "lang"), list(CSTO_LEADERS))
def test_cli_all_schemes_for_csto_leaders(capsys, text: str, lang: str) -> None:
    assert main(["translit", text, "--lang", lang, "--scheme", "all"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert dict(rows) == CSTO_LEADERS[text, lang]
    assert [name for name, _ in rows] == [s.name for s in list_schemes(lang)]
    assert main(["translit", text, "--lang", lang, "--scheme", "all", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == CSTO_LEADERS[text, lang]


def test_cli_list(capsys) -> None:
    assert main(["translit", "--list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {(row["lang"], row["name"]) for row in listed} == {(s.lang, s.name) for s in list_schemes()}
    assert all(row["authority"] for row in listed)
    assert main(["translit", "--list"]) == 0
    out = capsys.readouterr().out
    assert "kk\tkz_latin_2021\t" in out
    assert "hy\tbgn_pcgn\tBGN/PCGN 1981 System for Armenian" in out
    assert "hy\tiso_9985\tISO 9985:1996" in out
    assert "ky\tbgn_pcgn\tBGN/PCGN 1979 System for Kyrgyz" in out
    assert "ky\tiso9\tISO 9:1995" in out
    assert main(["translit", "--list", "--lang", "ky", "--format", "json"]) == 0
    assert [row["name"] for row in json.loads(capsys.readouterr().out)] == ["bgn_pcgn", "iso9"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Тест", "--lang", "kk", "--scheme", "nope"], "valid: ala_lc, bgn_pcgn"),
        (["Тест", "--lang", "uk"], "valid: be, hy, kk, ky, ru, tg"),
        (["Тест", "--lang", "ky", "--scheme", "ala_lc"], "valid: bgn_pcgn, iso9"),
        (["--lang", "kk"], "needs TEXT"),
    ],
)
def test_cli_errors_exit_2_with_one_line(capsys, args: list[str], message: str) -> None:
    assert main(["translit", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_as_python_module() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "glossary",
            "translit",
            "Қасым-Жомарт Тоқаев",
            "--lang",
            "kk",
            "--scheme",
            "kz_latin_2021",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Qasym-Jomart Toqaev\n"


def _readme_translit_examples() -> list[tuple[list[str], str]]:
    """Each ``$ glossary translit ...`` line of the README with the output printed under it."""
    examples: list[tuple[list[str], str]] = []
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("$ glossary translit "):
            continue
        output = []
        for following in lines[i + 1 :]:
            if following.startswith(("$ ", "```")):
                break
            output.append(following)
        examples.append((shlex.split(line.removeprefix("$ glossary ")), "\n".join(output) + "\n"))
    return examples


def test_readme_translit_examples_match_the_output(capsys) -> None:
    examples = _readme_translit_examples()
    assert len(examples) >= 4
    for args, expected in examples:
        assert main(args) == 0
        assert capsys.readouterr().out == expected, args
