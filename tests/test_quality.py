"""pipeline.quality: one exclusion reason per row, first matching rule wins."""

import pandas as pd

from pipeline.config import Quality
from pipeline.quality import duplicate_reasons, pre_validation_exclusions


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "response_id": None,
        "meta_status": "0",
        "meta_finished": "1",
        "meta_progress": "100",
        "meta_channel": "anonymous",
    }
    out = pd.DataFrame([base | r for r in rows]).astype("object")
    out.index = pd.Index(range(4, 4 + len(rows)), name="source_row_number")
    return out


def test_platform_status_channel_and_progress():
    rows = frame(
        [
            {"response_id": "R1"},
            {"response_id": "R2", "meta_status": "1"},
            {"response_id": "R3", "meta_status": "Survey Preview"},
            {"response_id": "R4", "meta_channel": "preview"},
            {"response_id": "R5", "meta_status": "2"},
            {"response_id": "R6", "meta_status": "8"},
            {"response_id": "R7", "meta_finished": "0", "meta_progress": "40"},
            {"response_id": "R8", "meta_progress": "90"},
            {"response_id": "R9", "meta_status": "1", "meta_finished": "0"},
        ]
    )
    reasons = pre_validation_exclusions(rows, Quality())
    assert reasons.tolist() == [
        None,
        "preview",
        "preview",
        "preview",
        "test",
        "spam",
        "incomplete",
        "incomplete",
        "preview",
    ]


def test_unfinished_can_be_kept_by_policy_but_progress_still_counts():
    rows = frame(
        [
            {"meta_finished": "0", "meta_progress": "100"},
            {"meta_finished": "0", "meta_progress": "50"},
        ]
    )
    reasons = pre_validation_exclusions(rows, Quality(exclude_unfinished=False, min_progress=60))
    assert reasons.tolist() == [None, "incomplete"]


def test_a_repeated_response_id_keeps_its_last_row():
    rows = frame([{"response_id": "R1"}, {"response_id": "R2"}, {"response_id": "R1"}])
    assert pre_validation_exclusions(rows, Quality()).tolist() == ["duplicate_response", None, None]


def test_formats_without_metadata_exclude_nothing():
    rows = frame(
        [{"meta_status": "", "meta_finished": "", "meta_progress": "", "meta_channel": ""}]
    )
    assert pre_validation_exclusions(rows, Quality()).tolist() == [None]


def candidates(rows: list[dict]) -> pd.DataFrame:
    base = {"programme_id": "p", "cohort_id": "c", "wave_id": "pre"}
    out = pd.DataFrame([base | r for r in rows])
    out["source_order"] = range(len(out))
    return out


def test_the_latest_submission_of_a_person_is_kept():
    rows = candidates(
        [
            {"response_key": "a", "participant_key": "P", "submitted_at": "2025-01-14T10:05:00"},
            {"response_key": "b", "participant_key": "P", "submitted_at": "2025-01-14T10:01:00"},
            {"response_key": "c", "participant_key": "Q", "submitted_at": "2025-01-14T10:02:00"},
            {"response_key": "d", "participant_key": None, "submitted_at": "2025-01-14T10:03:00"},
            {"response_key": "e", "participant_key": None, "submitted_at": "2025-01-14T10:04:00"},
            {
                "response_key": "f",
                "participant_key": "P",
                "submitted_at": "2025-01-14T10:05:00",
                "wave_id": "post",
            },
        ]
    )
    reasons = duplicate_reasons(
        rows,
        pd.DataFrame(
            columns=["response_key", "participant_key", "programme_id", "cohort_id", "wave_id"]
        ),
    )
    assert reasons.tolist() == [None, "duplicate_submission", None, None, None, None]


def test_rows_already_in_the_warehouse_are_not_loaded_again():
    landed = pd.DataFrame(
        [
            {
                "response_key": "a",
                "participant_key": "P",
                "programme_id": "p",
                "cohort_id": "c",
                "wave_id": "pre",
            },
        ]
    )
    rows = candidates(
        [
            {"response_key": "a", "participant_key": "P", "submitted_at": "2025-01-14T10:00:00"},
            {"response_key": "z", "participant_key": "P", "submitted_at": "2025-01-15T10:00:00"},
            {"response_key": "y", "participant_key": "Q", "submitted_at": "2025-01-15T10:00:00"},
        ]
    )
    assert duplicate_reasons(rows, landed).tolist() == [
        "already_loaded",
        "duplicate_submission",
        None,
    ]


def test_a_response_in_two_overlapping_exports_of_one_run_is_loaded_once():
    rows = candidates(
        [
            {"response_key": "a", "participant_key": "P", "submitted_at": "2025-01-14T10:00:00"},
            {"response_key": "a", "participant_key": "P", "submitted_at": "2025-01-14T10:00:00"},
        ]
    )
    empty = pd.DataFrame(
        columns=["response_key", "participant_key", "programme_id", "cohort_id", "wave_id"]
    )
    assert duplicate_reasons(rows, empty).tolist() == ["duplicate_response", None]
