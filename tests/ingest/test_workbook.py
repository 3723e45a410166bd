"""Workbooks (XLSX, ODS, XLS) read through calamine: cells, dates, sheets, layouts, failures."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import DataError
from pipeline.ingest.detect import detect
from pipeline.ingest.readers import ReadOptions, read_export
from pipeline.ingest.workbook import cells_to_text, duration_text, float_text

STATSMODELS_XLS = (
    Path(np.__file__).parents[1]
    / "statsmodels/tsa/statespace/tests/results/frbny_nowcast/Nowcasting/data/US/2016-07-29.xls"
)


def fails(path: Path, code: str, **kwargs) -> DataError:
    with pytest.raises(DataError) as caught:
        read_export(path, **kwargs)
    assert caught.value.code == code
    assert str(caught.value).startswith(f"{path}: {code}: ")
    return caught.value


# --- Cell conversion ----------------------------------------------------------------------------


def test_cells_become_csv_like_text() -> None:
    cells = np.array(
        [
            ["text", 4.0, 4.5, True, False, None],
            [dt.datetime(2025, 1, 14, 10, 32, 5), dt.date(2025, 1, 14), dt.time(10, 30), 7,
             -0.0, 0.1],
            [dt.datetime(2025, 1, 14, 10, 32, 5, 120000), dt.timedelta(hours=26, minutes=5), 1e20,
             float("nan"), 123456789012.0, ""],
        ],
        dtype=object,
    )  # fmt: skip
    assert cells_to_text(cells).tolist() == [
        ["text", "4", "4.5", "TRUE", "FALSE", ""],
        ["2025-01-14T10:32:05", "2025-01-14", "10:30:00", "7", "0", "0.1"],
        ["2025-01-14T10:32:05.120", "26:05:00", "1e+20", "nan", "123456789012", ""],
    ]


def test_all_text_cells_are_returned_as_they_are() -> None:
    cells = np.array([["a", "b"], ["", " 5 "]], dtype=object)
    assert cells_to_text(cells) is cells


def test_durations() -> None:
    assert duration_text(dt.timedelta(0)) == "0:00:00"
    assert duration_text(dt.timedelta(seconds=-90)) == "-0:01:30"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_text_round_trips_and_never_ends_in_point_zero(value: float) -> None:
    text = float_text(np.array([value], dtype=object))[0]
    assert float(text) == value or (value == 0 and float(text) == 0)
    if value.is_integer() and abs(value) < 1e16:
        assert text == str(int(value))
    assert not text.endswith(".0")


# --- Dates: both Excel date systems -------------------------------------------------------------


def test_1900_and_1904_date_systems_read_the_same(fixtures: Path, well_formed) -> None:
    modern = read_export(fixtures / "dates_1900.xlsx")
    mac = read_export(fixtures / "dates_1904.xlsx")
    well_formed(modern)
    pd.testing.assert_frame_equal(modern.frame, mac.frame)
    assert modern.frame.loc[2].tolist() == [
        "2025-01-14T10:32:05", "2025-01-14", "4", "26:05:00", "0.1", "TRUE",
    ]  # fmt: skip
    assert modern.frame.loc[3].tolist() == [
        "1904-01-02T06:00:00", "2000-02-29", "4", "0:00:00", "1e+20", "FALSE",
    ]  # fmt: skip


def test_1904_workbook_written_at_test_time(workbook) -> None:
    rows = [["When", "Day"], [dt.datetime(2024, 2, 29, 23, 59, 59), dt.date(1904, 1, 2)]]
    raw = read_export(workbook("mac.xlsx", rows, mac_1904=True))
    assert raw.frame.loc[2].tolist() == ["2024-02-29T23:59:59", "1904-01-02"]


# --- Layouts are the CSV ones -------------------------------------------------------------------


def test_qualtrics_xlsx_is_keyed_by_import_ids(fixtures: Path, well_formed) -> None:
    xlsx = read_export(fixtures / "qualtrics.xlsx")
    csv = read_export(fixtures / "qualtrics_choice_ids.csv")
    well_formed(xlsx)
    d = xlsx.detection
    assert (d.format, d.file_type, d.header_rows, d.rows, d.columns) == (
        "qualtrics", "xlsx", 3, 2, 11,
    )  # fmt: skip
    assert (d.encoding, d.delimiter, d.encoding_confidence, d.sheet) == (
        "",
        "",
        None,
        "Survey export",
    )
    assert xlsx.keys == csv.keys
    assert xlsx.labels == csv.labels
    assert xlsx.column_meta == csv.column_meta
    assert xlsx.frame.index.tolist() == [4, 5]  # spreadsheet rows: three header rows first
    # numbers are typed in the workbook, text in the CSV: both read as the same codes
    for key in ("status", "finished", "QID5_1", "QID5_2", "QID9_TEXT", "cohort"):
        assert xlsx.frame[key].tolist() == csv.frame[key].tolist(), key
    assert xlsx.frame.loc[4, "startDate"] == "2024-03-01T10:00:00"


def test_surveymonkey_xlsx_reads_like_the_csv(fixtures: Path, well_formed) -> None:
    xlsx = read_export(fixtures / "surveymonkey.xlsx")
    csv = read_export(fixtures / "surveymonkey_expanded.csv")
    well_formed(xlsx)
    assert (xlsx.detection.format, xlsx.detection.header_rows) == ("surveymonkey", 2)
    assert xlsx.keys == csv.keys
    pd.testing.assert_frame_equal(xlsx.frame, csv.frame)  # Respondent ID: 114227445678, no ".0"


def test_kobo_xlsx_reads_like_the_csv_and_warns_about_other_sheets(fixtures: Path) -> None:
    xlsx = read_export(fixtures / "kobo.xlsx")
    csv = read_export(fixtures / "kobo.csv")
    assert xlsx.detection.format == "kobo"
    pd.testing.assert_frame_equal(xlsx.frame, csv.frame)
    assert any(w.startswith("workbook_sheets: the workbook has 2 sheets") for w in xlsx.warnings)


def test_header_below_row_one_and_blank_rows_keep_spreadsheet_row_numbers(workbook) -> None:
    path = workbook(
        "gaps.xlsx",
        cells=[(3, 2, "Timestamp"), (3, 3, "Q1"), (4, 2, "2025-01-14"), (4, 3, 4),
               (7, 2, "2025-01-15"), (7, 3, 5)],
    )  # fmt: skip
    raw = read_export(path)
    d = raw.detection
    assert (d.format, d.header_rows, d.rows, d.first_data_row) == ("csv", 1, 2, 4)
    assert raw.keys == ["_blank_1", "Timestamp", "Q1"]  # column A is empty: position kept
    assert raw.frame.index.tolist() == [4, 7]
    assert raw.frame["Q1"].tolist() == ["4", "5"]
    assert d.blank_lines == 4  # rows 1, 2, 5 and 6


def test_trailing_empty_columns_are_dropped(workbook) -> None:
    path = workbook("wide.xlsx", [["a", "b", None, None], [1, 2, None, None]])
    assert read_export(path).keys == ["a", "b"]


def test_header_only_workbook(workbook, well_formed) -> None:
    raw = read_export(workbook("h.xlsx", [["Timestamp", "Q1"]]))
    well_formed(raw)
    assert (raw.detection.rows, raw.detection.first_data_row) == (0, None)
    assert any(w.startswith("header_only:") for w in raw.warnings)


def test_repeated_headers_are_keyed_as_in_csv(workbook) -> None:
    raw = read_export(workbook("dup.xlsx", [["Q5", "Age", "Q5"], [1, 30, 2]]))
    assert raw.keys == ["Q5 [1]", "Age", "Q5 [2]"]


# --- Sheets -------------------------------------------------------------------------------------


def test_sheet_option_picks_a_sheet(workbook) -> None:
    path = workbook("two.xlsx", sheets={"Notes": [["note"], ["x"]], "Data": [["Q1"], [3]]})
    assert read_export(path).keys == ["note"]
    raw = read_export(path, ReadOptions(sheet="Data"))
    assert (raw.keys, raw.frame["Q1"].tolist()) == (["Q1"], ["3"])
    assert raw.detection.sheet == "Data"
    assert raw.detection.overridden == ("sheet",)
    assert not any(w.startswith("workbook_sheets:") for w in raw.warnings)


def test_unknown_sheet_lists_the_sheets(workbook) -> None:
    path = workbook("two.xlsx", sheets={"Notes": [["a"]], "Data": [["b"]]})
    error = fails(path, "unknown_sheet", sheet="Responses")
    assert "'Notes', 'Data'" in str(error)


def test_hidden_first_sheet_is_skipped(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Lookup"
    book.active.append(["code"])
    book.active.sheet_state = "hidden"
    book.create_sheet("Responses").append(["Q1"])
    book.save(tmp_path / "hidden.xlsx")
    assert detect(tmp_path / "hidden.xlsx").sheet == "Responses"


# --- Other workbook formats ---------------------------------------------------------------------


def test_ods_is_read(fixtures: Path, well_formed) -> None:
    raw = read_export(fixtures / "responses.ods")
    well_formed(raw)
    assert (raw.detection.file_type, raw.detection.format) == ("ods", "google_forms")
    assert raw.frame.loc[2].tolist() == ["2025-01-14", "4", "2.5"]


@pytest.mark.skipif(not STATSMODELS_XLS.is_file(), reason="no .xls file found to read")
def test_xls_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(STATSMODELS_XLS.read_bytes())
    raw = read_export(path)
    assert raw.detection.file_type == "xls"
    assert raw.keys[0] == "Date"
    assert raw.frame.iloc[0, 0] == "1985-01-01"


# --- Failures -----------------------------------------------------------------------------------


def test_workbook_named_csv_is_refused_with_a_rename_hint(fixtures: Path) -> None:
    error = fails(fixtures / "xlsx_renamed.csv", "unexpected_file_type")
    assert "rename it to '.xlsx'" in str(error)


def test_password_protected_workbook(write) -> None:
    # an encrypted OOXML file is an OLE2 container holding an "EncryptedPackage" stream
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    fails(write("locked.xlsx", ole), "password_protected")


@pytest.mark.parametrize("cut", [100, 1000])
def test_truncated_workbook_is_corrupt(fixtures: Path, write, cut: int) -> None:
    data = (fixtures / "qualtrics.xlsx").read_bytes()
    fails(write("cut.xlsx", data[:cut]), "corrupt_file")


def test_workbook_with_a_broken_part_is_corrupt(fixtures: Path, write) -> None:
    source = zipfile.ZipFile(fixtures / "qualtrics.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            archive.writestr(name, b"<worksheet><sheetData><row" if "sheet1" in name else content)
    fails(write("broken.xlsx", buffer.getvalue()), "corrupt_file")


def test_workbook_limits(fixtures: Path) -> None:
    path = fixtures / "surveymonkey.xlsx"
    fails(path, "too_many_columns", max_columns=10)
    fails(path, "too_many_rows", max_rows=1)
    error = fails(path, "file_too_large", max_bytes=1000)  # the file itself is larger
    assert "limit of 1,000" in str(error)


def test_unpacked_size_limit(workbook) -> None:
    # repetitive cells compress far better than answers do: a small file, a large unpacking
    path = workbook(
        "bomb.xlsx", [["Q1", "Q2"]] + [[f"{i}" + "x" * 200, "y" * 200] for i in range(2000)]
    )
    size = path.stat().st_size
    error = fails(path, "file_too_large", max_bytes=size + 10)
    assert "unpacks to" in str(error)
    assert read_export(path, max_bytes=size * 10).detection.rows == 2000


def test_detect_and_read_agree_on_workbooks(fixtures: Path) -> None:
    for name in ("qualtrics.xlsx", "surveymonkey.xlsx", "kobo.xlsx", "dates_1904.xlsx"):
        assert read_export(fixtures / name).detection == detect(fixtures / name)


def test_sha256_is_of_the_file_bytes(fixtures: Path) -> None:
    import hashlib

    path = fixtures / "qualtrics.xlsx"
    assert detect(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_nan_text_is_not_missing(workbook) -> None:
    raw = read_export(workbook("t.xlsx", [["a", "b"], ["NA", "nan"]]))
    assert raw.frame.loc[2].tolist() == ["NA", "nan"]
    assert not math.isnan(len(raw.frame))


# Not text openpyxl stores differently: a leading "=" becomes a formula, and a cell of spaces
# only is written without xml:space="preserve" (Excel writes it), so readers drop the spaces.
CELL_TEXT = st.text(alphabet="abcXYZ019 ,;\"'\n-é", max_size=6).filter(
    lambda t: not t.startswith(("=", "-", "+", "@")) and (t == "" or t.strip() != "")
)
CELL = st.one_of(CELL_TEXT, st.integers(-5, 20000), st.none())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(1, 10**9), CELL, CELL), min_size=1, max_size=8))
def test_a_workbook_reads_like_the_same_table_as_csv(tmp_path_factory, rows) -> None:
    import csv

    folder = tmp_path_factory.mktemp("same")
    header = ["id", "a", "b"]
    book_path = folder / "t.xlsx"
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    book.save(book_path)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(
        [header] + [["" if v is None else str(v) for v in row] for row in rows]
    )
    csv_path = folder / "t.csv"
    csv_path.write_text(text.getvalue(), encoding="utf-8")
    from_book, from_csv = read_export(book_path), read_export(csv_path)
    pd.testing.assert_frame_equal(from_book.frame, from_csv.frame)
    assert from_book.frame.index.tolist() == list(range(2, len(rows) + 2))
