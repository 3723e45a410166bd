"""pipeline.quality rules on frames: speeders, straight-lining, repeated response ids (the
latest submission wins), the same person twice per policy, and updates of landed responses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.config import Quality, Speeders
from pipeline.quality import pre_validation_exclusions, resolve_duplicates
from pipeline.quality.flags import flag_lists, straight_lining
from pipeline.quality.speeders import speeder_rules

CAMI = [f"cami12_{n:02d}" for n in range(1, 13)]


def coded(rows: list[dict]) -> pd.DataFrame:
    """A coded export: metadata that excludes nothing, one item column, given fields."""
    base = {
        "response_id": None,
        "submitted_at": None,
        "cohort": "C1",
        "wave": "pre",
        "meta_status": "",
        "meta_finished": "",
        "meta_progress": "",
        "meta_channel": "",
        "cami12_01": "3",
    }
    out = pd.DataFrame([base | r for r in rows]).astype("object")
    out.index = pd.Index(range(2, 2 + len(rows)), name="source_row_number")
    return out


# ---------------------------------------------------------------- speeders


def test_speeders_by_floor_and_by_a_fraction_of_the_median():
    seconds = pd.Series([300.0, 310, 290, 100, 20, np.nan, 305, 5])
    eligible = pd.Series([True] * 7 + [False])
    rules = speeder_rules(seconds, eligible, 28, Speeders())
    # floor 28 s (1 s x 28 items); median of the 6 timed eligible rows is 295
    assert rules.below_floor.tolist() == [False, False, False, False, True, False, False, False]
    assert rules.below_median.tolist() == [False, False, False, True, True, False, False, False]
    absolute = speeder_rules(seconds, eligible, 28, Speeders(min_seconds=150, median_fraction=None))
    assert absolute.speeder.tolist() == [False, False, False, True, True, False, False, False]


def test_the_relative_rule_needs_enough_timed_responses():
    rules = speeder_rules(pd.Series([300.0, 10.0]), pd.Series([True, True]), 0, Speeders())
    assert not rules.below_median.any()


def test_speeders_are_excluded_only_when_the_policy_says_so():
    rows = coded([{"duration_seconds": s} for s in (300, 320, 280, 310, 290, 30)])
    rows.loc[2, "meta_status"] = "1"  # a preview does not count towards the median
    assert pre_validation_exclusions(rows, Quality()).tolist() == ["preview"] + [None] * 5
    policy = Quality(speeders={"action": "exclude"})
    assert pre_validation_exclusions(rows, policy).tolist()[-1] == "speeder"


# ---------------------------------------------------------------- straight-lining


def test_straight_lining_needs_reverse_keyed_and_plain_items(instruments):
    same = dict.fromkeys(CAMI, 4.0)
    codes = pd.DataFrame(
        [
            same,  # flagged
            same | {"cami12_03": 5.0},  # one different answer
            dict.fromkeys(CAMI[:5], 4.0) | dict.fromkeys(CAMI[5:], np.nan),  # 5 answered
            dict.fromkeys(CAMI[:6], 2.0) | dict.fromkeys(CAMI[6:], np.nan),  # 6: flagged
        ]
    )
    assert straight_lining(codes, instruments, 6).tolist() == [True, False, False, True]
    ribs = pd.DataFrame([dict.fromkeys(["ribs_05", "ribs_06", "ribs_07", "ribs_08"], 5.0)])
    assert not straight_lining(ribs, instruments, 2).any()  # no reverse-keyed item


def test_flag_lists():
    index = pd.Index([4, 5, 6])
    lists = flag_lists(
        {
            "speeder": pd.Series([True, False, True], index),
            "straight_lining": pd.Series([False, False, True], index),
        },
        index,
    )
    assert lists.tolist() == [["speeder"], [], ["speeder", "straight_lining"]]


# ---------------------------------------------------------------- repeated response ids


def test_the_latest_submission_of_a_response_id_wins_wherever_it_is_in_the_file():
    rows = coded(
        [
            {"response_id": "R1", "submitted_at": "2025-03-10T10:30:00", "cami12_01": "5"},
            {"response_id": "R1", "submitted_at": "2025-03-10T10:00:00", "cami12_01": "2"},
            {"response_id": "R2", "submitted_at": "2025-03-10T10:00:00"},
            {"response_id": "R2", "submitted_at": "2025-03-10T10:00:00"},
            {"response_id": "R3", "submitted_at": "2025-03-10T10:00:00", "cami12_01": "1"},
            {"response_id": "R3", "submitted_at": "2025-03-10T10:00:00", "cami12_01": "4"},
        ]
    )
    assert pre_validation_exclusions(rows, Quality()).tolist() == [
        None,
        "superseded_response",  # older, different answers
        "duplicate_response",  # same answers
        None,
        "superseded_response",  # same time: the later row in the file wins
        None,
    ]


def test_an_excluded_copy_does_not_displace_the_real_response():
    rows = coded([{"response_id": "R1"}, {"response_id": "R1", "meta_status": "1"}])
    assert pre_validation_exclusions(rows, Quality()).tolist() == [None, "preview"]


# ---------------------------------------------------------------- across files and runs


def candidates(rows: list[dict]) -> pd.DataFrame:
    base = {
        "programme_id": "p",
        "cohort_id": "c",
        "wave_id": "pre",
        "participant_key": None,
        "content": "x",
        "submitted_month": "2025-03-01",
    }
    out = pd.DataFrame([base | r for r in rows])
    out["source_order"] = range(len(out))
    return out


def landed(rows: list[dict]) -> pd.DataFrame:
    base = {"programme_id": "p", "cohort_id": "c", "wave_id": "pre", "participant_key": None}
    return pd.DataFrame([base | {"submitted_month": "2025-03-01"} | r for r in rows])


EMPTY = pd.DataFrame(
    columns=["response_key", "participant_key", "programme_id", "cohort_id", "wave_id"]
)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("latest", ["duplicate_submission", "duplicate_submission", None, None]),
        ("first", [None, "duplicate_submission", "duplicate_submission", None]),
        ("none", ["duplicate_submission"] * 3 + [None]),
    ],
)
def test_the_same_person_twice_in_a_wave_per_policy(policy, expected):
    rows = candidates(
        [
            {"response_key": "a", "participant_key": "P", "submitted_at": "2025-03-10T09:00"},
            {"response_key": "b", "participant_key": "P", "submitted_at": "2025-03-10T10:00"},
            {"response_key": "c", "participant_key": "P", "submitted_at": "2025-03-10T11:00"},
            {"response_key": "d", "participant_key": "Q", "submitted_at": "2025-03-10T11:00"},
        ]
    )
    landed_rows = landed([{"response_key": "z"}]).assign(cohort_id=None, wave_id=None)
    assert resolve_duplicates(rows, landed_rows, policy).reasons.tolist() == expected


def test_one_response_in_two_files_of_a_run_keeps_its_latest_submission():
    rows = candidates(
        [
            {"response_key": "a", "submitted_at": "2025-03-10T11:00", "content": "new"},
            {"response_key": "a", "submitted_at": "2025-03-10T10:00", "content": "old"},
            {"response_key": "b", "submitted_at": "2025-03-10T10:00"},
            {"response_key": "b", "submitted_at": "2025-03-10T10:00"},
        ]
    )
    resolution = resolve_duplicates(rows, EMPTY)
    assert resolution.reasons.tolist() == [None, "superseded_response", "duplicate_response", None]
    assert not resolution.updates.any()


def test_changed_responses_update_the_warehouse_unless_they_are_older():
    before = landed(
        [
            {"response_key": "same", "content": "x"},
            {"response_key": "changed", "content": "x", "participant_key": "P"},
            {"response_key": "older", "content": "x", "submitted_month": "2025-04-01"},
        ]
    )
    rows = candidates(
        [
            {"response_key": "same", "submitted_at": "2025-03-10T10:00"},
            {
                "response_key": "changed",
                "content": "y",
                "submitted_at": "2025-03-10T10:00",
                "participant_key": "P",
            },
            {"response_key": "older", "content": "y", "submitted_at": "2025-03-10T10:00"},
            {"response_key": "new", "submitted_at": "2025-03-10T10:00", "participant_key": "Q"},
        ]
    )
    resolution = resolve_duplicates(rows, before)
    assert resolution.reasons.tolist() == ["already_loaded", None, "superseded_response", None]
    assert resolution.updates.tolist() == [False, True, False, False]


def test_between_equal_or_unknown_times_the_most_complete_submission_wins():
    rows = candidates(
        [
            {"response_key": "a", "participant_key": "P", "submitted_at": None, "n_answered": 4},
            {"response_key": "b", "participant_key": "P", "submitted_at": None, "n_answered": 0},
        ]
    )
    for policy in ("latest", "first"):
        reasons = resolve_duplicates(rows, EMPTY, policy).reasons
        assert reasons.tolist() == [None, "duplicate_submission"], policy


def test_rows_with_no_mapped_answer_are_excluded_as_no_answers():
    import pandas as pd

    from pipeline.config import Quality
    from pipeline.quality.screening import screen_rows

    frame = pd.DataFrame(
        {
            "meta_status": "",
            "meta_finished": "",
            "meta_progress": "",
            "meta_channel": "",
            "response_id": ["a", "b", "c"],
            "wave": "pre",
            "other_wave": False,
            "q1": ["1", None, None],
            "q2": ["2", None, None],
        },
        index=pd.Index([2, 3, 4], name="source_row_number"),
    )
    dont_know = pd.DataFrame({"q1": [False, False, True], "q2": False}, index=frame.index)
    screened = screen_rows(frame, ["q1", "q2"], dont_know, Quality(), {})
    # row 4 answered "don't know": an answer, so it is kept
    assert screened.reasons.tolist() == [None, "no_answers", None]
    off = screen_rows(frame, ["q1", "q2"], dont_know, Quality(exclude_empty=False), {})
    assert off.reasons.isna().all()
