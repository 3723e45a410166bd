"""The SQL models, given landed rows: linkage, change scores, the paired-change statistics
(checked against scipy, an implementation outside Ripple), and suppression."""

import numpy as np
import pytest
from scipy import stats


def ribs_items(key: str, codes: list[int | None]) -> list[dict]:
    return [
        {"response_key": key, "item_id": f"ribs_0{5 + n}", "raw_value": code}
        for n, code in enumerate(codes)
    ]


def person(key, participant, cohort="c1", wave="pre"):
    return {
        "response_key": key,
        "participant_key": participant,
        "cohort_id": cohort,
        "wave_id": wave,
    }


def paired_sample(n: int, cohort: str = "c1", seed: int = 1, shift: int = 1):
    """n people answering RIBS at pre and post; returns responses, items and the deltas."""
    rng = np.random.default_rng(seed)
    responses, items, deltas = [], [], []
    for i in range(n):
        pre = rng.integers(1, 5, size=4)
        post = np.minimum(pre + rng.integers(0, shift + 1, size=4), 5)
        pid = f"{cohort}-person{i}"
        responses += [person(f"{pid}-pre", pid, cohort), person(f"{pid}-post", pid, cohort, "post")]
        items += ribs_items(f"{pid}-pre", pre.tolist()) + ribs_items(f"{pid}-post", post.tolist())
        deltas.append(int(post.sum() - pre.sum()))
    return responses, items, np.array(deltas, dtype=float)


def test_pairs_link_by_code_within_cohort_only(build_warehouse):
    responses = [
        person("a-pre", "A"),
        person("a-post", "A", wave="post"),
        person("b-pre", "B"),
        person("b-post", "B", cohort="c2", wave="post"),
        person("c-pre", None),
        person("c-post", None, wave="post"),
        person("d-pre", "D"),
        person("d-fu", "D", wave="followup"),
    ]
    items = [row for r in responses for row in ribs_items(r["response_key"], [3, 3, 3, 3])]
    con = build_warehouse(responses, items)
    pairs = con.execute(
        "select from_response_key, to_response_key, to_wave from linked_pairs order by all"
    ).fetchall()
    assert pairs == [("a-pre", "a-post", "post"), ("d-pre", "d-fu", "followup")]


def test_an_ambiguous_code_links_nothing(build_warehouse):
    """Two baseline responses with one code in one cohort: never guess which is the person."""
    responses = [person("x1", "X"), person("x2", "X"), person("x-post", "X", wave="post")]
    items = [row for r in responses for row in ribs_items(r["response_key"], [3, 3, 3, 3])]
    con = build_warehouse(responses, items)
    assert con.execute("select count(*) from linked_pairs").fetchone() == (0,)


def test_paired_change_matches_scipy(build_warehouse):
    responses, items, deltas = paired_sample(40)
    con = build_warehouse(responses, items)
    row = con.execute(
        "select n_pairs, mean_change, sd_change, ci_low, ci_high, d_z, is_suppressed "
        "from mart_paired_change"
    ).fetchone()
    n, mean, sd, low, high, d_z, suppressed = row
    pre_minus = stats.ttest_1samp(deltas, 0.0)
    interval = pre_minus.confidence_interval(0.95)
    assert n == 40 and not suppressed
    assert mean == pytest.approx(deltas.mean())
    assert sd == pytest.approx(deltas.std(ddof=1))
    assert (low, high) == pytest.approx((interval.low, interval.high))
    assert d_z == pytest.approx(deltas.mean() / deltas.std(ddof=1))
    assert d_z * np.sqrt(n) == pytest.approx(pre_minus.statistic)


def test_small_groups_are_flagged_for_suppression(build_warehouse):
    responses, items, _ = paired_sample(9)
    con = build_warehouse(responses, items, min_cell_size=10)
    assert con.execute("select n_pairs, is_suppressed from mart_paired_change").fetchone() == (
        9,
        True,
    )
    assert con.execute("select bool_and(is_suppressed) from mart_wave_scores").fetchone() == (True,)


def test_a_lone_small_cohort_takes_the_next_smallest_with_it(build_warehouse):
    """Complementary suppression: with c1 (n=5) hidden, the programme total minus c2 and c3
    would reveal c1, so the smallest other cohort (c3, n=12) is hidden too; c2 stays."""
    parts = [paired_sample(5, "c1", 1), paired_sample(30, "c2", 2), paired_sample(12, "c3", 3)]
    con = build_warehouse(
        [r for p in parts for r in p[0]], [i for p in parts for i in p[1]], min_cell_size=10
    )
    rows = con.execute(
        "select cohort_id, n_pairs, is_primary_suppressed, is_suppressed "
        "from mart_cohort_change where to_wave = 'post' order by cohort_id"
    ).fetchall()
    assert rows == [("c1", 5, True, True), ("c2", 30, False, False), ("c3", 12, False, True)]


def test_no_complementary_suppression_without_a_primary_one(build_warehouse):
    parts = [paired_sample(15, "c1", 1), paired_sample(30, "c2", 2)]
    con = build_warehouse([r for p in parts for r in p[0]], [i for p in parts for i in p[1]])
    assert con.execute(
        "select count(*) from mart_cohort_change where is_suppressed"
    ).fetchone() == (0,)


def test_wave_scores_use_every_scored_response(build_warehouse):
    responses, items, _ = paired_sample(12)
    responses.append(person("unlinked-post", None, wave="post"))
    items += ribs_items("unlinked-post", [5, 5, 5, 5])
    con = build_warehouse(responses, items)
    rows = dict(con.execute("select wave_id, n from mart_wave_scores").fetchall())
    assert rows == {"pre": 12, "post": 13}
    scores = (
        con.execute("select score from scores where wave_id = 'post' order by response_key")
        .df()["score"]
        .to_numpy()
    )
    mean, low = con.execute(
        "select mean, ci_low from mart_wave_scores where wave_id = 'post'"
    ).fetchone()
    interval = stats.ttest_1samp(scores, 0.0).confidence_interval(0.95)
    assert (mean, low) == pytest.approx((scores.mean(), interval.low))


def test_linkage_counts_and_rate(build_warehouse):
    responses, items, _ = paired_sample(12)
    responses.append(person("new-post", "NEW", wave="post"))
    items += ribs_items("new-post", [4, 4, 4, 4])
    con = build_warehouse(responses, items)
    row = con.execute(
        "select wave_id, n_responses, n_linked, link_rate, is_suppressed from mart_linkage"
    ).fetchone()
    assert row == ("post", 13, 12, pytest.approx(12 / 13), False)


def test_unscored_responses_make_no_change_score(build_warehouse):
    responses = [person("a-pre", "A"), person("a-post", "A", wave="post")]
    items = ribs_items("a-pre", [3, 3, 3, 3]) + ribs_items("a-post", [4, None, None, 4])
    con = build_warehouse(responses, items)
    assert con.execute("select count(*) from linked_pairs").fetchone() == (1,)
    assert con.execute("select count(*) from change_scores").fetchone() == (0,)
