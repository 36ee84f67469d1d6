"""Memory lookups match language tags as OmegaT does: by language and script, preferring the region."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from glossary.cli import main
from glossary.memory.concordance import concordance
from glossary.memory.langmatch import NO_REGION, OTHER_REGION, SAME_REGION, match_tag, matching_pairs
from glossary.memory.units import NewUnit, add_units, search
from glossary.store.engine import init_database, make_engine

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="DE-DE" segtype="sentence" datatype="plaintext" adminlang="EN-US"
 creationtool="x" creationtoolversion="1" o-tmf="x"/><body>
<tu><tuv xml:lang="DE-DE"><seg>Die Lage ist in allen Regionen stabil.</seg></tuv>
<tuv xml:lang="CS-CZ"><seg>Situace je ve všech regionech stabilní.</seg></tuv></tu>
</body></tmx>
"""
SENTENCE = "Die Friedenstruppen verlassen das Land in zehn Tagen."


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    init_database(engine)
    with Session(engine) as session:
        add_units(session=session, units=[
            NewUnit("de-AT", "en", SENTENCE, "austrian", "t"),
            NewUnit("de-DE", "en", SENTENCE, "german", "t"),
            NewUnit("de", "en", SENTENCE, "plain", "t"),
            NewUnit("de-CH", "en-GB", SENTENCE, "swiss, british", "t"),
            NewUnit("kk", "en", "Бейбітшілік күштері кетеді.", "cyrillic", "t"),
            NewUnit("kk-Latn", "en", "Beibitshilik kushteri ketedi.", "latin", "t"),
        ])
        session.commit()
        yield session


def _targets(session: Session, text: str, source: str, target: str = "en") -> list[str]:
    return [m.target for m in search(session=session, text=text, source_lang=source, target_lang=target)]


def test_tags_match_by_language_and_script() -> None:
    assert match_tag("de", "de-AT") is not None and match_tag("de", "DE-DE") is not None
    assert match_tag("de-DE", "de-DE").rank == SAME_REGION  # type: ignore[union-attr]
    assert match_tag("de-DE", "de").rank == NO_REGION  # type: ignore[union-attr]
    assert match_tag("de-DE", "de-AT").region_differs  # type: ignore[union-attr]
    assert match_tag("de-DE", "de-AT").rank == OTHER_REGION  # type: ignore[union-attr]
    assert match_tag("he", "iw") is not None and match_tag("en-US", "en_US") is not None
    assert match_tag("kk", "kk-Cyrl") is not None
    assert match_tag("kk", "kk-Latn") is None and match_tag("sr-Latn", "sr") is None
    assert match_tag("de", "nl") is None and match_tag("zh-TW", "zh-CN") is None  # Hant is not Hans


def test_pairs_are_ordered_closest_region_first() -> None:
    pairs = [("de-AT", "en"), ("de", "en"), ("de-DE", "en"), ("fr", "en"), ("de-DE", "en-GB")]
    assert [p[:2] for p in matching_pairs(pairs, "de-DE", "en")] == [
        ("de-DE", "en"), ("de", "en"), ("de-DE", "en-GB"), ("de-AT", "en")]


def test_a_language_query_finds_every_region(session: Session) -> None:
    assert sorted(_targets(session, SENTENCE, "de")) == ["austrian", "german", "plain", "swiss, british"]


def test_a_regional_query_prefers_its_own_region_and_says_when_it_differs(session: Session) -> None:
    found = search(session=session, text=SENTENCE, source_lang="de-AT", target_lang="en-US")
    assert [m.target for m in found] == ["austrian", "plain", "german", "swiss, british"]
    reasons = {m.target: [p["reason"] for p in m.explanation["penalties"]] for m in found}
    assert reasons["austrian"] == [] and reasons["plain"] == []
    assert reasons["german"] == ["source region differs: de-DE, not de-AT"]
    assert reasons["swiss, british"] == ["source region differs: de-CH, not de-AT",
                                         "target region differs: en-GB, not en-US"]
    assert [m.score for m in found] == [100.0, 100.0, 99.0, 98.0]
    assert [(m.source_lang, m.target_lang) for m in found][-1] == ("de-CH", "en-GB")


def test_scripts_never_mix(session: Session) -> None:
    assert _targets(session, "Бейбітшілік күштері кетеді.", "kk") == ["cyrillic"]
    assert _targets(session, "Beibitshilik kushteri ketedi.", "kk-Latn") == ["latin"]
    assert _targets(session, "Beibitshilik kushteri ketedi.", "kk") == []


def test_concordance_follows_the_tags(session: Session) -> None:
    hits = concordance(session=session, words="Friedenstruppen", lang="de")
    assert sorted(h.lang for h in hits) == ["de", "de-AT", "de-CH", "de-DE"]


def test_a_tmx_written_with_upper_case_regions_is_found_by_language(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "de-cs.tmx"
    path.write_text(TMX, encoding="utf-8")
    init_database(make_engine(db_url))
    assert main(["tm", "import", str(path), "--db", db_url]) == 0
    capsys.readouterr()
    assert main(["tm", "search", "Die Lage ist in allen Regionen stabil.", "--source", "de", "--target", "cs",
                 "--db", db_url, "--format", "json", "--no-names"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(m["target"], m["source_lang"], m["target_lang"], m["score"]) for m in found] == [
        ("Situace je ve všech regionech stabilní.", "de-DE", "cs-CZ", 100.0)]
