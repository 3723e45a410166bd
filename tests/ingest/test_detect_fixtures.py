"""Detection on the synthetic fixtures: encodings, delimiters, ragged, empty, header-only,
renamed, multi-line and truncated files."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest import detect
from tests.ingest.detection_checks import fails, shape


def test_utf8_bom(fixtures: Path) -> None:
    d = detect(fixtures / "bom_utf8.csv")
    assert shape(d) == ("google_forms", "utf-8-sig", ",", 1, 2, 3)
    assert d.encoding_source == "bom"


def test_cp1252(fixtures: Path) -> None:
    d = detect(fixtures / "cp1252.csv")
    assert shape(d) == ("google_forms", "cp1252", ",", 1, 2, 3)
    assert d.encoding_source == "detected"


def test_utf16_tab_separated(fixtures: Path) -> None:
    d = detect(fixtures / "utf16_tab.tsv")
    assert shape(d) == ("csv", "utf-16", "\t", 1, 3, 3)
    assert d.line_endings == "crlf"


def test_qualtrics_tsv_in_utf16(fixtures: Path) -> None:
    d = detect(fixtures / "qualtrics_utf16.tsv")
    assert shape(d) == ("qualtrics", "utf-16", "\t", 3, 2, 11)
    assert d.multiline_records == 1


def test_semicolon(fixtures: Path) -> None:
    assert shape(detect(fixtures / "semicolon.csv")) == ("csv", "utf-8", ";", 1, 3, 3)


def test_ragged_rows_are_counted_not_fatal(fixtures: Path) -> None:
    d = detect(fixtures / "ragged.csv")
    assert shape(d) == ("csv", "utf-8", ",", 1, 5, 4)
    assert d.problem_rows == 2


def test_empty_file(fixtures: Path) -> None:
    error = fails(fixtures / "empty.csv", "empty_file")
    assert str(error) == f"{fixtures / 'empty.csv'}: empty_file: the file is empty (0 bytes)"


def test_header_only(fixtures: Path) -> None:
    d = detect(fixtures / "header_only.csv")
    assert shape(d) == ("google_forms", "utf-8", ",", 1, 0, 3)
    assert d.first_data_row is None
    assert any(w.startswith("header_only:") for w in d.warnings)


def test_xlsx_renamed_to_csv(fixtures: Path) -> None:
    error = fails(fixtures / "xlsx_renamed.csv", "unexpected_file_type")
    assert "Excel workbook" in str(error)
    assert "CSV" in str(error)


def test_duplicate_header_is_a_warning_for_detect(fixtures: Path) -> None:
    d = detect(fixtures / "duplicate_header.csv")
    assert any(w.startswith("repeated_header: column(s) 2, 4 ") for w in d.warnings)


def test_multiline_cells_are_one_record(fixtures: Path) -> None:
    d = detect(fixtures / "multiline.csv")
    assert shape(d) == ("csv", "utf-8", ",", 1, 4, 3)
    assert d.multiline_records == 2
    assert d.line_endings == "lf"  # the CRLF inside a quoted cell is data, not a row break


def test_crlf(fixtures: Path) -> None:
    d = detect(fixtures / "crlf.csv")
    assert shape(d) == ("google_forms", "utf-8", ",", 1, 2, 3)
    assert d.line_endings == "crlf"


def test_truncated_quote(fixtures: Path) -> None:
    error = fails(fixtures / "truncated_quote.csv", "truncated_file")
    assert error.row == 3
    assert ": row 3: " in str(error)
