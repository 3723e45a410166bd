"""A synthetic dashboard extract, version 2 (docs/extract.md), written from a small spec.

Used by the report tests (and by the browser test where the pipeline's own extract is not
available). The tables are made by executing pipeline/extract_schema.sql and inserting rows
that follow the extract's contract: programme = its sites = its cohorts; every count of 1 to
min_cell_size - 1 people is hidden ('too few people'); the next smallest cohort of a site is
hidden beside a lone hidden one ('hidden so that another small group cannot be worked out');
one cell is hidden as 'held until enough new people' and one shows held values (note). Values
are plausible, not computed from people: this is a contract fixture, not a statistics test.

`write_extract(path)` writes the default project (three programmes, some cells hidden);
`write_extract(path, tiny=True)` writes one where almost every group is under the threshold.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from scipy import stats

REPO = Path(__file__).resolve().parents[2]
SCHEMA_SQL = REPO / "pipeline" / "extract_schema.sql"
MIN_CELL_SIZE = 10
TOO_FEW = "too few people"
SECONDARY = "hidden so that another small group cannot be worked out"
HELD = "held until enough new people"

WAVES = [("pre", "Before the session", 0), ("post", "Straight after", 1),
         ("followup", "Three months later", 2)]  # fmt: skip
COMPARISONS = [("pre", "post", True), ("pre", "followup", True), ("post", "followup", False)]

SCALES = {
    # key: (instrument_name, scale_name, construct, aggregation, hib, min, max, citation)
    ("cami12", "tolerance_support"): (
        "Community Attitudes toward the Mentally Ill (CAMI-12)", "Tolerance and support",
        "stigma", "mean", True, 0.0, 100.0, "Health Survey for England 2014."),
    ("cami12", "prejudice_exclusion"): (
        "Community Attitudes toward the Mentally Ill (CAMI-12)", "Prejudice and exclusion",
        "stigma", "mean", True, 0.0, 100.0, "Health Survey for England 2014."),
    ("ribs", "intended_behaviour"): (
        "Reported and Intended Behaviour Scale (RIBS)", "Intended behaviour",
        "intended_behaviour", "sum", True, 4.0, 20.0, "Evans-Lacko S, et al. 2011."),
    ("gbs", "total"): (
        "General Belongingness Scale (GBS)", "General belongingness", "belonging", "sum",
        True, 12.0, 84.0, "Malone GP, et al. 2012."),
    ("ucla3", "loneliness"): (
        "Three-item UCLA Loneliness Scale (UCLA-3)", "Loneliness", "loneliness", "sum", False,
        3.0, 9.0, "Hughes ME, et al. 2004."),
}  # fmt: skip


@dataclass
class Cohort:
    cohort_id: str
    site: str
    date: dt.date
    baseline: int  # responses at the baseline
    linked: dict[str, int]  # later wave -> baseline responses linked to it
    unlinked: dict[str, int] = field(default_factory=dict)  # later-wave responses not linked


@dataclass
class Programme:
    programme_id: str
    name: str
    approach: str
    audience: str
    scales: dict[tuple[str, str], tuple[float, float, float]]  # -> (baseline mean, sd, d)
    cohorts: list[Cohort]


def _cohorts(
    prefix: str,
    sites: list[str],
    sizes: list[tuple[int, int, int]],
    start: dt.date,
    unlinked: tuple[int, int] = (0, 0),
) -> list[Cohort]:
    """Cohorts 47 days apart, round-robin over the sites; `unlinked` later-wave responses
    per cohort (post, follow-up) that were not linked to a baseline response."""
    out = []
    for index, (baseline, post, follow) in enumerate(sizes):
        out.append(
            Cohort(
                f"{prefix}-{index + 1:02d}",
                sites[index % len(sites)],
                start + dt.timedelta(days=47 * index),
                baseline,
                {"post": post, "followup": follow},
                {"post": unlinked[0], "followup": unlinked[1]},
            )
        )
    return out


def default_programmes() -> list[Programme]:
    """Three programmes: a large one with a few hidden cohorts, a mid-sized one, and a small
    pilot (15 people) whose cohorts and follow-up results are hidden."""
    return [
        Programme(
            "workplace", "Time to Talk at Work", "contact-based", "adults at work",
            {("cami12", "tolerance_support"): (61.0, 14.0, 0.42),
             ("cami12", "prejudice_exclusion"): (70.0, 13.0, 0.25),
             ("ribs", "intended_behaviour"): (14.0, 3.0, 0.05)},
            _cohorts("WP", ["Leeds", "York", "Hull"],
                     [(88, 80, 52), (84, 77, 49), (12, 8, 5), (91, 84, 55), (86, 79, 50),
                      (90, 83, 58)], dt.date(2025, 1, 14), unlinked=(2, 2)),
        ),
        Programme(
            "schools", "Belonging in Schools", "education-only", "secondary-school pupils",
            {("gbs", "total"): (52.0, 9.0, 0.35), ("ucla3", "loneliness"): (6.0, 1.6, 0.2)},
            _cohorts("SC", ["North Academy", "South High"],
                     [(40, 36, 20), (35, 31, 14), (33, 30, 16), (38, 34, 21)],
                     dt.date(2025, 2, 3), unlinked=(3, 3)),
        ),
        Programme(
            "pilot", "Library Conversations pilot", "peer support", "library visitors",
            {("cami12", "tolerance_support"): (58.0, 15.0, 0.3)},
            _cohorts("LB", ["Central Library"], [(8, 6, 3), (7, 5, 2)], dt.date(2025, 9, 2)),
        ),
    ]  # fmt: skip


def tiny_programmes() -> list[Programme]:
    """Everything small: cohorts of 3 to 9 people, one programme under 10 in all."""
    return [
        Programme(
            "tiny_a", "Small groups A", "peer support", "adults",
            {("gbs", "total"): (50.0, 9.0, 0.4), ("ucla3", "loneliness"): (6.0, 1.5, 0.3)},
            _cohorts("TA", ["Leeds", "York"], [(9, 8, 4), (7, 6, 3), (6, 5, 2)],
                     dt.date(2025, 3, 1)),
        ),
        Programme(
            "tiny_b", "Small groups B", "contact-based", "adults",
            {("cami12", "tolerance_support"): (60.0, 14.0, 0.3)},
            _cohorts("TB", ["Hull"], [(4, 3, 1), (3, 2, 2)], dt.date(2025, 4, 1)),
        ),
    ]  # fmt: skip


# ------------------------------------------------------------------ suppression helpers


def _hide_small(counts: dict[str, int], k: int) -> dict[str, str | None]:
    """Primary suppression of a breakdown, plus the next smallest part beside a lone hidden
    one (so the part cannot be worked out from the total)."""
    reasons: dict[str, str | None] = {
        key: (TOO_FEW if 0 < n < k else None) for key, n in counts.items()
    }
    hidden = [key for key, reason in reasons.items() if reason]
    shown = sorted((n, key) for key, n in counts.items() if not reasons[key] and n > 0)
    if len(hidden) == 1 and shown and len(counts) > 1:
        reasons[shown[0][1]] = SECONDARY
    return reasons


@dataclass
class Stats:
    n: int
    mean_from: float
    sd_from: float
    sd_to: float
    improvement: float
    sd_improvement: float


def _paired_values(s: Stats, hib: bool) -> dict:
    n = s.n
    se = s.sd_improvement / math.sqrt(n)
    t = stats.t.ppf(0.975, n - 1)
    d_z = s.improvement / s.sd_improvement
    se_dz = math.sqrt(1 / n + d_z**2 / (2 * n))
    rms = math.sqrt((s.sd_from**2 + s.sd_to**2) / 2)
    d_av = s.improvement / rms
    se_dav = se_dz * s.sd_improvement / rms
    raw = s.improvement if hib else -s.improvement
    return {
        "n_pairs": n,
        "mean_from": round(s.mean_from, 4),
        "mean_to": round(s.mean_from + raw, 4),
        "sd_from": round(s.sd_from, 4),
        "sd_to": round(s.sd_to, 4),
        "mean_improvement": round(s.improvement, 4),
        "sd_improvement": round(s.sd_improvement, 4),
        "improvement_ci_low": round(s.improvement - t * se, 4),
        "improvement_ci_high": round(s.improvement + t * se, 4),
        "p": float(2 * stats.t.sf(abs(s.improvement / se), n - 1)),
        "d_z": round(d_z, 4),
        "d_z_ci_low": round(d_z - 1.96 * se_dz, 4),
        "d_z_ci_high": round(d_z + 1.96 * se_dz, 4),
        "g_z": round(d_z * (1 - 3 / (4 * (n - 1) - 1)), 4) if n > 2 else None,
        "d_av": round(d_av, 4),
        "d_av_ci_low": round(d_av - 1.96 * se_dav, 4),
        "d_av_ci_high": round(d_av + 1.96 * se_dav, 4),
    }


PAIRED_STAT_COLUMNS = [
    "n_pairs", "mean_from", "mean_to", "sd_from", "sd_to", "mean_improvement",
    "sd_improvement", "improvement_ci_low", "improvement_ci_high", "p", "d_z", "d_z_ci_low",
    "d_z_ci_high", "g_z", "d_av", "d_av_ci_low", "d_av_ci_high",
]  # fmt: skip


class Builder:
    """Collects rows per table while walking the spec."""

    def __init__(self, programmes: list[Programme], k: int, seed: int) -> None:
        self.programmes = programmes
        self.k = k
        self.rng = random.Random(seed)
        self.rows: dict[str, list[dict]] = {}

    def add(self, table: str, **row) -> None:
        self.rows.setdefault(table, []).append(row)

    # -------------------------------------------------------------- reference tables

    def reference(self) -> None:
        for wave_id, label, order in WAVES:
            self.add("waves", wave_id=wave_id, label=label, wave_order=order)
        used = sorted({key for p in self.programmes for key in p.scales})
        for instrument, scale in used:
            name, scale_name, construct, agg, hib, low, high, cit = SCALES[(instrument, scale)]
            self.add(
                "scales", instrument_id=instrument, scale_id=scale, instrument_name=name,
                scale_name=scale_name, construct=construct, aggregation=agg,
                higher_is_better=hib, score_min=low, score_max=high, citation=cit,
                key_status="unverified" if instrument == "maks" else "verified",
            )  # fmt: skip
        for p in self.programmes:
            dates = [c.date for c in p.cohorts]
            self.add(
                "programmes", programme_id=p.programme_id, name=p.name, approach=p.approach,
                audience=p.audience, n_cohorts=len(p.cohorts),
                n_sites=len({c.site for c in p.cohorts}), first_cohort_date=min(dates),
                last_cohort_date=max(dates),
            )  # fmt: skip
            for c in p.cohorts:
                self.add(
                    "cohorts", programme_id=p.programme_id, cohort_id=c.cohort_id,
                    site=c.site, cohort_date=c.date,
                )  # fmt: skip

    # -------------------------------------------------------------- groups

    def groups(self, p: Programme) -> list[tuple[str, str | None, Cohort | None, list[Cohort]]]:
        """(level, site, cohort, its cohorts) for the programme, its sites and cohorts."""
        out: list = [("programme", None, None, p.cohorts)]
        for site in dict.fromkeys(c.site for c in p.cohorts):
            out.append(("site", site, None, [c for c in p.cohorts if c.site == site]))
        out += [("cohort", c.site, c, [c]) for c in p.cohorts]
        return out

    def _cohort_reasons(self, p: Programme, count) -> dict[str, str | None]:
        """Hidden reasons of each cohort for one count, by site then over the programme."""
        reasons: dict[str, str | None] = {}
        for site in dict.fromkeys(c.site for c in p.cohorts):
            members = {c.cohort_id: count(c) for c in p.cohorts if c.site == site}
            reasons.update(_hide_small(members, self.k))
        return reasons

    def _group_reason(self, level, site, cohort, cohorts, count, cohort_reasons, site_reasons):
        n = sum(count(c) for c in cohorts)
        if level == "cohort":
            return n, cohort_reasons[cohort.cohort_id]
        if level == "site":
            return n, site_reasons.get(site) or (TOO_FEW if 0 < n < self.k else None)
        return n, TOO_FEW if 0 < n < self.k else None

    def _site_reasons(self, p: Programme, count) -> dict[str, str | None]:
        sites = {}
        for c in p.cohorts:
            sites[c.site] = sites.get(c.site, 0) + count(c)
        return _hide_small(sites, self.k) if len(sites) > 1 else {}

    # -------------------------------------------------------------- reach

    def reach(self, p: Programme) -> None:
        measures = [("pre", 0, "responses", lambda c: c.baseline)]
        for wave_id, _label, order in WAVES[1:]:
            measures.append(
                (wave_id, order, "responses",
                 lambda c, w=wave_id: c.linked[w] + c.unlinked.get(w, 0))
            )  # fmt: skip
            measures.append((wave_id, order, "linked", lambda c, w=wave_id: c.linked[w]))
        baseline_shown: dict[tuple, int | None] = {}
        for wave_id, order, measure, count in measures:
            cohort_reasons = self._cohort_reasons(p, count)
            site_reasons = self._site_reasons(p, count)
            for level, site, cohort, cohorts in self.groups(p):
                n, reason = self._group_reason(
                    level, site, cohort, cohorts, count, cohort_reasons, site_reasons
                )
                group = (level, site, cohort.cohort_id if cohort else None)
                shown = None if reason else n
                if measure == "responses" and wave_id == "pre":
                    baseline_shown[group] = shown
                base = baseline_shown.get(group)
                retention = (
                    round(shown / base, 4)
                    if measure == "linked" and shown is not None and base
                    else None
                )
                self.add(
                    "reach", level=level, programme_id=p.programme_id,
                    site=site if level != "programme" else None,
                    cohort_id=cohort.cohort_id if cohort else None,
                    cohort_date=cohort.date if cohort else None, wave_id=wave_id,
                    wave_order=order, measure=measure, n=shown, retention=retention,
                    hidden_reason=reason, note=None,
                )  # fmt: skip

    # -------------------------------------------------------------- paired statistics

    def _pairs(self, c: Cohort, from_wave: str, to_wave: str) -> int:
        if from_wave == "pre":
            return c.linked[to_wave]
        return min(c.linked["post"], c.linked["followup"]) - (1 if c.linked["followup"] else 0)

    def _stats(self, p: Programme, key, n: int, from_wave: str, to_wave: str, jitter: float):
        mean, sd, d = p.scales[key]
        decay = {"post": 1.0, "followup": 0.6}[to_wave]
        sd_imp = sd * 0.8
        effect = d * sd_imp * (decay if from_wave == "pre" else -0.4) + jitter * sd_imp / 4
        start = mean + (effect if from_wave == "post" else 0.0)
        return Stats(n, start, sd, sd * 1.02, effect, sd_imp)

    def paired(self, p: Programme) -> None:
        for key in p.scales:
            instrument, scale = key
            _n, _sn, _c, _a, hib, low, high, _cit = SCALES[key]
            for from_wave, to_wave, from_baseline in COMPARISONS:

                def count(c, f=from_wave, t=to_wave):
                    return self._pairs(c, f, t)

                cohort_reasons = self._cohort_reasons(p, count)
                site_reasons = self._site_reasons(p, count)
                rows = []
                for level, site, cohort, cohorts in self.groups(p):
                    n, reason = self._group_reason(
                        level, site, cohort, cohorts, count, cohort_reasons, site_reasons
                    )
                    rows.append((level, site, cohort, None, None, n, reason))
                rows += self._attribute_rows(p, count)
                for level, site, cohort, attribute, value, n, reason in rows:
                    jitter = self.rng.uniform(-1, 1) if level != "programme" else 0.0
                    values = dict.fromkeys(PAIRED_STAT_COLUMNS)
                    shares: dict = dict.fromkeys(
                        ("share_reliably_improved", "share_reliably_unchanged",
                         "share_reliably_deteriorated")
                    )  # fmt: skip
                    rc_note = None
                    if reason is None and n >= 2:
                        values = _paired_values(
                            self._stats(p, key, n, from_wave, to_wave, jitter), hib
                        )
                        shares, rc_note = self._shares(n, values["d_z"])
                    self.add(
                        "paired_stats", level=level, programme_id=p.programme_id,
                        site=site if level in ("site", "cohort") else None,
                        cohort_id=cohort.cohort_id if cohort else None,
                        cohort_date=cohort.date if cohort else None, attribute=attribute,
                        attribute_value=value, instrument_id=instrument, scale_id=scale,
                        score_min=low, score_max=high, higher_is_better=hib,
                        from_wave=from_wave, to_wave=to_wave, is_from_baseline=from_baseline,
                        **values, reliability_source="published", rci_reliability=0.8,
                        **shares, reliable_change_note=rc_note, hidden_reason=reason,
                        note=None,
                    )  # fmt: skip

    def _attribute_rows(self, p: Programme, count) -> list[tuple]:
        """age_band values splitting the programme's pairs 50% / 35% / the rest."""
        total = sum(count(c) for c in p.cohorts)
        first = round(total * 0.5)
        second = round(total * 0.35)
        parts = {"18-34": first, "35-54": second, "55+": total - first - second}
        reasons = _hide_small(parts, self.k)
        return [
            ("attribute", None, None, "age_band", value, n, reasons[value])
            for value, n in parts.items()
        ]

    def _shares(self, n: int, d_z: float) -> tuple[dict, str | None]:
        improved = max(0, min(n, round(n * (0.15 + 0.3 * max(d_z, 0)))))
        deteriorated = max(0, min(n - improved, round(n * 0.06)))
        counts = {"improved": improved, "unchanged": n - improved - deteriorated,
                  "deteriorated": deteriorated}  # fmt: skip
        reasons = _hide_small(counts, self.k)
        shares = {
            f"share_reliably_{name}": (None if reasons[name] else round(count / n, 4))
            for name, count in counts.items()
        }
        note = None
        if any(reasons.values()):
            note = "some shares hidden: " + "; ".join(
                f"{name} {reason}" for name, reason in reasons.items() if reason
            )
        return shares, note

    # -------------------------------------------------------------- all available scores

    def wave_tables(self, p: Programme) -> None:
        reach = {
            (r["wave_id"], r["measure"]): r
            for r in self.rows["reach"]
            if r["programme_id"] == p.programme_id and r["level"] == "programme"
        }
        for key, (mean, sd, d) in p.scales.items():
            instrument, scale = key
            _n, _sn, _c, _a, hib, low, high, _cit = SCALES[key]
            means = {}
            for wave_id, _label, order in WAVES:
                row = reach[(wave_id, "responses")]
                n = row["n"]
                shift = {"pre": 0.0, "post": d * sd * 0.8, "followup": d * sd * 0.5}[wave_id]
                value = mean + (shift if hib else -shift)
                shown = n is not None
                half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n) if shown else None
                means[wave_id] = (n, value if shown else None)
                self.add(
                    "wave_means", programme_id=p.programme_id, instrument_id=instrument,
                    scale_id=scale, score_min=low, score_max=high, wave_id=wave_id,
                    wave_order=order, n=n, mean=round(value, 4) if shown else None,
                    sd=sd if shown else None,
                    ci_low=round(value - half, 4) if shown else None,
                    ci_high=round(value + half, 4) if shown else None,
                    hidden_reason=row["hidden_reason"], note=None,
                )  # fmt: skip
            for to_wave in ("post", "followup"):
                (n_from, m_from), (n_to, m_to) = means["pre"], means[to_wave]
                shown = m_from is not None and m_to is not None
                gain = ((m_to - m_from) if hib else (m_from - m_to)) if shown else None
                se = sd * math.sqrt(1 / n_from + 1 / n_to) if shown else None
                self.add(
                    "wave_comparison", programme_id=p.programme_id, instrument_id=instrument,
                    scale_id=scale, higher_is_better=hib, from_wave="pre", to_wave=to_wave,
                    n_from=n_from if shown else None, n_to=n_to if shown else None,
                    mean_from=m_from, mean_to=m_to if shown else None,
                    mean_improvement=gain,
                    improvement_ci_low=gain - 1.96 * se if shown else None,
                    improvement_ci_high=gain + 1.96 * se if shown else None,
                    welch_p=0.01 if shown else None, d_s=gain / sd if shown else None,
                    g_s=gain / sd * 0.99 if shown else None,
                    g_s_ci_low=gain / sd - 0.2 if shown else None,
                    g_s_ci_high=gain / sd + 0.2 if shown else None,
                    hidden_reason=None if shown else TOO_FEW, note=None,
                )  # fmt: skip
                linked = reach[(to_wave, "linked")]["n"]
                dropouts = (n_from - linked) if (linked is not None and n_from) else None
                show_attr = dropouts is not None and (dropouts == 0 or dropouts >= self.k)
                gap = 0.05 * sd * (3 if to_wave == "followup" else 1)
                self.add(
                    "attrition", programme_id=p.programme_id, instrument_id=instrument,
                    scale_id=scale, higher_is_better=hib, from_wave="pre", to_wave=to_wave,
                    n_completers=linked if show_attr else None,
                    n_dropouts=dropouts if show_attr else None,
                    mean_completers=mean + gap if show_attr else None,
                    sd_completers=sd if show_attr else None,
                    mean_dropouts=mean if show_attr else None,
                    sd_dropouts=sd if show_attr else None,
                    baseline_gap=gap if show_attr else None,
                    baseline_gap_ci_low=gap - 0.2 * sd if show_attr else None,
                    baseline_gap_ci_high=gap + 0.2 * sd if show_attr else None,
                    d_s=gap / sd if show_attr else None,
                    d_s_ci_low=gap / sd - 0.2 if show_attr else None,
                    d_s_ci_high=gap / sd + 0.2 if show_attr else None,
                    p=0.04 if show_attr and to_wave == "followup" else (
                        0.6 if show_attr else None),
                    follow_up_selected=(to_wave == "followup") if show_attr else None,
                    hidden_reason=None if show_attr else TOO_FEW, note=None,
                )  # fmt: skip
            for wave_id, _label, order in WAVES:
                n = means[wave_id][0]
                shown = n is not None
                alpha = 0.66 if instrument == "ucla3" else 0.84
                self.add(
                    "reliability", programme_id=p.programme_id, instrument_id=instrument,
                    scale_id=scale, wave_id=wave_id, wave_order=order,
                    n_complete=n if shown else None, n_items=6, alpha=alpha if shown else None,
                    alpha_ci_low=alpha - 0.04 if shown else None,
                    alpha_ci_high=alpha + 0.03 if shown else None,
                    omega_total=alpha + 0.01 if shown else None,
                    is_alpha_below_070=alpha < 0.7 if shown else None,
                    hidden_reason=None if shown else TOO_FEW, note=None,
                )  # fmt: skip

    # -------------------------------------------------------------- across cohorts

    def cohort_meta(self, p: Programme) -> None:
        for key in p.scales:
            instrument, scale = key
            for from_wave, to_wave, _fb in COMPARISONS:
                rows = [
                    r for r in self.rows["paired_stats"]
                    if r["programme_id"] == p.programme_id and r["level"] == "cohort"
                    and (r["instrument_id"], r["scale_id"]) == key
                    and (r["from_wave"], r["to_wave"]) == (from_wave, to_wave)
                ]  # fmt: skip
                shown = [r for r in rows if r["hidden_reason"] is None and r["d_z"] is not None]
                k = len(shown)
                values: dict = {}
                if k >= 2:
                    weights = [r["n_pairs"] for r in shown]
                    pooled = sum(w * r["d_z"] for w, r in zip(weights, shown, strict=True))
                    pooled /= sum(weights)
                    half = 1.96 / math.sqrt(sum(weights))
                    values = {
                        "pooled_d_z": pooled, "pooled_ci_low": pooled - half,
                        "pooled_ci_high": pooled + half, "pooled_hk_ci_low": pooled - 1.5 * half,
                        "pooled_hk_ci_high": pooled + 1.5 * half, "pooled_p": 0.001,
                        "q": 3.2, "q_df": k - 1, "q_p": 0.4, "i2_percent": 0.0, "tau2": 0.0,
                    }  # fmt: skip
                trend: dict = {"trend_reading": "No trend estimated: fewer than 3 cohorts."}
                if k >= 3:
                    trend = {
                        "trend_k": k, "trend_slope_per_year": 0.05, "trend_ci_low": -0.2,
                        "trend_ci_high": 0.3, "trend_p": 0.6, "is_trend_significant": False,
                        "trend_reading": "No clear trend over time: cohort effects changed by "
                        "+0.05 per year (95% CI -0.20 to +0.30).",
                    }  # fmt: skip
                left_out = len(rows) - k
                self.add(
                    "cohort_meta", programme_id=p.programme_id, instrument_id=instrument,
                    scale_id=scale, from_wave=from_wave, to_wave=to_wave,
                    n_cohorts=len(rows), k_cohorts_shown=k, k_cohorts_pooled=k,
                    n_pairs_pooled=sum(r["n_pairs"] for r in shown) if shown else None,
                    first_cohort_date=min((r["cohort_date"] for r in shown), default=None),
                    last_cohort_date=max((r["cohort_date"] for r in shown), default=None),
                    **values, **trend,
                    note=f"{left_out} hidden cohort(s) left out." if left_out else None,
                )  # fmt: skip

    # -------------------------------------------------------------- data quality

    def quality(self, p: Programme) -> None:
        size = sum(c.baseline for c in p.cohorts)
        for wave_id, _label, order in WAVES:
            excluded = {"preview": 2, "incomplete": max(1, size // 12), "duplicate_submission": 3}
            quarantined = {"out_of_range": 4 if size > 50 else 1, "unknown_cohort": 0}
            for measure, reasons in (("excluded", excluded), ("quarantined", quarantined)):
                hidden = _hide_small(reasons, self.k)
                total = sum(reasons.values())
                self.add(
                    "data_quality", programme_id=p.programme_id, wave_id=wave_id,
                    measure=measure, reason="all",
                    n_records=total if not 0 < total < self.k else None,
                    hidden_reason=TOO_FEW if 0 < total < self.k else None, note=None,
                )  # fmt: skip
                for reason, n in reasons.items():
                    self.add(
                        "data_quality", programme_id=p.programme_id, wave_id=wave_id,
                        measure=measure, reason=reason,
                        n_records=None if hidden[reason] else n,
                        hidden_reason=hidden[reason], note=None,
                    )  # fmt: skip
            if order == 0:
                continue
            reach = {
                r["measure"]: r
                for r in self.rows["reach"]
                if r["programme_id"] == p.programme_id and r["level"] == "programme"
                and r["wave_id"] == wave_id
            }  # fmt: skip
            responses, linked = reach["responses"]["n"], reach["linked"]["n"]
            statuses = {}
            if responses is not None and linked is not None:
                exact = round(linked * 0.85)
                statuses = {"exact": exact, "one_element": linked - exact,
                            "participant_id": 0, "ambiguous": 0,
                            "unmatched": responses - linked, "no_code": 0}  # fmt: skip
            hidden = _hide_small(statuses, self.k) if statuses else {}
            rows = [("all_responses", responses, reach["responses"]["hidden_reason"]),
                    ("linked", linked, reach["linked"]["hidden_reason"])]  # fmt: skip
            rows += [(s, None if hidden[s] else n, hidden[s]) for s, n in statuses.items()]
            for status, n, reason in rows:
                share = round(n / responses, 4) if n is not None and responses else None
                self.add(
                    "linkage_quality", programme_id=p.programme_id, wave_id=wave_id,
                    wave_order=order, link_status=status, n=n, share_of_responses=share,
                    hidden_reason=reason, note=None,
                )  # fmt: skip

    # -------------------------------------------------------------- finishing touches

    def mark_held(self) -> None:
        """One cohort's reach row shows the previous release's value (note); one hidden
        cohort change row says it is held."""
        for row in self.rows["reach"]:
            if row["level"] == "cohort" and row["n"] is not None and row["measure"] == "linked":
                row["note"] = HELD
                break
        for row in self.rows["paired_stats"]:
            if row["level"] == "cohort" and row["hidden_reason"] == SECONDARY:
                row["hidden_reason"] = HELD
                break

    def summary(self) -> None:
        tables = ["reach", "paired_stats", "wave_means", "wave_comparison", "attrition",
                  "reliability", "data_quality", "linkage_quality"]  # fmt: skip
        for table in tables:
            counts: dict[tuple[str, str], int] = {}
            for row in self.rows.get(table, []):
                if row["hidden_reason"]:
                    status = ("hidden", row["hidden_reason"])
                elif row["note"]:
                    status = ("held", row["note"])
                else:
                    status = ("shown", "(none)")
                counts[status] = counts.get(status, 0) + 1
            for (status, reason), n in sorted(counts.items()):
                self.add(
                    "disclosure_summary",
                    table_name=table,
                    status=status,
                    reason=reason,
                    n_cells=n,
                )

    def build(self) -> dict[str, list[dict]]:
        self.reference()
        for p in self.programmes:
            self.reach(p)
            self.paired(p)
        self.mark_held()
        for p in self.programmes:
            self.wave_tables(p)
            self.cohort_meta(p)
            self.quality(p)
        self.summary()
        return self.rows


def write_extract(
    path: Path,
    tiny: bool = False,
    min_cell_size: int = MIN_CELL_SIZE,
    programmes: list[Programme] | None = None,
    edit=None,
) -> Path:
    """Write a version-2 extract at `path`; `edit(rows)` may change the rows first."""
    chosen = programmes or (tiny_programmes() if tiny else default_programmes())
    rows = Builder(chosen, min_cell_size, seed=7).build()
    rows["meta"] = [
        {"key": key, "value": value}
        for key, value in {
            "project": "Ripple report test project",
            "built_at": "2026-11-20T09:30:00Z",
            "min_cell_size": str(min_cell_size),
            "pipeline_version": "0.1.0",
            "run_id": "run-report-0001",
            "extract_version": "2",
            "disclosure_method": "primary, complementary, ledger",
            "previous_run_id": "",
            "ledger_key_id": "test",
        }.items()
    ]
    if edit is not None:
        edit(rows)
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        for table, table_rows in rows.items():
            if not table_rows:
                continue
            columns = [r[0] for r in con.execute(f"describe {table}").fetchall()]
            marks = ", ".join("?" * len(columns))
            con.executemany(
                f"insert into {table} ({', '.join(columns)}) values ({marks})",
                [[row.get(c) for c in columns] for row in table_rows],
            )
    finally:
        con.close()
    return path
