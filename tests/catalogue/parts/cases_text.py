"""Catalogue cases of a CSV's text: encodings (BOMs, Windows-1252, UTF-16, mojibake),
delimiters and decimal commas, header rows (duplicate columns, the platforms' header layouts)
and broken records (ragged rows, a file cut off inside a quoted cell).
"""

from __future__ import annotations

import codecs
import io
from dataclasses import replace

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
    survey_extra,
    validate,
    with_cell,
)


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
