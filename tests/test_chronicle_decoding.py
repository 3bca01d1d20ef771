"""decode_text / read_chronicle_file: encodings detected, unusable files refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from belarchive.config import sample_chronicle_path
from belarchive.errors import ImportError_
from belarchive.importing.chronicle import decode_text, read_chronicle_file

FIXTURES = Path(__file__).parent / "fixtures" / "chronicles"
SAMPLE = sample_chronicle_path().read_text(encoding="utf-8")


def test_utf8_with_and_without_bom() -> None:
    plain = decode_text(SAMPLE.encode("utf-8"))
    bom = decode_text(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    assert plain.encoding == "utf-8" and plain.text == SAMPLE and plain.confidence == 1.0
    assert bom.text == SAMPLE  # the BOM is not part of the text


def test_utf16_with_bom() -> None:
    assert decode_text(SAMPLE.encode("utf-16")).text == SAMPLE


@pytest.mark.parametrize(
    ("name", "encoding", "reference"),
    [
        ("el-excerpt.cp1253.txt", "cp1253", None),
        ("ru-2020.cp1251.txt", "cp1251", "ru-2020.md"),
        ("ru-excerpt.koi8-r.txt", "koi8_r", None),
    ],
)
def test_legacy_encoded_fixtures(name: str, encoding: str, reference: str | None) -> None:
    decoded = read_chronicle_file(FIXTURES / name)
    assert decoded.encoding == encoding
    assert decoded.text == (FIXTURES / name).read_bytes().decode(encoding)
    if reference:
        assert decoded.text == (FIXTURES / reference).read_text(encoding="utf-8")
    assert 0.5 < decoded.confidence < 1.0


def test_cp1251_and_koi8r_are_not_confused() -> None:
    text = "Не менее 200 человек задержаны в Минске. Милиция применила слезоточивый газ."
    assert decode_text(text.encode("cp1251")).text == text
    assert decode_text(text.encode("koi8_r")).text == text


def test_named_encoding_is_used_and_checked() -> None:
    assert decode_text("Минск".encode("cp1251"), "windows-1251").text == "Минск"
    with pytest.raises(ImportError_, match="not valid utf-8"):
        decode_text("Μινσκ".encode("cp1253"), "utf-8")
    with pytest.raises(ImportError_, match="not a text encoding"):
        decode_text(b"abc", "no-such-encoding")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t "])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(ImportError_, match=r"empty|no text"):
        decode_text(data)


def test_binary_files_are_refused() -> None:
    pdf_like = b"%PDF-1.7\n" + bytes(range(256)) * 20
    with pytest.raises(ImportError_, match="not a text file"):
        decode_text(pdf_like)
    with pytest.raises(ImportError_, match="not a text file"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_undecidable_bytes_are_refused() -> None:
    noise = bytes([0x80 + (i * 37) % 0x7F for i in range(2000)])
    with pytest.raises(ImportError_, match="encoding"):
        decode_text(noise)


def test_oversized_data_is_refused() -> None:
    with pytest.raises(ImportError_, match="too large"):
        decode_text(b"a" * 2048, max_bytes=1024)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # sparse: 200 MB on paper, nothing written
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(ImportError_, match=r"too large \(200 MB\)"):
        read_chronicle_file(big)


def test_missing_file_message(tmp_path: Path) -> None:
    with pytest.raises(ImportError_, match=r"Cannot read 'absent\.txt'"):
        read_chronicle_file(tmp_path / "absent.txt")
