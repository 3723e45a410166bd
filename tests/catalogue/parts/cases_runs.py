"""Catalogue cases of a whole run: free text and personal data in the wrong fields, size
limits, ids Excel mangles, line endings, a copied survey, keys and configs, and two runs at
once or a stale lock.
"""

from __future__ import annotations

from dataclasses import replace

from . import good_exports as ex
from .cases_text import split_records
from .outcomes import (
    PUBLISH,
    Case,
    FileOutcome,
    Row,
    Step,
    case,
    failed,
    loaded,
    one,
    rows_of,
    run,
    validate,
    with_cell,
)


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
