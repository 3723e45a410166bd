"""pipeline.ingest.assign: cohorts and waves per row."""

import datetime as dt

import pandas as pd

from pipeline.config import Cohort, Programme
from pipeline.ingest.assign import (
    AMBIGUOUS_COHORT,
    NO_SESSION_NEAR,
    assign_waves,
    cohorts_by_date,
    cohorts_from_column,
    fill_by_participant,
)
from pipeline.survey_config import NearestSession, WaveRule

PROGRAMME = Programme(
    id="p",
    name="P",
    approach="a",
    audience="b",
    instruments=["ribs"],
    cohorts=[
        Cohort(id="A", site="Leeds", date=dt.date(2025, 1, 10), labels=["Leeds, 10 Jan"]),
        Cohort(id="B", site="York", date=dt.date(2025, 1, 20)),
        Cohort(id="C", site="Hull", date=dt.date(2025, 1, 20)),
        Cohort(id="D", site="Bath", date=dt.date(2025, 3, 1)),
    ],
)


def test_cohort_answers_match_ids_and_labels():
    out = cohorts_from_column(pd.Series(["A", " leeds,  10 JAN", "Z", ""]), PROGRAMME)
    assert out.tolist() == ["A", "A", "Z", None]


def test_the_nearest_session_within_the_window_with_offsets_and_ties():
    submitted = pd.to_datetime(
        pd.Series(
            ["2025-01-11 09:00", "2025-01-20 00:00", "2025-02-10 00:00", "2025-06-02 00:00", None]
        ),
        format="%Y-%m-%d %H:%M",
    )
    waves = pd.Series(["pre", "pre", "pre", "followup", "pre"])
    rule = NearestSession(window_days=5, offset_days={"followup": 90})
    out = cohorts_by_date(submitted, waves, PROGRAMME, rule)
    # 20 Jan is B's and C's session day: two sessions equally near, so never guessed
    assert out.tolist() == ["A", AMBIGUOUS_COHORT, NO_SESSION_NEAR, "D", None]


def test_blank_cohorts_are_filled_from_the_same_participant_when_unambiguous():
    cohorts = pd.Series(["A", None, None, "B", None, "A"])
    people = pd.Series(["1", "1", "2", "3", "3", None])
    people[5] = None
    assert fill_by_participant(cohorts, people).tolist() == ["A", "A", None, "B", "B", "A"]


def test_wave_values_map_and_unlisted_values_are_flagged_for_exclusion():
    rule = WaveRule(column="w", values={"avant": "pre", "Après": "post"}, other="exclude")
    waves, other = assign_waves(pd.Series(["AVANT", "après", "visit_2", ""]), rule)
    assert waves.tolist() == ["pre", "post", "value:visit_2", None]
    assert other.tolist() == [False, False, True, False]
