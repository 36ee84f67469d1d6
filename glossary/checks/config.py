"""Check settings from three layers (command line over environment over file), validated and merged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from glossary.checks.model import SEVERITIES, CheckConfig
from glossary.model.errors import UsageError
from glossary.model.langtag import require_lang

FAIL_LEVELS = (*SEVERITIES, "never")
KEYS = ("languages", "source-lang", "termbase", "fail-on", "disable", "select", "severity", "check-sources")
ENVIRONMENT = {
    "GLOSSARY_CHECK_LANGUAGES": "languages",
    "GLOSSARY_SOURCE_LANG": "source-lang",
    "GLOSSARY_TERMBASE": "termbase",
    "GLOSSARY_FAIL_ON": "fail-on",
    "GLOSSARY_CHECK_DISABLE": "disable",
    "GLOSSARY_CHECK_SELECT": "select",
    "GLOSSARY_CHECK_SEVERITY": "severity",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything ``glossary check`` can be told, after the layers are merged."""

    languages: tuple[str, ...] | None = None
    source_lang: str = "en"
    termbase: str | None = None
    fail_on: str = "error"
    disabled: frozenset[str] = frozenset()
    selected: frozenset[str] | None = None
    severities: Mapping[str, str] = field(default_factory=dict)
    check_sources: bool = True
    origin: dict[str, str] = field(default_factory=dict)  # setting → where it came from

    def config(self) -> CheckConfig:
        """The rules' view of these settings."""
        return CheckConfig(
            disabled=self.disabled,
            enabled=self.selected,
            severities=dict(self.severities),
            languages=frozenset(self.languages) if self.languages else None,
            fail_on=self.fail_on,
            check_sources=self.check_sources,
        )


def _names(value: Any, where: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise UsageError(f"{where}: {key} must be a list of names")
    return tuple(value)


def _severity_map(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        pairs = [part.split("=", 1) for part in value.replace(",", " ").split() if part]
        if any(len(pair) != 2 for pair in pairs):
            raise UsageError(f"{where}: severity must be RULE=LEVEL pairs")
        value = {rule.strip(): level.strip() for rule, level in pairs}
    if not isinstance(value, Mapping):
        raise UsageError(f"{where}: severity must be a table of rule = level")
    for rule, level in value.items():
        if level not in SEVERITIES:
            raise UsageError(
                f"{where}: severity of {rule} must be one of {', '.join(SEVERITIES)}, not {level!r}"
            )
    return dict(value)


def layer(values: Mapping[str, Any], where: str, known_rules: set[str]) -> dict[str, Any]:
    """One layer's settings, checked: unknown keys, rule ids and levels are usage errors naming ``where``."""
    result: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in KEYS:
            raise UsageError(f"{where}: unknown setting {key!r} (known: {', '.join(KEYS)})")
        if key in ("languages", "disable", "select"):
            value = _names(value, where, key)
            if key == "languages":
                value = tuple(require_lang(tag, f"{where}: languages:") for tag in value)
        elif key == "severity":
            value = _severity_map(value, where)
        elif key == "fail-on" and value not in FAIL_LEVELS:
            raise UsageError(f"{where}: fail-on must be one of {', '.join(FAIL_LEVELS)}, not {value!r}")
        elif key == "check-sources" and not isinstance(value, bool):
            raise UsageError(f"{where}: check-sources must be true or false")
        elif key in ("source-lang", "termbase") and not isinstance(value, str):
            raise UsageError(f"{where}: {key} must be a string")
        elif key == "source-lang":
            value = require_lang(value, f"{where}: source-lang")
        rules = value if key in ("disable", "select") else tuple(value) if key == "severity" else ()
        unknown = sorted(set(rules) - known_rules)
        if unknown:
            raise UsageError(f"{where}: unknown rule {', '.join(unknown)} (see glossary check --list-rules)")
        result[key] = value
    return result


def environment_layer(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings given as ``GLOSSARY_*`` environment variables (by setting name)."""
    return {key: environ[name] for name, key in ENVIRONMENT.items() if environ.get(name)}


def merge(layers: list[tuple[str, dict[str, Any]]]) -> Settings:
    """Settings from (origin, checked layer) pairs, lowest precedence first."""
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    severities: dict[str, str] = {}
    for where, settings in layers:
        for key, value in settings.items():
            if key == "severity":
                severities.update(value)
            else:
                values[key] = value
            origin[key] = where
    return Settings(
        languages=values.get("languages"),
        source_lang=values.get("source-lang", "en"),
        termbase=values.get("termbase"),
        fail_on=values.get("fail-on", "error"),
        disabled=frozenset(values.get("disable", ())),
        selected=frozenset(values["select"]) if "select" in values else None,
        severities=severities,
        check_sources=values.get("check-sources", True),
        origin=origin,
    )
