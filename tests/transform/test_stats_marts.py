"""The statistics marts, built through the real SQL path from landed rows, against independent
implementations computed here from the same answer codes: scipy (ttest_rel, ttest_ind,
wilcoxon), pingouin (effect sizes, rank-biserial r, Cronbach's alpha) and statsmodels
(DerSimonian-Laird). RIBS (higher = better) and UCLA-3 (higher = lonelier) are both used, so
every effect's sign is checked in both directions."""

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

pg = pytest.importorskip("pingouin", reason="pingouin is the independent effect-size check")

EXACT = 1e-9
COHORTS = {"c1": 25, "c2": 30, "c3": 12}
WAVES = ("pre", "post", "followup")


def simulate(seed: int = 7):
    """Answer codes per person and wave: RIBS items 5-8 (1-5) and UCLA-3 items (1-3).
    Everyone answers pre; about 85% post and 60% follow-up. One in ten RIBS answers at pre
    skips an item (still scored, prorated, but not a complete case). Two responses at post
    have no usable code, so they are scored but never linked."""
    rng = np.random.default_rng(seed)
    people = []
    for cohort, size in COHORTS.items():
        for i in range(size):
            level = rng.normal(0, 0.8)
            person = {"id": f"{cohort}-{i}", "cohort": cohort, "waves": {}}
            for wave, shift in zip(WAVES, (0.0, 0.5, 0.3), strict=True):
                if wave == "post" and rng.random() > 0.85:
                    continue
                if wave == "followup" and rng.random() > 0.6:
                    continue
                ribs = np.clip(np.round(3 + level + shift + rng.normal(0, 0.7, 4)), 1, 5)
                ucla = np.clip(np.round(2 - 0.5 * level - shift + rng.normal(0, 0.5, 3)), 1, 3)
                ribs = [int(v) for v in ribs]
                if wave == "pre" and rng.random() < 0.1:
                    ribs[1] = None
                person["waves"][wave] = {"ribs": ribs, "ucla": [int(v) for v in ucla]}
            people.append(person)
    for n in range(2):
        people.append(
            {
                "id": f"nocode-{n}",
                "cohort": "c1",
                "code": None,
                "waves": {"post": {"ribs": [5, 5, 4, 5], "ucla": [1, 1, 2]}},
            }
        )
    return people


def landed(people):
    responses, items = [], []
    for p in people:
        for wave, answers in p["waves"].items():
            key = f"{p['id']}-{wave}"
            code = p.get("code", p["id"])
            responses.append(
                {
                    "response_key": key,
                    "participant_key": code,
                    "cohort_id": p["cohort"],
                    "wave_id": wave,
                }
            )
            for n, value in enumerate(answers["ribs"]):
                items.append({"response_key": key, "item_id": f"ribs_0{5 + n}", "raw_value": value})
            for n, value in enumerate(answers["ucla"]):
                items.append(
                    {"response_key": key, "item_id": f"ucla3_0{1 + n}", "raw_value": value}
                )
    return responses, items


def score(answers, scale):
    values = [v for v in answers[scale] if v is not None]
    return float(np.mean(values) * len(answers[scale]))


def paired_scores(people, scale, first, second):
    """(first, second) scores of people linked through their baseline response."""
    rows = [
        (score(p["waves"][first], scale), score(p["waves"][second], scale))
        for p in people
        if {"pre", first, second} <= set(p["waves"])
    ]
    return np.array(rows)


@pytest.fixture
def built(build_warehouse):
    people = simulate()
    con = build_warehouse(*landed(people))
    return people, con


def mart_row(con, table, where, params):
    relation = con.execute(f"select * from {table} where {where}", params)
    names = [c[0] for c in relation.description]
    rows = relation.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(names, rows[0], strict=True))


COMPARISONS = [("pre", "post"), ("pre", "followup"), ("post", "followup")]
SCALES = [("intended_behaviour", "ribs", 1), ("loneliness", "ucla", -1)]


def test_paired_stats_match_independent_implementations(built):
    """Every scale (both directions) x comparison, including post -> follow-up."""
    people, con = built
    for scale, key, sign in SCALES:
        for first, second in COMPARISONS:
            check_paired_row(
                con, paired_scores(people, key, first, second), scale, sign, first, second
            )


def check_paired_row(con, x, scale, sign, first, second):
    before, after = x[:, 0], x[:, 1]
    row = mart_row(
        con,
        "mart_paired_stats",
        "level = 'programme' and scale_id = ? and from_wave = ? and to_wave = ?",
        [scale, first, second],
    )
    n = len(x)
    assert row["n_pairs"] == n and row["cohort_id"] is None
    assert row["is_from_baseline"] == (first == "pre")
    assert (row["mean_from"], row["mean_to"]) == pytest.approx((before.mean(), after.mean()))
    ttest = stats.ttest_rel(after, before)
    assert row["t"] == pytest.approx(sign * ttest.statistic, abs=EXACT)
    assert row["p"] == pytest.approx(ttest.pvalue, abs=EXACT)
    interval = ttest.confidence_interval()
    expected = (interval.low, interval.high) if sign > 0 else (-interval.high, -interval.low)
    assert (row["improvement_ci_low"], row["improvement_ci_high"]) == pytest.approx(
        expected, abs=EXACT
    )
    d_z = sign * pg.compute_effsize(after, before, paired=True, eftype="cohen_dz")
    assert row["d_z"] == pytest.approx(d_z, abs=EXACT)
    assert row["d_av"] == pytest.approx(
        sign * pg.compute_effsize(after, before, paired=True, eftype="cohen"), abs=EXACT
    )
    j = special.gamma((n - 1) / 2) / (np.sqrt((n - 1) / 2) * special.gamma((n - 2) / 2))
    assert row["g_z"] == pytest.approx(j * d_z, abs=EXACT)
    t = d_z * np.sqrt(n)
    assert stats.nct.cdf(t, n - 1, row["d_z_ci_low"] * np.sqrt(n)) == pytest.approx(0.975)
    assert stats.nct.cdf(t, n - 1, row["d_z_ci_high"] * np.sqrt(n)) == pytest.approx(0.025)
    change = sign * (after - before)
    nonzero = change[change != 0]
    wilcoxon = stats.wilcoxon(nonzero, zero_method="wilcox", correction=False)
    assert row["wilcoxon_n_nonzero"] == nonzero.size
    assert row["wilcoxon_p"] == pytest.approx(wilcoxon.pvalue, abs=1e-12)
    rbc = pg.wilcoxon(change, np.zeros(n), correction=False)["RBC"].iloc[0]
    assert row["rank_biserial_r"] == pytest.approx(rbc, abs=EXACT)


def test_reliable_change_uses_the_baseline_alpha(built):
    from pipeline.transform.runner import build_models

    people, con = built
    # without a published reliability, reliable change falls back to the baseline alpha
    con.execute(
        "update instrument_scales set published_reliability = null where instrument_id = 'ucla3'"
    )
    build_models(con, 10)
    baseline = [p["waves"]["pre"]["ucla"] for p in people if "pre" in p["waves"]]
    alpha, _ = pg.cronbach_alpha(data=pd.DataFrame(baseline))
    sd = np.std([score(p["waves"]["pre"], "ucla") for p in people if "pre" in p["waves"]], ddof=1)
    se_diff = sd * np.sqrt(2) * np.sqrt(1 - alpha)
    x = paired_scores(people, "ucla", "pre", "post")
    rci = -(x[:, 1] - x[:, 0]) / se_diff  # lower loneliness = improvement
    row = mart_row(
        con,
        "mart_paired_stats",
        "level = 'programme' and scale_id = 'loneliness' and to_wave = 'post'",
        [],
    )
    assert row["reliability_source"] == "sample_alpha_baseline"
    assert row["rci_reliability"] == pytest.approx(alpha, abs=EXACT)
    assert row["rci_se_diff"] == pytest.approx(se_diff, abs=EXACT)
    assert (
        row["n_reliably_improved"],
        row["n_reliably_unchanged"],
        row["n_reliably_deteriorated"],
    ) == (int((rci > 1.96).sum()), int((abs(rci) <= 1.96).sum()), int((rci < -1.96).sum()))
    assert row["share_reliably_improved"] == pytest.approx((rci > 1.96).mean())


def test_a_published_reliability_takes_precedence(built):
    """When the instrument library declares instrument_scales.published_reliability (RIBS: the
    Hungarian 5-month ICC .838; UCLA-3: Hughes et al.'s alpha .72), reliable change uses it
    and says so."""
    _, con = built
    sources = dict(
        con.execute(
            "select distinct scale_id, reliability_source || ' ' || rci_reliability "
            "from mart_paired_stats where level = 'programme'"
        ).fetchall()
    )
    assert sources["intended_behaviour"] == "published 0.838"
    assert sources["loneliness"] == "published 0.72"


def test_reliability_matches_pingouin(built):
    people, con = built
    for wave in WAVES:
        rows = [p["waves"][wave]["ribs"] for p in people if wave in p["waves"]]
        complete = pd.DataFrame([r for r in rows if None not in r], dtype=float)
        alpha, _ = pg.cronbach_alpha(complete)
        row = mart_row(
            con,
            "mart_reliability",
            "level = 'programme' and scale_id = 'intended_behaviour' and wave_id = ?",
            [wave],
        )
        assert (row["n_answering"], row["n_complete"]) == (len(rows), len(complete))
        assert row["alpha"] == pytest.approx(alpha, abs=EXACT)
        assert row["alpha_ci_low"] < row["alpha"] < row["alpha_ci_high"]
        assert row["omega_total"] > 0 and row["is_alpha_below_070"] == (alpha < 0.7)


def test_wave_comparison_matches_welch(built):
    people, con = built
    pre = np.array([score(p["waves"]["pre"], "ucla") for p in people if "pre" in p["waves"]])
    post = np.array([score(p["waves"]["post"], "ucla") for p in people if "post" in p["waves"]])
    row = mart_row(
        con,
        "mart_wave_comparison",
        "level = 'programme' and scale_id = 'loneliness' and to_wave = 'post'",
        [],
    )
    welch = stats.ttest_ind(post, pre, equal_var=False)
    assert (row["n_from"], row["n_to"]) == (len(pre), len(post))  # unlinked responses count
    assert row["mean_improvement"] == pytest.approx(pre.mean() - post.mean(), abs=EXACT)
    assert row["welch_t"] == pytest.approx(-welch.statistic, abs=EXACT)
    assert (row["welch_p"], row["welch_df"]) == pytest.approx((welch.pvalue, welch.df), abs=EXACT)
    d = pg.compute_effsize(pre, post, paired=False, eftype="cohen")
    assert row["d_s"] == pytest.approx(d, abs=EXACT)
    assert row["g_s_ci_low"] < row["g_s"] < row["g_s_ci_high"]


def test_attrition_compares_completers_with_dropouts(built):
    people, con = built
    coded = [p for p in people if "pre" in p["waves"]]
    completers = [score(p["waves"]["pre"], "ribs") for p in coded if "followup" in p["waves"]]
    dropouts = [score(p["waves"]["pre"], "ribs") for p in coded if "followup" not in p["waves"]]
    row = mart_row(
        con,
        "mart_attrition",
        "level = 'programme' and scale_id = 'intended_behaviour' and to_wave = 'followup'",
        [],
    )
    assert row["n_baseline_responses"] == len(coded)
    assert row["n_linked"] == len(completers)
    assert row["retention"] == pytest.approx(len(completers) / len(coded))
    assert (row["n_completers"], row["n_dropouts"]) == (len(completers), len(dropouts))
    welch = stats.ttest_ind(completers, dropouts, equal_var=False)
    assert row["baseline_gap"] == pytest.approx(np.mean(completers) - np.mean(dropouts))
    assert row["welch_p"] == pytest.approx(welch.pvalue, abs=EXACT)
    d = pg.compute_effsize(completers, dropouts, paired=False, eftype="cohen")
    assert row["d_s"] == pytest.approx(d, abs=EXACT)
    by_cohort = con.execute(
        "select sum(n_completers), sum(n_dropouts) from mart_attrition "
        "where level = 'cohort' and scale_id = 'intended_behaviour' and to_wave = 'followup'"
    ).fetchone()
    assert by_cohort == (len(completers), len(dropouts))


def test_cohort_meta_pools_the_cohort_effects(built):
    sm = pytest.importorskip(
        "statsmodels.stats.meta_analysis", reason="statsmodels is the independent check"
    )
    _, con = built
    cohorts = con.execute(
        "select d_z, n_pairs from mart_paired_stats where level = 'cohort' "
        "and scale_id = 'intended_behaviour' and from_wave = 'pre' and to_wave = 'post' "
        "order by cohort_date"
    ).fetchall()
    d = np.array([c[0] for c in cohorts])
    n = np.array([c[1] for c in cohorts])
    v = 1 / n + d**2 / (2 * n)
    ref = sm.combine_effects(d, v, method_re="dl")
    row = mart_row(
        con,
        "mart_cohort_meta",
        "level = 'programme' and scale_id = 'intended_behaviour' and from_wave = 'pre' "
        "and to_wave = 'post'",
        [],
    )
    assert (row["n_cohorts"], row["k_cohorts"], row["n_pairs_total"]) == (3, 3, n.sum())
    if ref.tau2 > 0:
        assert row["pooled_d_z"] == pytest.approx(ref.mean_effect_re, abs=EXACT)
        assert row["tau2"] == pytest.approx(ref.tau2, abs=EXACT)
    else:
        assert row["pooled_d_z"] == pytest.approx(ref.mean_effect_fe, abs=EXACT)
    assert row["q"] == pytest.approx(ref.q, abs=EXACT)
    assert row["trend_k"] == 3 and row["trend_df"] == 1
    assert row["is_trend_significant"] == (row["trend_ci_low"] > 0 or row["trend_ci_high"] < 0)
    assert "cohorts" in row["trend_reading"]


def test_each_level_carries_only_the_ids_that_define_it(built):
    _, con = built
    rows = con.execute(
        "select level, count(*), count(cohort_id), count(site), count(cohort_date), "
        "count(period), count(attribute) from mart_paired_stats group by level order by level"
    ).fetchall()
    found = {level: counts for level, *counts in rows}
    n_cohort, n_site, n_period = found["cohort"][0], found["site"][0], found["period"][0]
    assert found["cohort"] == [n_cohort, n_cohort, n_cohort, n_cohort, n_cohort, 0]
    assert found["site"] == [n_site, 0, n_site, 0, 0, 0]
    assert found["period"] == [n_period, 0, 0, 0, n_period, 0]
    assert found["programme"][1:] == [0, 0, 0, 0, 0]
    statistic = con.execute(
        "select statistic from mart_paired_stats where to_wave = 'post' limit 1"
    ).fetchone()[0]
    assert "positive = improvement" in statistic


def test_attribute_rows_split_the_pairs_by_the_baseline_answer(built):
    """Level attribute: every pair under the value its baseline response gave, '(not
    answered)' for a NULL value and '(not asked)' without a row; checked against pingouin."""
    from pipeline.transform.runner import build_models

    people, con = built
    answers = {}
    for n, person in enumerate(people):
        if "pre" in person["waves"] and n % 7:
            answers[person["id"]] = None if n % 7 == 1 else ("woman", "man")[n % 2]
    con.executemany(
        "insert into landing.respondent_attributes values (?, 'gender', ?, 'r', 'f', 2)",
        [(f"{pid}-pre", value) for pid, value in answers.items()],
    )
    build_models(con, 10)

    def value_of(person):
        if person["id"] not in answers:
            return "(not asked)"
        return answers[person["id"]] or "(not answered)"

    values = ("woman", "man", "(not answered)", "(not asked)")
    for value in values:
        group = [p for p in people if value_of(p) == value]
        x = paired_scores(group, "ribs", "pre", "post")
        row = mart_row(
            con,
            "mart_paired_stats",
            "level = 'attribute' and attribute = 'gender' and attribute_value = ? "
            "and scale_id = 'intended_behaviour' and to_wave = 'post'",
            [value],
        )
        assert row["n_pairs"] == len(x) > 2
        assert (row["cohort_id"], row["site"], row["period"]) == (None, None, None)
        d_z = pg.compute_effsize(x[:, 1], x[:, 0], paired=True, eftype="cohen_dz")
        assert row["d_z"] == pytest.approx(d_z, abs=EXACT)
        assert row["mean_improvement"] == pytest.approx((x[:, 1] - x[:, 0]).mean(), abs=EXACT)
    total = con.execute(
        "select level, sum(n_pairs) from mart_paired_stats where scale_id = 'intended_behaviour' "
        "and to_wave = 'post' group by level"
    ).fetchall()
    assert len({n for _, n in total}) == 1  # every level splits the same pairs


def test_site_and_period_rows_pool_their_cohorts(built):
    """TEST_CONFIG: c1 and c3 ran in Leeds, c2 and c4 in Bristol, all in 2025."""
    people, con = built
    for level, value, cohorts in (("site", "Leeds", {"c1", "c3"}), ("period", "2025", None)):
        group = [p for p in people if cohorts is None or p["cohort"] in cohorts]
        x = paired_scores(group, "ucla", "pre", "followup")
        row = mart_row(
            con,
            "mart_paired_stats",
            f"level = ? and {level} = ? and scale_id = 'loneliness' and from_wave = 'pre' "
            "and to_wave = 'followup'",
            [level, value],
        )
        assert row["n_pairs"] == len(x)
        ttest = stats.ttest_rel(x[:, 1], x[:, 0])
        assert (row["t"], row["p"]) == pytest.approx((-ttest.statistic, ttest.pvalue), abs=EXACT)
