"""The rules, one module per family; importing this package registers them all."""

from glossary.checks import suppress
from glossary.checks.rules import consistency, missing, numbers, script, terms

__all__ = ["consistency", "missing", "numbers", "script", "suppress", "terms"]
