"""Catalogue cases of the row rules: quality flags (speeders, straight-lining), codes shifted
or reverse-keyed by the platform, a file whose responses precede the session, a fully
quarantined file, and duplicate responses, people and files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from . import good_exports as ex
from .outcomes import (
    QUALITY,
    Case,
    FileOutcome,
    Step,
    case,
    loaded,
    one,
    rows_of,
    run,
    source_extra,
    validate,
)


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
    survey = ex.plain_survey({f"c{n}": item for n, item in enumerate(ex.CAMI_ITEMS, start=1)})
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
