"""`ripple validate` accepts one project config holding every real export and accounts for
every record; `ripple run` lands the REDCap answers where they belong."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from tests.real_exports.expected import OSMI_2014_FORMATS, REDCAPAPI_ITEMS
from tests.real_exports.files import (
    CODEC,
    EXPORTS,
    LONGITUDINAL,
    OSMI_2014_EN_US,
    OSMI_2014_ZH_CN,
    QUALTRICS,
    QUALTRICS_LEGACY,
    REDCAPAPI,
    SIMPLE,
    SM_BULK,
)
from tests.real_exports.reading import dict_rows, table, timestamp


def test_validate_accepts_every_real_export(real_data, config, validated):
    listed = yaml.safe_load(config.read_text(encoding="utf-8"))["sources"]
    sources = {Path(s["path"]).relative_to(real_data).as_posix() for s in listed}
    assert sources == set(EXPORTS), "every real export has a source in ripple.yml"
    assert set(validated) == sources
    for name, report in validated.items():
        assert report["status"] == "loaded" and report["error"] is None, name
        total = report["rows_loaded"] + report["rows_excluded"] + report["rows_quarantined"]
        assert report["rows_in"] == total, name


@pytest.mark.parametrize(
    "name", [n for n in EXPORTS if n != REDCAPAPI], ids=lambda n: n.rsplit("/", 1)[-1][:40]
)
def test_validate_accounts_for_every_record(validated, detected, expected, name):
    report, want = validated[name], expected[name]
    assert report["rows_in"] == want.rows_in == detected[name]["rows"]
    assert report["excluded_by_reason"] == dict(want.excluded)
    assert report["quarantined_by_reason"] == want.quarantined_by_reason()
    assert report["rows_quarantined"] == len(want.quarantined)
    assert report["rows_excluded"] == sum(want.excluded.values())
    assert report["rows_loaded"] == (
        want.rows_in - sum(want.excluded.values()) - len(want.quarantined)
    )
    shown = {q["source_row_number"] for q in report["quarantine_examples"]}
    assert shown <= set(want.quarantined)


def test_the_three_osmi_2014_resaves_read_alike(real_data, validated):
    """Three Excel locales (US month-first, Chinese year-first and GBK, day-first with a blank
    header) re-saved the same responses: each file's own timestamps settle how it is read,
    and the accounting is the same."""
    stamps = [
        [timestamp(row[0], fmt) for row in table(real_data / name, CODEC.get(name, "utf-8"))[1]]
        for name, fmt in OSMI_2014_FORMATS.items()
    ]
    assert stamps[0] == stamps[1] == stamps[2] and None not in stamps[0]
    keys = ("rows_in", "rows_loaded", "excluded_by_reason", "quarantined_by_reason")
    reports = [{k: validated[name][k] for k in keys} for name in OSMI_2014_FORMATS]
    assert reports[0] == reports[1] == reports[2]
    assert validated[OSMI_2014_ZH_CN]["encoding_guessed"] is True
    assert validated[OSMI_2014_EN_US]["encoding_guessed"] is False


def test_identifying_columns_are_reported_not_read(validated):
    for name, column in [
        (QUALTRICS, "recipientEmail"),
        (QUALTRICS_LEGACY, "V6"),  # IPAddress
        (LONGITUDINAL, "email"),
        (SIMPLE, "address"),
        (SM_BULK, "ip_address"),
    ]:
        warning = next(w for w in validated[name]["warnings"] if w.startswith("possible_id"))
        assert f"'{column}'" in warning, (name, warning)


def test_redcap_repeating_instrument_rows_are_accounted_for(real_data, validated):
    rows = dict_rows(real_data / REDCAPAPI)
    report = validated[REDCAPAPI]
    assert report["rows_in"] == len(rows)  # the trailing empty line is not a record
    assert report["quarantined_by_reason"] == {}  # every mapped value is a dictionary code
    assert all(
        not row[f].strip() or row[f].strip() in codes
        for row in rows
        for f, codes in REDCAPAPI_ITEMS.items()
    )
    assert set(r["redcap_event_name"] for r in rows) == {"event_1_arm_1"}  # no other_wave
    answered = [r for r in rows if any(r[f].strip() for f in REDCAPAPI_ITEMS)]
    assert not any(r["redcap_repeat_instrument"].strip() for r in answered)
    # every row with an answer is a main row, loaded; the others are no_answers
    assert report["rows_loaded"] == len(answered)
    assert report["excluded_by_reason"] == {"no_answers": len(rows) - len(answered)}


def test_redcap_answers_are_not_displaced_by_repeating_instrument_rows(real_data, warehouse):
    """redcapAPI's records each have a main row (the mapped fields) and a row of the
    repeating instrument files_notes_descriptions (none of the mapped fields). The answers
    must land; a row of another instrument must not replace them."""
    rows = dict_rows(real_data / REDCAPAPI)
    answers = sum(1 for row in rows for field in REDCAPAPI_ITEMS if row[field].strip())
    assert answers > 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        landed = con.execute(
            """
            select count(i.raw_value)
            from responses as r join item_responses as i using (response_key)
            where r.programme_id = 'redcapapi'
            """
        ).fetchone()[0]
    assert landed == answers
