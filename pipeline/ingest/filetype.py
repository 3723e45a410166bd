"""What kind of file an export is, from its bytes (never from its name alone).

Ripple reads delimited text, workbooks (XLSX, XLS, ODS, through calamine), Parquet and
SurveyMonkey API JSON. `container_type` recognises the binary containers it reads; everything
else that is not text (a PDF, a gzip, a Word document, the zip that Qualtrics downloads, an
HTML login page saved instead of the export) gets an `unexpected_file_type` error with a hint
on what to do, instead of a confusing parse error later. A workbook or Parquet file whose name
says it is delimited text (`.csv`) is refused too: that is a mix-up worth a look, and the hint
says how to have it read.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from pipeline.ingest.errors import IngestError

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
PARQUET_MAGIC = b"PAR1"
# An encrypted (password-protected) OOXML workbook is an OLE2 file with these streams.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".tab", ".psv"})
CONTAINERS = {  # kind -> (description, the file name suffix it should have)
    "xlsx": ("an Excel workbook (.xlsx)", ".xlsx"),
    "xlsb": ("an Excel binary workbook (.xlsb)", ".xlsb"),
    "ods": ("an OpenDocument spreadsheet (.ods)", ".ods"),
    "xls": ("an Excel 97-2003 workbook (.xls)", ".xls"),
    "parquet": ("a Parquet file", ".parquet"),
}
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".ods", ".xls"})
JSON_SNIFF_MAX_CHARS = 64 * 1024 * 1024  # larger JSON is not parsed just to describe it
SNIFF_BYTES = 64 * 1024
# The start of a JSON document: an object opening with a key (or empty), or an array opening
# with a value. A CSV header such as "[Q1] How ..." does not match.
JSON_START = re.compile(r'\s*(?:\{\s*(?:"|\})|\[\s*(?:[\[{"\]]|-?\d|true|false|null))')


def zip_workbook_kind(data: bytes) -> str | None:
    """'xlsx', 'xlsb' or 'ods' when the ZIP holds a workbook calamine reads, 'corrupt' when
    the ZIP itself cannot be read, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return "corrupt"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    return None


def describe_zip(data: bytes) -> tuple[str, str]:
    """What kind of ZIP container this is (XLSX, ODS, DOCX, zipped CSV), with a hint."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
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
    """True when the text is one JSON value: parsed when small enough, else judged by its
    start. Nesting too deep for the parser (RecursionError) still counts as JSON: such a file
    is refused as `unexpected_file_type`, never allowed to crash the reader."""
    if not JSON_START.match(text[:4096]):
        return False
    if len(text) > JSON_SNIFF_MAX_CHARS:
        return True
    try:
        json.loads(text)
    except ValueError:
        return False
    except RecursionError:
        return True
    return True


def surveymonkey_json_kind(data: bytes) -> str | None:
    """'responses' for SurveyMonkey API `responses/bulk` JSON, 'details' for a survey
    `details` document, else None. Judged from the first 64 KiB without parsing, so neither a
    huge nor a deeply nested file can exhaust memory or the stack here."""
    head = data[:SNIFF_BYTES].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if not JSON_START.match(head):
        return None
    details = '"question_count"' in head or '"headings"' in head
    if '"pages"' in head and details and '"response_status"' not in head:
        return "details"
    if '"data"' in head and ('"response_status"' in head or '"collector_id"' in head):
        return "responses"
    return None


def container_type(data: bytes, path: Path) -> str | None:
    """'xlsx', 'xlsb', 'xls', 'ods' or 'parquet' for a container Ripple reads, None for text.

    Raises `password_protected` for an encrypted workbook and `unexpected_file_type` for any
    other binary file, or for a container named as delimited text (`export.csv`).
    """
    kind: str | None = None
    suffix = path.suffix.lower()
    if data.startswith(ZIP_SIGNATURES):
        kind = zip_workbook_kind(data)
        if kind == "corrupt":
            if suffix in WORKBOOK_SUFFIXES:
                raise IngestError(
                    path,
                    "corrupt_file",
                    "the workbook cannot be opened: its ZIP container is damaged or cut short; "
                    "download or save it again",
                )
            kind = None
    elif data.startswith(OLE2_SIGNATURE):
        if ENCRYPTED_PACKAGE in data:
            raise IngestError(
                path,
                "password_protected",
                "the workbook is password-protected (encrypted); open it in Excel, remove the "
                "password (File > Info > Protect Workbook) and save it again",
            )
        if suffix not in TEXT_SUFFIXES:
            kind = "xls"  # calamine reads Excel 97-2003; anything else OLE2 fails it clearly
    elif data.startswith(PARQUET_MAGIC) and (data.endswith(PARQUET_MAGIC) or suffix == ".parquet"):
        if not data.endswith(PARQUET_MAGIC) or len(data) < 12:
            raise IngestError(
                path,
                "corrupt_file",
                "this Parquet file is cut short (its footer is missing); copy or download it again",
            )
        kind = "parquet"
    if kind is not None and suffix in TEXT_SUFFIXES:
        description, proper = CONTAINERS[kind]
        raise IngestError(
            path,
            "unexpected_file_type",
            f"this looks like {description} but is named '{path.suffix}'; rename it to "
            f"'{proper}' to have Ripple read it as such, or {SAVE_AS_CSV}",
        )
    if kind is None:
        found = sniff_binary(data if data.startswith(b"PK") else data[:8192])
        if found:
            description, hint = found
            raise IngestError(
                path, "unexpected_file_type", f"this looks like {description}; {hint}"
            )
    return kind
