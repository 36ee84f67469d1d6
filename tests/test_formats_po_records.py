"""What the .po speed-ups must not change: PoMessage's constructor, the collector's state, encoding errors."""

from __future__ import annotations

import dataclasses
import gc
import inspect
import io
from collections.abc import Iterator

import pytest

from glossary.formats.po import encode_po, generate_po, read_po
from glossary.gcpause import collector_paused
from glossary.model.catalog import PoCatalog, PoMessage
from glossary.model.errors import GlossaryError, ParseError


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_po_message_takes_the_arguments_of_its_dataclass_fields() -> None:
    parameters = list(inspect.signature(PoMessage).parameters.values())
    fields = dataclasses.fields(PoMessage)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)
    for parameter, field in zip(parameters, fields, strict=True):
        expected = inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default
        assert parameter.default == expected, field.name


def test_po_message_stays_a_frozen_record_whose_line_does_not_count() -> None:
    message = PoMessage("Astana", "Астана", "city", None, (), ("checked",), (), ("a.txt:3",), ("fuzzy",),
                        None, "Astana city", None, False, 12)
    assert message.msgctxt == "city" and message.previous_msgid == "Astana city" and message.line == 12
    assert message.translator_comments == ("checked",) and message.fuzzy
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.msgstr = "Нур-Султан"  # type: ignore[misc]
    same = PoMessage(msgid="Astana", msgstr="Астана", msgctxt="city", translator_comments=("checked",),
                     references=("a.txt:3",), flags=("fuzzy",), previous_msgid="Astana city", line=99)
    assert same == message and hash(same) == hash(message)
    assert dataclasses.replace(message, msgstr="Нур-Султан").msgstr == "Нур-Султан"
    with pytest.raises(TypeError):
        PoMessage()  # type: ignore[call-arg]


def test_the_collector_runs_again_after_a_pause_even_after_an_error(collector_on: None) -> None:
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one paused
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_that_was_off_off(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_reading_a_broken_catalogue_leaves_the_collector_running(collector_on: None) -> None:
    text = 'msgid "one"\nmsgstr "один"\n\nmsgid "two"\nmsgstr "два" trailing\n'
    with pytest.raises(ParseError) as raised:
        read_po(io.BytesIO(text.encode()), "broken.po")
    assert raised.value.line == 5
    assert gc.isenabled()


def test_a_character_the_charset_cannot_hold_is_an_error_however_far_in() -> None:
    messages = [PoMessage(msgid=f"name {n}", msgstr=f"name {n}") for n in range(2500)]
    messages[1700] = PoMessage(msgid="Almaty", msgstr="Алматы")
    catalog = PoCatalog(messages=tuple(messages), charset="ISO-8859-1")
    with pytest.raises(GlossaryError, match="cannot be written in the catalogue's charset ISO-8859-1"):
        b"".join(encode_po(catalog, generate_po(catalog)))


def test_encoding_in_batches_writes_what_one_chunk_at_a_time_wrote() -> None:
    messages = tuple(PoMessage(msgid=f"Tokayev said {n}", msgstr=f"Токаев сказал {n}") for n in range(2345))
    catalog = PoCatalog(messages=messages)
    chunks = list(generate_po(catalog))
    assert len(chunks) == len(messages)  # one chunk per entry: the CLI counts them for its progress bar
    assert b"".join(encode_po(catalog, chunks)) == "".join(chunks).encode("utf-8")
