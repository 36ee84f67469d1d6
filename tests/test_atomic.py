"""Tests for glossary/formats/atomic.py: a failed write leaves the old file and no temp files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

import pytest

from glossary.atomic import write_atomic, write_atomic_bytes


class Crash(Exception):
    pass


def _crashing(chunks: list[str]) -> Iterator[str]:
    yield from chunks
    raise Crash("generator failed mid-write")


def test_writes_text_exactly(tmp_path):
    target = tmp_path / "out.csv"
    write_atomic(target, ["a,b\r\n", "Тоқаев\n"])
    assert target.read_bytes() == "a,b\r\nТоқаев\n".encode()
    assert os.listdir(tmp_path) == ["out.csv"]


def test_encoding_is_applied(tmp_path):
    target = tmp_path / "out.txt"
    write_atomic(target, ["Токаев"], encoding="cp1251")
    assert target.read_bytes() == "Токаев".encode("cp1251")


def test_crash_mid_write_keeps_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "terms.tbx"
    old = "<old>Қазақстан</old>\n".encode()
    target.write_bytes(old)
    with pytest.raises(Crash):
        write_atomic(target, _crashing(["<new>", "half" * 100_000]))
    assert target.read_bytes() == old
    assert os.listdir(tmp_path) == ["terms.tbx"]


def test_crash_before_first_write_creates_nothing(tmp_path):
    with pytest.raises(Crash):
        write_atomic(tmp_path / "new.tbx", _crashing([]))
    assert os.listdir(tmp_path) == []


def test_unencodable_text_keeps_old_file(tmp_path):
    target = tmp_path / "latin.txt"
    target.write_bytes(b"old")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, ["Тоқаев"], encoding="latin-1")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["latin.txt"]


def test_bytes_variant_and_its_crash(tmp_path):
    target = tmp_path / "out.mo"
    write_atomic_bytes(target, [b"\x00\x01", b"\xff"])
    assert target.read_bytes() == b"\x00\x01\xff"

    def broken() -> Iterator[bytes]:
        yield b"partial"
        raise Crash("boom")

    with pytest.raises(Crash):
        write_atomic_bytes(target, broken())
    assert target.read_bytes() == b"\x00\x01\xff"
    assert os.listdir(tmp_path) == ["out.mo"]


def test_replacing_keeps_the_old_permissions(tmp_path):
    target = tmp_path / "shared.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, ["new"])
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == "new"


def test_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "fresh.csv", ["x"])
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "fresh.csv").stat().st_mode) == 0o644
