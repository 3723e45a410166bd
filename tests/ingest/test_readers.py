"""Reading exports into string tables: keys, row numbers, problems, and nothing lost."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.errors import DataError
from pipeline.ingest import IngestError, RawExport, RowProblem, detect, read_export
from pipeline.ingest.detect import inspect
from pipeline.ingest.readers import exact_values, fast_values, split_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
QUALTRICS_SAMPLE = FIXTURES / "real" / "sample.csv"
QUALTRICS_LEGACY = FIXTURES / "real" / "sample_legacy.csv"
READABLE_FIXTURES = [
    "bom_utf8.csv",
    "cp1252.csv",
    "utf16_tab.tsv",
    "semicolon.csv",
    "ragged.csv",
    "header_only.csv",
    "multiline.csv",
    "crlf.csv",
    "qualtrics_choice_ids.csv",
    "qualtrics_utf16.tsv",
    "real/sample.csv",
    "real/sample_legacy.csv",
]
REAL_FILES = [
    "qualtRics/sample.csv",
    "qualtRics/sample_legacy.csv",
    "google-forms-cs50/favorites.csv",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_en-US_roundtrip.csv",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv",
    "REDCapR/longitudinal__data.csv",
    "REDCapR/simple__data.csv",
    "REDCapR/survey__data.csv",
    "REDCapR/checkboxes-1__data.csv",
    "redcapAPI/TestRedcapAPI_Records.csv",
]


def assert_well_formed(raw: RawExport) -> None:
    """The reader's contract: strings only, keyed columns, row-number index, nothing lost."""
    frame = raw.frame
    assert len(frame) + len(raw.problems) == raw.detection.rows
    assert list(frame.columns) == raw.keys
    assert len(raw.keys) == len(raw.names) == len(raw.labels) == raw.detection.columns
    assert frame.index.name == "source_row_number"
    assert frame.index.dtype == np.int64
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert all(dtype == np.dtype(object) for dtype in frame.dtypes)
    assert not frame.isna().to_numpy().any()
    assert all(type(v) is str for v in frame.to_numpy().ravel())
    assert not any(key.endswith(".1") and key[:-2] in raw.keys for key in raw.keys)
    if len(frame):
        assert frame.index[0] >= raw.detection.header_rows + 1
    problem_rows = {p.source_row_number for p in raw.problems}
    assert not problem_rows & set(frame.index)


# --- Qualtrics ----------------------------------------------------------------------------------


def test_modern_qualtrics_keys_are_import_ids() -> None:
    raw = read_export(QUALTRICS_SAMPLE)
    assert_well_formed(raw)
    assert raw.keys == [
        "startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished",
        "recordedDate", "_recordId", "recipientLastName", "recipientFirstName", "recipientEmail",
        "externalDataReference", "locationLatitude", "locationLongitude", "distributionChannel",
        "userLanguage", "QID1", "QID2_TEXT", "QID2_TEXT_eae5a8d0e7fd4bd183e983e5Topics",
    ]  # fmt: skip
    assert raw.names[:3] == ["StartDate", "EndDate", "Status"]
    assert raw.names[-1] == "Q2 - Topics"
    assert raw.labels[0] == "Anfangsdatum"  # row 2 is question text, in German here
    assert raw.frame.index.tolist() == [4]
    row = raw.frame.loc[4]
    assert (row["status"], row["finished"], row["QID1"], row["QID2_TEXT"]) == (
        "0", "1", "2", "Hello World!",
    )  # fmt: skip
    assert row["recipientEmail"] == ""
    assert row["QID2_TEXT_eae5a8d0e7fd4bd183e983e5Topics"] == ""
    assert raw.problems == []


def test_legacy_qualtrics_keys_are_header_text() -> None:
    raw = read_export(QUALTRICS_LEGACY)
    assert_well_formed(raw)
    assert raw.keys[:3] == ["V1", "V2", "V3"]
    assert raw.keys[10:] == [
        "Q1", "Q2", "LocationLatitude", "LocationLongitude", "LocationAccuracy", "_blank_16",
    ]  # fmt: skip
    assert not raw.keys[0].startswith("\ufeff")
    assert raw.names[-1] == ""
    assert raw.labels[:2] == ["ResponseID", "ResponseSet"]
    assert raw.frame.index.tolist() == [3]
    assert raw.frame.loc[3, "V7"] == "0"
    assert raw.frame.loc[3, "Q2"] == "Hello World!"
    assert raw.frame.loc[3, "_blank_16"] == ""


def test_qualtrics_choice_ids_time_zones_and_multiline_labels(fixtures: Path) -> None:
    raw = read_export(fixtures / "qualtrics_choice_ids.csv")
    assert_well_formed(raw)
    assert raw.keys == [
        "startDate", "endDate", "status", "finished", "_recordId", "QID5_1", "QID5_2",
        "QID7_1", "QID7_2", "QID9_TEXT", "cohort",
    ]  # fmt: skip
    assert raw.column_meta[0] == {"timeZone": "Europe/London"}
    assert raw.column_meta[7] == {"choiceId": "1"}
    assert raw.column_meta[5] == {}
    assert raw.labels[5] == "How much do you agree?\nSelect one - I would talk to a friend"
    assert raw.frame.index.tolist() == [4, 5]
    assert raw.frame.loc[5, "QID9_TEXT"] == 'Two lines:\n"quoted" and ; semicolon'
    assert raw.frame.loc[5, "QID5_2"] == ""


def test_qualtrics_tsv_reads_like_the_csv(fixtures: Path) -> None:
    csv_export = read_export(fixtures / "qualtrics_choice_ids.csv")
    tsv_export = read_export(fixtures / "qualtrics_utf16.tsv")
    assert tsv_export.keys == csv_export.keys
    assert tsv_export.labels == csv_export.labels
    pd.testing.assert_frame_equal(tsv_export.frame, csv_export.frame)


def test_qualtrics_header_only(write) -> None:
    import_ids = '"{""ImportId"":""startDate""}","{""ImportId"":""QID1""}"'
    text = f"StartDate,Q1\nStart Date,Question\n{import_ids}\n"
    raw = read_export(write("q.csv", text))
    assert_well_formed(raw)
    assert (raw.detection.format, raw.detection.rows) == ("qualtrics", 0)
    assert raw.keys == ["startDate", "QID1"]
    assert raw.frame.empty


def test_qualtrics_missing_import_id_falls_back_to_the_name(write) -> None:
    text = 'StartDate,cohort\nStart Date,\n"{""ImportId"":""startDate""}",\n2024,C1\n'
    raw = read_export(write("q.csv", text))
    assert raw.keys == ["startDate", "cohort"]
    assert any(w.startswith("qualtrics_missing_import_id: column(s) 2 ") for w in raw.warnings)


def test_old_style_import_ids(write) -> None:
    import_ids = "\"{'ImportId': 'responseId'}\",\"{'ImportId': 'QID1'}\""
    text = f"V1,Q1\nResponse ID,Question\n{import_ids}\nR_1,4\n"
    raw = read_export(write("q.csv", text))
    assert raw.detection.format == "qualtrics"
    assert raw.keys == ["responseId", "QID1"]
    assert raw.frame.index.tolist() == [4]


def test_duplicate_import_ids_fail(write) -> None:
    text = 'A,B\nLabel A,Label B\n"{""ImportId"":""QID1""}","{""ImportId"":""QID1""}"\n1,2\n'
    with pytest.raises(IngestError) as caught:
        read_export(write("q.csv", text))
    assert caught.value.code == "duplicate_column"
    assert caught.value.row == 3
    assert "columns 1 and 2" in str(caught.value)


# --- Row numbers and problems -------------------------------------------------------------------


def test_multiline_cells_keep_spreadsheet_row_numbers(fixtures: Path) -> None:
    raw = read_export(fixtures / "multiline.csv")
    assert_well_formed(raw)
    assert raw.frame.index.tolist() == [2, 3, 4, 5]
    assert raw.frame.loc[2, "comment"] == "line one\nline two"
    assert raw.frame.loc[4, "comment"] == 'a\r\nb "quoted"\nc'
    assert raw.frame.loc[5, "comment"] == "last"


def test_ragged_rows_become_problems(fixtures: Path) -> None:
    raw = read_export(fixtures / "ragged.csv")
    assert_well_formed(raw)
    assert raw.frame.index.tolist() == [2, 4, 6]
    assert raw.frame["id"].tolist() == ["1", "3", "5"]
    assert raw.problems == [
        RowProblem(3, "field_count_mismatch",
                   "the record has 3 field(s) where the header has 4", 4, 3),
        RowProblem(5, "field_count_mismatch",
                   "the record has 5 field(s) where the header has 4", 4, 5),
    ]  # fmt: skip


def test_problem_spanning_lines_says_so(write) -> None:
    raw = read_export(write("t.csv", 'a,b,c\n1,"x\ny"\n2,3,4\n'))
    assert [p.source_row_number for p in raw.problems] == [2]
    assert "spans physical lines 2-3" in raw.problems[0].detail
    assert raw.frame.index.tolist() == [3]  # records, not lines: "2,3,4" is the third record


def test_blank_lines_are_rows_but_not_records(write) -> None:
    raw = read_export(write("t.csv", "a,b\n1,2\n\n3,4\n\n\n"))
    assert_well_formed(raw)
    assert raw.detection.rows == 2
    assert raw.detection.blank_lines == 3
    assert raw.frame.index.tolist() == [2, 4]


def test_whitespace_only_lines_are_records(write) -> None:
    one_column = read_export(write("one.csv", "name\nA\n   \nB\n"))
    assert one_column.frame["name"].tolist() == ["A", "   ", "B"]
    assert one_column.frame.index.tolist() == [2, 3, 4]
    wide = read_export(write("wide.csv", "a,b\n1,2\n  \n3,4\n"))
    assert [p.source_row_number for p in wide.problems] == [3]


def test_header_rows_never_become_responses(fixtures: Path) -> None:
    for name in ("real/sample.csv", "real/sample_legacy.csv", "qualtrics_choice_ids.csv"):
        raw = read_export(fixtures / name)
        values = set(raw.frame.to_numpy().ravel())
        assert not values & set(raw.names) - {"", "cohort"}
        assert not any(v.startswith('{"ImportId"') for v in values)


def test_sep_directive_row_numbers(write) -> None:
    raw = read_export(write("t.csv", "sep=;\nQ1;Q2\n1,5;2\n"))
    assert raw.keys == ["Q1", "Q2"]
    assert raw.frame.loc[2, "Q1"] == "1,5"


# --- Values stay exactly as written ---------------------------------------------------------------


def test_values_are_never_inferred(write) -> None:
    raw = read_export(write("t.csv", "id,a,b,c,d,e\n007,NA,None,nan,1e5, 5 \n008,,N/A,TRUE,-0,\n"))
    assert raw.frame.loc[2].tolist() == ["007", "NA", "None", "nan", "1e5", " 5 "]
    assert raw.frame.loc[3].tolist() == ["008", "", "N/A", "TRUE", "-0", ""]


def test_bom_is_stripped_from_the_first_key(fixtures: Path) -> None:
    raw = read_export(fixtures / "bom_utf8.csv")
    assert raw.keys[0] == "Timestamp"
    assert raw.frame.loc[2, "Workshop"] == "Café Wellbeing"


def test_cp1252_characters(fixtures: Path) -> None:
    raw = read_export(fixtures / "cp1252.csv")
    assert raw.frame.loc[2, "Comment"] == "Très bien – it’s “great”"
    assert raw.frame.loc[3, "Comment"] == "Naïve café"


def test_utf16_tab_cells_with_commas(fixtures: Path) -> None:
    raw = read_export(fixtures / "utf16_tab.tsv")
    assert raw.frame["Comment"].tolist() == ["Schön, danke", "", "OK, fine, good"]
    assert raw.frame.index.tolist() == [2, 3, 4]


def test_semicolon_decimal_commas_stay_text(fixtures: Path) -> None:
    raw = read_export(fixtures / "semicolon.csv")
    assert raw.frame["Score"].tolist() == ["3,5", "4,0", "2,5"]
    assert raw.frame.loc[3, "Comment"] == "très bien; merci"


def test_crlf_does_not_leak_into_values(fixtures: Path) -> None:
    raw = read_export(fixtures / "crlf.csv")
    assert raw.frame["Q2"].tolist() == ["2", "4"]


def test_header_only_gives_an_empty_keyed_frame(fixtures: Path) -> None:
    raw = read_export(fixtures / "header_only.csv")
    assert_well_formed(raw)
    assert raw.frame.shape == (0, 3)
    assert raw.keys == ["Timestamp", "Q1", "Q2"]


# --- Failures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.csv", "empty_file"),
        ("xlsx_renamed.csv", "unexpected_file_type"),
        ("truncated_quote.csv", "truncated_file"),
    ],
)
def test_bad_fixtures_fail_with_a_code(fixtures: Path, name: str, code: str) -> None:
    with pytest.raises(DataError) as caught:
        read_export(fixtures / name)
    assert caught.value.code == code
    assert str(caught.value).startswith(f"{fixtures / name}: {code}: ")


def test_a_repeated_header_keys_each_column_by_occurrence(fixtures: Path) -> None:
    raw = read_export(fixtures / "duplicate_header.csv")
    assert raw.keys == ["Timestamp", "Q5 [1]", "Age", "Q5 [2]"]
    assert raw.frame.loc[2, "Q5 [2]"] == "2"


SECRET = "Jane Doe jane@example.org"


@pytest.mark.parametrize(
    "content",
    [
        f'id,comment\n1,ok\n2,"{SECRET} cut',
        f"id,comment\n1,{SECRET},extra\n2,{SECRET}\n",
        f'id,comment\n1,"{SECRET}' + "x" * 140_000 + '"\n',
        f"a,b\n{SECRET},é\n".encode() + b"\x92\n",
        f"a;b,c\n{SECRET};1,2\n",
    ],
)
def test_messages_never_quote_cell_values(write, content: str | bytes) -> None:
    path = write("t.csv", content)
    try:
        raw = read_export(path)
    except DataError as error:
        text = str(error)
    else:
        text = " ".join([*(p.detail for p in raw.problems), *raw.warnings])
    assert "Jane" not in text
    assert "example.org" not in text


# --- Real exports -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_exports_read_completely(real_data: Path, name: str) -> None:
    raw = read_export(real_data / name)
    assert_well_formed(raw)
    assert raw.problems == []
    assert raw.frame.index[0] == raw.detection.first_data_row


def test_real_google_forms(real_data: Path) -> None:
    raw = read_export(real_data / "google-forms-cs50/favorites.csv")
    assert raw.keys == ["Timestamp", "title", "genres"]
    assert raw.frame.index.tolist() == list(range(2, 492))
    assert raw.frame.loc[2].tolist() == ["10/28/2019 15:03:45", "Caes de Berlim", "Drama, Sports"]
    assert not raw.frame["genres"].str.contains("\r").any()


def test_real_gbk_file_decodes_to_the_right_characters(real_data: Path) -> None:
    folder = real_data / "osmi-mental-health-in-tech"
    gbk = read_export(folder / "osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv").frame
    us = read_export(folder / "osmi_2014_survey__excel_en-US_roundtrip.csv").frame
    assert gbk.loc[2, "no_employees"] == "6月25日"
    assert us.loc[2, "no_employees"] == "25-Jun"
    assert (gbk["no_employees"] == "6月25日").sum() == (us["no_employees"] == "25-Jun").sum() == 290
    non_ascii = {ch for value in gbk.to_numpy().ravel() for ch in value if ord(ch) > 127}
    assert non_ascii == {"月", "日"}
    assert gbk.loc[2, "Timestamp"] == "2014/8/27 11:29"
    assert gbk.index.tolist() == us.index.tolist()


def test_real_multiline_redcap_addresses(real_data: Path) -> None:
    raw = read_export(real_data / "REDCapR/simple__data.csv")
    assert raw.frame.index.tolist() == [2, 3, 4, 5, 6]
    assert raw.frame["address"].str.contains("\n").all()


def test_real_osmi_2016_questions_worded_alike_can_each_be_mapped(real_data: Path) -> None:
    path = real_data / "osmi-mental-health-in-tech/osmi_2016_mental-heath-in-tech-2016_20161114.csv"
    raw = read_export(path)
    assert raw.keys[37] == "Why or why not? [1]" and raw.keys[39] == "Why or why not? [2]"
    assert len(raw.frame) == 1433


def test_real_mangled_first_header_is_keyed_by_position(real_data: Path) -> None:
    path = real_data / "osmi-mental-health-in-tech/osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv"
    raw = read_export(path)
    assert raw.keys[:2] == ["_blank_1", "Age"]
    assert raw.names[0] == " "
    assert raw.frame.loc[2, "_blank_1"] == "27-08-2014 11:29"


# --- The fast and exact paths agree --------------------------------------------------------------


@pytest.mark.parametrize("name", READABLE_FIXTURES)
def test_fast_and_exact_paths_agree_on_fixtures(name: str, fixtures: Path) -> None:
    ins = inspect(fixtures / name)
    good, _ = split_records(ins)
    if not good:
        return
    fast = fast_values(ins, good)
    assert fast is not None
    assert fast.tolist() == exact_values(ins, good).tolist()


def test_fast_and_exact_paths_agree_on_real_files(real_data: Path) -> None:
    for name in REAL_FILES:
        ins = inspect(real_data / name)
        good, _ = split_records(ins)
        fast = fast_values(ins, good)
        assert fast is not None, name
        assert fast.tolist() == exact_values(ins, good).tolist(), name


def test_exact_path_is_used_when_pandas_disagrees(write) -> None:
    # pandas skips the whitespace-only line that the csv module reads as a record
    ins = inspect(write("t.csv", "name\nA\n  \nB\n"))
    good, _ = split_records(ins)
    assert fast_values(ins, good) is None
    assert exact_values(ins, good).ravel().tolist() == ["A", "  ", "B"]


def test_ragged_file_is_read_by_the_fast_path(fixtures: Path) -> None:
    ins = inspect(fixtures / "ragged.csv")
    good, _ = split_records(ins)
    assert fast_values(ins, good).tolist() == exact_values(ins, good).tolist()


# --- Fixtures and speed ---------------------------------------------------------------------------


def test_detect_and_read_agree(fixtures: Path) -> None:
    for name in READABLE_FIXTURES:
        assert read_export(fixtures / name).detection == detect(fixtures / name)


def test_twenty_thousand_rows_read_quickly(tmp_path: Path) -> None:
    header = ",".join(f"Q{i}" for i in range(60))
    row = ",".join(str(i % 5 + 1) for i in range(59)) + ',"free, text"'
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n" + "\n".join([row] * 20_000) + "\n", encoding="utf-8")
    start = time.perf_counter()
    raw = read_export(path)
    elapsed = time.perf_counter() - start
    assert raw.frame.shape == (20_000, 60)
    assert raw.frame.index[-1] == 20_001
    assert elapsed < 5  # about 0.15 s on a laptop; catches accidental quadratic behaviour
