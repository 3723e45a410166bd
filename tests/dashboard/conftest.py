"""Fixtures for the dashboard tests: small, realistic version-2 dashboard extracts.

`default_tables()` builds every table of docs/extract.md for three programmes, with the
statistics computed consistently from a few inputs (n, means, SDs), as the pipeline would
publish them after disclosure control:

- `ttt_work` (contact-based, 3 sites, 6 cohorts; CAMI-12 x2, RIBS, MAKS): most results
  shown; one cohort too small, one hidden to protect it, one held from an earlier update; a
  gender breakdown with hidden values; follow-up rests on a selected group; a clear trend;
- `schools` (peer support, 2 sites, 4 cohorts; GBS and lower-is-better UCLA-3 loneliness):
  the loneliness follow-up hidden; too few cohorts for a trend; items with shipped wording;
- `pilot` (1 site, 2 cohorts): every result hidden.

`tiny_tables()` is a hostile extract for the privacy test: groups of 3 to 9 people, some
flagged hidden but still carrying canary values, some not flagged at all.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from scipy import stats

from dashboard import queries
from dashboard.settings import DB_ENV_VAR

REPO = Path(__file__).resolve().parents[2]
SCHEMA_SQL = REPO / "pipeline" / "extract_schema.sql"
MIN_CELL_SIZE = 10
TOO_FEW = "too few people"
SECONDARY = "hidden so that another small group cannot be worked out"
HELD = "held until enough new people"

META = {
    "project": "Ripple test project",
    "built_at": "2025-01-31T12:00:00Z",
    "min_cell_size": str(MIN_CELL_SIZE),
    "pipeline_version": "0.1.0",
    "run_id": "run-test-0002",
    "extract_version": "2",
    "disclosure_method": "primary, complementary and ledger (min_cell_size 10)",
    "previous_run_id": "run-test-0001",
    "ledger_key_id": "k-test",
}
WAVES = [("pre", "Before", 0), ("post", "Straight after", 1), ("followup", "3-month follow-up", 2)]
WAVE_ORDER = {w[0]: w[2] for w in WAVES}

SCALES = {
    # (instrument, scale): name, instrument name, construct, aggregation, hib, min, max
    ("cami12", "tolerance_support"): (
        "Tolerance and support",
        "Community Attitudes toward the Mentally Ill (CAMI-12)",
        "stigma",
        "mean",
        True,
        0.0,
        100.0,
    ),
    ("cami12", "prejudice_exclusion"): (
        "Prejudice and exclusion",
        "Community Attitudes toward the Mentally Ill (CAMI-12)",
        "stigma",
        "mean",
        True,
        0.0,
        100.0,
    ),
    ("ribs", "intended_behaviour"): (
        "Intended behaviour",
        "Reported and Intended Behaviour Scale (RIBS)",
        "intended_behaviour",
        "sum",
        True,
        4.0,
        20.0,
    ),
    ("maks", "knowledge"): (
        "Knowledge",
        "Mental Health Knowledge Schedule (MAKS)",
        "knowledge",
        "sum",
        True,
        6.0,
        30.0,
    ),
    ("gbs", "total"): (
        "General belongingness",
        "General Belongingness Scale (GBS)",
        "belonging",
        "sum",
        True,
        12.0,
        84.0,
    ),
    ("ucla3", "loneliness"): (
        "Loneliness",
        "Three-item UCLA Loneliness Scale (UCLA-3)",
        "loneliness",
        "sum",
        False,
        3.0,
        9.0,
    ),
}
CITATIONS = {
    "cami12": "Health Survey for England 2014, Attitudes towards mental illness.",
    "ribs": "Evans-Lacko S, et al. Epidemiol Psychiatr Sci 2011;20(3):263-271.",
    "maks": "Evans-Lacko S, et al. Can J Psychiatry 2010;55(7):440-448.",
    "gbs": "Malone GP, Pillow DR, Osman A. Pers Individ Dif 2012;52(3):311-316.",
    "ucla3": "Hughes ME, et al. Res Aging 2004;26(6):655-672.",
}

PROGRAMMES = {
    "ttt_work": ("Time to Talk at Work", "contact-based", "adults at work"),
    "schools": ("Belonging in Schools", "peer support", "secondary-school pupils"),
    "pilot": ("Library Conversations pilot", "education-only", "library visitors"),
}
COHORTS = {
    "ttt_work": [
        ("ttt-01", "Leeds", dt.date(2024, 1, 15), 78),
        ("ttt-02", "Leeds", dt.date(2024, 3, 4), 81),
        ("ttt-03", "York", dt.date(2024, 4, 22), 7),
        ("ttt-04", "York", dt.date(2024, 6, 10), 96),
        ("ttt-05", "Hull", dt.date(2024, 9, 2), 70),
        ("ttt-06", "Hull", dt.date(2024, 11, 20), 88),
    ],
    "schools": [
        ("sch-01", "North Academy", dt.date(2024, 2, 1), 31),
        ("sch-02", "North Academy", dt.date(2024, 3, 14), 24),
        ("sch-03", "South High", dt.date(2024, 5, 9), 8),
        ("sch-04", "South High", dt.date(2024, 6, 30), 33),
    ],
    "pilot": [
        ("lib-01", "Central Library", dt.date(2024, 9, 3), 6),
        ("lib-02", "Central Library", dt.date(2024, 9, 17), 5),
    ],
}
#: programme -> scale -> (baseline mean, baseline SD, improvement at post, at follow-up)
EFFECTS = {
    "ttt_work": {
        ("cami12", "tolerance_support"): (61.2, 15.0, 6.8, 4.9),
        ("cami12", "prejudice_exclusion"): (70.4, 14.0, 3.1, 1.1),
        ("ribs", "intended_behaviour"): (14.1, 3.0, 1.2, 0.3),
        ("maks", "knowledge"): (21.0, 3.5, 2.4, 1.6),
    },
    "schools": {
        ("gbs", "total"): (52.3, 9.0, 3.4, -2.6),
        ("ucla3", "loneliness"): (5.9, 1.5, 0.6, 0.3),
    },
    "pilot": {("cami12", "tolerance_support"): (60.0, 15.0, 5.0, 3.0)},
}
#: cohorts whose rows are hidden, and why (others shown; ttt-05 is held at post).
COHORT_HIDDEN = {"ttt-03": TOO_FEW, "ttt-02": None, "sch-03": TOO_FEW, "sch-02": SECONDARY}
HELD_COHORTS = {"ttt-05"}
FOLLOWUP_SHARE = 0.45
#: the trend of cohort improvement per year (ttt_work: cohorts improve over time)
TREND = {"ttt_work": 0.25, "schools": 0.0, "pilot": 0.0}


def t_ci(mean: float, sd: float, n: int) -> tuple[float, float]:
    """95% t CI of a mean."""
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


def paired_stats_row(
    key: dict[str, Any],
    scale: tuple[str, str],
    n: int | None,
    mean_from: float,
    improvement: float,
    hidden_reason: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """One paired_stats row, statistics derived consistently from n, means and SDs."""
    _name, _iname, _construct, _agg, hib, lo, hi = SCALES[scale]
    base = {
        "level": "programme",
        "programme_id": None,
        "site": None,
        "cohort_id": None,
        "cohort_date": None,
        "attribute": None,
        "attribute_value": None,
        "instrument_id": scale[0],
        "scale_id": scale[1],
        "score_min": lo,
        "score_max": hi,
        "higher_is_better": hib,
        "from_wave": "pre",
        "to_wave": "post",
        "is_from_baseline": True,
        **key,
    }
    stat_cols = [
        "n_pairs",
        "mean_from",
        "mean_to",
        "sd_from",
        "sd_to",
        "mean_improvement",
        "sd_improvement",
        "improvement_ci_low",
        "improvement_ci_high",
        "p",
        "d_z",
        "d_z_ci_low",
        "d_z_ci_high",
        "g_z",
        "d_av",
        "d_av_ci_low",
        "d_av_ci_high",
        "reliability_source",
        "rci_reliability",
        "share_reliably_improved",
        "share_reliably_unchanged",
        "share_reliably_deteriorated",
        "reliable_change_note",
    ]
    if hidden_reason is not None or n is None:
        return {
            **base,
            **dict.fromkeys(stat_cols),
            "hidden_reason": hidden_reason or TOO_FEW,
            "note": None,
        }
    sign = 1 if hib else -1
    sd_from = (hi - lo) * 0.15
    sd_to = sd_from * 1.05
    sd_imp = sd_from * 0.9
    mean_to = mean_from + sign * improvement
    low, high = t_ci(improvement, sd_imp, n)
    d_z = improvement / sd_imp
    se = math.sqrt(1 / n + d_z**2 / (2 * n))
    d_av = improvement / math.sqrt((sd_from**2 + sd_to**2) / 2)
    se_av = se * 0.85
    t = d_z * math.sqrt(n)
    improved = min(0.9, max(0.02, 0.05 + 0.4 * d_z))
    worse = min(0.3, max(0.01, 0.08 - 0.1 * d_z))
    return {
        **base,
        "n_pairs": n,
        "mean_from": mean_from,
        "mean_to": mean_to,
        "sd_from": sd_from,
        "sd_to": sd_to,
        "mean_improvement": improvement,
        "sd_improvement": sd_imp,
        "improvement_ci_low": low,
        "improvement_ci_high": high,
        "p": float(2 * stats.t.sf(abs(t), n - 1)),
        "d_z": d_z,
        "d_z_ci_low": d_z - 1.96 * se,
        "d_z_ci_high": d_z + 1.96 * se,
        "g_z": d_z * (1 - 3 / (4 * (n - 1) - 1)),
        "d_av": d_av,
        "d_av_ci_low": d_av - 1.96 * se_av,
        "d_av_ci_high": d_av + 1.96 * se_av,
        "reliability_source": "published",
        "rci_reliability": 0.84,
        "share_reliably_improved": improved,
        "share_reliably_deteriorated": worse,
        "share_reliably_unchanged": 1 - improved - worse,
        "reliable_change_note": None,
        "hidden_reason": None,
        "note": note,
    }


def _comparisons(
    improvement_post: float, improvement_fu: float
) -> list[tuple[str, str, float, float]]:
    """(from, to, improvement, share of the baseline pairs) of the three comparisons."""
    return [
        ("pre", "post", improvement_post, 1.0),
        ("pre", "followup", improvement_fu, FOLLOWUP_SHARE),
        ("post", "followup", improvement_fu - improvement_post, FOLLOWUP_SHARE * 0.95),
    ]


def paired_rows() -> list[dict[str, Any]]:
    """Every paired_stats row: programme, site, cohort and attribute levels."""
    rows = []
    for programme, effects in EFFECTS.items():
        cohorts = COHORTS[programme]
        total = sum(c[3] for c in cohorts)
        first = cohorts[0][2]
        for scale, (mean, _sd, post, fu) in effects.items():
            for from_wave, to_wave, imp, share in _comparisons(post, fu):
                comp = {
                    "programme_id": programme,
                    "from_wave": from_wave,
                    "to_wave": to_wave,
                    "is_from_baseline": from_wave == "pre",
                }
                start = (
                    mean if from_wave == "pre" else mean + (1 if SCALES[scale][4] else -1) * post
                )
                n = round(total * share)
                hidden = None
                if programme == "pilot":
                    hidden = TOO_FEW if n < MIN_CELL_SIZE else SECONDARY
                if (
                    programme == "schools"
                    and scale == ("ucla3", "loneliness")
                    and to_wave == "followup"
                ):
                    hidden = TOO_FEW
                rows.append(paired_stats_row(comp, scale, n, start, imp, hidden))
                for site in dict.fromkeys(c[1] for c in cohorts):
                    n_site = round(sum(c[3] for c in cohorts if c[1] == site) * share)
                    reason = (
                        None
                        if n_site >= MIN_CELL_SIZE and programme != "pilot"
                        else (TOO_FEW if n_site < MIN_CELL_SIZE else SECONDARY)
                    )
                    if programme == "schools" and site == "South High":
                        reason = SECONDARY
                    key = {**comp, "level": "site", "site": site}
                    rows.append(paired_stats_row(key, scale, n_site, start, imp * 0.95, reason))
                for cohort, site, date, n_post in cohorts:
                    n_c = round(n_post * share)
                    years = (date - first).days / 365.25
                    imp_c = imp + TREND[programme] * years * (abs(imp) + 1) * 0.5
                    reason = COHORT_HIDDEN.get(cohort)
                    if cohort == "ttt-02" and to_wave != "post":
                        reason = SECONDARY
                    if n_c < MIN_CELL_SIZE:
                        reason = TOO_FEW
                    if programme == "pilot":
                        reason = TOO_FEW
                    note = HELD if cohort in HELD_COHORTS and to_wave == "post" else None
                    key = {
                        **comp,
                        "level": "cohort",
                        "site": site,
                        "cohort_id": cohort,
                        "cohort_date": date,
                    }
                    rows.append(paired_stats_row(key, scale, n_c, start, imp_c, reason, note))
                if programme == "ttt_work":
                    for value, part, reason in (
                        ("woman", 0.6, None),
                        ("man", 0.37, SECONDARY),
                        ("(not answered)", 0.03, TOO_FEW),
                    ):
                        key = {
                            **comp,
                            "level": "attribute",
                            "attribute": "gender",
                            "attribute_value": value,
                        }
                        rows.append(
                            paired_stats_row(key, scale, round(n * part), start, imp, reason)
                        )
    return rows


def reach_rows() -> list[dict[str, Any]]:
    """reach: responses per wave and linked per later wave, per programme, site, cohort."""
    rows = []
    for programme, cohorts in COHORTS.items():
        groups = [("programme", None, None, None, sum(c[3] for c in cohorts))]
        for site in dict.fromkeys(c[1] for c in cohorts):
            groups.append(("site", site, None, None, sum(c[3] for c in cohorts if c[1] == site)))
        groups += [("cohort", c[1], c[0], c[2], c[3]) for c in cohorts]
        for level, site, cohort, date, linked_post in groups:
            baseline = round(linked_post * 1.25)
            counts = [
                ("pre", "responses", baseline),
                ("post", "responses", linked_post + 8),
                ("post", "linked", linked_post),
                ("followup", "responses", round(linked_post * 0.5)),
                ("followup", "linked", round(linked_post * FOLLOWUP_SHARE)),
            ]
            for wave, measure, n in counts:
                hidden = None
                if programme == "pilot":
                    hidden = TOO_FEW if n < MIN_CELL_SIZE else SECONDARY
                elif n < MIN_CELL_SIZE:
                    hidden = TOO_FEW
                elif cohort == "ttt-02" and wave == "followup":
                    hidden = SECONDARY
                rows.append(
                    {
                        "level": level,
                        "programme_id": programme,
                        "site": site,
                        "cohort_id": cohort,
                        "cohort_date": date,
                        "wave_id": wave,
                        "wave_order": WAVE_ORDER[wave],
                        "measure": measure,
                        "n": None if hidden else n,
                        "retention": None if hidden or measure == "responses" else n / baseline,
                        "hidden_reason": hidden,
                        "note": HELD
                        if cohort == "ttt-05" and wave == "post" and not hidden
                        else None,
                    }
                )
    return rows


def wave_tables() -> dict[str, list[dict[str, Any]]]:
    """wave_means, wave_comparison, attrition and reliability rows."""
    means, comparisons, attrition, reliability = [], [], [], []
    for programme, effects in EFFECTS.items():
        total = sum(c[3] for c in COHORTS[programme])
        hidden_all = TOO_FEW if programme == "pilot" else None
        for scale, (mean, sd, post, fu) in effects.items():
            _name, _i, _c, _a, hib, lo, hi = SCALES[scale]
            sign = 1 if hib else -1
            for wave, n, m in (
                ("pre", round(total * 1.25), mean),
                ("post", total + 8, mean + sign * post),
                ("followup", round(total * 0.5), mean + sign * fu),
            ):
                reason = hidden_all
                if (
                    programme == "schools"
                    and scale == ("ucla3", "loneliness")
                    and wave == "followup"
                ):
                    reason = TOO_FEW
                low, high = t_ci(m, sd, n)
                means.append(
                    {
                        "programme_id": programme,
                        "instrument_id": scale[0],
                        "scale_id": scale[1],
                        "score_min": lo,
                        "score_max": hi,
                        "wave_id": wave,
                        "wave_order": WAVE_ORDER[wave],
                        "n": n,
                        "mean": m,
                        "sd": sd,
                        "ci_low": low,
                        "ci_high": high,
                        "hidden_reason": reason,
                        "note": None,
                    }
                )
                reliability.append(
                    {
                        "programme_id": programme,
                        "instrument_id": scale[0],
                        "scale_id": scale[1],
                        "wave_id": wave,
                        "wave_order": WAVE_ORDER[wave],
                        "n_complete": n - 3,
                        "n_items": 6,
                        "alpha": 0.66 if scale[0] == "ribs" else 0.84,
                        "alpha_ci_low": 0.6 if scale[0] == "ribs" else 0.8,
                        "alpha_ci_high": 0.72 if scale[0] == "ribs" else 0.87,
                        "omega_total": None if scale[0] == "ribs" else 0.85,
                        "is_alpha_below_070": scale[0] == "ribs",
                        "hidden_reason": reason,
                        "note": None,
                    }
                )
            for wave, imp, keep in (("post", post, 1.0), ("followup", fu, FOLLOWUP_SHARE)):
                reason = hidden_all
                if (
                    programme == "schools"
                    and scale == ("ucla3", "loneliness")
                    and wave == "followup"
                ):
                    reason = TOO_FEW
                low, high = t_ci(imp * 0.9, sd * 1.3, total)
                comparisons.append(
                    {
                        "programme_id": programme,
                        "instrument_id": scale[0],
                        "scale_id": scale[1],
                        "higher_is_better": hib,
                        "from_wave": "pre",
                        "to_wave": wave,
                        "n_from": round(total * 1.25),
                        "n_to": total,
                        "mean_from": mean,
                        "mean_to": mean + sign * imp * 0.9,
                        "mean_improvement": imp * 0.9,
                        "improvement_ci_low": low,
                        "improvement_ci_high": high,
                        "welch_p": 0.01,
                        "d_s": imp * 0.9 / sd,
                        "g_s": imp * 0.89 / sd,
                        "g_s_ci_low": imp * 0.5 / sd,
                        "g_s_ci_high": imp * 1.3 / sd,
                        "hidden_reason": reason,
                        "note": None,
                    }
                )
                completers = round(total * keep)
                dropouts = round(total * 1.25) - completers
                selected = programme == "ttt_work" and wave == "followup"
                gap = 3.1 if selected else 0.2
                attrition.append(
                    {
                        "programme_id": programme,
                        "instrument_id": scale[0],
                        "scale_id": scale[1],
                        "higher_is_better": hib,
                        "from_wave": "pre",
                        "to_wave": wave,
                        "n_completers": completers,
                        "n_dropouts": dropouts,
                        "mean_completers": mean + gap / 2,
                        "sd_completers": sd,
                        "mean_dropouts": mean - gap / 2,
                        "sd_dropouts": sd,
                        "baseline_gap": gap,
                        "baseline_gap_ci_low": gap - 1.5,
                        "baseline_gap_ci_high": gap + 1.5,
                        "d_s": gap / sd,
                        "d_s_ci_low": gap / sd - 0.1,
                        "d_s_ci_high": gap / sd + 0.1,
                        "p": 0.02 if selected else 0.61,
                        "follow_up_selected": selected,
                        "hidden_reason": reason,
                        "note": None,
                    }
                )
    return {
        "wave_means": means,
        "wave_comparison": comparisons,
        "attrition": attrition,
        "reliability": reliability,
    }


def cohort_meta_rows(paired: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """cohort_meta rows from the published cohort rows (a rough pooled mean; the test values
    matter, not the method)."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in paired:
        if row["level"] == "cohort":
            key = (
                row["programme_id"],
                row["instrument_id"],
                row["scale_id"],
                row["from_wave"],
                row["to_wave"],
            )
            groups.setdefault(key, []).append(row)
    rows = []
    for key, cohorts in groups.items():
        shown = [r for r in cohorts if r["hidden_reason"] is None]
        base = dict(
            zip(
                ("programme_id", "instrument_id", "scale_id", "from_wave", "to_wave"),
                key,
                strict=True,
            )
        )
        if len(shown) < 2:
            rows.append(
                {
                    **base,
                    "n_cohorts": len(cohorts),
                    "k_cohorts_shown": len(shown),
                    "k_cohorts_pooled": len(shown),
                    "trend_k": len(shown),
                    "trend_reading": "No trend estimated: fewer than 3 cohorts.",
                    "note": f"{len(cohorts) - len(shown)} hidden cohort(s) left out",
                }
            )
            continue
        d = sum(r["d_z"] for r in shown) / len(shown)
        significant = (
            key[0] == "ttt_work"
            and key[1:3] == ("cami12", "tolerance_support")
            and key[4] == "post"
        )
        slope = 0.31 if significant else (0.05 if len(shown) >= 3 else None)
        rows.append(
            {
                **base,
                "n_cohorts": len(cohorts),
                "k_cohorts_shown": len(shown),
                "k_cohorts_pooled": len(shown),
                "n_pairs_pooled": sum(r["n_pairs"] for r in shown),
                "first_cohort_date": shown[0]["cohort_date"],
                "last_cohort_date": shown[-1]["cohort_date"],
                "pooled_d_z": d,
                "pooled_ci_low": d - 0.1,
                "pooled_ci_high": d + 0.1,
                "pooled_hk_ci_low": d - 0.14,
                "pooled_hk_ci_high": d + 0.14,
                "prediction_low": d - 0.3 if len(shown) >= 3 else None,
                "prediction_high": d + 0.3 if len(shown) >= 3 else None,
                "pooled_p": 0.001,
                "q": 7.7,
                "q_df": len(shown) - 1,
                "q_p": 0.26,
                "i2_percent": 22.2,
                "tau2": 0.004,
                "trend_k": len(shown),
                "trend_slope_per_year": slope,
                "trend_ci_low": None if slope is None else (0.08 if significant else -0.2),
                "trend_ci_high": None if slope is None else (0.54 if significant else 0.3),
                "trend_p": None if slope is None else (0.01 if significant else 0.6),
                "is_trend_significant": significant if slope is not None else None,
                "trend_reading": "see the dashboard's sentence",
                "note": f"{len(cohorts) - len(shown)} hidden cohort(s) left out"
                if len(shown) < len(cohorts)
                else None,
            }
        )
    return rows


ANSWERS = {
    "cami12": [
        ("1", "Strongly disagree"),
        ("2", "Disagree"),
        ("3", "Neither"),
        ("4", "Agree"),
        ("5", "Strongly agree"),
        ("dont_know", "Don't know"),
        ("missing", "No answer"),
    ],
    "ucla3": [
        ("1", "Hardly ever"),
        ("2", "Some of the time"),
        ("3", "Often"),
        ("missing", "No answer"),
    ],
}
ITEMS = {
    "cami12": [(f"cami12_0{i}", i, i in (2, 5), None) for i in range(1, 7)],
    "ucla3": [
        ("ucla3_01", 1, False, "How often do you feel that you lack companionship?"),
        ("ucla3_02", 2, False, "How often do you feel left out?"),
        ("ucla3_03", 3, False, "How often do you feel isolated from others?"),
    ],
}
#: programme -> instrument whose item answers are published
ITEM_PROGRAMMES = {"ttt_work": "cami12", "schools": "ucla3"}


def item_rows() -> list[dict[str, Any]]:
    """item_distributions: every answer of every item at every wave, plus `all`."""
    rows = []
    for programme, instrument in ITEM_PROGRAMMES.items():
        total = {"ttt_work": 500, "schools": 120}[programme]
        answers = ANSWERS[instrument]
        for item_id, position, _rev, _wording in ITEMS[instrument]:
            for wave, order in (("pre", 0), ("post", 1), ("followup", 2)):
                n_all = total if wave != "followup" else total // 2
                codes = [a for a in answers if a[0].isdigit()]
                weights = [1 + (i + position + order) % 3 for i in range(len(codes))]
                counts = [round(n_all * 0.93 * w / sum(weights)) for w in weights]
                extra = n_all - sum(counts)
                tail = [a for a in answers if not a[0].isdigit()]
                tail_counts = [extra // 2, extra - extra // 2] if len(tail) == 2 else [extra]
                for (answer, _label), n in zip(codes + tail, counts + tail_counts, strict=True):
                    hidden = None
                    if 0 < n < MIN_CELL_SIZE:
                        hidden = TOO_FEW
                    if programme == "schools" and item_id == "ucla3_02" and wave == "followup":
                        hidden = TOO_FEW
                    rows.append(
                        _item_row(
                            programme, instrument, item_id, wave, order, answer, n, n_all, hidden
                        )
                    )
                all_hidden = (
                    TOO_FEW
                    if programme == "schools" and item_id == "ucla3_02" and wave == "followup"
                    else None
                )
                rows.append(
                    _item_row(
                        programme, instrument, item_id, wave, order, "all", n_all, n_all, all_hidden
                    )
                )
        # a second hidden answer so the first cannot be worked out (complementary)
    for row in rows:
        if row["hidden_reason"] == TOO_FEW and row["answer"] != "all":
            partner = next(
                (
                    r
                    for r in rows
                    if r is not row
                    and r["item_id"] == row["item_id"]
                    and r["wave_id"] == row["wave_id"]
                    and r["answer"] not in ("all",)
                    and r["hidden_reason"] is None
                ),
                None,
            )
            if (
                partner is not None
                and sum(
                    1
                    for r in rows
                    if r["item_id"] == row["item_id"]
                    and r["wave_id"] == row["wave_id"]
                    and r["hidden_reason"] is not None
                    and r["answer"] != "all"
                )
                < 2
            ):
                partner.update(n=None, share=None, hidden_reason=SECONDARY)
    return rows


def _item_row(programme, instrument, item_id, wave, order, answer, n, n_all, hidden) -> dict:
    """One item_distributions row."""
    answer_order = -1 if answer == "all" else [a[0] for a in ANSWERS[instrument]].index(answer) + 1
    return {
        "programme_id": programme,
        "instrument_id": instrument,
        "item_id": item_id,
        "wave_id": wave,
        "wave_order": order,
        "answer": answer,
        "answer_order": answer_order,
        "n": None if hidden else n,
        "share": None if hidden else n / n_all,
        "hidden_reason": hidden,
        "note": None,
    }


def quality_rows() -> dict[str, list[dict[str, Any]]]:
    """data_quality, linkage_quality and disclosure_summary rows."""
    quality = []
    for programme in PROGRAMMES:
        small = programme == "pilot"
        for wave, measure, reason, n, hidden in (
            ("pre", "excluded", "preview", 12, None),
            ("pre", "excluded", "incomplete", 25, None),
            ("pre", "excluded", "all", 37, None),
            ("pre", "quarantined", "out_of_range", 4, TOO_FEW),
            ("pre", "quarantined", "unknown_label", 14, SECONDARY),
            ("pre", "quarantined", "all", 18, None),
            ("post", "excluded", "duplicate_submission", 11, None),
            ("post", "excluded", "all", 11, None),
        ):
            reason_hidden = hidden or (TOO_FEW if small else None)
            quality.append(
                {
                    "programme_id": programme,
                    "wave_id": wave,
                    "measure": measure,
                    "reason": reason,
                    "n_records": None if reason_hidden else n,
                    "hidden_reason": reason_hidden,
                    "note": None,
                }
            )
    linkage = []
    for programme, cohorts in COHORTS.items():
        linked_post = sum(c[3] for c in cohorts)
        for wave, order, linked in (
            ("post", 1, linked_post),
            ("followup", 2, round(linked_post * FOLLOWUP_SHARE)),
        ):
            responses = linked + 8 if wave == "post" else round(linked_post * 0.5)
            rest = responses - linked
            parts = {
                "all_responses": responses,
                "linked": linked,
                "participant_id": 0,
                "exact": linked - linked // 10,
                "one_element": linked // 10,
                "ambiguous": 3,
                "unmatched": rest - 3 - (rest // 2),
                "no_code": rest // 2,
            }
            for status, n in parts.items():
                hidden = TOO_FEW if 0 < n < MIN_CELL_SIZE or programme == "pilot" else None
                linkage.append(
                    {
                        "programme_id": programme,
                        "wave_id": wave,
                        "wave_order": order,
                        "link_status": status,
                        "n": None if hidden else n,
                        "share_of_responses": None if hidden else n / responses,
                        "hidden_reason": hidden,
                        "note": None,
                    }
                )
    summary = [
        {"table_name": "paired_stats", "status": "shown", "reason": "(none)", "n_cells": 180},
        {"table_name": "paired_stats", "status": "hidden", "reason": TOO_FEW, "n_cells": 40},
        {"table_name": "paired_stats", "status": "hidden", "reason": SECONDARY, "n_cells": 22},
        {"table_name": "paired_stats", "status": "held", "reason": HELD, "n_cells": 4},
    ]
    return {"data_quality": quality, "linkage_quality": linkage, "disclosure_summary": summary}


def default_tables() -> dict[str, list[dict[str, Any]]]:
    """Every table's rows for the default test extract (column -> value dicts)."""
    paired = paired_rows()
    return {
        "meta": [{"key": k, "value": v} for k, v in META.items()],
        "programmes": [
            {
                "programme_id": p,
                "name": name,
                "approach": approach,
                "audience": audience,
                "n_cohorts": len(COHORTS[p]),
                "n_sites": len({c[1] for c in COHORTS[p]}),
                "first_cohort_date": COHORTS[p][0][2],
                "last_cohort_date": COHORTS[p][-1][2],
            }
            for p, (name, approach, audience) in PROGRAMMES.items()
        ],
        "cohorts": [
            {"programme_id": p, "cohort_id": c[0], "site": c[1], "cohort_date": c[2]}
            for p, cohorts in COHORTS.items()
            for c in cohorts
        ],
        "waves": [{"wave_id": w, "label": label, "wave_order": o} for w, label, o in WAVES],
        "scales": [
            {
                "instrument_id": i,
                "scale_id": s,
                "instrument_name": v[1],
                "scale_name": v[0],
                "construct": v[2],
                "aggregation": v[3],
                "higher_is_better": v[4],
                "score_min": v[5],
                "score_max": v[6],
                "citation": CITATIONS[i],
                "key_status": "unverified" if i == "maks" else "verified",
            }
            for (i, s), v in SCALES.items()
        ],
        "items": [
            {
                "instrument_id": i,
                "item_id": item,
                "position": pos,
                "is_reverse_keyed": rev,
                "scale_ids": ["total"],
                "wording": wording,
            }
            for i, items in ITEMS.items()
            for item, pos, rev, wording in items
        ],
        "answer_options": [
            {"instrument_id": i, "answer": a, "answer_order": n + 1, "label": label}
            for i, answers in ANSWERS.items()
            for n, (a, label) in enumerate(answers)
        ],
        "reach": reach_rows(),
        "paired_stats": paired,
        **wave_tables(),
        "cohort_meta": cohort_meta_rows(paired),
        "item_distributions": item_rows(),
        **quality_rows(),
    }


#: Values planted in hidden or unflagged small cells of `tiny_tables`: none may be shown.
CANARIES = {"mean": 999.91, "d_z": 9.871, "share": 0.98765}
#: How the canaries would read if shown (rounded, raw, or as a percentage).
CANARY_TEXTS = ("999.9", "999.91", "9.87", "9.871", "99%", "0.98765", "98.765")


def tiny_tables() -> dict[str, list[dict[str, Any]]]:
    """A hostile extract: the default one where the pilot programme's groups have 3 to 9
    people, half of its rows flagged hidden but still carrying canary values (a faulty
    pipeline), the other half not flagged at all."""
    tables = default_tables()
    for name in (
        "paired_stats",
        "reach",
        "wave_means",
        "wave_comparison",
        "attrition",
        "reliability",
        "data_quality",
        "linkage_quality",
    ):
        counts = queries_count_columns(name)
        for number, row in enumerate(r for r in tables[name] if r["programme_id"] == "pilot"):
            small = 3 + number % 7
            for column in counts:
                row[column] = small
            for column, _value in row.items():
                if column.startswith("mean") or column in ("baseline_gap",):
                    row[column] = CANARIES["mean"]
                elif column.startswith(("d_z", "d_av", "g_z", "d_s", "g_s", "alpha", "omega")):
                    row[column] = CANARIES["d_z"]
                elif column.startswith("share") or column == "retention":
                    row[column] = CANARIES["share"]
                elif column.endswith(("ci_low", "ci_high")) and "mean" not in column:
                    row[column] = CANARIES["mean"]
            row["hidden_reason"] = TOO_FEW if number % 2 else None
    for row in tables["cohort_meta"]:
        if row["programme_id"] == "pilot":
            row.update(n_pairs_pooled=7, pooled_d_z=CANARIES["d_z"], k_cohorts_pooled=2)
    for row in tables["item_distributions"]:
        if row["programme_id"] == "ttt_work" and row["item_id"] == "cami12_01":
            row.update(n=7, share=CANARIES["share"], hidden_reason=None)
    return tables


def queries_count_columns(table: str) -> tuple[str, ...]:
    """The people-count columns of a result table (as the suppression function knows them)."""
    from dashboard import suppress

    return suppress.COUNT_COLUMNS[table]


def write_extract(path: Path, tables: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    """Create an extract at `path` from the schema file and `tables` (default rows)."""
    tables = default_tables() if tables is None else tables
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        for table, rows in tables.items():
            if not rows:
                continue
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_name = ? "
                    "order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            frame = pd.DataFrame([[row.get(c) for c in columns] for row in rows], columns=columns)
            con.register("incoming", frame.astype(object))
            con.execute(f"insert into {table} by name select * from incoming")
            con.unregister("incoming")
    finally:
        con.close()
    return path


@pytest.fixture(autouse=True)
def _fresh_query_cache() -> None:
    """Each test starts with an empty query cache."""
    queries.clear_cache()


@pytest.fixture
def extract_tables() -> dict[str, list[dict[str, Any]]]:
    """The default extract's rows, per table (tests may edit them and write them)."""
    return default_tables()


@pytest.fixture
def make_extract(tmp_path: Path) -> Callable[..., Path]:
    """Factory: make_extract(name="dashboard.duckdb", tables=None) -> path of a new extract."""

    def make(name: str = "dashboard.duckdb", tables: dict[str, Any] | None = None) -> Path:
        return write_extract(tmp_path / name, tables)

    return make


@pytest.fixture(scope="session")
def _default_extract_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default extract, built once per session (tests get their own copy)."""
    return write_extract(tmp_path_factory.mktemp("template") / "dashboard.duckdb")


@pytest.fixture
def extract(_default_extract_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the default test extract (three programmes, some cells hidden)."""
    return Path(shutil.copy2(_default_extract_file, tmp_path / "dashboard.duckdb"))


@pytest.fixture
def extract_env(extract: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default extract, named by RIPPLE_DASHBOARD_DB for the app."""
    monkeypatch.setenv(DB_ENV_VAR, str(extract))
    return extract
