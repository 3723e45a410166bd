"""The statistics marts of the sample warehouse (`ripple run` on data/sample), every row
recomputed outside Ripple from the warehouse's own change_scores, scores and item_responses:
scipy (paired t, Welch, Wilcoxon, noncentral t), pingouin (d_z, d_av, d_s, rank-biserial r,
Cronbach's alpha) and statsmodels (DerSimonian-Laird)."""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats

pg = pytest.importorskip("pingouin", reason="pingouin is the independent effect-size check")
meta_analysis = pytest.importorskip(
    "statsmodels.stats.meta_analysis", reason="statsmodels is the independent meta-analysis check"
)

EXACT = 1e-9
TEST_KEY = "5a" * 32


@pytest.fixture(scope="module")
def sample(sample_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("stats-sample") / "out"
    script = Path(sys.executable).with_name("ripple")
    result = subprocess.run(
        [str(script), "run", "-c", str(sample_dir / "ripple.yml"), "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RIPPLE_KEY": TEST_KEY},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(out / "ripple.duckdb"), read_only=True) as con:
        tables = {
            name: con.execute(f"select * from {name}").df()
            for name in (
                "change_scores",
                "scores",
                "waves",
                "instrument_scales",
                "mart_paired_stats",
                "mart_reliability",
                "mart_wave_comparison",
                "mart_cohort_meta",
            )
        }
        tables["items"] = con.execute(
            "select r.programme_id, r.wave_id, si.instrument_id, si.scale_id, i.response_key, "
            "ii.position, i.scored_value from item_responses i "
            "join instrument_scale_items si using (instrument_id, item_id) "
            "join instrument_items ii using (item_id) join responses r using (response_key)"
        ).df()
    return tables


def signs(sample) -> dict:
    scales = sample["instrument_scales"]
    return {
        (i, s): 1 if h else -1
        for i, s, h in zip(
            scales.instrument_id, scales.scale_id, scales.higher_is_better, strict=True
        )
    }


def all_pairs(sample) -> pd.DataFrame:
    """Baseline -> later pairs, plus later -> later pairs through the same baseline response."""
    cs = sample["change_scores"]
    order = dict(zip(sample["waves"].wave_id, sample["waves"].wave_order, strict=True))
    both = cs.merge(cs, on=["from_response_key", "instrument_id", "scale_id"], suffixes=("", "_b"))
    both = both[both.to_wave.map(order) < both.to_wave_b.map(order)]
    later = pd.DataFrame(
        {
            "programme_id": both.programme_id,
            "cohort_id": both.cohort_id,
            "instrument_id": both.instrument_id,
            "scale_id": both.scale_id,
            "from_wave": both.to_wave,
            "to_wave": both.to_wave_b,
            "score_from": both.score_to,
            "score_to": both.score_to_b,
        }
    )
    return pd.concat([cs[later.columns], later])


def test_every_paired_row_matches_scipy_and_pingouin(sample):
    pairs, sign_of = all_pairs(sample), signs(sample)
    keys = ["programme_id", "instrument_id", "scale_id", "from_wave", "to_wave"]
    groups = {
        "programme": dict(list(pairs.groupby(keys))),
        "cohort": dict(list(pairs.groupby([*keys, "cohort_id"]))),
    }
    checked = 0
    for r in sample["mart_paired_stats"].itertuples():
        key = tuple(getattr(r, k) for k in keys) + ((r.cohort_id,) if r.level == "cohort" else ())
        x = groups[r.level][key]
        assert len(x) == r.n_pairs
        if r.n_pairs < 3:
            continue
        sign = sign_of[(r.instrument_id, r.scale_id)]
        before, after = x.score_from.to_numpy(), x.score_to.to_numpy()
        t = stats.ttest_rel(after, before)
        assert (r.t, r.p) == pytest.approx((sign * t.statistic, t.pvalue), abs=EXACT)
        d_z = pg.compute_effsize(after, before, paired=True, eftype="cohen_dz")
        d_av = pg.compute_effsize(after, before, paired=True, eftype="cohen")
        assert (r.d_z, r.d_av) == pytest.approx((sign * d_z, sign * d_av), abs=EXACT)
        change = np.round(sign * (after - before), 9)
        # (scipy's exact permutations for small tied groups are slow; tests/stats covers them)
        if np.count_nonzero(change) > 13:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                w = stats.wilcoxon(change[change != 0], zero_method="wilcox", correction=False)
                rbc = pg.wilcoxon(change, np.zeros(len(change)), correction=False)["RBC"].iloc[0]
            assert (r.wilcoxon_p, r.rank_biserial_r) == pytest.approx((w.pvalue, rbc), abs=EXACT)
        root_n = np.sqrt(r.n_pairs)
        at_low = stats.nct.cdf(r.d_z * root_n, r.n_pairs - 1, r.d_z_ci_low * root_n)
        assert at_low == pytest.approx(0.975, abs=EXACT)
        checked += 1
    assert checked > 200


def test_every_reliability_row_matches_pingouin(sample):
    items = sample["items"]
    for r in sample["mart_reliability"].query("level == 'programme'").itertuples():
        mask = (
            (items.programme_id == r.programme_id)
            & (items.wave_id == r.wave_id)
            & (items.instrument_id == r.instrument_id)
            & (items.scale_id == r.scale_id)
        )
        wide = items[mask].pivot(index="response_key", columns="position", values="scored_value")
        complete = wide.dropna()
        answering = wide.notna().any(axis=1).sum()
        assert (r.n_answering, r.n_complete) == (answering, len(complete))
        alpha, interval = pg.cronbach_alpha(complete)
        assert r.alpha == pytest.approx(alpha, abs=EXACT)
        assert (r.alpha_ci_low, r.alpha_ci_high) == pytest.approx(tuple(interval), abs=5e-4)


def test_every_wave_comparison_matches_welch(sample):
    scores, sign_of = sample["scores"].query("is_scored"), signs(sample)
    for r in sample["mart_wave_comparison"].query("level == 'programme'").itertuples():
        mask = (
            (scores.programme_id == r.programme_id)
            & (scores.instrument_id == r.instrument_id)
            & (scores.scale_id == r.scale_id)
        )
        first = scores[mask & (scores.wave_id == r.from_wave)].score.to_numpy()
        second = scores[mask & (scores.wave_id == r.to_wave)].score.to_numpy()
        sign = sign_of[(r.instrument_id, r.scale_id)]
        welch = stats.ttest_ind(second, first, equal_var=False)
        assert (r.welch_t, r.welch_p) == pytest.approx(
            (sign * welch.statistic, welch.pvalue), abs=EXACT
        )
        d = pg.compute_effsize(second, first, paired=False, eftype="cohen")
        assert r.d_s == pytest.approx(sign * d, abs=EXACT)


def test_every_cohort_meta_row_matches_statsmodels(sample):
    cohorts = sample["mart_paired_stats"].query("level == 'cohort'").dropna(subset=["d_z"])
    for r in sample["mart_cohort_meta"].itertuples():
        c = cohorts[
            (cohorts.programme_id == r.programme_id)
            & (cohorts.instrument_id == r.instrument_id)
            & (cohorts.scale_id == r.scale_id)
            & (cohorts.from_wave == r.from_wave)
            & (cohorts.to_wave == r.to_wave)
        ]
        d, n = c.d_z.to_numpy(), c.n_pairs.to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = meta_analysis.combine_effects(d, 1 / n + d**2 / (2 * n), method_re="dl")
        pooled = ref.mean_effect_re if ref.tau2 > 0 else ref.mean_effect_fe
        assert r.k_cohorts == len(c)
        assert (r.pooled_d_z, r.q) == pytest.approx((pooled, ref.q), abs=EXACT)
