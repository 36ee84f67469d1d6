"""Tests for glossary.cli.translit: one scheme, all schemes, the listing and errors."""

from __future__ import annotations

import json
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


def test_cli_list(capsys) -> None:
    assert main(["translit", "--list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {(row["lang"], row["name"]) for row in listed} == {(s.lang, s.name) for s in list_schemes()}
    assert all(row["authority"] for row in listed)
    assert main(["translit", "--list"]) == 0
    assert "kk\tkz_latin_2021\t" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Тест", "--lang", "kk", "--scheme", "nope"], "valid: ala_lc, bgn_pcgn"),
        (["Тест", "--lang", "uk"], "valid: be, kk, ru, tg"),
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
