"""Detection of delimiters (sniffed, declared, by name, Excel's sep= line) and line endings."""

from __future__ import annotations

import pytest

from pipeline.ingest import detect
from tests.ingest.detection_checks import fails


@pytest.mark.parametrize(
    ("text", "delimiter", "columns"),
    [
        ("a|b|c\n1|x, y|3\n", "|", 3),
        ("Name;Age, in years;Score\nA;30;3,5\nB;40;4,5\n", ";", 3),
        ("Timestamp,Pick one | or more,Age\n1,a|b,3\n2,c,4\n", ",", 3),
        ("only\n1\n2\n", ",", 1),
        ('id,comment\n1,"semi; colon; here"\n2,"x;y"\n', ",", 2),
    ],
)
def test_delimiter_sniffing(write, text: str, delimiter: str, columns: int) -> None:
    d = detect(write("t.csv", text))
    assert (d.delimiter, d.columns) == (delimiter, columns)


def test_ambiguous_delimiter_fails(write) -> None:
    error = fails(write("t.csv", "Q1,Q2;Q3\n1,2;3\n4,5;6\n"), "ambiguous_delimiter")
    assert "comma" in str(error)
    assert "semicolon" in str(error)


def test_delimiter_override(write) -> None:
    path = write("t.csv", "Q1,Q2;Q3\n1,2;3\n")
    assert detect(path, delimiter=";").columns == 2
    fails(path, "unsupported_delimiter", delimiter=":")


def test_delimiter_by_name(write) -> None:
    path = write("t.csv", "Q1,Q2;Q3\n1,2;3\n")
    assert detect(path, delimiter="semicolon").delimiter == ";"
    assert detect(path, delimiter="tab").columns == 1


def test_excel_sep_directive(write) -> None:
    d = detect(write("t.csv", "sep=;\r\nQ1;Q2\r\n1,5;2\r\n"))
    assert (d.delimiter, d.columns, d.rows, d.first_data_row) == (";", 2, 1, 2)
    assert any(w.startswith("sep_directive:") for w in d.warnings)


@pytest.mark.parametrize(
    ("text", "endings"),
    [("a,b\r1,2\r3,4\r", "cr"), ("a,b\r\n1,2\n3,4\r\n", "mixed"), ("a,b", "none")],
)
def test_line_endings(write, text: str, endings: str) -> None:
    d = detect(write("t.csv", text))
    assert d.line_endings == endings
    assert d.rows == text.count("\n") + text.count("\r") - text.count("\r\n") - 1 or d.rows == 0
