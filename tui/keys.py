"""Every action's key binding with its id, and the TOML file in the user config folder that remaps them.

The file (``keys.toml`` in ``platformdirs.user_config_dir("glossary")``) has one table::

    [keys]
    approve_next = "ctrl+y"      # one key
    save = "ctrl+s,f2"           # or several, comma-separated
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from textual.binding import Binding

CONFIG_NAME = "keys.toml"
MATCH_KEYS = 5  # insert_match_1 … insert_match_5


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a reviewer can do from the keyboard."""

    id: str  # binding id (remappable) and action name
    keys: str  # default keys, comma-separated
    label: str  # short, for the footer
    help: str  # one line, for the help screen and the command palette
    footer: bool = False


REVIEW_ACTIONS: tuple[Action, ...] = (
    Action("save", "ctrl+s", "Save", "Save the translation now (edits are also saved as you type)", True),
    Action("approve_next", "ctrl+j,ctrl+enter", "Approve▸next",
           "Approve the translation and go to the next segment (Poedit's Ctrl+Enter)", True),
    Action("toggle_fuzzy", "ctrl+u", "Fuzzy", "Mark the translation fuzzy, or take the mark off", True),
    Action("undo", "ctrl+z", "Undo", "Undo the last change in the editor (inserted matches and fixes too)"),
    Action("next_segment", "alt+down,ctrl+down", "Next", "Go to the next segment"),
    Action("previous_segment", "alt+up,ctrl+up", "Previous", "Go to the previous segment"),
    Action("next_untranslated", "alt+n", "Next untranslated", "Go to the next untranslated or fuzzy segment"),
    Action("previous_untranslated", "alt+p", "Previous untranslated",
           "Go to the previous untranslated or fuzzy segment"),
    Action("next_finding", "alt+e", "Next finding", "Go to the next segment with findings"),
    Action("previous_finding", "alt+w", "Previous finding", "Go to the previous segment with findings"),
    *(
        Action(f"insert_match_{n}", f"alt+{n}", f"Match {n}", f"Put memory match {n} in the editor")
        for n in range(1, MATCH_KEYS + 1)
    ),
    Action("insert_name", "ctrl+n", "Name…",
           "Insert name n (press its number next) in the form the term base wants, in the case ending "
           "the target already uses", True),
    Action("apply_fix", "ctrl+r", "Fix…", "Apply the fix of finding n (press its number next)", True),
    Action("switch_language", "ctrl+l", "Language", "Review another target language"),
    Action("last_edited", "ctrl+b", "Back", "Go back to the segment edited last"),
    Action("find", "ctrl+f", "Find", "Show only segments whose source or translation contains a text"),
    Action("cycle_state", "ctrl+t", "State filter",
           "Show all segments, or only untranslated, fuzzy, translated or approved ones"),
    Action("toggle_findings_filter", "ctrl+o", "Findings filter", "Show only segments with findings"),
    Action("focus_list", "escape", "List", "Move between the segment list and the editor"),
)

APP_ACTIONS: tuple[Action, ...] = (
    Action("help", "f1", "Help", "Show every key and what it does (also ? outside the editor)", True),
    Action("termbase", "f2", "Terms", "Browse and edit the term base", True),
    Action("concordance", "f3", "Concordance",
           "Search segments and the memory, names in any case ending", True),
    Action("findings", "f4", "Findings", "Every finding of the document; Enter jumps to its segment", True),
    Action("quit", "ctrl+q", "Quit", "Quit (every edit is already saved)", True),
)

ALL_ACTIONS = {action.id: action for action in (*REVIEW_ACTIONS, *APP_ACTIONS)}


class KeyConfigError(Exception):
    """The key file cannot be used; the message names the file and what is wrong."""


def default_config_path() -> Path:
    """Where the key file is looked for when none is given."""
    return Path(platformdirs.user_config_dir("glossary", appauthor=False)) / CONFIG_NAME


def bindings(actions: tuple[Action, ...]) -> list[Binding]:
    """Textual bindings for ``actions``: each with its id, so the keymap can remap it, and with
    priority, so they work while the editor has the focus."""
    return [
        Binding(a.keys, a.id, a.label, show=a.footer, priority=a.id != "focus_list", id=a.id, tooltip=a.help)
        for a in actions
    ]


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """Binding id → keys from the key file (none: the defaults stand); KeyConfigError when the file
    is not TOML, names an action that does not exist or gives a key that is not a string."""
    path = path or default_config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyConfigError(f"{path}: cannot read the key file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KeyConfigError(f"{path}: not valid TOML: {exc}") from exc
    table = data.get("keys", {})
    unknown_tables = set(data) - {"keys"}
    if unknown_tables or not isinstance(table, dict):
        raise KeyConfigError(f"{path}: expected one [keys] table of action = \"keys\" lines")
    keymap: dict[str, str] = {}
    for action, keys in table.items():
        if action not in ALL_ACTIONS:
            raise KeyConfigError(f"{path}: no action {action!r}; actions: {', '.join(sorted(ALL_ACTIONS))}")
        if not isinstance(keys, str) or not keys.strip():
            raise KeyConfigError(f"{path}: {action} needs keys as a string such as \"ctrl+y\"")
        keymap[action] = ",".join(k.strip() for k in keys.split(","))
    return keymap
