"""Tests for glossary.text.segment: sentences, blocks and stable keys."""

from __future__ import annotations

import hashlib
import re
from importlib import resources

import pytest

from glossary.text.segment import (
    BLOCKS,
    READ_ONLY,
    format_flags,
    is_read_only,
    segment_flags,
    segment_keys,
    split_document,
    split_sentences,
)


@pytest.fixture(scope="module")
def article() -> str:
    return (resources.files("glossary") / "data" / "article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def segments(article):
    return split_document(article)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_segments_cover_every_character_of_the_article_in_order(article, segments):
    assert "".join(_squeeze(s.text) for s in segments) == _squeeze(article)


def test_segments_are_stripped_and_numbered_in_order(segments):
    assert [s.position for s in segments] == list(range(len(segments)))
    assert all(s.text == s.text.strip() and s.text for s in segments)
    assert {s.block for s in segments} <= set(BLOCKS)
    paragraphs = [s.paragraph for s in segments]
    assert paragraphs == sorted(paragraphs)


def test_same_article_gives_same_segments_twice(article, segments):
    again = split_document(article)
    assert [(s.key, s.text) for s in again] == [(s.key, s.text) for s in segments]


def test_keys_are_unique(segments):
    keys = [s.key for s in segments]
    assert len(keys) == len(set(keys))


def test_headings_of_the_article(segments):
    headings = [s.text for s in segments if s.block == "heading"]
    assert headings == [
        "CSTO Leadership Meeting",
        "A Developing Picture",
        "Tokayev",
        "Outcomes",
        "Echoes",
        "Sources",
        "Copyright and Licensing",
    ]


def test_caption_and_datelines_open_the_article(segments):
    assert segments[0].block == "caption"
    assert segments[0].text == "[Image: Kazakh President Tokayev. Source Eurasianet.org]"
    assert [(s.block, s.paragraph, s.text) for s in segments[1:6]] == [
        ("meta", 1, "Publication date: 2022-02-11"),
        (
            "meta",
            2,
            "Update 2022-01-13: added to sources the best as yet analysis of the genesis and management "
            "of the coup by Pepe Escobar.",
        ),
        ("meta", 2, "Highly recommended."),
        ("meta", 2, "Also added a short biography of Tokayev."),
        ("meta", 3, "Update 2022-01-16: improving the text for clarity."),
    ]
    assert segments[6].block == "paragraph"


def test_a_dateline_of_several_sentences_is_split_and_stays_meta():
    segments = split_document("Update 2022-01-13: added a source. Highly recommended.\nBody text here.")
    assert [(s.block, s.paragraph, s.text) for s in segments] == [
        ("meta", 0, "Update 2022-01-13: added a source."),
        ("meta", 0, "Highly recommended."),
        ("paragraph", 1, "Body text here."),
    ]


def test_the_bare_url_of_the_article_is_the_only_read_only_segment(segments):
    read_only = [s for s in segments if not s.translatable]
    assert [(s.text, s.flags) for s in read_only] == [
        ("https://creativecommons.org/licenses/by-sa/4.0/legalcode", (READ_ONLY,)),
    ]
    # A sentence that mentions a URL is prose to translate.
    assert "The URL is the obvious: https://yesxorno.substack.com/feed ." in [
        s.text for s in segments if s.translatable
    ]


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("https://creativecommons.org/licenses/by-sa/4.0/legalcode", (READ_ONLY,)),
        ("<http://example.org/feed>", (READ_ONLY,)),
        ("HTTPS://EXAMPLE.ORG", (READ_ONLY,)),
        ("ftp://example.org/file.txt", (READ_ONLY,)),
        ("See https://example.org", ()),
        ("https://example.org is down.", ()),
        ("example.org", ()),
        ("Lets build culture.", ()),
    ],
    ids=["url", "angle-brackets", "upper-case", "ftp", "text-before", "text-after", "no-scheme", "prose"],
)
def test_segment_flags(text, flags):
    assert segment_flags(text) == flags


def test_flags_are_stored_and_read_gettext_style():
    assert format_flags(()) is None
    assert format_flags((READ_ONLY, "c-format")) == "read-only, c-format"
    assert is_read_only("c-format, read-only")
    assert is_read_only("read-only")
    assert not is_read_only("c-format")
    assert not is_read_only("")
    assert not is_read_only(None)


def test_markdown_bare_url_paragraph_is_read_only():
    text = "A sentence here.\n\n<https://example.org/feed>\n"
    segments = split_document(text, fmt="markdown")
    assert [(s.text, s.translatable) for s in segments] == [
        ("A sentence here.", True),
        ("<https://example.org/feed>", False),
    ]


def test_sources_are_list_items(segments):
    items = [s.text for s in segments if s.block == "list_item"]
    assert "Kazakhstan president claims coup attempt, Eurasia Net, 2022-01-10" in items
    assert "After Kazakhstan, the Color Revolution Era Is Over, Pepe Escobar, Unz Review, 2022-01-21" in items
    assert any(item.startswith("UN Security Council via the UN Secretary General") for item in items)
    # A line of several sentences is prose, even without a final full stop.
    assert "Lets build culture." in [s.text for s in segments if s.block == "paragraph"]


def test_repeated_sentences_get_numbered_keys(segments):
    repeated = [s for s in segments if s.text == "Putin continues:"]
    assert len(repeated) == 2
    assert repeated[1].key == f"{repeated[0].key}-2"


@pytest.mark.parametrize(
    "sentence",
    [
        "He acknowledges that this is the first use of CSTO's peacekeeping agreement, and mentions that "
        "a day of mourning is in effect in Kazakhstan, the reasons for which he lays out, including 16 dead "
        "among law enforcement and military with 1 300 injuries, not to mention widespread destruction of "
        "government property, damage to over 1 000 businesses and an as yet uncounted number of civilian "
        "deaths and injuries.",
        "After leaving the Russian Foreign Service he served in the Kazakh government moving through the "
        "ranks Deputy Foreign Minister, Prime Minister, Foreign Minister and Director-General of the U.N. "
        "Office at Geneva during which periods he played leading roles in the disarmament processes between "
        "the USA and the USSR.",
        "Mr Massimov's treason charges are likely to be just the first of many.",
        "The profits of the sale of national resources (energy etc.) have not been delivered to the people "
        "but largely taken by an entrenched leadership.",
        "Have fun, reuse, remix etc. but give credit and place no further restrictions.",
        "They were members of ISIS, al-Qaeda, Ansarullah,Hizb ut-Tahrir, and the Islamic Movement of "
        "Uzbekistan, to name a few.",
        "Reportedly 8 000 people are currently detained in Kazakhstan to get to the bottom of all of this.",
        "Where did these armed groups come from?",
    ],
    ids=["1 300", "U.N.", "Mr", "etc. )", "etc. but", "comma-no-space", "8 000", "question"],
)
def test_abbreviations_and_numbers_do_not_split(segments, sentence):
    assert sentence in [s.text for s in segments]


def test_split_sentences_strips_and_keeps_text():
    assert split_sentences("  One.  Two?   Three!  ") == ["One.", "Two?", "Three!"]
    assert split_sentences("   ") == []


def test_key_is_sha1_of_normalized_text():
    expected = hashlib.sha1(b"The police repelled the attacks.").hexdigest()[:12]
    assert segment_keys(["The police  repelled\tthe attacks. "]) == [expected]


def test_inserting_a_sentence_keeps_other_keys():
    before = split_document("Alpha is here. Beta is there.\nGamma comes last.")
    after = split_document("Alpha is here. New one arrives. Beta is there.\nGamma comes last.")
    old_keys = {s.text: s.key for s in before}
    new_keys = {s.text: s.key for s in after}
    assert all(new_keys[text] == key for text, key in old_keys.items())
    assert len(after) == len(before) + 1


def test_plain_text_line_kinds():
    text = "Short Title\nA sentence. Another one!\n- not markdown in text mode, still one line\n"
    blocks = [(s.block, s.text) for s in split_document(text)]
    assert blocks == [
        ("heading", "Short Title"),
        ("paragraph", "A sentence."),
        ("paragraph", "Another one!"),
        ("list_item", "- not markdown in text mode, still one line"),
    ]


def test_markdown_blocks():
    text = (
        "# The Title #\n"
        "\n"
        "![A photo](photo.jpg)\n"
        "\n"
        "First sentence of a wrapped\n"
        "paragraph. Second sentence.\n"
        "\n"
        "Setext Heading\n"
        "--------------\n"
        "\n"
        "- item one. Still item one.\n"
        "  continued here\n"
        "* item two\n"
        "1. item three\n"
        "\n"
        "> Quoted first. Quoted second.\n"
        "> Quoted third.\n"
        "\n"
        "***\n"
        "```\n"
        "code. more code.\n"
        "```\n"
    )
    blocks = [(s.block, s.text, s.paragraph) for s in split_document(text, fmt="markdown")]
    assert blocks == [
        ("heading", "The Title", 0),
        ("caption", "![A photo](photo.jpg)", 1),
        ("paragraph", "First sentence of a wrapped paragraph.", 2),
        ("paragraph", "Second sentence.", 2),
        ("heading", "Setext Heading", 3),
        ("list_item", "item one. Still item one. continued here", 4),
        ("list_item", "item two", 5),
        ("list_item", "item three", 6),
        ("quote", "Quoted first.", 7),
        ("quote", "Quoted second.", 7),
        ("quote", "Quoted third.", 7),
    ]  # the fenced code is not prose: no segment


@pytest.mark.parametrize(
    "block",
    [
        "    indented = code(). More code.\n",
        "```python\nfenced = code(). More.\n```\n",
        "~~~\nfenced = code(). More.\n~~~\n",
        "<div class=\"note\">\nAn HTML block. With sentences.\n</div>\n",
        "| Name | Office |\n|---|---|\n| Tokayev. | President. |\n",
        "[akorda]: https://www.akorda.kz/en \"The Akorda. Official site.\"\n",
    ],
    ids=["indented-code", "backtick-fence", "tilde-fence", "html-block", "table", "link-definition"],
)
def test_markdown_blocks_that_are_not_prose_are_never_segments(block):
    text = f"Before it. Still before.\n\n{block}\nAfter it."
    segments = split_document(text, fmt="markdown")
    assert [s.text for s in segments] == ["Before it.", "Still before.", "After it."]


def test_markdown_list_items_nested_and_with_paragraphs():
    text = "- one\n  still one\n\n  more of one\n  - nested\n- two\n\n> - quoted item\n"
    assert [(s.block, s.text) for s in split_document(text, fmt="markdown")] == [
        ("list_item", "one still one more of one"),
        ("list_item", "nested"),
        ("list_item", "two"),
        ("list_item", "quoted item"),
    ]


@pytest.mark.parametrize(
    ("lang", "text", "sentences"),
    [
        ("de", "Am 5. Januar sprach er, d. h. der Präsident. Dann ging er.",
         ["Am 5. Januar sprach er, d. h. der Präsident.", "Dann ging er."]),
        ("ru", "В 2022 г. в Алматы было неспокойно. Потом нет.",
         ["В 2022 г. в Алматы было неспокойно.", "Потом нет."]),
        ("de-AT", "Am 5. Januar sprach er. Dann ging er.", ["Am 5. Januar sprach er.", "Dann ging er."]),
    ],
)
def test_sentences_are_split_by_the_document_s_language(lang, text, sentences):
    assert split_sentences(text, lang) == sentences
    assert [s.text for s in split_document(text, lang=lang)] == sentences
    assert split_sentences(text, "en") != sentences  # English rules split these wrongly


def test_languages_without_rules_fall_back_to_english():
    from glossary.text.segment import sentence_language

    languages = [sentence_language(lang) for lang in ("kk", "kk-Latn", "fr", "uz", "tt")]
    assert languages == ["kk", "kk", "fr", "en", "en"]


def test_markdown_dateline_is_meta():
    segments = split_document("Published: 2022-02-11\n\nBody text here.", fmt="markdown")
    assert [(s.block, s.text) for s in segments] == [
        ("meta", "Published: 2022-02-11"),
        ("paragraph", "Body text here."),
    ]


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError, match="unknown document format"):
        split_document("x", fmt="html")
