"""The bad-input catalogue: a fixture and its exact expected outcome for every case of
`../shared/reference/privacy-and-reliability.md` section 4 (cases 1-36) and the extra cases of
issue 6, each with the minimal project config that reads it.

Nothing here is committed as a data file: `catalogue()` builds every case's files (bytes) and
configs (dicts) in memory, and tests/catalogue/test_catalogue.py writes them to a temporary
folder and runs the real `ripple` command on them. `python make_catalogue.py DIR` writes every
case into DIR/<case id>/ to look at or to run by hand (`RIPPLE_KEY=<64 hex> ripple validate -c
DIR/<case>/ripple.yml`).

A case is one or more steps (`ripple validate` or `ripple run`, in order, in one folder); each
step says the exit code, and per file: its status, the reason code of a file-level error and
the row and column its message must name, rows in, loaded, the excluded / quarantined /
flagged counts by reason, quarantined rows that must be named with their column, and the
warnings that must be shown. The test checks rows in = loaded + excluded + quarantined for
every file that was read. Cases whose behaviour other work is building name that work in
`owner`; the test marks them as expected failures only while they fail.
"""

from __future__ import annotations

import codecs
import datetime as dt
import importlib.util
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml


def _sibling(name: str):
    """A module next to this file (tests/ is not a package; pytest imports by path)."""
    key = f"ripple_catalogue_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


ex = _sibling("exports")
QUALITY = "being built in quality rules work"
PUBLISH = "being built in atomic publish work"


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """A quarantined row the report must name: its row number, reason and column (the export
    column's key, found in the example's source column or detail)."""

    row: int
    reason: str
    column: str | None = None


@dataclass(frozen=True)
class FileOutcome:
    """What must happen to one file (None: not checked)."""

    status: str = "loaded"  # loaded | already_ingested | failed
    error_code: str | None = None
    error_row: int | None = None
    error_column: int | None = None
    error_text: tuple[str, ...] = ()  # substrings the error must hold (column names, lines)
    rows_in: int | None = None
    loaded: int | None = None
    excluded: dict[str, int] | None = None
    quarantined: dict[str, int] | None = None
    flagged: dict[str, int] | None = None
    updated: int | None = None
    rows: tuple[Row, ...] = ()
    warnings: tuple[str, ...] = ()  # warning codes (the text before the first ':')
    encoding: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class Step:
    """One command run in the case's folder and what it must give."""

    command: str  # validate | run
    exit_code: int
    files: dict[str, FileOutcome] = field(default_factory=dict)  # by the source's path
    config: str = "ripple.yml"
    json: bool = True  # False: the human output, to check what it shows (stderr)
    stderr: tuple[str, ...] = ()  # substrings stderr must hold
    env: dict[str, str] = field(default_factory=dict)  # added to (or removed from, with None)
    published: bool | None = None  # after a run: whether out/ripple.duckdb exists
    sql: tuple[tuple[str, list], ...] = ()  # (query, expected rows) on the warehouse
    absent: tuple[str, ...] = ()  # values no table of the warehouse may hold
    hold_lock: bool = False  # another process holds out/.ripple.lock during the step
    stale_lock: bool = False  # out/.ripple.lock names a process that no longer runs


@dataclass(frozen=True)
class Case:
    id: str
    ref: str  # "4.11" (section 4, case 11) or "issue 6"
    title: str
    files: dict[str, bytes]
    configs: dict[str, dict]
    steps: tuple[Step, ...]
    owner: str | None = None  # the work that builds this behaviour, if it is not read-path


# ---------------------------------------------------------------------------------------------
def one(export, data: bytes | None = None, path: str | None = None, **extra) -> tuple:
    """(files, configs) for a project reading one export (its own bytes, or `data`)."""
    path = path or export.name
    return {path: export.to_bytes() if data is None else data}, {
        "ripple.yml": ex.project_for(export, path, **extra)
    }


def rows_of(export) -> list[list]:
    return [list(r) for r in export.table[export.header_rows :]]


def with_cell(export, index: int, key: str, value):
    """The export with the response `index` (0-based) holding `value` in column `key`."""
    rows = rows_of(export)
    rows[index][export.column(key)] = value
    return export.with_rows(rows)


def loaded(n: int, **kw) -> FileOutcome:
    return FileOutcome(rows_in=n, loaded=n, excluded={}, quarantined={}, **kw)


def failed(code: str, **kw) -> FileOutcome:
    return FileOutcome(status="failed", error_code=code, **kw)


def validate(name: str, outcome: FileOutcome, exit_code: int | None = None, **kw) -> Step:
    code = exit_code if exit_code is not None else (1 if outcome.status == "failed" else 0)
    return Step("validate", code, {name: outcome}, **kw)


def run(name: str, outcome: FileOutcome, exit_code: int | None = None, **kw) -> Step:
    code = exit_code if exit_code is not None else (1 if outcome.status == "failed" else 0)
    return Step("run", code, {name: outcome}, **kw)


def case(id_: str, ref: str, title: str, fc: tuple, *steps: Step, owner: str | None = None):
    files, configs = fc
    return Case(id_, ref, title, files, configs, tuple(steps), owner)


def source_extra(export, **changes):
    """The export with more keys on its source entry (overrides such as `encoding`)."""
    return replace(export, source={**export.source, **changes})


def survey_extra(export, **changes):
    """The export with more keys on its survey mapping."""
    return replace(export, survey={**export.survey, **changes})


# ---------------------------------------------------------------------------------------------
def encodings() -> list[Case]:
    plain = ex.plain()
    n = plain.responses
    accented = plain.with_rows(
        [[*r[:8], "Très bien – c’était génial, naïve café", *r[9:]] for r in rows_of(plain)]
    )
    mojibake = plain.with_rows(
        [[*r[:8], "TrÃ¨s bien â€“ câ€™Ã©tait gÃ©nial", *r[9:]] for r in rows_of(plain)]
    )
    text = ex.csv_text(accented.table)
    tsv = ex.csv_text(plain.table, "\t")
    undecodable = (
        ex.csv_text(plain.table).encode().replace(b"Really helpful", bytes(range(0x80, 0xA0)) * 3)
    )
    return [
        case("03_utf8_bom", "4.3", "UTF-8 with a byte-order mark (Excel 'CSV UTF-8')",
             one(plain, codecs.BOM_UTF8 + ex.csv_text(plain.table).encode()),
             validate(plain.name, loaded(n, encoding="utf-8-sig"))),
        case("04_cp1252_guessed", "4.4", "Windows-1252 (Excel 'CSV (Comma delimited)')",
             one(accented, text.encode("cp1252")),
             validate(accented.name, loaded(n, encoding="cp1252",
                                            warnings=("encoding_guessed",))),
             Step("validate", 0, json=False,
                  stderr=(f"{accented.name}: warning: encoding_guessed:",))),
        case("04b_cp1252_declared", "4.4", "Windows-1252 declared on the source",
             one(source_extra(accented, encoding="cp1252"), text.encode("cp1252")),
             validate(accented.name, loaded(n, encoding="cp1252"))),
        case("04c_cp1252_declared_utf8", "4.4", "declared UTF-8 but written as Windows-1252",
             one(source_extra(accented, encoding="utf-8"), text.encode("cp1252")),
             validate(accented.name, failed("invalid_encoding", error_text=("(line 2)",)))),
        case("04d_encoding_undetermined", "4.4", "bytes that no codec decodes cleanly",
             one(plain, undecodable),
             validate(plain.name, failed("encoding_undetermined"))),
        case("05_utf16le_tab", "4.5", "UTF-16 LE with a BOM, tab-separated ('Unicode Text')",
             one(plain, codecs.BOM_UTF16_LE + tsv.encode("utf-16-le")),
             validate(plain.name, loaded(n, encoding="utf-16"))),
        case("05b_utf16le_no_bom", "4.5", "UTF-16 LE without a BOM",
             one(plain, tsv.encode("utf-16-le")),
             validate(plain.name, loaded(n, encoding="utf-16-le"))),
        case("06_mojibake", "4.6", "mojibake already in the data ('Ã©')",
             one(mojibake),
             validate(plain.name, loaded(n, warnings=("mojibake_suspected",))),
             Step("validate", 0, json=False,
                  stderr=(f"{plain.name}: warning: mojibake_suspected:",)),
             Step("run", 0, json=False,
                  stderr=(f"{plain.name}: warning: mojibake_suspected:",), published=True)),
    ]  # fmt: skip


def delimiters() -> list[Case]:
    plain = ex.plain()
    n = plain.responses
    semicolon = replace(plain, delimiter=";")
    decimal = with_cell(semicolon, 2, "q6", "3,5")
    tab = replace(plain, delimiter="\t", name="plain.tsv")
    ragged = b"a,b;c\r\n1,2;3\r\n4,5;6\r\n7,8;9\r\n"
    return [
        case("07_semicolon", "4.7", "semicolon-delimited (EU-locale Excel)", one(semicolon),
             validate(plain.name, loaded(n))),
        case("07b_tab", "4.7", "tab-delimited text", one(tab), validate(tab.name, loaded(n))),
        case("07c_ambiguous_delimiter", "4.7", "comma and semicolon read equally well",
             one(plain, ragged), validate(plain.name, failed("ambiguous_delimiter"))),
        case("07d_sep_line", "4.7", "Excel's 'sep=;' first line",
             one(semicolon, b"sep=;\r\n" + ex.csv_text(semicolon.table, ";").encode()),
             validate(plain.name, loaded(n, warnings=("sep_directive",)))),
        case("08_decimal_comma", "4.8", "a decimal comma (3,5) in a code column",
             one(decimal),
             validate(plain.name, FileOutcome(
                 rows_in=n, loaded=n - 1, excluded={}, quarantined={"out_of_range": 1},
                 rows=(Row(4, "out_of_range", "q6"),)))),
    ]  # fmt: skip


def headers() -> list[Case]:
    plain, q = ex.plain(), ex.qualtrics()
    n = plain.responses
    doubled = plain.with_rows([[*r, "9"] for r in rows_of(plain)])
    doubled = replace(doubled, table=[[*plain.table[0], "q5"], *doubled.table[1:]])
    # the first q5 holds 9s (out of range): only the second is the real answer
    first_q5 = doubled.with_rows([[*r[:4], "9", *r[5:-1], r[4]] for r in rows_of(doubled)])
    second = survey_extra(
        first_q5, items={"q5 [2]": "ribs_05", "q6": "ribs_06", "q7": "ribs_07", "q8": "ribs_08"}
    )
    ids = list(q.table[2])
    ids[q.column("QID5_3")] = '{"ImportId":"QID5_2"}'
    repeated_qid = replace(q, table=[q.table[0], q.table[1], ids, *q.table[3:]])
    sm = ex.surveymonkey()
    sm_blank = replace(
        sm, table=[sm.table[0], [*sm.table[1][:8], "", "", "", "", sm.table[1][12]], *sm.table[2:]]
    )
    q_bad = with_cell(q, 0, "QID5_1", "7")
    no_ids = replace(q, table=[q.table[0], *q.table[3:]])
    no_labels = replace(q, table=[q.table[0], q.table[2], *q.table[3:]])
    no_labels_bad = with_cell(replace(no_labels, header_rows=2), 0, "QID5_1", "7")
    sm_bad = with_cell(sm, 0, f"{ex.SM_AGREE} | Statement 5", "Somewhat agree")
    return [
        case("09_duplicate_header_mapped_bare", "4.9", "two 'q5' columns, mapped as 'q5'",
             one(doubled),
             validate(plain.name, failed("repeated_header", error_text=("'q5'",)))),
        case("09b_duplicate_header_by_occurrence", "4.9", "two 'q5' columns, 'q5 [2]' mapped",
             one(second), validate(plain.name, loaded(n, warnings=("repeated_header",)))),
        case("09c_duplicate_import_id", "4.9", "a Qualtrics ImportId repeated",
             one(repeated_qid),
             validate(q.name, failed("duplicate_column", error_row=3,
                                     error_column=q.column("QID5_3") + 1))),
        case("09d_surveymonkey_blank_subheaders", "4.9",
             "SurveyMonkey matrix with blank sub-headers: the statements cannot be told apart",
             one(sm_blank), validate(sm.name, failed("missing_column", error_text=(
                 f"'{ex.SM_AGREE} | Statement 5'",)))),
        case("10_qualtrics_three_header_rows", "4.10",
             "Qualtrics: header rows 1-3 are never responses; the first response is row 4",
             one(q_bad),
             validate(q.name, FileOutcome(rows_in=n, loaded=n - 1, excluded={},
                                          quarantined={"out_of_range": 1}, format="qualtrics",
                                          rows=(Row(4, "out_of_range", "QID5_1"),)))),
        case("10b_qualtrics_legacy", "4.10", "legacy Qualtrics (V1... and labels: 2 rows)",
             one(ex.qualtrics_legacy()),
             validate("legacy.csv", loaded(n, format="qualtrics_legacy"))),
        case("10c_surveymonkey_two_rows", "4.10", "SurveyMonkey's two header rows",
             one(sm_bad),
             validate(sm.name, FileOutcome(rows_in=n, loaded=n - 1, excluded={},
                                           quarantined={"unknown_label": 1},
                                           format="surveymonkey",
                                           rows=(Row(3, "unknown_label",
                                                     f"{ex.SM_AGREE} | Statement 5"),)))),
        case("10d_qualtrics_rows_2_3_deleted", "4.10",
             "Qualtrics with rows 2-3 deleted in Excel (no ImportIds)",
             one(replace(no_ids, header_rows=1)),
             validate(q.name, failed("format_mismatch"))),
        case("10e_qualtrics_row_2_deleted", "4.10",
             "Qualtrics with the question-text row deleted: ImportIds in row 2",
             one(no_labels_bad),
             validate(q.name, FileOutcome(rows_in=n, loaded=n - 1, excluded={},
                                          quarantined={"out_of_range": 1},
                                          warnings=("qualtrics_header_rows_changed",),
                                          rows=(Row(3, "out_of_range", "QID5_1"),)))),
        case("10f_qualtrics_xlsx", "4.10", "a Qualtrics XLSX export",
             one(ex.xlsx_of(q)), validate("qualtrics.xlsx", loaded(n, format="qualtrics"))),
    ]  # fmt: skip


def marked(export, index: int, key: str, replacement: str) -> bytes:
    """The export's bytes with response `index`'s cell `key` replaced by raw text (which the
    CSV writer would have quoted): how a stray quote gets into a file."""
    text = ex.csv_text(with_cell(export, index, key, "RAW-CELL-MARK").table, export.delimiter)
    return text.replace("RAW-CELL-MARK", replacement).encode()


def records() -> list[Case]:
    plain, q = ex.plain(), ex.qualtrics()
    n = plain.responses
    raw = split_records(ex.csv_text(plain.table))
    raw[5] = raw[5].rstrip("\r\n").rsplit(",", 1)[0] + "\r\n"  # row 6: one field short
    raw[8] = raw[8].rstrip("\r\n") + ",extra\r\n"  # row 9: one field too many
    ragged = "".join(raw).encode()
    cut = marked(plain, n - 1, "comment", '"Thanks for the sess')
    cut = cut[: cut.index(b'"Thanks for the sess') + 20]  # the file ends mid-quote
    calm = plain.with_rows([[*r[:8], "fine", *r[9:]] for r in rows_of(plain)])
    unclosed = marked(calm, 4, "comment", '"I never close this quote')
    closed_later = with_cell(calm, 7, "comment", 'She said "hi" and left')  # no comma
    merged = marked(closed_later, 4, "comment", '"unclosed: ')
    last_open = marked(calm, n - 1, "comment", '"and a stray quote')
    q_open = marked(q, 2, "QID9_TEXT", '"I meant to say more')
    crlf_inside = with_cell(plain, 1, "comment", 'line one\r\nline two, with "quotes"')
    return [
        case("11_ragged_rows", "4.11", "rows with a field too few and a field too many",
             one(plain, ragged),
             validate(plain.name, FileOutcome(
                 rows_in=n, loaded=n - 2, excluded={}, quarantined={"field_count_mismatch": 2},
                 rows=(Row(6, "field_count_mismatch"), Row(9, "field_count_mismatch"))))),
        case("11b_truncated_mid_quote", "4.11", "the file cut off inside a quoted cell",
             one(plain, cut),
             validate(plain.name, failed("truncated_file", error_row=n + 1,
                                         error_text=("column 9",))),
             Step("run", 1, stderr=("nothing was published",), published=False)),
        case("12_embedded_newlines_and_quotes", "4.12",
             "free text with line breaks (LF and CRLF), quotes and delimiters",
             one(crlf_inside), validate(plain.name, loaded(n))),
        case("12b_unclosed_quote_to_the_end", "issue 6",
             "a quote opened in a free-text cell and never closed: the responses after it "
             "are recovered, the broken one quarantined naming its row and column",
             one(plain, unclosed),
             validate(plain.name, FileOutcome(
                 rows_in=n, loaded=n - 1, excluded={}, quarantined={"unbalanced_quote": 1},
                 warnings=("unbalanced_quote",),
                 rows=(Row(6, "unbalanced_quote", "comment"),)))),
        case("12c_unclosed_quote_closed_later", "issue 6",
             "an unclosed quote that a later quoted cell closes: no response merged into "
             "another (rows in = responses in the file)",
             one(plain, merged),
             validate(plain.name, FileOutcome(
                 rows_in=n, loaded=n - 1, excluded={}, quarantined={"unbalanced_quote": 1},
                 rows=(Row(6, "unbalanced_quote", "comment"),)))),
        case("12d_unclosed_quote_in_last_row", "issue 6",
             "a stray quote in the last response: the file is cut short",
             one(plain, last_open),
             validate(plain.name, failed("truncated_file", error_row=n + 1))),
        case("12e_unclosed_quote_qualtrics", "issue 6",
             "an unclosed quote in a Qualtrics free-text cell",
             one(q, q_open),
             validate(q.name, FileOutcome(
                 rows_in=n, loaded=n - 1, excluded={}, quarantined={"unbalanced_quote": 1},
                 rows=(Row(6, "unbalanced_quote", "Q9"),)))),
    ]  # fmt: skip


def split_records(text: str) -> list[str]:
    """The records of a CSV text as raw strings (each with its line break)."""
    import csv

    source = io.StringIO(text, newline="")
    out, start = [], 0
    reader = csv.reader(source)
    for _ in reader:
        end = source.tell()
        out.append(text[start:end])
        start = end
    return out


# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
def dates() -> list[Case]:
    plain = ex.plain()
    n = plain.responses
    untyped = survey_extra(plain, timestamp_format=None)
    untyped = replace(
        untyped, survey={k: v for k, v in untyped.survey.items() if k != "timestamp_format"}
    )
    persons = ex.people()

    def with_dates(fmt_of) -> object:
        return untyped.with_rows(
            [
                [*r[:1], fmt_of(i, p), *r[2:]]
                for i, (r, p) in enumerate(zip(rows_of(plain), persons, strict=True))
            ]
        )

    serials = with_dates(
        lambda i, p: str(
            45678 + round((p.when - dt.datetime(2025, 1, 21)).total_seconds() / 86400, 4)
        )
    )
    # C1's session is 21 January; answers from 1-12 January could be read either way round
    early = [dt.datetime(2025, 1, 1 + (i % 12), 9, 30) for i in range(n)]
    ambiguous = untyped.with_rows(
        [
            [*r[:1], early[i].strftime("%d/%m/%Y %H:%M"), *r[2:]]
            for i, r in enumerate(rows_of(plain))
        ]
    )
    declared = source_extra(ambiguous, date_order="dmy")
    settled_rows = rows_of(ambiguous)
    settled_rows[-1][1] = "21/01/2025 17:00"
    settled = untyped.with_rows(settled_rows)
    contradicting_rows = [list(r) for r in settled_rows]
    contradicting_rows[0][1] = "01/21/2025 09:00"
    contradicting = untyped.with_rows(contradicting_rows)
    month_of = "select count(*) from responses where submitted_month <> date '2025-01-01'"
    offsets = with_dates(
        lambda i, p: p.when.strftime("%Y-%m-%dT%H:%M:%S") + ("+01:00" if i % 2 else "-04:00")
    )
    return [
        case("16_excel_serials", "4.16", "Excel date serials (45678.4) in the date column",
             one(serials), run(plain.name, loaded(n), sql=((month_of, [(0,)]),))),
        case("16b_day_month_undecidable", "4.16",
             "dd/mm dates all with day <= 12 and no order declared",
             one(ambiguous),
             validate(plain.name, failed("ambiguous_date", error_text=("'when'",)))),
        case("16c_day_month_declared", "4.16", "the same with date_order: dmy on the source",
             one(declared), run(plain.name, loaded(n), sql=((month_of, [(0,)]),))),
        case("16d_day_first_settled_by_file", "issue 6",
             "day-first dates, most with day <= 12, one with 21: never day and month swapped",
             one(settled), run(plain.name, loaded(n), sql=((month_of, [(0,)]),))),
        case("16e_day_month_contradicting", "4.16", "21/01 and 01/21 in one column",
             one(contradicting),
             validate(plain.name, failed("ambiguous_date", error_text=("'when'",)))),
        case("17_time_zone_offsets", "4.17", "ISO times with UTC offsets across a DST change",
             one(offsets), validate(plain.name, loaded(n))),
    ]  # fmt: skip


def answers() -> list[Case]:
    forms = ex.google_forms()
    n = forms.responses
    item = ex.FORMS_ITEMS[0]
    messy = forms.with_rows(
        [[*r[:5], r[5].upper() + "  ", "  " + r[6].lower(), *r[7:]] for r in rows_of(forms)]
    )
    unknown = with_cell(forms, 3, item, "Somewhat agree")
    bare = with_cell(forms, 4, ex.FORMS_ITEMS[2], "5")
    plain = ex.plain()
    label_in_codes = with_cell(plain, 5, "q8", "Agree")
    specials = survey_extra(plain, codes={"dont_know": ["9"], "missing": ["-99", "99"]})
    odd = rows_of(specials)
    odd[0][specials.column("q5")] = "6"
    odd[1][specials.column("q6")] = "0"
    odd[2][specials.column("q7")] = ".5"
    odd[3][specials.column("q8")] = "-99"
    odd[4][specials.column("q5")] = "99"
    odd[5][specials.column("q6")] = "9"
    spaced = rows_of(plain)
    spaced[0][plain.column("q5")] = " 4 "
    spaced[1][plain.column("q6")] = "+4"
    spaced[2][plain.column("q7")] = "'4"
    spaced[3][plain.column("q8")] = "4.0"
    return [
        case("18_labels", "4.18", "labels instead of codes, any case and spacing",
             one(messy), validate(forms.name, loaded(n))),
        case("18b_unknown_label", "4.18", "a label the instrument does not have",
             one(unknown),
             validate(forms.name, FileOutcome(rows_in=n, loaded=n - 1, excluded={},
                                              quarantined={"unknown_label": 1},
                                              rows=(Row(5, "unknown_label", item),)))),
        case("18c_bare_code_in_labels", "issue 6",
             "a bare code '5' in a labels column is not taken as code 5",
             one(bare),
             validate(forms.name, FileOutcome(rows_in=n, loaded=n - 1, excluded={},
                                              quarantined={"unknown_label": 1},
                                              rows=(Row(6, "unknown_label",
                                                        ex.FORMS_ITEMS[2]),)))),
        case("18d_label_in_codes_column", "4.18", "a label in a codes column",
             one(label_in_codes),
             validate(plain.name, FileOutcome(rows_in=n, loaded=n - 1, excluded={},
                                              quarantined={"out_of_range": 1},
                                              rows=(Row(7, "out_of_range", "q8"),)))),
        case("20_out_of_range_and_sentinels", "4.20",
             "6, 0 and .5 on a 1-5 scale quarantined; -99 and 99 missing; 9 don't know",
             one(specials.with_rows(odd)),
             validate(plain.name, FileOutcome(
                 rows_in=n, loaded=n - 3, excluded={}, quarantined={"out_of_range": 3},
                 rows=(Row(2, "out_of_range", "q5"), Row(3, "out_of_range", "q6"),
                       Row(4, "out_of_range", "q7"))))),
        case("21_numbers_as_text", "4.21", "' 4 ', '+4', an apostrophe ('4) and 4.0",
             one(plain.with_rows(spaced)), validate(plain.name, loaded(n))),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
def platform_meta() -> list[Case]:
    persons = ex.people()
    q = ex.qualtrics(persons)
    n = q.responses
    rows = rows_of(q)
    status, channel = q.column("status"), q.column("distributionChannel")
    finished, progress = q.column("finished"), q.column("progress")
    rows[0][status] = "1"  # preview
    rows[1][channel] = "preview"
    rows[2][status] = "2"  # test
    rows[3][channel] = "test"
    rows[4][status] = "8"  # spam
    rows[5][finished] = "0"
    rows[6][progress] = "50"
    meta = q.with_rows(rows)
    rc = ex.redcap(persons)
    rc_rows = rows_of(rc)
    rc_rows[2][rc.column("peer_survey_complete")] = "0"
    return [
        case("22_preview_test_spam", "4.22", "Qualtrics previews, tests and spam",
             one(meta),
             validate(q.name, FileOutcome(rows_in=n, loaded=n - 7, quarantined={},
                                          excluded={"preview": 2, "test": 2, "spam": 1,
                                                    "incomplete": 2}))),
        case("23_redcap_incomplete", "4.23", "REDCap form not complete (_complete = 0)",
             one(rc.with_rows(rc_rows)),
             validate(rc.name, FileOutcome(rows_in=n, loaded=n - 1, quarantined={},
                                           excluded={"incomplete": 1}))),
    ]  # fmt: skip


def quality_rules() -> list[Case]:
    persons = ex.people()
    q = ex.qualtrics(persons)
    n = q.responses
    rows = rows_of(q)
    duration = q.column("duration")
    rows[3][duration] = "20"
    rows[8][duration] = "25"
    speeders = q.with_rows(rows)
    cami = cami_export(persons)
    straight = cami.with_rows(
        [r[:4] + ["4"] * 12 + r[16:] if i == 2 else r for i, r in enumerate(rows_of(cami))]
    )
    reversed_ = cami_export(ex.people(40, seed=11), flipped=True)
    plain = ex.plain()
    shifted = plain.with_rows(
        [r[:4] + [str(int(c) - 1) for c in r[4:8]] + r[8:] for r in rows_of(plain)]
    )
    zeros = sum(1 for r in rows_of(shifted) if "0" in r[4:8])
    all_bad = plain.with_rows([[*r[:4], "7", *r[5:]] for r in rows_of(plain)])
    later = ex.people(cohort="C1", start=dt.datetime(2025, 1, 18, 9, 0))  # 3 days before
    post_as_pre = source_extra(ex.plain(later), wave="post")
    return [
        case("24_speeders", "4.24", "two responses far faster than the rest: flagged",
             one(speeders),
             validate(q.name, loaded(n, flagged={"speeder": 2})), owner=QUALITY),
        case("25_straight_lining", "4.25",
             "the same answer to all of CAMI-12 (which has reverse-keyed items): flagged",
             one(straight, instruments=("cami12",)),
             validate(cami.name, loaded(n, flagged={"straight_lining": 1})), owner=QUALITY),
        case("19_shifted_codes", "4.19", "codes 0-4 where the scale is 1-5",
             one(shifted),
             validate(plain.name, FileOutcome(rows_in=n, loaded=n - zeros, excluded={},
                                              quarantined={"out_of_range": zeros},
                                              warnings=("shifted_codes",))), owner=QUALITY),
        case("19b_reversed_items", "4.19",
             "CAMI-12's reverse-keyed items already reversed by the platform",
             one(reversed_, instruments=("cami12",)),
             validate(reversed_.name, FileOutcome(status="loaded",
                                                  warnings=("reversed_items",))),
             owner=QUALITY),
        case("27_post_export_as_pre", "4.27",
             "a file configured as post whose responses precede the session",
             one(post_as_pre),
             validate(plain.name, FileOutcome(status="loaded", warnings=("wave_dates",))),
             owner=QUALITY),
        case("27b_fully_quarantined", "issue 6", "every response of a file quarantined",
             one(all_bad),
             validate(plain.name, FileOutcome(status="failed", error_code="implausible_file",
                                              rows_in=n, quarantined={"out_of_range": n})),
             owner=QUALITY),
    ]  # fmt: skip


def cami_export(persons, flipped: bool = False):
    """A plain CSV with CAMI-12 (reverse-keyed items); `flipped`: the reverse-keyed items
    already reversed (as a platform's recode would), so after keying they run backwards."""
    header = ["rid", "when", "mother", "month", *(f"c{n}" for n in range(1, 13)), "cohort"]
    rows = []
    for p in persons:
        cami = [6 - c if flipped and item in ex.CAMI_REVERSED else c
                for item, c in zip(ex.CAMI_ITEMS, p.cami, strict=True)]  # fmt: skip
        rows.append([p.rid, ex.stamp(p.when), p.letter, str(p.month), *map(str, cami), p.cohort])
    survey = {
        "format": "csv",
        "values": "codes",
        "response_id": "rid",
        "submitted_at": "when",
        "timestamp_format": "%Y-%m-%d %H:%M:%S",
        "cohort": "cohort",
        "sgic": ex.sgic(("mother", "month")),
        "items": {f"c{n}": item for n, item in enumerate(ex.CAMI_ITEMS, start=1)},
    }
    return ex.Export("cami.csv", "csv", [header, *rows], 1, survey, {"wave": "pre"})


def duplicates() -> list[Case]:
    persons = ex.people()
    q = ex.qualtrics(persons)
    n = q.responses
    rows = rows_of(q)
    same = q.with_rows([*rows, list(rows[2])])  # response 3 again, same content
    newer = list(rows[2])
    recorded = q.column("recordedDate")
    older = list(rows[2])
    newer[q.column("QID5_1")] = "1" if rows[2][q.column("QID5_1")] != "1" else "2"
    newer[recorded] = "2025-01-21 15:00:00"
    newer[q.column("endDate")] = "2025-01-21 15:00:00"
    older_last = q.with_rows([*rows[:2], newer, *rows[3:], older])  # the older copy comes last
    twice = persons[4]
    again = replace(twice, rid="R_AGAINagainAGAIN", when=twice.when + dt.timedelta(hours=2))
    twice_file = ex.qualtrics([*persons, again])
    early = ex.qualtrics(persons[:8])
    changed = list(persons)
    changed[2] = replace(
        persons[2],
        codes=tuple(6 - c for c in persons[2].codes),
        when=persons[2].when + dt.timedelta(days=1),
    )
    late = ex.qualtrics(changed)
    first_cfg = ex.project(
        {"s": q.survey}, [{"path": "early.csv", "survey": "s", "programme": "p1", "wave": "pre"}]
    )
    both_cfg = ex.project(
        {"s": q.survey},
        [
            {"path": "early.csv", "survey": "s", "programme": "p1", "wave": "pre"},
            {"path": "late.csv", "survey": "s", "programme": "p1", "wave": "pre"},
        ],
    )
    copies = ex.project(
        {"s": q.survey},
        [
            {"path": "qualtrics.csv", "survey": "s", "programme": "p1", "wave": "pre"},
            {"path": "copy of qualtrics.csv", "survey": "s", "programme": "p1", "wave": "pre"},
        ],
    )
    older_row = q.first_row + n  # the last row of older_last
    return [
        case("26_same_response_twice", "4.26", "the same response id twice, same content",
             one(same),
             validate(q.name, FileOutcome(rows_in=n + 1, loaded=n, quarantined={},
                                          excluded={"duplicate_response": 1}))),
        case("26b_older_copy_last", "issue 6",
             "the same response id with different content, the older copy last in the file: "
             "the latest submission is kept",
             one(older_last),
             run(q.name, FileOutcome(rows_in=n + 1, loaded=n, quarantined={},
                                     excluded={"superseded_response": 1}),
                 sql=(("select source_row_number, reason from exclusions", [(older_row,
                       "superseded_response")]),)),
             owner=QUALITY),
        case("26c_same_person_twice_in_a_wave", "4.26",
             "one person (same code, cohort and wave) answering twice: the latest kept",
             one(twice_file),
             run(q.name, FileOutcome(rows_in=n + 1, loaded=n, quarantined={},
                                     excluded={"duplicate_submission": 1}),
                 sql=(("select source_row_number, reason from exclusions",
                       [(q.first_row + 4, "duplicate_submission")]),))),
        case("26d_same_content_two_names", "issue 6",
             "the same file listed under two names: already_ingested, never an error",
             ({"qualtrics.csv": q.to_bytes(), "copy of qualtrics.csv": q.to_bytes()},
              {"ripple.yml": copies}),
             Step("validate", 0, {
                 "qualtrics.csv": loaded(n),
                 "copy of qualtrics.csv": FileOutcome(
                     status="already_ingested", rows_in=n, loaded=0, quarantined={},
                     excluded={"already_ingested": n})}),
             Step("run", 0, {
                 "qualtrics.csv": loaded(n),
                 "copy of qualtrics.csv": FileOutcome(
                     status="already_ingested", rows_in=n, loaded=0, quarantined={},
                     excluded={"already_ingested": n})}, published=True)),
        case("26e_overlapping_later_export", "issue 6",
             "a later download of the same survey: only new responses added, a changed one "
             "updated (latest submission wins)",
             ({"early.csv": early.to_bytes(), "late.csv": late.to_bytes()},
              {"first.yml": first_cfg, "ripple.yml": both_cfg}),
             Step("run", 0, {"early.csv": loaded(8)}, config="first.yml"),
             Step("run", 0, {
                 "early.csv": FileOutcome(status="already_ingested", rows_in=8, loaded=0),
                 "late.csv": FileOutcome(rows_in=n, loaded=5, quarantined={}, updated=1,
                                         excluded={"already_loaded": 7})},
                  sql=(("select count(*) from responses", [(n,)]),)),
             owner=QUALITY),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
def privacy_and_limits() -> list[Case]:
    plain = ex.plain()
    n = plain.responses
    injected = plain.with_rows(
        [
            [*r[:8], text, *r[9:]]
            for r, text in zip(
                rows_of(plain),
                [
                    '=HYPERLINK("http://example.org","x")',
                    "+cmd|' /C calc'!A0",
                    "-2+3",
                    "@SUM(A1)",
                    "\tleading tab",
                    "\rleading CR",
                    *[""] * (n - 6),
                ],
                strict=True,
            )
        ]
    )
    pii_rows = rows_of(plain)
    pii_rows[0][plain.column("mother")] = "Jonathan"
    pii_rows[1][plain.column("comment")] = "write to jo.bloggs@example.org"
    pii_rows[2][plain.column("q6")] = "07700900123"
    pii = plain.with_rows(pii_rows)
    prize = plain.with_rows([[*r, f"winner{i}@example.org"] for i, r in enumerate(rows_of(plain))])
    prize = replace(
        prize, table=[[*plain.table[0], "Your email for the prize draw"], *prize.table[1:]]
    )
    wide = plain.with_rows([[*r, *("x" * 3000)] for r in rows_of(plain)])
    wide = replace(
        wide, table=[[*plain.table[0], *(f"loop_{i}" for i in range(3000))], *wide.table[1:]]
    )
    leading = rows_of(plain)
    leading[0][0], leading[1][0] = "00123", "123"
    sci = rows_of(plain)
    sci[3][0] = "1.23457E+15"
    u1369 = with_cell(plain, 1, "month", "\u1369")
    return [
        case("28_formula_injection", "4.28", "spreadsheet formulas in free text: data, not code",
             one(injected), validate(plain.name, loaded(n))),
        case("29_pii_in_wrong_fields", "4.29",
             "a name in a code letter, an e-mail in a comment, a phone number in an answer",
             one(pii),
             run(plain.name, FileOutcome(rows_in=n, loaded=n - 1, excluded={},
                                         quarantined={"out_of_range": 1},
                                         rows=(Row(4, "out_of_range", "q6"),)),
                 absent=("Jonathan", "jo.bloggs@example.org", "07700900123"))),
        case("30_new_identifying_column", "4.30", "a new 'Your email for the prize draw' column",
             one(prize),
             run(plain.name, loaded(n, warnings=("possible_identifiers",)),
                 absent=("winner3@example.org",))),
        case("31_file_too_large", "4.31", "a file over limits.max_bytes",
             one(plain, limits={"max_bytes": 1000}),
             validate(plain.name, failed("file_too_large"))),
        case("31b_too_many_rows", "4.31", "more responses than limits.max_rows",
             one(plain, limits={"max_rows": 5}), validate(plain.name, failed("too_many_rows"))),
        case("32_very_wide", "4.32", "3,000 loop-and-merge columns: only mapped ones read",
             one(wide), validate(plain.name, loaded(n))),
        case("32b_too_many_columns", "4.32", "more columns than limits.max_columns",
             one(wide, limits={"max_columns": 500}),
             validate(plain.name, failed("too_many_columns", error_row=1))),
        case("34_leading_zeros_kept", "4.34", "ids '00123' and '123' are two responses",
             one(plain.with_rows(leading)), validate(plain.name, loaded(n))),
        case("34b_id_in_scientific_notation", "issue 6",
             "a response id mangled by Excel into 1.23457E+15",
             one(plain.with_rows(sci)),
             validate(plain.name, failed("id_in_scientific_notation", error_row=5,
                                         error_text=("'rid'",)))),
        case("34c_non_ascii_digit_in_code", "issue 6",
             "U+1369 (Ethiopic digit one) as a birth month: no internal error",
             one(u1369), run(plain.name, loaded(n))),
    ]  # fmt: skip


def line_endings_and_versions() -> list[Case]:
    plain = ex.plain()
    n = plain.responses
    cr = replace(plain, line_end="\r")
    mixed_text = ex.csv_text(plain.table)
    mixed = "".join(
        line.replace("\r\n", "\n") if i % 2 else line
        for i, line in enumerate(split_records(mixed_text))
    ).encode()
    blank = ex.csv_text(plain.table).replace("\r\n", "\r\n\r\n", 3).encode()
    q = ex.qualtrics()
    copied = replace(
        q,
        table=[
            q.table[0],
            q.table[1],
            [c.replace("QID5_", "QID15_") for c in q.table[2]],
            *q.table[3:],
        ],
    )
    return [
        case("33_cr_only", "4.33", "old-Mac CR-only line endings", one(cr),
             validate(plain.name, loaded(n))),
        case("33b_mixed_line_endings", "4.33", "CRLF and LF mixed", one(plain, mixed),
             validate(plain.name, loaded(n))),
        case("33c_blank_lines", "4.33", "blank lines between responses", one(plain, blank),
             validate(plain.name, loaded(n))),
        case("35_survey_copied_new_qids", "4.35",
             "the survey copied in Qualtrics: new QIDs the mapping does not name",
             one(copied),
             validate(q.name, failed("missing_column", error_text=("'QID5_1'",)))),
    ]  # fmt: skip


def keys_and_runs() -> list[Case]:
    plain = ex.plain()
    n = plain.responses
    fc = one(plain)
    header_only = plain.with_rows([])
    return [
        case("02_header_only", "4.2", "a header row and no responses",
             one(header_only),
             validate(plain.name, FileOutcome(rows_in=0, loaded=0, excluded={}, quarantined={},
                                              warnings=("header_only",))),
             Step("validate", 0, json=False,
                  stderr=(f"{plain.name}: warning: header_only:",)),
             run(plain.name, FileOutcome(rows_in=0, loaded=0, warnings=("header_only",))),
             run(plain.name, FileOutcome(status="already_ingested", rows_in=0, loaded=0))),
        case("36_no_key", "4.36", "no pseudonymisation key: fail before reading data", fc,
             Step("run", 2, env={"RIPPLE_KEY": None, "RIPPLE_KEY_FILE": None},
                  stderr=("RIPPLE_KEY",), published=False)),
        case("36b_bad_key", "4.36", "a key that is not 64 hex characters", fc,
             Step("validate", 2, env={"RIPPLE_KEY": "not-a-key"}, stderr=("RIPPLE_KEY",))),
        case("36c_no_config", "4.36", "the config file does not exist", fc,
             Step("validate", 2, config="missing.yml", stderr=("missing.yml",))),
        case("37_two_runs_at_once", "issue 6",
             "a second run while another holds the output folder",
             fc, Step("run", 1, hold_lock=True, stderr=("another run is in progress",)),
             owner=PUBLISH),
        case("37b_stale_lock", "issue 6", "the lock of a run killed with kill -9",
             fc, run(plain.name, loaded(n), stale_lock=True, stderr=("stale lock",),
                     published=True),
             owner=PUBLISH),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
def catalogue() -> list[Case]:
    """Every case, in catalogue order."""
    cases = [
        *not_csv(),
        *keys_and_runs(),
        *encodings(),
        *delimiters(),
        *headers(),
        *records(),
        *workbooks(),
        *dates(),
        *answers(),
        *platform_meta(),
        *quality_rules(),
        *duplicates(),
        *privacy_and_limits(),
        *line_endings_and_versions(),
    ]
    ids = [c.id for c in cases]
    assert len(set(ids)) == len(ids), "case ids must be unique"
    return sorted(cases, key=lambda c: c.id)


def write_case(case_: Case, folder: Path) -> None:
    """The case's files and configs in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in case_.files.items():
        (folder / name).write_bytes(data)
    for name, config in case_.configs.items():
        (folder / name).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: python make_catalogue.py DIR")
    for case_ in catalogue():
        write_case(case_, Path(sys.argv[1]) / case_.id)
        print(f"{case_.id}: {case_.title}")


if __name__ == "__main__":
    main()
