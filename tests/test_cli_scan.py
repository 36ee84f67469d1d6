"""Tests for glossary.cli.scan: text and JSON output, offsets, and input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary.cli import main


@pytest.fixture
def db(seeded_db_url: str) -> str:
    """A database with the bundled term base, on each backend."""
    return seeded_db_url


def test_json_spans_point_into_the_decoded_text(db: str, tmp_path: Path, capsys) -> None:
    text = "😀 Line one.\nКасыма-Жомарта Токаева поддержали в ОДКБ, а Назарбаев промолчал.\n"
    path = tmp_path / "ru.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["scan", str(path), "--lang", "ru", "--format", "json", "--db", db]) == 0
    spans = json.loads(capsys.readouterr().out)
    assert [(s["surface"], s["concept"]) for s in spans] == [
        ("Касыма-Жомарта Токаева", "tokayev"),
        ("ОДКБ", "csto"),
        ("Назарбаев", "nazarbayev"),
    ]
    assert all(text[s["start"] : s["end"]] == s["surface"] for s in spans)
    keys = "start end surface concept term lang status scheme preferred match distance"
    assert list(spans[0]) == keys.split()
    assert spans[0]["match"] == "inflected"


def test_text_output_names_path_line_and_column(db: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "en.txt"
    path.write_text("First line.\nAs mentioned he was selected by Nazarbyev.\n", encoding="utf-8")
    assert main(["scan", str(path), "--lang", "en", "--db", db]) == 0
    out = capsys.readouterr().out
    assert f"{path}:2:33: Nazarbyev → nazarbayev" in out
    assert "    …mentioned he was selected by Nazarbyev.\n" in out
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_text_output_shows_an_excerpt_not_the_whole_paragraph(db: str, tmp_path: Path, capsys) -> None:
    filler = " ".join(["word"] * 60)
    path = tmp_path / "en.txt"
    path.write_text(f"{filler} Tokayev spoke. {filler}\n", encoding="utf-8")
    assert main(["scan", str(path), "--lang", "en", "--db", db]) == 0
    excerpt = capsys.readouterr().out.splitlines()[1]
    assert "Tokayev spoke." in excerpt and excerpt.strip().startswith("…") and excerpt.endswith("…")
    assert len(excerpt) < 90


def test_bad_utf8_is_a_parse_error_with_the_line(db: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"fine\nalso fine\nbroken \xff here\n")
    assert main(["scan", str(path), "--lang", "en", "--db", db]) == 2
    assert f"{path}:3: not UTF-8 text" in capsys.readouterr().err


def test_missing_file_is_a_user_error(db: str, tmp_path: Path, capsys) -> None:
    assert main(["scan", str(tmp_path / "nope.txt"), "--lang", "en", "--db", db]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_byte_order_mark_is_not_text(db: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffAlmaty today.".encode())
    assert main(["scan", str(path), "--lang", "en", "--format", "json", "--db", db]) == 0
    [span] = json.loads(capsys.readouterr().out)
    assert (span["start"], span["end"]) == (0, 6)


def test_bad_language_tag_is_a_usage_error(db: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Almaty", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", str(path), "--lang", "English", "--db", db])
    assert exit_info.value.code == 2
    assert "'English' is not a language tag" in capsys.readouterr().err


def test_json_offsets_with_combining_characters(db: str, tmp_path: Path, capsys) -> None:
    # A decomposed ï, a stress mark and flag emoji: offsets count code points of the decoded text.
    text = "🇷🇺 Kassym-Jomart Tokai\u0308ev est arrivé à Moscou.\nТока\u0301ев — в Алматы́ 👍🏽.\n"
    path = tmp_path / "mixed.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["scan", str(path), "--lang", "fr", "--format", "json", "--db", db]) == 0
    spans = json.loads(capsys.readouterr().out)
    assert [s["concept"] for s in spans] == ["tokayev", "moscow", "tokayev", "almaty"]
    assert all(text[s["start"] : s["end"]] == s["surface"] for s in spans)
    assert spans[0]["surface"] == "Kassym-Jomart Tokai\u0308ev"


def test_scan_of_the_bundled_article(db: str, capsys) -> None:
    from glossary.formats.seed import bundled_path

    article = bundled_path("article.txt")
    assert main(["scan", str(article), "--lang", "en", "--format", "json", "--db", db]) == 0
    spans = json.loads(capsys.readouterr().out)
    text = article.read_text(encoding="utf-8")
    assert all(text[s["start"] : s["end"]] == s["surface"] for s in spans)
    found = {s["concept"] for s in spans}
    expected = {"tokayev", "csto", "knb", "almaty", "putin", "lukashenko", "rahmon", "zas", "serdyukov"}
    expected |= {"mazhilis", "kremlin", "tass", "taliban", "isis", "al_qaeda", "hizb_ut_tahrir", "imu"}
    assert expected <= found
    knb = {s["surface"] for s in spans if s["concept"] == "knb"}
    assert {"National Security Committee", "Kazakh Security Committee"} <= knb
    [nazarbyev] = [s for s in spans if s["surface"] == "Nazarbyev"]
    # The term base records Nazarbyev as a forbidden misspelling: a near miss of Nazarbayev.
    assert (nazarbyev["concept"], nazarbyev["status"]) == ("nazarbayev", "forbidden")
    near = (nazarbyev["match"], nazarbyev["distance"], nazarbyev["preferred"])
    assert near == ("near_miss", 1, "Nazarbayev")


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "Pashinyan chaired the session; Japarov sent his prime minister.",
            [
                ("Pashinyan", "pashinyan", "preferred"),
                ("Japarov", "japarov", "preferred"),
            ],
        ),
        (
            "de",
            "Paschinjan leitete die Sitzung, Dschaparow ließ sich vertreten.",
            [
                ("Paschinjan", "pashinyan", "preferred"),
                ("Dschaparow", "japarov", "preferred"),
            ],
        ),
        (
            "fr",
            "Pachinian présidait ; Japarov, que d'autres écrivent Djaparov, était absent.",
            [
                ("Pachinian", "pashinyan", "preferred"),
                ("Japarov", "japarov", "preferred"),
                ("Djaparov", "japarov", "admitted"),
            ],
        ),
    ],
)
def test_scan_finds_the_armenian_and_kyrgyz_leaders(db: str, tmp_path: Path, capsys, lang, text, expected):
    path = tmp_path / f"{lang}.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["scan", str(path), "--lang", lang, "--format", "json", "--db", db]) == 0
    spans = json.loads(capsys.readouterr().out)
    assert [(s["surface"], s["concept"], s["status"]) for s in spans] == expected
    assert all(text[s["start"] : s["end"]] == s["surface"] for s in spans)
