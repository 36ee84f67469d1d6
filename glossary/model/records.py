"""Plain, database-free records of concepts and terms, shared by formats, recognition and checks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime

from glossary.model.errors import ParseError

STATUSES = ("preferred", "admitted", "deprecated", "superseded", "forbidden")
TERM_TYPES = ("full_form", "short_form", "abbreviation", "adjective")
CONCEPT_KINDS = ("person", "organisation", "place", "event", "nationality", "other")
ORIGINS = ("entered", "generated", "imported")
# Language tags of the bundled term base, in its editing order: the five working languages
# with Kazakh in both alphabets, and the native languages of the other CSTO members.
TERMBASE_LANGS = ("en", "ru", "be", "tg", "hy", "ky", "kk", "kk-Latn", "de", "fr")
# What a register entry of sources rests on: a body's own publication, a reference work, a
# named paper or agency, a romanization scheme, the editors' own choice, or the bundled article.
SOURCE_BASES = ("official", "reference", "press", "scheme", "editor", "article")


@dataclass(frozen=True, slots=True)
class TermRecord:
    """One written form of a concept in one language.

    ``scheme`` names the transliteration scheme that produced the form (``None``
    for native forms); ``origin`` says whether a person entered it, a scheme
    generated it, or an import brought it.
    """

    lang: str
    text: str
    status: str = "preferred"
    type: str = "full_form"
    scheme: str | None = None
    origin: str = "entered"
    note: str | None = None
    source: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    # The fields an imported file actually stated (None: all of them). A merge updates only
    # these, so a sparse file never overwrites a stored status or type with a default.
    given: frozenset[str] | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, str | None]:
        """Every field by name, for rows of tables and files."""
        return {name: getattr(self, name) for name in TERM_FIELDS}


TERM_FIELDS = (
    "lang",
    "text",
    "status",
    "type",
    "scheme",
    "origin",
    "note",
    "source",
    "valid_from",
    "valid_until",
)


@dataclass(slots=True)
class ConceptRecord:
    """A person, organisation, place or event with its forms in every language.

    ``id`` is a stable slug (``tokayev``, ``csto``); it survives exports and
    imports and is the TBX ``conceptEntry/@id``.
    """

    id: str
    kind: str = "other"
    note: str | None = None
    external_id: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    terms: list[TermRecord] = field(default_factory=list)
    given: frozenset[str] | None = field(default=None, compare=False, repr=False)  # as for terms

    def preferred(self, lang: str, type: str | None = None) -> TermRecord | None:
        """The preferred term in ``lang`` (exact tag first, then its primary language).

        With ``type``, a preferred term of that type wins (a short form is answered
        with the preferred short form, an abbreviation with the preferred abbreviation);
        otherwise the first preferred term is returned.
        """
        primary = lang.split("-")[0]
        for wanted in (lang, primary):
            candidates = [
                t
                for t in self.terms
                if t.lang == wanted and t.status == "preferred" and t.origin != "generated"
            ]
            if candidates:
                same_type = [t for t in candidates if t.type == type]
                return (same_type or candidates)[0]
        return None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One entry of the sources register: a publication a reader can open to find a form.

    ``langs`` are the languages whose forms it holds; ``kinds`` (concept kinds) and
    ``types`` (term types) narrow it where given, ``None`` meaning any. ``consulted`` is
    the ISO date an editor last read it, ``None`` for a citation not re-read since it was
    first entered.
    """

    id: str
    title: str
    basis: str
    langs: tuple[str, ...]
    publisher: str | None = None
    url: str | None = None
    kinds: tuple[str, ...] | None = None
    types: tuple[str, ...] | None = None
    consulted: str | None = None
    note: str | None = None

    def covers(self, lang: str, kind: str | None = None, type: str | None = None) -> bool:
        """Whether a form in ``lang`` of a concept of ``kind`` and of term ``type`` can rest on it."""
        return (
            lang in self.langs
            and (self.kinds is None or kind is None or kind in self.kinds)
            and (self.types is None or type is None or type in self.types)
        )


def ascii_slug(text: str) -> str:
    """ASCII lowercase words joined by underscores (``Kassym-Jomart Tokaïev`` → ``kassym_jomart_tokaiev``);
    empty when the text has no Latin letters or digits."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def checked_choice(value: str, allowed: tuple[str, ...], what: str, path: str, line: int | None) -> str:
    """``value`` if it is one of ``allowed``; else a ParseError naming the file and line."""
    if value not in allowed:
        raise ParseError(path, line, f"unknown {what} {value!r} (expected one of: {', '.join(allowed)})")
    return value


@dataclass(slots=True)
class UnitVariant:
    """One language variant of a unit (a TMX ``tuv``): a language and its text."""

    lang: str
    text: str
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class UnitRecord:
    """A translation unit with its variants (a TMX ``tu``, a memory unit); ``srclang`` names the source."""

    variants: list[UnitVariant]
    srclang: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tuid: str | None = None
    creationdate: str | None = None
    line: int = 0

    def source(self) -> UnitVariant:
        """The variant in ``srclang``, else the first one."""
        for variant in self.variants:
            if self.srclang and variant.lang.casefold() == self.srclang.casefold():
                return variant
        return self.variants[0]


def tmx_date(moment: datetime) -> str:
    """A TMX date: ``YYYYMMDDThhmmssZ`` in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
