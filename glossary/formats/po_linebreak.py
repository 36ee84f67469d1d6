"""Line-break opportunities and display widths as gettext's PO writer sees them.

Classes follow Unicode's line-breaking classes (UAX #14), derived from the Unicode character
database that ships with Python plus the explicit lists below. Which class pairs may break was
measured: ``msgcat`` 0.21 was given one string per pair of representative characters, with and
without a space between them, and the break it made (or not) recorded. The result is the older
pair-table form of UAX #14, which for instance breaks after ``.`` ``,`` ``:`` ``;`` before a
letter (modern UAX #14 rule LB29 does not).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# One letter per class: a alphabetic (AL, also AI, SA, XX), n numeric, b break-after (BA),
# h hyphen, 2 em dash (B2), i infix separator, e exclamation, y slash (SY), p prefix, o postfix,
# ( opening, ) closing parenthesis (CP), ] closing punctuation, q quotation, g glue, I inseparable,
# s non-starter (NS, CJ), d ideographic, z zero-width space, w word joiner, m combining, j ZWJ,
# B break-before, H Hebrew letter, 4 5 Hangul LV / LVT syllables, l Hangul jamo, r regional
# indicator, E emoji base, M emoji modifier, c contingent; " " space.
_DIRECT = {
    "a": "2dB45lrEMc", "n": "2dB45lrEMc", "m": "2dB45lrEMc", "H": "2dB45lrEMc",
    "b": "an2po(gdBH45lrEMc", "h": "a2po(gdBH45lrEMc", "2": "anpo(dBH45lrEMc",
    "i": "a2po(dBH45lrEMc", "e": "an2po(dBH45lrEMc", "y": "a2po(dB45lrEMc",
    "p": "2poBr", "o": "2podB45lrEMc", ")": "2(dB45lrEMc", "]": "an2(dBH45lrEMc",
    "I": "an2po(dBH45lrEMc", "s": "an2po(dBH45lrEMc", "d": "an2p(dBH45lrEMc",
    "z": "anbh2ieypo()]qgIsdwmjBH45lrEMc", "4": "an2p(dBH45lrEMc", "5": "an2p(dBH45lrEMc",
    "l": "an2p(dBHrEMc", "r": "an2po(dBH45lEMc", "E": "an2p(dBH45lrEc", "M": "an2p(dBH45lrEMc",
    "c": "an2p(dBH45lrEMc", "(": "", "q": "", "g": "", "w": "", "j": "", "B": "",
}
# After ``X`` and one or more spaces, a break is allowed before anything but these.
_ALWAYS_AFTER_SPACES = "iey)]zw"
_NO_BREAK_AFTER_SPACES = {
    "2": "2" + _ALWAYS_AFTER_SPACES,
    "(": "anbh2ieypo()]qgIsdzwBH45lrEMc",
    "]": "s" + _ALWAYS_AFTER_SPACES,
    "q": "(" + _ALWAYS_AFTER_SPACES,
    "z": "z",
}

_ASCII = "".join(
    "b" if code == 9 else "m" if code < 32 or code == 127 else " " if code == 32
    else "n" if chr(code).isdigit() else "a" if chr(code).isalpha()
    else {"!": "e", "?": "e", '"': "q", "'": "q", "$": "p", "+": "p", "\\": "p", "%": "o",
          "(": "(", "[": "(", "{": "(", ")": ")", "]": ")", "}": "]", ",": "i", ".": "i",
          ":": "i", ";": "i", "-": "h", "/": "y", "|": "b"}.get(chr(code), "a")
    for code in range(128)
)
_LATIN1 = "g(opppaaaaaqabaaopaaBaaaaaaqaaa("  # U+00A0 ... U+00BF
_EXPLICIT = {
    "\u2007": "g", "\u2011": "g", "\u202f": "g", "\u2010": "b", "\u2012": "b", "\u2013": "b",
    "\u2014": "2", "\u2015": "a", "\u2018": "q", "\u2019": "q", "\u201a": "(", "\u201b": "q", "\u201c": "q",
    "\u201d": "q", "\u201e": "(", "\u201f": "q", "\u2024": "I", "\u2025": "I", "\u2026": "I",
    "\u2027": "b", "\u2030": "o", "\u2031": "o", "\u2032": "o", "\u2033": "o", "\u2034": "o",
    "\u2035": "o", "\u2036": "o", "\u2037": "o", "\u2039": "q", "\u203a": "q", "\u203c": "s",
    "\u203d": "s", "\u2044": "i", "\u2047": "s", "\u2048": "s", "\u2049": "s", "\u2056": "b",
    "\u2058": "b", "\u2059": "b", "\u205a": "b", "\u205b": "b", "\u205d": "b", "\u205e": "b",
    "\u205f": "b", "\u200b": "z", "\u200d": "j", "\u2060": "w", "\ufeff": "w", "\u2212": "p",
    "\u2213": "p", "\u2116": "p", "\u2103": "o", "\u2109": "o", "\u3000": "b", "\u30fc": "s",
    "\u3005": "s", "\u303b": "s", "\u309d": "s", "\u309e": "s", "\u30fd": "s", "\u30fe": "s",
    "\u3001": "]", "\u3002": "]", "\uff0c": "]", "\uff0e": "]", "\uff01": "e", "\uff1f": "e",
    "\uff1a": "s", "\uff1b": "s", "\ufffc": "c", "\u0e3f": "p",
}
_SMALL_KANA = frozenset(
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿｧｨｩｪｫｬｭｮｯｰ"
)
# Ranges (as in a regular expression's set) of the characters one column wide, past ASCII.
NARROW_RANGES = "\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f\u1e00-\u1fff\u2010-\u2027"
_NARROW = re.compile(f"[ -~{NARROW_RANGES}]*")
_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf", "Cc"})


def is_narrow(text: str) -> bool:
    """Whether every character of ``text`` is one column wide (Latin, Cyrillic, Greek, ASCII)."""
    return _NARROW.fullmatch(text) is not None


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    """Columns of one character: 0 for controls, combining and format characters, 2 for wide ones."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0
    if unicodedata.category(ch) in _ZERO_WIDTH_CATEGORIES or 0x1160 <= code <= 0x11FF:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def line_class(ch: str) -> str:
    """The one-letter line-breaking class of ``ch`` (see the legend above)."""
    code = ord(ch)
    if code < 0x80:
        return _ASCII[code]
    if code < 0xC0:
        return _LATIN1[code - 0xA0]
    explicit = _EXPLICIT.get(ch)
    if explicit is not None:
        return explicit
    return _class_from_properties(ch, code)


def _class_from_properties(ch: str, code: int) -> str:
    category = unicodedata.category(ch)
    if category in ("Mn", "Mc", "Me", "Cc", "Cf"):
        return "m"
    if category == "Nd":
        return "n"
    if 0xAC00 <= code <= 0xD7A3:
        return "4" if (code - 0xAC00) % 28 == 0 else "5"
    if 0x1100 <= code <= 0x11FF or 0xA960 <= code <= 0xA97F or 0xD7B0 <= code <= 0xD7FF:
        return "l"
    if 0x1F1E6 <= code <= 0x1F1FF:
        return "r"
    if 0x1F3FB <= code <= 0x1F3FF:
        return "M"
    if ch in _SMALL_KANA:
        return "s"
    if category == "Zs":
        return "b"
    if category == "Pd":
        return "b"
    if category == "Ps":
        return "("
    if category == "Pe":
        return "]"
    if category in ("Pi", "Pf"):
        return "q"
    if category == "Sc":
        return "p"
    if 0x0590 <= code <= 0x05FF and category == "Lo":
        return "H"
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return "d"
    return "a"


_CLASS_CACHE: dict[str, str] = {chr(code): _ASCII[code] for code in range(128)}
_DIRECT_SETS = {before: frozenset(after) for before, after in _DIRECT.items()}
_BANNED_AFTER_SPACES = {
    before: frozenset(_NO_BREAK_AFTER_SPACES.get(before, _ALWAYS_AFTER_SPACES)) for before in _DIRECT
}


def class_of(ch: str) -> str:
    """``line_class`` remembered per character."""
    cls = _CLASS_CACHE.get(ch)
    if cls is None:
        cls = _CLASS_CACHE[ch] = line_class(ch)
    return cls


def _base_class(text: str, offset: int) -> str:
    """The class that governs a break after ``text[offset]``: a combining mark takes its base's."""
    cls = class_of(text[offset])
    while cls == "m":
        if offset == 0:
            return "a"
        offset -= 1
        cls = class_of(text[offset])
        if cls in (" ", "z"):
            return "a"
    return cls


def can_break(text: str, offset: int) -> bool:
    """Whether a line may break before ``text[offset]`` (0 < offset < len(text))."""
    cache = _CLASS_CACHE
    after = cache.get(text[offset]) or class_of(text[offset])
    if after == " ":
        return False
    before_char = text[offset - 1]
    before = cache.get(before_char) or class_of(before_char)
    if before != " ":
        if after == "m":
            return before == "z"
        if before == "m":
            before = _base_class(text, offset - 1)
        return after in _DIRECT_SETS.get(before, ())
    index = offset - 2
    while index >= 0 and class_of(text[index]) == " ":
        index -= 1
    if index < 0:
        return False  # spaces at the start of a string never end a line on their own
    if after == "m":
        return True
    return after not in _BANNED_AFTER_SPACES.get(_base_class(text, index), ())


def break_opportunities(text: str) -> list[int]:
    """Every offset where a line may break, in order (used for strings of wide or zero-width text)."""
    return [offset for offset in range(1, len(text)) if can_break(text, offset)]


def _regex_set(chars: list[str]) -> str:
    """A regular-expression set of ``chars``, as ranges of consecutive code points."""
    codes = sorted(ord(ch) for ch in chars)
    parts = []
    index = 0
    while index < len(codes):
        last = index
        while last + 1 < len(codes) and codes[last + 1] == codes[last] + 1:
            last += 1
        first, end = re.escape(chr(codes[index])), re.escape(chr(codes[last]))
        parts.append(first if last == index else f"{first}-{end}")
        index = last + 1
    return "[" + "".join(parts) + "]"


@lru_cache(maxsize=1)
def simple_text_patterns() -> tuple[str, str]:
    """(the characters, a break opportunity) as regular expressions, for text of one-column
    characters that needs no escape, has no combining mark and no two spaces in a row.

    In such text ``can_break`` depends on the character before the offset, or on the one before
    a single space, and the one after: the pairs where it allows a break are written out as
    look-behind and look-ahead sets, one alternative per class before the offset.
    """
    ranges = [(0x20, 0x7E), *((ord(pair[0]), ord(pair[2])) for pair in re.findall("...", NARROW_RANGES))]
    by_class: dict[str, list[str]] = {}
    for first, last in ranges:
        for code in range(first, last + 1):
            ch = chr(code)
            # Unassigned code points stay out: the general way treats a few as plain letters.
            if ch not in '"\\' and unicodedata.category(ch) != "Cn" and class_of(ch) != "m":
                by_class.setdefault(class_of(ch), []).append(ch)
    present = set(by_class) - {" "}

    def chars(classes: set[str] | frozenset[str]) -> list[str]:
        return [ch for cls in sorted(classes) for ch in by_class[cls]]

    # Classes before the offset that allow a break before the same classes share an alternative.
    after_spaces: dict[frozenset[str], set[str]] = {}
    direct: dict[frozenset[str], set[str]] = {}
    for before in sorted(present):
        after_spaces.setdefault(frozenset(present - _BANNED_AFTER_SPACES[before]), set()).add(before)
        direct.setdefault(frozenset(present & _DIRECT_SETS[before]), set()).add(before)
    alternatives = [f"(?<={_regex_set(chars(befores))} )(?={_regex_set(chars(afters))})"
                    for afters, befores in after_spaces.items() if afters]
    alternatives += [f"(?<={_regex_set(chars(befores))})(?={_regex_set(chars(afters))})"
                     for afters, befores in direct.items() if afters]
    # Between two letters or digits no line breaks: most offsets a line's filling tries are such,
    # and this test turns them away at once instead of after every alternative.
    assert not {"a", "n"} & (_DIRECT_SETS["a"] | _DIRECT_SETS["n"])
    word = _regex_set(chars({"a", "n"} & present))
    return _regex_set(chars(set(by_class))), f"(?:(?<!{word})|(?!{word}))(?:" + "|".join(alternatives) + ")"
