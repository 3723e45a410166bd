"""A quote that never closes must not merge responses; stray NUL bytes are data, not a reason
to refuse a file (issue 6, bad-input catalogue cases 11-13)."""

from __future__ import annotations

import pytest

from pipeline.ingest import IngestError, RowProblem, detect, read_export
from pipeline.ingest.scan import closes_cleanly, open_quote_field, shape

HEADER = "rid,when,q5,q6,comment\n"


def record(n: int, comment: str = "fine") -> str:
    return f"R_{n:03d},2025-01-21 10:{n:02d},{n % 5 + 1},3,{comment}\n"


def records(first: int, last: int) -> str:
    return "".join(record(n) for n in range(first, last + 1))


def test_an_unclosed_quote_does_not_swallow_the_responses_after_it(write, well_formed) -> None:
    text = HEADER + records(1, 2) + record(3, '"I never close this') + records(4, 9)
    raw = read_export(write("t.csv", text))
    well_formed(raw)
    assert raw.detection.rows == 9
    assert raw.frame.index.tolist() == [2, 3, *range(5, 11)]
    assert raw.frame.loc[5, "rid"] == "R_004" and raw.frame.loc[10, "rid"] == "R_009"
    assert raw.problems == [
        RowProblem(
            4,
            "unbalanced_quote",
            "a quote opened in column 5 ('comment') is never closed, so this record ran on "
            "into the lines after it; it is not read, and reading went on from the next line "
            "that starts like a record",
            column=5,
        )
    ]
    assert any(w.startswith("unbalanced_quote: row(s) 4 ") for w in raw.warnings)
    assert raw.detection.problem_rows == 1


def test_a_quote_closed_by_a_later_cell_does_not_merge_silently(write, well_formed) -> None:
    # csv alone reads rows 4-7 as one record of the right width: loaded, three responses lost
    text = HEADER + records(1, 2) + record(3, '"oops') + records(4, 5) + record(6, '"nice"')
    text += records(7, 8)
    raw = read_export(write("t.csv", text))
    well_formed(raw)
    assert raw.detection.rows == 8
    assert [p.source_row_number for p in raw.problems] == [4]
    assert raw.frame["rid"].tolist() == ["R_001", "R_002", "R_004", "R_005", "R_006", "R_007",
                                         "R_008"]  # fmt: skip
    assert raw.frame.loc[7, "comment"] == "nice"


def test_several_unclosed_quotes(write, well_formed) -> None:
    text = HEADER + record(1) + record(2, '"a') + record(3) + record(4, '"b') + records(5, 7)
    raw = read_export(write("t.csv", text))
    well_formed(raw)
    assert [p.source_row_number for p in raw.problems] == [3, 5]
    assert raw.detection.rows == 7


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_recovery_with_other_line_endings(write, well_formed, newline) -> None:
    text = (HEADER + record(1) + record(2, '"open') + records(3, 6)).replace("\n", newline)
    raw = read_export(write("t.csv", text))
    well_formed(raw)
    assert raw.detection.rows == 6 and [p.source_row_number for p in raw.problems] == [3]


def test_a_runaway_longer_than_the_field_limit_is_recovered(write, well_formed) -> None:
    text = HEADER + record(1) + record(2, '"open') + records(3, 3000)
    raw = read_export(write("t.csv", text))
    well_formed(raw)
    assert raw.detection.rows == 3000
    assert [p.reason for p in raw.problems] == ["unbalanced_quote"]


def test_a_huge_field_that_closes_still_fails(write) -> None:
    with pytest.raises(IngestError) as caught:
        read_export(write("t.csv", 'a,b\n1,"' + "x" * 140_000 + '"\n2,3\n3,4\n'))
    assert caught.value.code == "field_too_large"


def test_a_stray_quote_in_the_last_response_is_a_cut_file(write) -> None:
    with pytest.raises(IngestError) as caught:
        read_export(write("t.csv", HEADER + records(1, 4) + record(5, '"cut')))
    assert caught.value.code == "truncated_file"
    assert caught.value.row == 6
    assert "column 5" in str(caught.value)


def test_quoted_cells_with_line_breaks_are_left_alone(write, well_formed) -> None:
    text = HEADER + record(1, '"one\ntwo, three, four, five"') + record(2, '"x\nR_9,y"')
    text += records(3, 5)
    raw = read_export(write("t.csv", text))
    well_formed(raw)
    assert raw.problems == []
    assert raw.frame.loc[2, "comment"] == "one\ntwo, three, four, five"
    assert raw.frame.loc[3, "comment"] == "x\nR_9,y"


def test_a_two_column_file_with_a_comma_in_a_multiline_answer(write) -> None:
    raw = read_export(write("t.csv", 'id,comment\n1,"hello\nI think, yes"\n2,ok\n'))
    assert raw.problems == [] and raw.detection.rows == 2


def test_a_cut_record_keeps_the_values_of_the_others_exact(write) -> None:
    comments = ['"open', "plain", '"quoted, with comma"', '"multi\nline"', "last"]
    text = HEADER + "".join(record(n, c) for n, c in enumerate(comments, start=1))
    raw = read_export(write("t.csv", text))
    assert raw.frame["comment"].tolist() == ["plain", "quoted, with comma", "multi\nline", "last"]


@pytest.mark.parametrize(
    ("raw", "delimiter", "expected"),
    [
        ('a,"b\nc', ",", 1),
        ('a,"b"\n', ",", None),
        ('a;b;"c""d', ";", 2),
        ('a,b"c,"d', ",", 2),
        ('"a', ",", 0),
    ],
)
def test_open_quote_field(raw, delimiter, expected) -> None:
    assert open_quote_field(raw, delimiter) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [('a,"b\nc",d\n', True), ('a,"b\nc"d\n', False), ('a,"b\nc"', False), ('a,"b\nc', False)],
)
def test_closes_cleanly(raw, expected) -> None:
    assert closes_cleanly(raw, ",") is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("R_8KApZm", "w_w"), ("2025-01-14 10:32", "9-9-9 9:9"), (" 42 ", "9"), ("", "")],
)
def test_shape(cell, expected) -> None:
    assert shape(cell) == expected


# --- NUL bytes ---------------------------------------------------------------------------------
def test_a_stray_nul_is_kept_as_data_with_a_warning(write, well_formed) -> None:
    raw = read_export(write("t.csv", HEADER.encode() + b"R_1,2025-01-21 10:00,4\x00,3,ok\n"))
    well_formed(raw)
    assert raw.frame.loc[2, "q5"] == "4\x00"
    assert any(w.startswith("nul_bytes: 1 NUL byte(s), the first on line 2") for w in raw.warnings)


@pytest.mark.parametrize(
    "content",
    [
        b"Timestamp,Q1\n2024-01-01,\x00\x00\x01\x02\n",  # a cell of control bytes
        b"a,b\n" + b"1,2\x00\n" * 40,  # NULs throughout
    ],
)
def test_many_nuls_are_a_binary_file(write, content) -> None:
    with pytest.raises(IngestError) as caught:
        detect(write("t.csv", content))
    assert caught.value.code == "unexpected_file_type"
