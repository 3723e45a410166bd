"""pipeline.ingest.answers: codes, labels, don't know and missing, per distinct value."""

import pandas as pd
import pytest

from pipeline.ingest.answers import code_item, map_distinct, numeric_text
from pipeline.survey_config import CodeLists


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", "4"),
        ("4.0", "4"),
        ("'4", "4"),
        ("+4", "4"),
        (" 4 ", "4"),
        ("-99", "-99"),
        ("4.5", "4.5"),
        ("four", "four"),
        ("1e3", "1e3"),
    ],
)
def test_numeric_text_normalises_whole_numbers_only(text, expected):
    assert numeric_text(text) == expected


def test_map_distinct_calls_once_per_distinct_value_and_keeps_none():
    calls = []
    values = pd.Series(["a", "b", "a", None, "a"])
    out = map_distinct(values, lambda v: calls.append(v) or v.upper())
    assert out.tolist() == ["A", "B", "A", None, "A"]
    assert sorted(calls) == ["a", "b"]


def test_numeric_dont_know_and_missing_codes_are_kept_apart_from_out_of_range(instruments):
    values = pd.Series(["1", "9", "-99", "99.0", "7", "", "5"])
    codes = CodeLists(dont_know=["9"], missing=["-99", "99"])
    token, dont_know = code_item(values, instruments["ribs"], "codes", codes)
    # RIBS scores don't know as 3; 7 stays out of range so validation quarantines it
    assert token.tolist() == ["1", "3", None, None, "7", None, "5"]
    assert dont_know.tolist() == [False, True, False, False, False, False, False]


def test_dont_know_counts_as_missing_where_the_instrument_says_so(instruments):
    token, dont_know = code_item(
        pd.Series(["9", "2"]), instruments["cami12"], "codes", CodeLists(dont_know=["9"])
    )
    assert token.tolist() == [None, "2"]
    assert dont_know.tolist() == [True, False]


def test_labels_match_ignoring_case_space_and_curly_quotes(instruments):
    values = pd.Series(["  strongly AGREE ", "Don’t know", "Agree"])
    token, dont_know = code_item(values, instruments["ribs"], "labels", CodeLists())
    assert token.tolist() == ["5", "3", "4"]
    assert dont_know.tolist() == [False, True, False]


def test_a_bare_code_in_a_labels_column_is_not_taken_as_a_code(instruments):
    token, _ = code_item(pd.Series(["5", "Agree"]), instruments["ribs"], "labels", CodeLists())
    assert token.tolist() == ["label:5", "4"]


def test_a_surveys_own_labels_win_and_may_say_dont_know_or_missing(instruments):
    own = {
        "Tout à fait d'accord": 5,
        "D'accord": 4,
        "Je ne sais pas": "dont_know",
        "NSP": "missing",
    }
    values = pd.Series(["tout à fait d’accord", "d'accord", "je ne sais pas", "NSP", "Agree"])
    token, dont_know = code_item(values, instruments["ribs"], "labels", CodeLists(), own)
    assert token.tolist() == ["5", "4", "3", None, "4"]
    assert dont_know.tolist() == [False, False, True, False, False]
