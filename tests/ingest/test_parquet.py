"""Parquet exports read through DuckDB: every column as text, NULL as '', row 2 first."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.errors import DataError
from pipeline.ingest.detect import detect
from pipeline.ingest.parquet import quote_identifier, text_expression
from pipeline.ingest.readers import ReadOptions, read_export


def write_parquet(path: Path, select: str) -> Path:
    con = duckdb.connect()
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    con.close()
    return path


def test_parquet_values_as_text(fixtures: Path, well_formed) -> None:
    raw = read_export(fixtures / "responses.parquet")
    well_formed(raw)
    d = raw.detection
    assert (d.file_type, d.format, d.header_rows, d.rows, d.columns) == ("parquet", "csv", 1, 3, 6)
    assert (d.encoding, d.delimiter, d.first_data_row) == ("", "", 2)
    assert raw.keys == ["record", "score", "consent", "submitted at", 'cohort "code"',
                        "Email Address"]  # fmt: skip
    assert raw.frame.index.tolist() == [2, 3, 4]
    assert raw.frame.loc[2].tolist() == ["1", "4", "TRUE", "2025-01-14T10:32:05", "C1",
                                         "a@example.org"]  # fmt: skip
    assert raw.frame.loc[3].tolist() == ["2", "", "FALSE", "2025-01-14T11:00:00", "", ""]
    assert raw.frame.loc[4].tolist() == ["3", "4.5", "", "", "C2", ""]


def test_parquet_layout_from_column_names(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "k.parquet", "SELECT 1 AS _id, 'u' AS _uuid, 4 AS q1")
    assert detect(path).format == "kobo"
    path = write_parquet(tmp_path / "g.parquet", "SELECT '2025' AS \"Timestamp\", 4 AS q1")
    assert detect(path).format == "google_forms"


def test_parquet_format_override_keeps_one_header_row(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "t.parquet", "SELECT range AS q FROM range(3)")
    raw = read_export(path, ReadOptions(format="qualtrics", header_rows=3))
    assert (raw.detection.format, raw.detection.header_rows, raw.detection.rows) == (
        "qualtrics", 1, 3,
    )  # fmt: skip
    assert any(w.startswith("header_rows_ignored:") for w in raw.warnings)


def test_parquet_types(tmp_path: Path) -> None:
    select = (
        "SELECT 1.50::DECIMAL(5,2) AS dec, 3.00::DECIMAL(5,2) AS whole, 'nan'::DOUBLE AS nan, "
        "1e20::DOUBLE AS big, -0.0::DOUBLE AS neg, DATE '2025-01-14' AS day, "
        "TIMESTAMPTZ '2025-01-14 10:32:05+02' AS tz, [1, 2] AS list, 9007199254740993 AS i"
    )
    raw = read_export(write_parquet(tmp_path / "t.parquet", select))
    assert raw.frame.loc[2].tolist() == [
        "1.5", "3", "nan", "1e+20", "0", "2025-01-14", "2025-01-14T08:32:05+00", "[1, 2]",
        "9007199254740993",
    ]  # fmt: skip


def test_empty_parquet(tmp_path: Path, well_formed) -> None:
    raw = read_export(write_parquet(tmp_path / "e.parquet", "SELECT 1 AS a WHERE false"))
    well_formed(raw)
    assert raw.detection.rows == 0
    assert any(w.startswith("header_only:") for w in raw.warnings)


def test_parquet_limits(fixtures: Path) -> None:
    for code, option in (
        ("too_many_rows", {"max_rows": 2}),
        ("too_many_columns", {"max_columns": 5}),
    ):
        with pytest.raises(DataError) as caught:
            read_export(fixtures / "responses.parquet", **option)
        assert caught.value.code == code


def test_corrupt_parquet(fixtures: Path, write) -> None:
    data = (fixtures / "responses.parquet").read_bytes()
    path = write("bad.parquet", data[:4] + b"\x00" * 50 + data[-8:])
    with pytest.raises(DataError) as caught:
        read_export(path)
    assert caught.value.code == "corrupt_file"


def test_truncated_parquet(fixtures: Path, write) -> None:
    path = write("cut.parquet", (fixtures / "responses.parquet").read_bytes()[:300])
    with pytest.raises(DataError) as caught:
        read_export(path)
    assert caught.value.code == "corrupt_file"
    assert "cut short" in str(caught.value)


def test_a_csv_whose_first_header_is_par1_is_a_csv(write) -> None:
    assert read_export(write("t.csv", "PAR1,PAR2\n1,2\n")).keys == ["PAR1", "PAR2"]


def test_parquet_named_csv_is_refused(fixtures: Path, write) -> None:
    path = write("export.csv", (fixtures / "responses.parquet").read_bytes())
    with pytest.raises(DataError) as caught:
        read_export(path)
    assert caught.value.code == "unexpected_file_type"
    assert "rename it to '.parquet'" in str(caught.value)


def test_identifiers_are_quoted_not_interpreted() -> None:
    assert quote_identifier('a"b') == '"a""b"'
    assert text_expression('x"; DROP TABLE t; --', "VARCHAR") == (
        'coalesce(CAST("x""; DROP TABLE t; --" AS VARCHAR), \'\') AS "x""; DROP TABLE t; --"'
    )


def test_odd_column_names_are_read(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "t.parquet", 'SELECT 1 AS "x""; DROP TABLE t; --"')
    assert read_export(path).keys == ['x"; DROP TABLE t; --']
