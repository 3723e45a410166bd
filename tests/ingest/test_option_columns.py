"""SurveyMonkey's expanded layout: a single-choice question with one column per option."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from pydantic import ValidationError

from pipeline.config import Survey
from pipeline.errors import DataError
from pipeline.ingest.columns import column_warnings
from pipeline.ingest.mapping import code_export
from pipeline.ingest.option_columns import MORE_THAN_ONE, fold, option_columns
from pipeline.ingest.readers import read_export
from tests.ingest.community import community_programme, community_source

LIVE = "I would be willing to live with someone with a mental health problem"
WORK = "I would be willing to work with someone with a mental health problem"
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
         "Strongly agree", "Don't know"]  # fmt: skip
OWN = ["Definitely not", "Probably not", "Not sure", "Probably", "Definitely"]
META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]

PROGRAMME = community_programme("ribs")
SOURCE = community_source("sm.csv", survey="sm", wave="post")


def survey(**changes) -> Survey:
    base = {
        "format": "surveymonkey",
        "values": "labels",
        "response_id": "Respondent ID",
        "participant_id": "Respondent ID",
        "items": {LIVE: "ribs_05"},
    }
    return Survey.model_validate(base | changes)


def expanded(rows: list[dict[int, str]], options=AGREE, extra: dict[str, str] | None = None):
    """An expanded export: LIVE over one column per option; each row names its filled
    option positions and their cell text; `extra`: more single-answer questions and the
    answer every row gives them."""
    extra = extra or {}
    row1 = [*META, LIVE, *[""] * (len(options) - 1), *extra]
    row2 = [""] * len(META) + list(options) + ["Response"] * len(extra)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([row1, row2])
    for n, filled in enumerate(rows):
        cells = [filled.get(i, "") for i in range(len(options))]
        writer.writerow([f"10{n}", "4058", "03/21/2025", "03/21/2025", "", *cells, *extra.values()])
    return out.getvalue()


def coded_from(write, text: str, mapped: Survey, instruments):
    raw = read_export(write("sm.csv", text))
    assert (raw.detection.format, raw.detection.header_rows) == ("surveymonkey", 2)
    return raw, code_export(raw, mapped, SOURCE, PROGRAMME, instruments, "sm.csv")


def test_the_chosen_option_becomes_one_answer_detected_from_its_labels(write, instruments):
    rows = [{4: "Strongly agree"}, {1: "Disagree"}, {}, {5: "Don't know"}]
    raw, coded = coded_from(write, expanded(rows), survey(), instruments)
    assert coded.frame["ribs_05"].tolist() == ["5", "2", None, "3"]
    assert coded.dont_know["ribs_05"].tolist() == [False, False, False, True]
    assert coded.source_columns["ribs_05"] == LIVE
    assert any(n.startswith("option_columns: 1 item(s) read from one column") for n in coded.notes)
    # the option columns are read, so none is reported as a new column
    assert not [w for w in column_warnings(raw, coded) if w.startswith("columns_not_read")]


def test_two_ticks_are_quarantined_naming_row_and_item(write, instruments):
    rows = [{3: "Agree"}, {3: "Agree", 4: "Strongly agree"}]
    _, coded = coded_from(write, expanded(rows), survey(), instruments)
    assert coded.frame["ribs_05"].tolist() == ["4", f"label:{MORE_THAN_ONE}"]
    note = next(n for n in coded.notes if n.startswith("more_than_one_option"))
    assert "1 row (row 4)" in note and "(ribs_05)" in note and "I would be willing to live" in note


def test_a_numerical_value_export_reads_the_option_label_not_the_cell(write, instruments):
    rows = [{4: "5"}, {0: "1"}, {2: "x"}]
    _, coded = coded_from(write, expanded(rows), survey(), instruments)
    assert coded.frame["ribs_05"].tolist() == ["5", "1", "3"]


def test_the_surveys_own_wording_must_be_declared(write, instruments):
    text = expanded([{3: "Probably"}, {0: "Definitely not"}], options=OWN)
    with pytest.raises(DataError, match=r"missing_column: .* 5 column\(s\) .*`option_columns`"):
        coded_from(write, text, survey(), instruments)
    declared = survey(
        option_columns=[LIVE], labels={"ribs_05": {w: n for n, w in enumerate(OWN, start=1)}}
    )
    _, coded = coded_from(write, text, declared, instruments)
    assert coded.frame["ribs_05"].tolist() == ["4", "1"]


def test_declared_without_labels_unknown_options_are_unknown_labels(write, instruments):
    text = expanded([{3: "Probably"}, {}], options=OWN)
    _, coded = coded_from(write, text, survey(option_columns=[LIVE]), instruments)
    assert coded.frame["ribs_05"].tolist() == ["label:probably", None]


def test_single_answer_questions_beside_it_read_as_before(write, instruments):
    text = expanded([{3: "Agree"}], extra={WORK: "Disagree"})
    mapped = survey(items={LIVE: "ribs_05", WORK: "ribs_06"})
    raw, coded = coded_from(write, text, mapped, instruments)
    assert raw.keys[-1] == WORK
    assert coded.frame[["ribs_05", "ribs_06"]].to_numpy().tolist() == [["4", "2"]]


def test_option_columns_lists_only_items():
    with pytest.raises(ValidationError, match="option_columns lists only keys of 'items'"):
        survey(option_columns=[WORK])


def test_matrix_rows_in_the_expanded_layout() -> None:
    keys = ["Rate: | Speed - Good", "Rate: | Speed \u2013 Bad", "Rate: | Quality - Good"]
    assert option_columns(keys, "Rate: | Speed") == {keys[0]: "Good", keys[1]: "Bad"}
    # a question's own options keep a " - " in their label ("1 - Strongly disagree")
    assert option_columns(["Q | 1 - Low", "Q | 2 - High"], "Q") == {
        "Q | 1 - Low": "1 - Low",
        "Q | 2 - High": "2 - High",
    }
    assert option_columns(["Q | A", "Q | B", "Qx | C", "Q |  "], "Q") == {
        "Q | A": "A",
        "Q | B": "B",
    }


def test_fold_counts_ticks_per_row() -> None:
    frame = pd.DataFrame({"Q | A": ["A", "", " ", "A"], "Q | B": ["", "B", "", "B"]})
    answer, several = fold(frame, {"Q | A": "A", "Q | B": "B"})
    assert answer.tolist() == ["A", "B", None, MORE_THAN_ONE]
    assert several.tolist() == [False, False, False, True]
