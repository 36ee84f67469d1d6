"""Helpers of the import tests: synthetic term-base files of any size."""

from __future__ import annotations

from pathlib import Path

_SYLLABLES = ("ба", "ке", "ді", "мұ", "ра", "со", "тө", "ха", "жа", "ны", "қа", "лы", "ғи", "шо", "ер", "ай")
_RUSSIAN = str.maketrans("ұөқғ", "уокг")


def surname(number: int) -> str:
    """A Kazakh-looking surname unique to ``number``."""
    parts = []
    while True:
        number, digit = divmod(number, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
        if number == 0:
            break
    return "".join(parts).capitalize() + "ов"


def people_csv(path: Path, count: int, *, start: int = 0) -> Path:
    """A CSV of ``count`` people (ids p<number>), each with an en, a ru and a kk form, rows adjacent."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("concept,kind,lang,text\n")
        for number in range(start, start + count):
            kk = f"Асқар {surname(number)}"
            out.write(f"p{number:07d},person,en,Person {number}\n")
            out.write(f"p{number:07d},,ru,{kk.translate(_RUSSIAN)}\n")
            out.write(f"p{number:07d},,kk,{kk}\n")
    return path


def people_tbx(path: Path, count: int, *, start: int = 0) -> Path:
    """The same people as :func:`people_csv`, as TBX-Basic."""
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" '
                  'xmlns="urn:iso:std:iso:30042:ed-2"><text><body>\n')
        for number in range(start, start + count):
            kk = f"Асқар {surname(number)}"
            out.write(f'<conceptEntry id="p{number:07d}">')
            for lang, text in (("en", f"Person {number}"), ("ru", kk.translate(_RUSSIAN)), ("kk", kk)):
                out.write(f'<langSec xml:lang="{lang}"><termSec><term>{text}</term></termSec></langSec>')
            out.write("</conceptEntry>\n")
        out.write("</body></text></tbx>\n")
    return path
