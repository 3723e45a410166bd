"""The statistics marts of the sample warehouse (`ripple run` on data/sample), every row of
every level (programme, cohort, site, period) recomputed outside Ripple from the warehouse's
own change_scores, scores, item_responses and cohorts, with the groups formed here in pandas
(period = the calendar year of the cohort's date):
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
                "cohorts",
                "instrument_scales",
                "mart_paired_stats",
                "mart_attrition",
                "mart_reliability",
                "mart_wave_comparison",
                "mart_cohort_meta",
            )
        }
        tables["items"] = con.execute(
            "select r.programme_id, r.cohort_id, r.wave_id, si.instrument_id, si.scale_id, "
            "i.response_key, ii.position, i.scored_value from item_responses i "
            "join instrument_scale_items si using (instrument_id, item_id) "
            "join instrument_items ii using (item_id) join responses r using (response_key)"
        ).df()
    cohorts = tables["cohorts"].assign(period=lambda f: pd.to_datetime(f.cohort_date).dt.year)
    tables["groups"] = cohorts.assign(period=cohorts.period.astype(str))[
        ["programme_id", "cohort_id", "site", "period"]
    ]
    return tables


LEVELS = {"programme": [], "cohort": ["cohort_id"], "site": ["site"], "period": ["period"]}


def grouped(frame: pd.DataFrame, sample, keys: list[str]) -> dict[str, dict]:
    """The rows of `frame` (with programme_id and cohort_id) per group of every level:
    {level: {(*keys, group id): rows}}."""
    placed = frame.merge(sample["groups"], on=["programme_id", "cohort_id"], validate="m:1")
    return {level: dict(list(placed.groupby([*keys, *extra]))) for level, extra in LEVELS.items()}


def group_key(row, keys: list[str]) -> tuple:
    return tuple(getattr(row, k) for k in [*keys, *LEVELS[row.level]])


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
    groups = grouped(pairs, sample, keys)
    checked = dict.fromkeys(LEVELS, 0)
    for r in sample["mart_paired_stats"].itertuples():
        x = groups[r.level][group_key(r, keys)]
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
        checked[r.level] += 1
    assert checked["programme"] > 30 and min(checked.values()) > 30, checked
    total = sample["mart_paired_stats"].groupby(["level", "to_wave", "scale_id"]).n_pairs.sum()
    for level in ("cohort", "site", "period"):  # each level splits the programme's pairs
        assert total[level].equals(total["programme"])


def test_every_reliability_row_matches_pingouin(sample):
    keys = ["programme_id", "instrument_id", "scale_id", "wave_id"]
    groups = grouped(sample["items"], sample, keys)
    rows = sample["mart_reliability"].query("level != 'all_programmes'")
    assert set(rows.level) == set(LEVELS)
    for r in rows.itertuples():
        group = groups[r.level][group_key(r, keys)]
        wide = group.pivot(index="response_key", columns="position", values="scored_value")
        complete = wide.dropna()
        answering = wide.notna().any(axis=1).sum()
        assert (r.n_answering, r.n_complete) == (answering, len(complete))
        if len(complete) < 2:
            continue
        alpha, interval = pg.cronbach_alpha(complete)
        assert r.alpha == pytest.approx(alpha, abs=EXACT, nan_ok=True)
        if np.isfinite(alpha):
            assert (r.alpha_ci_low, r.alpha_ci_high) == pytest.approx(tuple(interval), abs=5e-4)


def test_every_wave_comparison_matches_welch(sample):
    scores, sign_of = sample["scores"].query("is_scored"), signs(sample)
    keys = ["programme_id", "instrument_id", "scale_id", "wave_id"]
    groups = grouped(scores, sample, keys)
    rows = sample["mart_wave_comparison"]
    assert set(rows.level) == set(LEVELS)
    for r in rows.itertuples():
        ids = [getattr(r, k) for k in LEVELS[r.level]]
        by_wave = {
            wave: groups[r.level][(r.programme_id, r.instrument_id, r.scale_id, wave, *ids)]
            for wave in (r.from_wave, r.to_wave)
        }
        first, second = (by_wave[w].score.to_numpy() for w in (r.from_wave, r.to_wave))
        assert (r.n_from, r.n_to) == (len(first), len(second))
        if min(len(first), len(second)) < 2:
            continue
        sign = sign_of[(r.instrument_id, r.scale_id)]
        welch = stats.ttest_ind(second, first, equal_var=False)
        assert (r.welch_t, r.welch_p) == pytest.approx(
            (sign * welch.statistic, welch.pvalue), abs=EXACT, nan_ok=True
        )
        d = pg.compute_effsize(second, first, paired=False, eftype="cohen")
        assert r.d_s == pytest.approx(sign * d, abs=EXACT)


def test_every_attrition_row_matches_welch(sample):
    """Completers (baseline scores with a change score at the later wave) against drop-outs
    (every other baseline score), per group of every level."""
    scores, sign_of = sample["scores"].query("is_scored"), signs(sample)
    order = dict(zip(sample["waves"].wave_id, sample["waves"].wave_order, strict=True))
    baseline = scores[scores.wave_id.map(order) == 0]
    completed = sample["change_scores"][
        ["from_response_key", "instrument_id", "scale_id", "to_wave"]
    ]
    keys = ["programme_id", "instrument_id", "scale_id"]
    groups = grouped(baseline, sample, keys)
    rows = sample["mart_attrition"]
    assert set(rows.level) == set(LEVELS)
    for r in rows.itertuples():
        group = groups[r.level][group_key(r, keys)]
        done = completed[completed.to_wave == r.to_wave]
        is_completer = group.response_key.isin(
            done[
                (done.instrument_id == r.instrument_id) & (done.scale_id == r.scale_id)
            ].from_response_key
        )
        completers = group.score[is_completer].to_numpy()
        dropouts = group.score[~is_completer].to_numpy()
        assert (r.n_completers, r.n_dropouts) == (len(completers), len(dropouts))
        if min(len(completers), len(dropouts)) < 2:
            continue
        sign = sign_of[(r.instrument_id, r.scale_id)]
        welch = stats.ttest_ind(completers, dropouts, equal_var=False)
        assert r.baseline_gap == pytest.approx(
            sign * (completers.mean() - dropouts.mean()), abs=EXACT
        )
        assert r.welch_p == pytest.approx(welch.pvalue, abs=EXACT, nan_ok=True)


def test_every_cohort_meta_row_matches_statsmodels(sample):
    cohorts = sample["mart_paired_stats"].query("level == 'cohort'").dropna(subset=["d_z"])
    rows = sample["mart_cohort_meta"]
    assert set(rows.level) == {"programme", "site", "period"}
    for r in rows.itertuples():
        c = cohorts[
            (cohorts.programme_id == r.programme_id)
            & (cohorts.instrument_id == r.instrument_id)
            & (cohorts.scale_id == r.scale_id)
            & (cohorts.from_wave == r.from_wave)
            & (cohorts.to_wave == r.to_wave)
        ]
        if r.level != "programme":
            c = c[c[r.level] == getattr(r, r.level)]
        assert r.k_cohorts == len(c)
        if len(c) < 2:
            assert np.isnan(r.pooled_d_z)
            continue
        d, n = c.d_z.to_numpy(), c.n_pairs.to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = meta_analysis.combine_effects(d, 1 / n + d**2 / (2 * n), method_re="dl")
        pooled = ref.mean_effect_re if ref.tau2 > 0 else ref.mean_effect_fe
        assert (r.pooled_d_z, r.q) == pytest.approx((pooled, ref.q), abs=EXACT)
