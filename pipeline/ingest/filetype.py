"""Recognise files that are not delimited text at all, from their first bytes.

Users rename workbooks to `.csv`, save an HTML login page instead of the export, or hand over
the zip that Qualtrics downloads. Each of these gets a `unexpected_file_type` error with a hint
on what to do, instead of a confusing parse error later.
"""

from __future__ import annotations

import io
import json
import zipfile

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
BINARY_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (
        OLE2_SIGNATURE,
        "an Excel 97-2003 workbook (.xls) or a password-protected Office file",
        "open it in Excel (removing any password) and save it as 'CSV UTF-8 (Comma delimited)'",
    ),
    (b"%PDF-", "a PDF document", "download the responses as CSV from the survey platform"),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it and pass the CSV inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it and pass the CSV inside"),
    (b"Rar!\x1a\x07", "a RAR archive", "extract it and pass the CSV inside"),
    (b"SQLite format 3\x00", "a SQLite database", "export the responses as CSV"),
    (b"{\\rtf", "a rich-text (RTF) document", "export the responses as CSV"),
)
SAVE_AS_CSV = "open it in Excel or Google Sheets and save it as 'CSV UTF-8 (Comma delimited)'"


def describe_zip(data: bytes) -> tuple[str, str]:
    """What kind of ZIP container this is (XLSX, ODS, DOCX, zipped CSV), with a hint."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return "a ZIP archive (perhaps an Excel workbook)", SAVE_AS_CSV
    if any(name.startswith("xl/") for name in names):
        return "an Excel workbook (.xlsx)", SAVE_AS_CSV
    if b"opendocument.spreadsheet" in mimetype:
        return "an OpenDocument spreadsheet (.ods)", SAVE_AS_CSV
    if any(name.startswith("word/") for name in names):
        return "a Word document (.docx)", "export the responses as CSV"
    inside = [name for name in names if name.lower().endswith((".csv", ".tsv"))]
    if inside:
        return (
            f"a ZIP archive holding {len(inside)} CSV/TSV file(s)",
            "survey platforms such as Qualtrics download exports zipped: extract the archive "
            "and pass the CSV inside",
        )
    return "a ZIP archive", "extract it and pass the CSV inside"


def sniff_binary(data: bytes) -> tuple[str, str] | None:
    """(description, hint) when the bytes are a known non-text format, else None."""
    if data.startswith(ZIP_SIGNATURES):
        return describe_zip(data)
    for signature, description, hint in BINARY_SIGNATURES:
        if data.startswith(signature):
            return description, hint
    return None


def sniff_text(text: str) -> tuple[str, str] | None:
    """(description, hint) when decoded text is markup or JSON rather than a delimited table."""
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<table", "<!--")):
        return (
            "an HTML page (perhaps a login or error page, or an Excel 'Web Page' export)",
            "download the responses again as CSV",
        )
    if head.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "an Excel 2003 XML spreadsheet", SAVE_AS_CSV
        return "an XML document", "export the responses as CSV"
    if head.startswith(("{", "[")) and looks_like_json(text):
        return (
            "a JSON document (perhaps a survey platform's API response)",
            "export the responses as CSV from the platform",
        )
    return None


def looks_like_json(text: str) -> bool:
    """True when the whole text parses as one JSON value."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
