"""The registry of rules: each rule's stable id, default severity, one-line title, help text and function."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glossary.checks.context import UnitContext
    from glossary.checks.model import Finding

UnitRule = Callable[["UnitContext"], Iterable["Finding"]]
CorpusRule = Callable[[list["UnitContext"]], Iterable["Finding"]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: ``scope`` is ``unit`` (looks at one entry) or ``corpus`` (compares entries)."""

    id: str
    severity: str
    title: str
    help: str
    scope: str
    fixable: bool
    function: Any  # UnitRule or CorpusRule, by scope


RULES: dict[str, Rule] = {}


def _register(
    rule_id: str, severity: str, scope: str, fixable: bool
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    def decorate(function: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        doc = (function.__doc__ or "").strip()
        title, _, rest = doc.partition("\n")
        help_text = " ".join(rest.split())
        RULES[rule_id] = Rule(rule_id, severity, title.strip(), help_text, scope, fixable, function)
        return function

    return decorate


def unit_rule(
    rule_id: str, severity: str, *, fixable: bool = False
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a rule over one unit; its docstring's first line is the title, the rest the help."""
    return _register(rule_id, severity, "unit", fixable)


def corpus_rule(
    rule_id: str, severity: str
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Register a rule that compares units with each other."""
    return _register(rule_id, severity, "corpus", False)


def all_rules() -> dict[str, Rule]:
    """Every rule by id, in a stable order (the rule modules are imported on first use)."""
    import glossary.checks.rules  # noqa: F401  (registers the rules)

    return dict(sorted(RULES.items()))


def rules_of(scope: str) -> Iterator[Rule]:
    """The registered rules of one scope."""
    return (rule for rule in all_rules().values() if rule.scope == scope)
