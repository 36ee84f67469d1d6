"""Property tests of the article reader: bytes decode or fail cleanly; splitting loses only white space."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from property_helpers import mutated, names_its_place, refusal, texts

from glossary.formats.article import decode_article
from glossary.formats.seed import bundled_path
from glossary.text.segment import _segmenter, pysbd_sentences, sentence_language, split_document
from glossary.text.windows import split_windows

_ARTICLE = bundled_path("article.txt").read_bytes()
_LINES = _ARTICLE.splitlines(keepends=True)
_WORDS = st.sampled_from(["Tokayev", "Mr.", "U.S.", "Almaty.", "CSTO", "troops", "«Тоқаев»", "(see p. 5)",
                          "1.5", "e.g.", "Dr.", "Жаңаөзен", "?", "!", "...", "—", "\"Yes.\"", "a.",
                          "2022-01-05"])
# Prose-like text: words of the article's kind, abbreviations and punctuation, in any order.
prose = st.lists(st.one_of(_WORDS, texts(max_size=8)), max_size=60).map(" ".join)


def _solid(text: str) -> str:
    return "".join(text.split())


@st.composite
def articles(draw: st.DrawFn) -> bytes:
    """A piece of the bundled article, as its own file."""
    start = draw(st.integers(0, len(_LINES) - 1))
    return b"".join(_LINES[start:start + draw(st.integers(1, 6))])


@given(data=st.data(), article=articles(), markdown=st.booleans())
def test_a_corrupted_article_is_read_or_refused_with_its_name(data: st.DataObject, article: bytes,
                                                              markdown: bool) -> None:
    corrupt = data.draw(mutated(article))

    def read() -> None:
        text = decode_article(corrupt, "fuzz.txt")
        segments = split_document(text, fmt="markdown" if markdown else "text", lang="en")
        assert all(segment.text.strip() for segment in segments)

    assert names_its_place(refusal(read), "fuzz.txt", corrupt)


@given(data=st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_the_files_name(data: bytes) -> None:
    assert names_its_place(refusal(lambda: decode_article(data, "fuzz.txt")), "fuzz.txt", data)


@given(lines=st.lists(prose, min_size=1, max_size=5), lang=st.sampled_from(["en", "ru", "kk", "de", "fr"]))
def test_plain_text_loses_nothing_but_white_space(lines: list[str], lang: str) -> None:
    text = "\n".join(lines)
    segments = split_document(text, fmt="text", lang=lang)
    assert all(segment.text and segment.text == segment.text.strip() for segment in segments)
    assert _solid("".join(segment.text for segment in segments)) == _solid(text)


@given(text=prose, lang=st.sampled_from(["en", "ru", "de"]))
def test_sentences_are_those_pysbd_gives(text: str, lang: str) -> None:
    segmenter = _segmenter(sentence_language(lang))
    expected = [s for s in (part.strip() for part in segmenter.segment(text)) if s]
    assert pysbd_sentences(segmenter, text) == expected


@given(text=st.lists(prose, min_size=1, max_size=8).map(" ".join))
def test_windows_lose_nothing_and_stay_small(text: str) -> None:
    segmenter = _segmenter("en")
    given_sizes: list[int] = []

    def split(piece: str) -> list[str]:
        given_sizes.append(len(piece))
        return pysbd_sentences(segmenter, piece)

    sentences = list(split_windows(text.strip(), split, size=200, margin=40))
    assert all(size <= 200 for size in given_sizes)
    assert _solid("".join(sentences)) == _solid(text)
