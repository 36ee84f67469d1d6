"""The command line as a whole: help everywhere, exit codes, no UI in the core."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from glossary.cli import build_parser, main


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*path, name), helps.get(name), sub
                yield from _walk(sub, (*path, name))


def test_every_command_has_help_text():
    commands = list(_walk(build_parser()))
    assert len(commands) >= 8
    missing = [" ".join(path) for path, short, sub in commands if not short or not sub.description]
    assert missing == []


HELP_CALLS = [["--help"], ["terms", "--help"], ["terms", "list", "--help"], ["init", "--help"]]


@pytest.mark.parametrize("argv", HELP_CALLS)
def test_help_exits_zero(argv: list[str], capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    assert "usage: glossary" in capsys.readouterr().out


def test_usage_error_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_info:
        main(["terms", "list", "--format", "yaml"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err and "Traceback" not in err


def test_bad_database_url_is_one_line(capsys: pytest.CaptureFixture[str]):
    assert main(["terms", "list", "--db", "mysql://nobody@127.0.0.1/x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unsupported database" in err[0]


def test_core_never_imports_the_ui():
    # The parser loads the review command's registration (tui.cli, through the glossary.commands
    # entry point): that module alone, and no Textual until the command runs.
    code = (
        "import sys, glossary, glossary.cli, glossary.store.termbase, glossary.store.engine;"
        "import glossary.translit;"
        "glossary.cli.build_parser();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'"
        " or (m.split('.')[0] == 'tui' and m not in ('tui', 'tui.cli'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_terms_list_json_on_a_new_database(db_url: str, capsys: pytest.CaptureFixture[str]):
    assert main(["terms", "list", "--db", db_url, "--format", "json"]) == 0
    concepts = json.loads(capsys.readouterr().out)
    assert len(concepts) >= 40
    assert set(concepts[0]) == {"id", "kind", "note", "external_id", "terms"}
    assert set(concepts[0]["terms"][0]) == {"lang", "text", "status", "type", "scheme", "origin", "source"}
    for concept in concepts:
        langs = {t["lang"] for t in concept["terms"] if t["status"] == "preferred"}
        assert {"en", "ru", "kk", "de", "fr"} <= langs, concept["id"]
    by_id = {c["id"]: c for c in concepts}
    csto = {(t["lang"], t["text"]) for t in by_id["csto"]["terms"] if t["type"] == "abbreviation"}
    assert {("en", "CSTO"), ("ru", "ОДКБ"), ("de", "OVKS"), ("fr", "OTSC")} <= csto


def test_terms_show_lists_generated_forms(seeded_db_url: str, capsys: pytest.CaptureFixture[str]):
    assert main(["terms", "show", "tokayev", "--db", seeded_db_url]) == 0
    out = capsys.readouterr().out
    assert "generated romanizations" in out and "Tokaev" in out and "kz_latin_2021" in out


def test_terms_show_unknown_concept(seeded_db_url: str, capsys: pytest.CaptureFixture[str]):
    assert main(["terms", "show", "nobody", "--db", seeded_db_url]) == 2
    assert "no concept 'nobody'" in capsys.readouterr().err


def test_terms_add_then_show(seeded_db_url: str, capsys: pytest.CaptureFixture[str]):
    argv = ["terms", "add", "tokayev", "Tokajew", "--lang", "de-AT", "--status", "admitted",
            "--source", "Der Standard", "--db", seeded_db_url]
    assert main(argv) == 0
    assert main(["terms", "show", "tokayev", "--format", "json", "--db", seeded_db_url]) == 0
    out = capsys.readouterr().out
    concept = json.loads(out[out.index("{"):])
    assert {"lang": "de-AT", "text": "Tokajew", "status": "admitted", "type": "full_form", "scheme": None,
            "origin": "entered", "source": "Der Standard"} in concept["terms"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://nobody@127.0.0.1:1/x", "cannot open database"),
        ("sqlite:////nonexistent-folder/glossary.db", "cannot open database"),
    ],
)
def test_unreachable_database_is_one_line(url: str, expected: str, capsys: pytest.CaptureFixture[str]):
    assert main(["terms", "list", "--db", url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and expected in err[0]
