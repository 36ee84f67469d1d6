"""Romanizations of a concept's Cyrillic and Armenian forms under every scheme, as generated terms."""

from __future__ import annotations

from dataclasses import replace

from glossary.model.records import ConceptRecord, TermRecord

# Languages whose native forms are written in a non-Latin script and have romanization schemes.
ROMANIZED_LANGS = ("ru", "kk", "be", "tg", "ky", "hy")
# Forbidden forms are wrong in any script; romanizing them would only spread them.
_SKIPPED_STATUSES = ("forbidden",)


def generate_variants(concept: ConceptRecord) -> list[TermRecord]:
    """Every scheme's romanization of every entered Cyrillic form, deduplicated.

    A generated form is tagged ``<lang>-Latn`` with its scheme and
    ``origin="generated"``; its status is ``deprecated`` until a reviewer admits it,
    so checks flag it in a target text while recognition still finds it. A form
    that a person already entered (in any language) is never generated again, and
    a spelling that several schemes share is stored once, under the first scheme,
    with the others named in its note.
    """
    from glossary.translit import list_schemes, romanize

    entered = {t.text for t in concept.terms if t.origin != "generated"}
    produced: dict[str, TermRecord] = {}
    also: dict[str, list[str]] = {}
    for term in concept.terms:
        lang = term.lang.split("-")[0]
        if lang not in ROMANIZED_LANGS or term.origin == "generated" or term.status in _SKIPPED_STATUSES:
            continue
        if not any(ch.isalpha() and not ch.isascii() and not _is_latin(ch) for ch in term.text):
            continue
        for scheme in list_schemes(lang):
            text = romanize(term.text, lang, scheme.name)
            if not text or text in entered:
                continue
            if text in produced:
                if scheme.name != produced[text].scheme:
                    also[text].append(scheme.name)
                continue
            also[text] = []
            produced[text] = TermRecord(
                lang=f"{lang}-Latn",
                text=text,
                status="deprecated",
                type=term.type,
                scheme=scheme.name,
                origin="generated",
                source=scheme.authority,
                note=f"{scheme.title} romanization of {term.text}",
            )
    result = []
    for text, record in produced.items():
        others = sorted(set(also[text]))
        if others:
            record = replace(record, note=f"{record.note}; also {', '.join(others)}")
        result.append(record)
    return result


def _is_latin(ch: str) -> bool:
    """Whether ``ch`` is a Latin letter (é, ö, ı): a form in Latin script needs no romanization."""
    import unicodedata

    return unicodedata.name(ch, "").startswith("LATIN")
