"""Catalogue cases of cell values: dates and times (Excel serials, day/month order, UTC
offsets), answer labels and codes (unknown labels, out-of-range codes and sentinels, numbers
written as text), and platform metadata (Qualtrics previews, tests and spam; REDCap's
incomplete forms).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from . import good_exports as ex
from .outcomes import (
    Case,
    FileOutcome,
    Row,
    case,
    failed,
    loaded,
    one,
    rows_of,
    run,
    source_extra,
    survey_extra,
    validate,
    with_cell,
)


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
