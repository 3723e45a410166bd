"""Detection of what is not a CSV at all: other file types, archives, missing files, size
limits and blank content."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.ingest.detection_checks import fails

EXCEL_XML_NS = b"urn:schemas-microsoft-com:office:spreadsheet"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100, "Excel 97-2003"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "gzip"),
        (b"<!DOCTYPE html>\n<html><body>Sign in</body></html>\n", "HTML"),
        (b"\xef\xbb\xbf  <html><head></head></html>", "HTML"),
        (b'<?xml version="1.0"?>\n<Workbook xmlns="' + EXCEL_XML_NS + b'">', "Excel 2003 XML"),
        (b'{"data": [{"id": "1"}], "total": 1}', "JSON"),
        (b"Timestamp,Q1\n2024-01-01,\x00\x00\x01\x02\n", "binary"),
    ],
)
def test_not_a_csv(write, content: bytes, words: str) -> None:
    error = fails(write("export.csv", content), "unexpected_file_type")
    assert words in str(error)


def test_zip_holding_a_csv(write) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Survey_pre.csv", "Timestamp,Q1\n")
    error = fails(write("qualtrics_download.csv", buffer.getvalue()), "unexpected_file_type")
    assert "extract" in str(error)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    fails(tmp_path / "nope.csv", "file_not_found")
    fails(tmp_path, "not_a_file")


def test_size_limit(write) -> None:
    fails(write("big.csv", "a,b\n1,2\n"), "file_too_large", max_bytes=4)


@pytest.mark.parametrize("content", [b"\n\r\n\n", b"\xef\xbb\xbf", b"   \n \n"])
def test_blank_content_is_empty(write, content: bytes) -> None:
    fails(write("blank.csv", content), "empty_file")
