"""``glossary export po|mo``, ``build`` and ``import FILE.po`` end to end, and a fresh locales/."""

from __future__ import annotations

import filecmp
import gettext
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlmodel import Session, select

from glossary.cli import main
from glossary.model.tables import Segment, Translation
from glossary.recognize.spans import compile_index, recognize
from glossary.store.engine import make_engine
from glossary.store.termbase import load_concepts
from tests.conftest import ROOT

LANGS = ("de", "fr", "kk", "ru")
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools are not installed")


def _export(db: str, folder: Path, *extra: str) -> int:
    return main(["export", "po", "--lang", "all", "-o", str(folder), "--db", db, *extra])


@pytest.fixture
def db(tmp_path: Path, _seeded_templates: dict[str, object]) -> str:
    """A seeded SQLite database: file round trips need one backend (the store tests run on both)."""
    target = tmp_path / "seeded"
    shutil.copytree(_seeded_templates["sqlite"], target)  # type: ignore[arg-type]
    return f"sqlite:///{target / 'glossary.db'}"


def test_committed_locales_are_what_export_writes_from_the_bundled_data(db: str, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]):
    committed = ROOT / "locales"
    fresh = tmp_path / "locales"
    shutil.copytree(committed, fresh)  # an export keeps a file whose only change would be its dates
    assert _export(db, fresh) == 0
    capsys.readouterr()
    names = sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*.po*"))
    assert names == ["article.pot", *(f"{lang}/LC_MESSAGES/article.po" for lang in LANGS)]
    stale = [name for name in names if not filecmp.cmp(committed / name, fresh / name, shallow=False)]
    assert stale == [], "locales/ is stale: run `glossary export po --lang all` at the repository root"


@needs_gettext
def test_export_po_writes_catalogues_gettext_accepts_and_a_reexport_changes_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    assert _export(db, tmp_path) == 0
    first = capsys.readouterr().out
    assert first.count("wrote ") == 5
    for lang in LANGS:
        path = tmp_path / lang / "LC_MESSAGES" / "article.po"
        check = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
                               capture_output=True, text=True)
        assert (check.returncode, check.stderr) == (0, ""), lang
        canonical = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
        assert canonical == path.read_bytes()
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.po*")}
    assert _export(db, tmp_path) == 0
    assert capsys.readouterr().out.count("unchanged ") == 5
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.po*")} == before


@needs_gettext
def test_export_mo_compiles_what_msgfmt_compiles(db: str, tmp_path: Path):
    assert _export(db, tmp_path) == 0
    assert main(["export", "mo", "--lang", "ru", "-o", str(tmp_path), "--db", db]) == 0
    ours = tmp_path / "ru" / "LC_MESSAGES" / "article.mo"
    theirs = tmp_path / "theirs.mo"
    subprocess.run(["msgfmt", "-o", str(theirs), str(ours.with_suffix(".po"))], check=True)

    def unfmt(path: Path) -> bytes:
        return subprocess.run(["msgunfmt", str(path)], capture_output=True, check=True).stdout

    assert unfmt(ours) == unfmt(theirs)
    with ours.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    source = "The situation is stable in all regions."
    with Session(make_engine(db)) as session:
        key = session.exec(select(Segment.key).where(Segment.source == source)).one()
    assert translations.pgettext(key, source) == "Во всех регионах ситуация стабильная."


def test_export_outside_the_repository_needs_an_output_folder(tmp_path: Path, db: str,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "po", "--lang", "ru", "--db", db]) == 2
    assert "-o DIR" in capsys.readouterr().err


def test_build_prints_the_russian_article_with_preferred_names_in_case(db: str,
                                                                      capsys: pytest.CaptureFixture[str]):
    assert main(["build", "--lang", "ru", "--db", db]) == 0
    text = capsys.readouterr().out
    assert text.startswith("[Изображение: президент Казахстана Токаев.")
    assert "## Встреча лидеров ОДКБ" in text
    assert "CC BY-SA 4.0" in text  # the article's credit travels with it
    with Session(make_engine(db)) as session:
        index = compile_index(load_concepts(session=session))
        targets = session.exec(select(Translation.text).where(
            Translation.lang == "ru", Translation.state.in_(("translated", "reviewed", "approved")))).all()
    spans = [span for target in targets for span in recognize(target, "ru", index)]
    # Every name in the Russian text is a Russian form the term base accepts, declined where the
    # sentence needs it (Токаева, Назарбаевым): no transliteration, no variant, no misspelling.
    assert spans and all(span.lang == "ru" and span.status in ("preferred", "admitted") for span in spans)
    assert all(span.match in ("exact", "inflected") for span in spans)
    assert {"Токаева", "Назарбаевым"} <= {span.surface for span in spans}
    assert "Токаева" in text


def test_build_falls_back_to_the_source_and_can_mark_it(db: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "kk.md"
    assert main(["build", "--lang", "kk", "--mark-untranslated", "-o", str(out), "--db", db]) == 0
    text = out.read_text(encoding="utf-8")
    assert "[untranslated: CSTO Leadership Meeting]" in text or "[untranslated: " in text
    assert "Tokayev" in text  # names in fallback text are left as the source writes them
    assert main(["build", "--lang", "kk", "--db", db]) == 0
    assert "[untranslated:" not in capsys.readouterr().out


def test_import_po_updates_and_reports_conflicts_with_both_versions(db: str, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]):
    assert _export(db, tmp_path) == 0
    path = tmp_path / "ru" / "LC_MESSAGES" / "article.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "Во всех регионах ситуация стабильная."',
                                 'msgstr "Ситуация во всех регионах стабильна."'), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(path), "--db", db]) == 0
    assert "1 updated" in capsys.readouterr().out
    with Session(make_engine(db)) as session:
        row = session.exec(select(Translation).join(Segment, Segment.id == Translation.segment_id).where(
            Segment.source == "The situation is stable in all regions.", Translation.lang == "ru")).one()
        row.text, row.version = "Обстановка стабильная.", row.version + 1
        session.add(row)
        session.commit()
    path.write_text(text.replace('msgstr "Во всех регионах ситуация стабильная."',
                                 'msgstr "В регионах всё спокойно."'), encoding="utf-8")
    assert main(["import", str(path), "--db", db]) == 1
    out = capsys.readouterr().out
    assert "conflict" in out and "Обстановка стабильная." in out and "В регионах всё спокойно." in out


BROKEN = [
    ("unterminated", 'msgid "open\nmsgstr ""\n', "bad.po:6:"),
    ("plural", 'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n', "bad.po:10:"),
    ("duplicate", 'msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', "bad.po:9:"),
]
HEAD = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


@pytest.mark.parametrize(("body", "where"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_malformed_po_exits_2_with_file_and_line_and_leaves_the_database(
    body: str, where: str, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.chdir(tmp_path)
    Path("bad.po").write_text(HEAD + body, encoding="utf-8")
    database = Path(db.removeprefix("sqlite:///"))
    before = database.read_bytes()
    assert main(["import", "bad.po", "--lang", "ru", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith(where) and "Traceback" not in err
    assert database.read_bytes() == before
    assert os.path.exists(database)


def test_invalid_bytes_and_bad_charset_exit_2(db: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]):
    bad = tmp_path / "latin.po"
    bad.write_bytes(HEAD.encode() + b'msgid "a"\nmsgstr "\xe9"\n')
    assert main(["import", str(bad), "--lang", "fr", "--db", db]) == 2
    assert f"{bad}:7: invalid UTF-8" in capsys.readouterr().err
    bad.write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=KLINGON\\n"\n')
    assert main(["import", str(bad), "--lang", "fr", "--db", db]) == 2
    assert f"{bad}:1: unknown charset" in capsys.readouterr().err
