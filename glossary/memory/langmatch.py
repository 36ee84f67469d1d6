"""Which stored language tags a memory lookup matches: by language and script, preferring its own region.

As OmegaT picks a unit's translation (same language and country first, then the language without
a country, then the language with any country), a lookup for ``de`` finds units written ``de``,
``de-DE``, ``DE-DE`` or ``de-AT``; a lookup for ``de-AT`` prefers ``de-AT``, then ``de``, then other
regions, and says when the region differs. The script must agree (``kk`` is Cyrillic, so it never
matches ``kk-Latn``); tags are compared in their canonical form, so ``iw`` is ``he``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

SAME_REGION, NO_REGION, OTHER_REGION = 0, 1, 2


@dataclass(frozen=True, slots=True)
class TagMatch:
    """A stored tag that a lookup's tag matches, and how close its region is."""

    tag: str
    rank: int  # SAME_REGION, NO_REGION or OTHER_REGION

    @property
    def region_differs(self) -> bool:
        """Both tags name a region, and not the same one."""
        return self.rank == OTHER_REGION


@lru_cache(maxsize=1024)
def _parts(tag: str) -> tuple[str, str, str | None] | None:
    """(language, script, region) of a tag; the script is the likely one when the tag omits it."""
    import langcodes

    try:
        parsed = langcodes.Language.get(tag.strip().replace("_", "-"))
    except (ValueError, LookupError):
        return None
    if not parsed.language:
        return None
    script = parsed.script or parsed.maximize().script or ""
    return parsed.language, script, parsed.territory


def match_tag(wanted: str, stored: str) -> TagMatch | None:
    """How ``stored`` matches a lookup for ``wanted``; None when it is another language or script."""
    if wanted == stored:
        return TagMatch(stored, SAME_REGION)
    want, have = _parts(wanted), _parts(stored)
    if want is None or have is None:
        same = wanted.casefold().replace("_", "-") == stored.casefold().replace("_", "-")
        return TagMatch(stored, SAME_REGION) if same else None
    if want[:2] != have[:2]:
        return None
    if want[2] == have[2]:
        return TagMatch(stored, SAME_REGION)
    if want[2] is None or have[2] is None:
        return TagMatch(stored, NO_REGION)
    return TagMatch(stored, OTHER_REGION)


def matching_pairs(
    pairs: list[tuple[str, str]], source_lang: str, target_lang: str
) -> list[tuple[str, str, TagMatch, TagMatch]]:
    """The stored ``(source, target)`` pairs a lookup from ``source_lang`` into ``target_lang`` uses,
    closest regions first."""
    found = []
    for source, target in pairs:
        src, tgt = match_tag(source_lang, source), match_tag(target_lang, target)
        if src is not None and tgt is not None:
            found.append((source, target, src, tgt))
    found.sort(key=lambda item: (item[2].rank + item[3].rank, item[0], item[1]))
    return found
