"""Layouts: SurveyMonkey, KoboToolbox and REDCap recognition and keys, overrides, real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.ingest.detect import detect
from pipeline.ingest.layout import layout_of
from pipeline.ingest.platforms import is_kobo, is_redcap_labels, is_redcap_raw, redcap_variant
from pipeline.ingest.readers import ReadOptions, read_export
from pipeline.ingest.surveymonkey import column_keys, header_row_count, is_surveymonkey_names

AGREE = "How much do you agree with each statement?"
DONE = "Which of these have you done? (tick all that apply)"
SM_META = [
    "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
    "First Name", "Last Name", "Custom Data 1",
]  # fmt: skip


# --- SurveyMonkey -------------------------------------------------------------------------------


def test_surveymonkey_expanded_keys(fixtures: Path, well_formed) -> None:
    raw = read_export(fixtures / "surveymonkey_expanded.csv")
    well_formed(raw)
    d = raw.detection
    assert (d.format, d.header_rows, d.rows, d.columns, d.first_data_row) == (
        "surveymonkey", 2, 2, 17, 3,
    )  # fmt: skip
    assert raw.keys == [
        *SM_META,
        "Which session did you attend?",
        f"{AGREE} | I would talk to a friend",
        f"{AGREE} | People can recover",
        f"{AGREE} | Mental illness is common - Agreement",
        f"{DONE} | Read a leaflet",
        f"{DONE} | Talked to someone",
        f"{DONE} | Other (please specify)",
        "Anything else?",
    ]
    assert raw.labels == raw.keys
    assert raw.names[10:13] == [AGREE, "", ""]  # row 1 as written
    assert raw.column_meta[11] == {"question": AGREE, "sub_header": "People can recover"}
    assert raw.column_meta[0] == {}
    assert raw.frame.index.tolist() == [3, 4]
    assert raw.frame.loc[4, f"{DONE} | Other (please specify)"] == "Went to a group"
    assert raw.frame.loc[3, "Respondent ID"] == "114227445678"


def test_surveymonkey_condensed_keys(fixtures: Path) -> None:
    raw = read_export(fixtures / "surveymonkey_condensed.csv")
    assert (raw.detection.format, raw.detection.header_rows) == ("surveymonkey", 2)
    assert raw.keys[9:] == [
        "Which session did you attend?",
        f"{AGREE} | I would talk to a friend",
        f"{AGREE} | People can recover",
        DONE,
    ]
    assert raw.frame.loc[3, DONE] == "Read a leaflet"


def test_surveymonkey_without_sub_header_row_reads_row_two_as_a_response(write) -> None:
    text = "Respondent ID,Collector ID,Start Date,Q1\n11422,4058,01/14/2025,Agree\n11423,4058,,No\n"
    raw = read_export(write("sm.csv", text))
    assert (raw.detection.format, raw.detection.header_rows) == ("surveymonkey", 1)
    assert raw.frame.index.tolist() == [2, 3]
    assert raw.keys == ["Respondent ID", "Collector ID", "Start Date", "Q1"]


def test_surveymonkey_repeated_question_text_keys_like_blank_cells() -> None:
    names = ["Respondent ID", "Rate each:", "Rate each:", "Overall"]
    subs = ["", "Speed", "Quality", ""]
    blank = ["Respondent ID", "Rate each:", "", "Overall"]
    assert column_keys(names, subs)[0] == column_keys(blank, subs)[0] == [
        "Respondent ID", "Rate each: | Speed", "Rate each: | Quality", "Overall",
    ]  # fmt: skip


def test_surveymonkey_keys_are_stripped_and_single_answers_keep_the_question() -> None:
    keys, meta = column_keys(["  Q one  ", "", "Q two"], [" Response ", "Open-Ended Response", ""])
    assert keys == ["Q one", "Q one", "Q two"]
    assert meta[0] == {"question": "Q one", "sub_header": "Response"}


def test_surveymonkey_same_question_twice_is_keyed_by_occurrence(write) -> None:
    rows = "Respondent ID,Collector ID,Comments,Comments\n,,Response,Response\n1,2,a,b\n"
    raw = read_export(write("sm.csv", rows))
    assert raw.keys[2:] == ["Comments [1]", "Comments [2]"]
    assert any(w.startswith("repeated_header: column(s) 3, 4 ") for w in raw.warnings)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["Respondent ID", "Collector ID", "Q1"], True),
        (["respondent id ", "IP Address"], True),
        (["Respondent ID", "Q1", "Q2"], False),  # no other SurveyMonkey metadata column
        (["ID", "Collector ID"], False),
    ],
)
def test_surveymonkey_names(row: list[str], expected: bool) -> None:
    assert is_surveymonkey_names(row) is expected


def test_surveymonkey_header_rows() -> None:
    names = ["Respondent ID", "Collector ID", "Q1"]
    assert header_row_count([names]) == 2
    assert header_row_count([names, ["", "", "Response"]]) == 2
    assert header_row_count([names, ["", "", ""]]) == 2
    assert header_row_count([names, ["1142", "4058", "Agree"]]) == 1


@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), min_size=1, max_size=12))
def test_surveymonkey_keys_cover_every_column(cells: list[tuple[str, str]]) -> None:
    names, subs = [n for n, _ in cells], [s for _, s in cells]
    keys, meta = column_keys(names, subs)
    assert len(keys) == len(meta) == len(cells)
    for key, name, sub in zip(keys, names, subs, strict=True):
        if name.strip():
            assert key.startswith(name.strip())
        if sub.strip() and sub.strip().casefold() not in ("response", "open-ended response"):
            assert key.endswith(sub.strip())


# --- KoboToolbox --------------------------------------------------------------------------------


def test_kobo_semicolon_csv(fixtures: Path, well_formed) -> None:
    raw = read_export(fixtures / "kobo.csv")
    well_formed(raw)
    d = raw.detection
    assert (d.format, d.delimiter, d.header_rows, d.rows) == ("kobo", ";", 1, 2)
    assert raw.keys[4:7] == ["demographics/age_band", "stigma/q1", "stigma/q2"]
    assert raw.frame.loc[3, "stigma/q1"] == "3,5"  # decimal comma stays text


@pytest.mark.parametrize(
    ("row", "expected"),
    [(["start", "end", "q1", "_uuid"], True), (["_submission_time"], True), (["_id"], False)],
)
def test_kobo_markers(row: list[str], expected: bool) -> None:
    assert is_kobo(row) is expected


# --- REDCap -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "variant"),
    [
        (["record_id", "redcap_event_name", "age"], "raw"),
        (["study_id", "age", "demographics_complete"], "raw"),
        (["participant_id", "redcap_survey_identifier"], "raw"),
        (["Record ID", "Event Name", "Age"], "labels"),
        (["Study ID", "Age", "Complete?"], "labels"),
        (["Participant", "Race (choice=White)"], "labels"),
        (["Participant", "Race (choice='White')"], "labels"),
        # not REDCap: dictionaries, event lists, ordinary tables
        (["Variable / Field Name", "Form Name", "Field Type"], None),
        (["field_name", "form_name", "field_type"], None),
        (["event_name", "arm_num", "unique_event_name"], None),
        (["arm_num", "unique_event_name", "form"], None),
        (["name", "task_complete"], None),  # first column is no record id
        (["Workshop", "Event Name"], None),
    ],
)
def test_redcap_variants(row: list[str], variant: str | None) -> None:
    assert redcap_variant(row) == variant
    assert is_redcap_raw(row) is (variant == "raw")
    if variant == "labels":
        assert is_redcap_labels(row)


def test_redcap_label_export_numbers_repeated_headers(fixtures: Path, well_formed) -> None:
    raw = read_export(fixtures / "redcap_labels.csv")
    well_formed(raw)
    assert (raw.detection.format, raw.detection.variant) == ("redcap", "labels")
    assert raw.keys[7:] == ["Complete? [1]", "Survey Timestamp [2]", "I would talk to a friend",
                            "Complete? [2]"]  # fmt: skip
    assert raw.names[8] == raw.names[3] == "Survey Timestamp"  # names stay as written
    assert any(w.startswith("repeated_header: column(s) 4, 8, 9, 11 ") for w in raw.warnings)


def test_repeated_headers_are_keyed_by_occurrence_in_every_text_layout(write) -> None:
    raw = read_export(write("t.csv", "Q,Score,Score\n1,2,3\n"))
    assert raw.keys == ["Q", "Score [1]", "Score [2]"]
    assert raw.frame["Score [2]"].tolist() == ["3"]


# --- Overrides ----------------------------------------------------------------------------------


def test_format_override_wins_and_says_so(fixtures: Path) -> None:
    d = detect(fixtures / "crlf.csv", ReadOptions(format="csv"))
    assert d.format == "csv"
    assert d.overridden == ("format",)
    assert any(w.startswith("format_override: read as csv") for w in d.warnings)
    same = detect(fixtures / "crlf.csv", ReadOptions(format="google_forms"))
    assert same.overridden == ("format",)
    assert not any(w.startswith("format_override") for w in same.warnings)


def test_qualtrics_format_override_on_a_file_without_import_ids(write) -> None:
    text = "StartDate,Q1\nStart Date,Question one\nImport row,gone\n2024,4\n"
    raw = read_export(write("q.csv", text), format="qualtrics")
    assert (raw.detection.format, raw.detection.header_rows) == ("qualtrics", 3)
    assert raw.keys == ["StartDate", "Q1"]
    assert raw.labels == ["Start Date", "Question one"]
    assert raw.frame.index.tolist() == [4]


def test_header_rows_override(write) -> None:
    path = write("t.csv", "Name,Score\nLabel,Label\n1,2\n")
    raw = read_export(path, ReadOptions(header_rows=2))
    assert (raw.detection.header_rows, raw.frame.index.tolist()) == (2, [3])
    assert raw.detection.overridden == ("header_rows",)
    assert any(w.startswith("header_rows_override: 2 header row(s)") for w in raw.warnings)


def test_header_rows_override_on_qualtrics_keeps_import_ids(fixtures: Path) -> None:
    raw = read_export(fixtures / "qualtrics_choice_ids.csv", header_rows=4)
    assert raw.keys[5] == "QID5_1"
    assert raw.frame.index.tolist() == [5]


def test_surveymonkey_override_on_a_file_without_metadata(write) -> None:
    text = "Q1,,Q2\nResponse,Row A,Response\n4,5,6\n"
    raw = read_export(write("t.csv", text), ReadOptions(format="surveymonkey"))
    assert raw.keys == ["Q1", "Q1 | Row A", "Q2"]


def test_layout_of_empty_head() -> None:
    assert layout_of([]).format == "csv"


# --- Every real export ----------------------------------------------------------------------------

REAL_FORMATS = {
    "REDCapR/checkboxes-1__data.csv": "redcap",
    "REDCapR/checkboxes-1__dictionary.csv": "csv",
    "REDCapR/longitudinal__arm.csv": "csv",
    "REDCapR/longitudinal__data.csv": "redcap",
    "REDCapR/longitudinal__dictionary.csv": "csv",
    "REDCapR/longitudinal__event.csv": "csv",
    "REDCapR/simple__data.csv": "redcap",
    "REDCapR/simple__dictionary.csv": "csv",
    "REDCapR/simple__metadata.csv": "csv",
    "REDCapR/survey__data.csv": "redcap",
    "REDCapR/survey__dictionary.csv": "csv",
    "google-forms-cs50/favorites.csv": "google_forms",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv": "csv",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_en-US_roundtrip.csv": "google_forms",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv": "google_forms",
    "osmi-mental-health-in-tech/osmi_2016_mental-heath-in-tech-2016_20161114.csv": "csv",
    "qualtRics/sample.csv": "qualtrics",
    "qualtRics/sample_legacy.csv": "qualtrics_legacy",
    "redcapAPI/TestRedcapAPI_Arms.csv": "csv",
    "redcapAPI/TestRedcapAPI_DataDictionary.csv": "csv",
    "redcapAPI/TestRedcapAPI_Events.csv": "csv",
    "redcapAPI/TestRedcapAPI_InstrumentDesignations.csv": "csv",
    "redcapAPI/TestRedcapAPI_Records.csv": "redcap",
    "surveymonkey-api/api.surveymonkey.com__v3__surveys__318754279__details.json": (
        "surveymonkey_api"
    ),
    "surveymonkey-api/api.surveymonkey.net__v3__surveys__318754279__responses__bulk-eda25e.json": (
        "surveymonkey_api"
    ),
}


@pytest.mark.parametrize("name", sorted(REAL_FORMATS))
def test_every_real_export_is_recognised(real_data: Path, name: str) -> None:
    d = detect(real_data / name)
    assert d.format == REAL_FORMATS[name]
    assert d.file_type == ("json" if name.endswith(".json") else "csv")


def test_the_real_folder_holds_no_unchecked_export(real_data: Path) -> None:
    found = {
        str(p.relative_to(real_data))
        for p in real_data.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json", ".xlsx", ".tsv")
    }
    assert found == set(REAL_FORMATS)


def test_real_redcap_raw_exports_read(real_data: Path, well_formed) -> None:
    for name, fmt in REAL_FORMATS.items():
        if fmt == "redcap":
            raw = read_export(real_data / name)
            well_formed(raw)
            assert raw.detection.variant == "raw"
