"""Reading Qualtrics exports: import-ID keys, header rows, choice IDs and time zones."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.ingest import IngestError, read_export
from tests.ingest.reader_checks import assert_well_formed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
QUALTRICS_SAMPLE = FIXTURES / "real" / "sample.csv"
QUALTRICS_LEGACY = FIXTURES / "real" / "sample_legacy.csv"


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
