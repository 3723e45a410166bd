"""pipeline.ingest.mapping: only mapped columns are read; answers become code tokens."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import Cohort, Programme, SgicElement, Source, Survey
from pipeline.errors import DataError
from pipeline.ingest.detect import Detection
from pipeline.ingest.mapping import code_export
from pipeline.ingest.readers import RawExport

PROGRAMME = Programme(
    id="schools",
    name="S",
    approach="education-only",
    audience="pupils",
    instruments=["ribs"],
    cohorts=[
        Cohort(
            id="SC-LEE-2501",
            site="Leeds",
            date="2025-01-14",
            labels=["Leeds - Park View School, 14 Jan 2025"],
        )
    ],
)
SURVEY = Survey(
    format="google_forms",
    values="labels",
    submitted_at="Timestamp",
    timestamp_format="%m/%d/%Y %H:%M:%S",
    cohort="Which session?",
    sgic=[
        SgicElement(column="Initial", name="initial", kind="letter"),
        SgicElement(column="Month", name="month", kind="month"),
    ],
    items={"Agree? [Statement 5]": "ribs_05", "Agree? [Statement 6]": "ribs_06"},
)
SOURCE = Source(path="x.csv", survey="forms", programme="schools", wave="pre")
HEADERS = [
    "Timestamp",
    "Email Address",
    "Which session?",
    "Initial",
    "Month",
    "Agree? [Statement 5]",
    "Agree? [Statement 6]",
]


def raw(rows: list[list[str]], fmt: str = "google_forms") -> RawExport:
    frame = pd.DataFrame(rows, columns=HEADERS, dtype="object")
    frame.index = pd.Index(range(2, 2 + len(rows)), name="source_row_number")
    detection = Detection(
        path=Path("x.csv"),
        sha256="0" * 64,
        size_bytes=1,
        format=fmt,
        encoding="utf-8",
        delimiter=",",
        header_rows=1,
        rows=len(rows),
        columns=len(HEADERS),
    )
    return RawExport(detection=detection, keys=HEADERS, names=HEADERS, frame=frame, problems=[])


def test_labels_cohorts_timestamps_and_codes_are_coded(instruments):
    export = raw(
        [
            [
                "1/14/2025 9:03:45",
                "pupil@example.org",
                " leeds - park view school, 14 jan 2025",
                "k",
                "March",
                "Strongly agree",
                "Don’t know",
            ],
            [
                "1/14/2025 9:04:10",
                "other@example.org",
                "Somewhere else",
                "K",
                "13",
                "Agree strongly",
                "",
            ],
            ["14/01/2025 9:04", "", "", "", "", "agree", "disagree"],
        ]
    )
    coded = code_export(export, SURVEY, SOURCE, PROGRAMME, instruments, "x.csv")
    frame = coded.frame
    assert frame["submitted_at"].tolist() == ["2025-01-14T09:03:45", "2025-01-14T09:04:10", None]
    assert frame["cohort"].tolist() == ["SC-LEE-2501", "Somewhere else", None]
    # an answer that is not a label keeps a token that can never be a code
    assert frame["ribs_05"].tolist() == ["5", "label:agree strongly", "4"]
    assert frame["ribs_06"].tolist() == ["3", None, "2"]
    assert coded.dont_know["ribs_06"].tolist() == [True, False, False]
    assert frame["wave"].tolist() == ["pre"] * 3
    assert frame["sgic_status"].tolist() == ["ok", "invalid", "missing"]
    assert frame["sgic_code"].tolist() == ["k|03", None, None]


def test_identifying_columns_are_never_carried(instruments):
    export = raw([["1/14/2025 9:03:45", "pupil@example.org", "SC-LEE-2501", "k", "3", "", ""]])
    coded = code_export(export, SURVEY, SOURCE, PROGRAMME, instruments, "x.csv")
    assert "pupil@example.org" not in coded.frame.astype(str).to_numpy()
    assert "Email Address" not in coded.source_columns.values()


def test_numeric_codes_are_normalised_not_invented(instruments):
    survey = SURVEY.model_copy(update={"values": "codes"})
    export = raw(
        [
            ["1/14/2025 9:03:45", "", "SC-LEE-2501", "k", "3", "4.0", "'5"],
            ["1/14/2025 9:03:45", "", "SC-LEE-2501", "k", "3", "4.5", "five"],
        ]
    )
    frame = code_export(export, survey, SOURCE, PROGRAMME, instruments, "x.csv").frame
    assert frame["ribs_05"].tolist() == ["4", "4.5"]
    assert frame["ribs_06"].tolist() == ["5", "five"]


def test_a_missing_mapped_column_names_the_column(instruments):
    export = raw([["1/14/2025 9:03:45", "", "SC-LEE-2501", "k", "3", "", ""]])
    survey = SURVEY.model_copy(update={"items": {"Agree? [Statement 7]": "ribs_07"}})
    with pytest.raises(DataError, match=r"x\.csv: missing_column: .*'Agree\? \[Statement 7\]'"):
        code_export(export, survey, SOURCE, PROGRAMME, instruments, "x.csv")


def test_the_wrong_export_format_is_refused(instruments):
    survey = SURVEY.model_copy(update={"format": "qualtrics"})
    export = raw([["1/14/2025 9:03:45", "", "SC-LEE-2501", "k", "3", "", ""]])
    with pytest.raises(DataError, match="format_mismatch"):
        code_export(export, survey, SOURCE, PROGRAMME, instruments, "x.csv")


def test_a_repeated_header_must_be_mapped_by_its_occurrence(instruments):
    export = raw([["1/14/2025 9:03:45", "", "SC-LEE-2501", "k", "3", "", ""]])
    export.frame.columns = [*HEADERS[:5], "Agree? [Statement 5] [1]", "Agree? [Statement 5] [2]"]
    with pytest.raises(DataError, match=r"repeated_header: .*'Agree\? \[Statement 5\] \[1\]'"):
        code_export(export, SURVEY, SOURCE, PROGRAMME, instruments, "x.csv")


def test_ids_mangled_into_scientific_notation_fail_the_file(instruments):
    survey = SURVEY.model_copy(update={"response_id": "Email Address"})
    export = raw([["1/14/2025 9:03:45", "1.23457E+15", "SC-LEE-2501", "k", "3", "", ""]])
    with pytest.raises(
        DataError, match=r"id_in_scientific_notation: row 2, column 'Email Address'"
    ):
        code_export(export, survey, SOURCE, PROGRAMME, instruments, "x.csv")


def test_how_the_day_month_order_was_settled_is_noted(instruments):
    survey = SURVEY.model_copy(update={"timestamp_format": None})
    export = raw(
        [
            ["1/14/2025 9:03:45", "", "SC-LEE-2501", "k", "3", "", ""],
            ["2/3/2025 9:03:45", "", "SC-LEE-2501", "k", "3", "", ""],
        ]
    )
    coded = code_export(export, survey, SOURCE, PROGRAMME, instruments, "x.csv")
    assert coded.frame["submitted_at"].tolist() == ["2025-01-14T09:03:45", "2025-02-03T09:03:45"]
    assert coded.notes == (
        "dates: column 'Timestamp': month-first: settled by a day above 12 in row 2",
    )


def test_undecidable_dates_fail_the_file_saying_what_to_declare(instruments):
    survey = SURVEY.model_copy(update={"timestamp_format": None})
    export = raw([["1/2/2025 9:03:45", "", "SC-LEE-2501", "k", "3", "", ""]])
    with pytest.raises(DataError, match=r"ambiguous_date: column 'Timestamp': .*date_order"):
        code_export(export, survey, SOURCE, PROGRAMME, instruments, "x.csv")
    dmy = SOURCE.model_copy(update={"date_order": "dmy"})
    coded = code_export(export, survey, dmy, PROGRAMME, instruments, "x.csv")
    assert coded.frame["submitted_at"].tolist() == ["2025-02-01T09:03:45"]


def test_without_response_id_or_time_identical_answers_stay_apart_by_row(instruments):
    survey = SURVEY.model_copy(update={"submitted_at": None, "timestamp_format": None})
    same = ["", "", "SC-LEE-2501", "k", "3", "Agree", "Agree"]
    coded = code_export(raw([same, same]), survey, SOURCE, PROGRAMME, instruments, "x.csv")
    assert coded.row_identity[-1] == "source_row"
    assert coded.frame["source_row"].tolist() == ["2", "3"]
    assert any(n.startswith("no_response_identity") for n in coded.notes)
