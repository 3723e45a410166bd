"""Detection of layouts: Google Forms timestamps, Qualtrics header rows and import IDs, header
rows of different widths, runaway quotes."""

from __future__ import annotations

import pytest

from pipeline.ingest import detect
from pipeline.ingest.layout import GOOGLE_FORMS_TIMESTAMP
from pipeline.ingest.qualtrics import import_id_key, parse_import_id
from tests.ingest.detection_checks import fails


@pytest.mark.parametrize(
    "first",
    [
        "Timestamp",
        "Marca temporal",
        "Horodateur",
        "Zeitstempel",
        "Carimbo de data/hora",
        "Informazioni cronologiche",
        "timestamp ",
    ],
)
def test_google_forms_timestamp_headers(write, first: str) -> None:
    assert detect(write("t.csv", f"{first},Q1\n2024-01-01,3\n")).format == "google_forms"


def test_google_forms_names_are_casefolded() -> None:
    assert "marca temporal" in GOOGLE_FORMS_TIMESTAMP


def test_qualtrics_with_label_row_deleted(write) -> None:
    text = 'StartDate,Q1\n"{""ImportId"":""startDate""}","{""ImportId"":""QID1""}"\n2024,3\n'
    d = detect(write("t.csv", text))
    assert (d.format, d.header_rows, d.rows, d.first_data_row) == ("qualtrics", 2, 1, 3)
    assert any(w.startswith("qualtrics_header_rows_changed:") for w in d.warnings)


def test_qualtrics_names_without_import_ids_warn(write) -> None:
    names = "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,Q1"
    d = detect(write("t.csv", f"{names}\n" + ",".join("1" * 8) + "\n"))
    assert d.format == "csv"
    assert any(w.startswith("qualtrics_header_rows_missing:") for w in d.warnings)


def test_header_rows_of_different_width_fail(write) -> None:
    text = 'A,B,C\nLabel A,Label B\n"{""ImportId"":""a""}","{""ImportId"":""b""}",x\n1,2,3\n'
    error = fails(write("t.csv", text), "header_field_count")
    assert error.row == 2


def test_runaway_quote_is_too_large(write) -> None:
    error = fails(write("t.csv", 'a,b\n1,"' + "x" * 140_000 + '"\n2,3\n'), "field_too_large")
    assert error.row == 2


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('{"ImportId":"QID5_1"}', {"ImportId": "QID5_1"}),
        (
            '{"ImportId":"startDate","timeZone":"Pacific/Auckland"}',
            {"ImportId": "startDate", "timeZone": "Pacific/Auckland"},
        ),
        ("{'ImportId': 'QID1'}", {"ImportId": "QID1"}),
        ("QID1", None),
        ("{}", None),
        ('{"ImportId":""}', None),
        ("{not json", None),
    ],
)
def test_parse_import_id(cell: str, expected: dict | None) -> None:
    assert parse_import_id(cell) == expected


def test_choice_id_key() -> None:
    assert import_id_key({"ImportId": "QID4", "choiceId": "2"}) == "QID4_2"
    assert import_id_key({"ImportId": "QID4_TEXT"}) == "QID4_TEXT"
