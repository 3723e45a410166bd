"""Golden scoring cases: responses in, scale scores out, through the real landing -> staging
-> scored SQL path. Each case folder holds responses.csv (one row per response, one column per
item, blank = unanswered), expected_scores.csv (worked by hand from the published scoring
rule, shown in the case's README.md) and optionally instrument.yml (a definition of its own).
Adding an instrument means adding a case here; no code changes.
"""

from pathlib import Path

import pandas as pd
import pytest

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())


def landed_rows(responses: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    long = responses.melt(id_vars="response", var_name="item_id", value_name="raw_value")
    long["raw_value"] = long["raw_value"].astype("Int16")
    people = [
        {"response_key": r, "participant_key": None, "cohort_id": "c1", "wave_id": "pre"}
        for r in responses["response"]
    ]
    items = long.rename(columns={"response": "response_key"}).to_dict("records")
    return people, items


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scores_match_the_worked_example(case, build_warehouse):
    responses = pd.read_csv(case / "responses.csv", dtype={"response": str})
    expected = pd.read_csv(
        case / "expected_scores.csv", dtype={"response": str, "score": "float64"}
    )
    con = build_warehouse(*landed_rows(responses))
    actual = con.execute(
        "select response_key as response, scale_id, score from scores order by all"
    ).df()
    merged = expected.merge(
        actual,
        on=["response", "scale_id"],
        how="outer",
        suffixes=("_expected", "_actual"),
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    pd.testing.assert_series_equal(
        merged["score_actual"], merged["score_expected"], check_names=False, atol=1e-6
    )
