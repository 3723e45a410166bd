"""Reading exports into string tables: row numbers, problem rows, values exactly as written,
and failures that never quote a cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import DataError
from pipeline.ingest import RowProblem, read_export
from tests.ingest.reader_checks import assert_well_formed

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
