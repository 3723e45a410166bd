"""Catalogue cases of the file itself: empty files, NUL bytes and control characters, files
that are not a CSV (XLSX, HTML, ZIP, PDF, JSON, a damaged .xls), and XLSX workbooks (sheets,
hidden rows, formulas, passwords, a cut-short copy, a zip bomb).
"""

from __future__ import annotations

import io
import json
import zipfile

from . import good_exports as ex
from .outcomes import (
    Case,
    FileOutcome,
    Row,
    Step,
    case,
    failed,
    loaded,
    one,
    rows_of,
    source_extra,
    validate,
    with_cell,
)


def not_csv() -> list[Case]:
    plain = ex.plain()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        info = zipfile.ZipInfo("plain.csv", date_time=(2025, 9, 1, 12, 0, 0))
        archive.writestr(info, plain.to_bytes())
    html = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Sign in</body></html>"
    api = json.dumps([{"id": "1", "answers": [4, 5]}]).encode()
    nul_code = with_cell(plain, 2, "q7", "4\x00")
    nul_text = with_cell(plain, 1, "comment", "fine\x00")
    controls = with_cell(plain, 1, "comment", "tab\there, bell\x07 and form feed\x0c")
    return [
        case("01_empty_file", "4.1", "an empty file (0 bytes)", one(plain, b""),
             validate(plain.name, failed("empty_file")),
             Step("run", 1, stderr=("nothing was published",), published=False)),
        case("01b_blank_lines_only", "4.1", "a file of blank lines", one(plain, b"\r\n \r\n\r\n"),
             validate(plain.name, failed("empty_file"))),
        case("13_nul_in_free_text", "4.13", "a stray NUL byte in a free-text cell",
             one(nul_text), validate(plain.name, loaded(plain.responses,
                                                        warnings=("nul_bytes",)))),
        case("13b_nul_in_a_code", "4.13", "a NUL byte in an answer code: that row quarantined",
             one(nul_code),
             validate(plain.name, FileOutcome(
                 rows_in=plain.responses, loaded=plain.responses - 1, excluded={},
                 quarantined={"out_of_range": 1}, warnings=("nul_bytes",),
                 rows=(Row(4, "out_of_range", "q7"),)))),
        case("13c_binary_junk", "4.13", "a binary file named .csv (NULs throughout)",
             one(plain, plain.to_bytes()[:200] + bytes(range(256)) * 8),
             validate(plain.name, failed("unexpected_file_type"))),
        case("13d_control_characters", "4.13", "control characters in free text, kept as data",
             one(controls), validate(plain.name, loaded(plain.responses))),
        case("14_xlsx_named_csv", "4.14", "an XLSX workbook renamed .csv",
             one(plain, ex.xlsx_of(plain).to_bytes()),
             validate(plain.name, failed("unexpected_file_type", error_text=(".xlsx",)))),
        case("14b_html_page", "4.14", "an HTML login page saved as the export",
             one(plain, html), validate(plain.name, failed("unexpected_file_type",
                                                           error_text=("HTML",)))),
        case("14c_zip_archive", "4.14", "the ZIP that Qualtrics downloads, not extracted",
             one(plain, zipped.getvalue()),
             validate(plain.name, failed("unexpected_file_type", error_text=("ZIP",)))),
        case("14d_pdf", "4.14", "a PDF", one(plain, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
             validate(plain.name, failed("unexpected_file_type", error_text=("PDF",)))),
        case("14e_100000_brackets", "issue 6", "a file of 100,000 '['",
             one(plain, b"[" * 100_000),
             validate(plain.name, failed("unexpected_file_type"))),
        case("14f_100000_braces", "issue 6",
             "a file of 100,000 '{' (not JSON: a one-column table without the mapped columns)",
             one(plain, b"{" * 100_000),
             validate(plain.name, failed("missing_column", error_text=("'rid'",)))),
        case("14g_json_api_response", "4.14", "a JSON API response named .csv",
             one(plain, api), validate(plain.name, failed("unexpected_file_type",
                                                          error_text=("JSON",)))),
        case("14h_old_xls_garbage", "4.14", "a damaged Excel 97-2003 (.xls) file",
             one(plain, bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600, path="plain.xls"),
             validate("plain.xls", failed("corrupt_file"))),
    ]  # fmt: skip


def workbooks() -> list[Case]:
    plain = ex.xlsx_of(ex.plain())
    n = plain.responses
    notes = [["These are my notes"], ["do not import"]]
    two_sheets = ex.xlsx_bytes({"Responses": plain.table, "Notes": notes})
    second = ex.xlsx_bytes({"Notes": notes, "Responses": plain.table})
    bad_first = rows_of(plain)
    bad_first[0][plain.column("q5")] = 7
    offset_bad = ex.xlsx_bytes({"Responses": [[], [], plain.table[0], *bad_first]})
    merged = merged_cohorts(plain)
    hidden = hidden_rows_and_columns(plain)
    formulas = formula_cells(plain)
    encrypted = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 64
    encrypted += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    bomb = zip_bomb()
    return [
        case("15_two_sheets", "4.15", "a workbook with a second sheet, none named",
             one(plain, two_sheets),
             validate(plain.name, loaded(n, warnings=("workbook_sheets",)))),
        case("15b_sheet_named", "4.15", "the responses on the second sheet, named in the config",
             one(source_extra(plain, sheet="Responses"), second),
             validate(plain.name, loaded(n))),
        case("15c_unknown_sheet", "4.15", "a sheet name the workbook does not have",
             one(source_extra(plain, sheet="Answers"), second),
             validate(plain.name, failed("unknown_sheet", error_text=("'Answers'",)))),
        case("15d_header_not_in_row_1", "4.15", "two empty rows above the header",
             one(plain, offset_bad),
             validate(plain.name, FileOutcome(rows_in=n, loaded=n - 1, excluded={},
                                              quarantined={"out_of_range": 1},
                                              rows=(Row(4, "out_of_range", "q5"),)))),
        case("15e_merged_cells", "4.15",
             "the cohort merged over three rows: only the first holds it",
             one(plain, merged),
             validate(plain.name, FileOutcome(rows_in=n, loaded=n - 2, excluded={},
                                              quarantined={"missing_cohort": 2},
                                              rows=(Row(3, "missing_cohort", "cohort"),
                                                    Row(4, "missing_cohort", "cohort"))))),
        case("15f_hidden_rows_and_columns", "4.15", "hidden rows and columns are still data",
             one(plain, hidden), validate(plain.name, loaded(n))),
        case("15g_formulas", "4.15", "formulas: their cached values are read",
             one(plain, formulas), validate(plain.name, loaded(n))),
        case("15h_password_protected", "4.15", "a password-protected workbook",
             one(plain, encrypted), validate(plain.name, failed("password_protected"))),
        case("15i_corrupt_xlsx", "4.15", "a workbook cut short in copying",
             one(plain, plain.to_bytes()[:3000]), validate(plain.name, failed("corrupt_file"))),
        case("31c_zip_bomb_xlsx", "4.31", "a workbook that unpacks to far more than its size",
             one(plain, bomb, limits={"max_bytes": 200_000}),
             validate(plain.name, failed("file_too_large"))),
    ]  # fmt: skip


def sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def merged_cohorts(plain) -> bytes:
    """Rows 2-4 of the cohort column merged (Excel keeps the value in the first cell only)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(plain.to_bytes()))
    sheet = book.active
    column = plain.column("cohort") + 1
    sheet.merge_cells(start_row=2, start_column=column, end_row=4, end_column=column)
    buffer = io.BytesIO()
    book.save(buffer)
    return ex.rezip(buffer.getvalue())


def hidden_rows_and_columns(plain) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(plain.to_bytes()))
    sheet = book.active
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["E"].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    return ex.rezip(buffer.getvalue())


def formula_cells(plain) -> bytes:
    """q5 of every response as a formula with its cached value (as Excel saves it)."""
    data = plain.to_bytes()
    xml = sheet_xml(data).decode()
    column = "ABCDEFGHIJ"[plain.column("q5")]
    import re

    def as_formula(match: re.Match) -> str:
        ref, value = match.group(1), match.group(2)
        return f'<c r="{ref}"><f>{value}+0</f><v>{value}</v></c>'

    xml = re.sub(rf'<c r="({column}(?:[2-9]|1\d))" t="n"><v>(\d)</v></c>', as_formula, xml)
    assert "<f>" in xml, "no q5 cell turned into a formula"
    return ex.rezip(data, {"xl/worksheets/sheet1.xml": xml.encode()})


def zip_bomb() -> bytes:
    """A small workbook whose sheet unpacks to several megabytes."""
    rows = [["rid", "when", "q5"]] + [[f"R_{i}", "2025-01-21 10:00:00", 3] for i in range(40_000)]
    return ex.xlsx_bytes({"Responses": rows})
