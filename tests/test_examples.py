"""The example settings files under ``examples/`` load with the real loaders and do what they say."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tui.keys import load_keymap

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CATALOGUE = ROOT / "locales" / "ru" / "LC_MESSAGES" / "article.po"


def _readme_toml_blocks() -> list[dict]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [tomllib.loads(body) for body in re.findall(r"```toml\n(.*?)```", text, flags=re.S)]


def test_the_key_file_example_loads_and_is_the_one_the_readme_shows():
    keymap = load_keymap(EXAMPLES / "keys.toml")
    assert keymap == {"approve_next": "f9", "insert_match_1": "f5,alt+1"}
    assert {"keys": keymap} in _readme_toml_blocks()


def test_the_check_settings_example_holds_the_readme_settings():
    example = tomllib.loads((EXAMPLES / "glossary.toml").read_text(encoding="utf-8"))
    readme = [block["tool"]["glossary"] for block in _readme_toml_blocks() if "tool" in block]
    assert len(readme) == 1
    assert {k: v for k, v in example.items() if k != "termbase"} == {
        k: v for k, v in readme[0].items() if k != "termbase"
    }


def _check(tmp_path: Path, *options: str) -> dict:
    env = {**os.environ, "GLOSSARY_DB": f"sqlite:///{tmp_path / 'unused.db'}"}
    for name in list(env):
        if name.startswith("GLOSSARY_") and name != "GLOSSARY_DB":
            del env[name]
    done = subprocess.run(
        [sys.executable, "-m", "glossary", "check", *options, str(CATALOGUE), "--format", "json"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_the_check_settings_example_changes_what_the_check_reports(tmp_path: Path):
    """Run from a folder with no settings of its own: the term base named by the example (a path
    relative to the example) is used, and its severity override turns term-missing into an error."""
    plain = _check(tmp_path, "--termbase", str(ROOT / "glossary" / "data" / "termbase.toml"))
    configured = _check(tmp_path, "--config", str(EXAMPLES / "glossary.toml"))
    levels = {f["severity"] for f in plain["findings"] if f["rule"] == "term-missing"}
    assert levels == {"warning"}
    missing = [f for f in configured["findings"] if f["rule"] == "term-missing"]
    assert missing and {f["severity"] for f in missing} == {"error"}
    assert not any(f["rule"] == "inconsistent-source" for f in configured["findings"])
    assert configured["summary"]["errors"] == plain["summary"]["errors"] + len(missing)
