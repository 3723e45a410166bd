"""Plausibility checks per file: signs that an export is coded, labelled or mapped wrongly
although every row passes validation. Each check warns (the default) or fails the file, as
the config says (`quality.plausibility`); a failed file fails the run, which publishes nothing.

- shifted_codes: an instrument's answers one below its lowest code (a 0 on a 1-5 scale) while
  its top code is almost never used, or one above its highest while its bottom code is almost
  never used: the export was coded 0-4, or recoded, instead of the instrument's 1-5.
- reversed_items: after reverse keying, an item correlating negatively with the rest of its
  instrument (item-rest correlation over complete responses): its codes run the wrong way.
- wave_dates: baseline responses dated well after their cohort's session, or later-wave
  responses dated before it: a post export configured as pre, or the reverse.
- typical_range: a wave's share of responses whose mean answer (after reverse keying) lies
  outside the instrument's typical range, where the config gives one.
- quarantine: the share of a file's records quarantined reaches the limit (by default: every
  record that reached validation was quarantined).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.config import Plausibility, Programme
from pipeline.instruments import Instrument
from pipeline.quality.flags import instrument_items

# A shifted export's other end is "almost never used" below this share of the answers.
RARE = 0.01


@dataclass(frozen=True)
class Finding:
    """One implausibility: the check, what it does (warn or fail) and what was seen."""

    check: str
    action: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


def keyed(codes: pd.DataFrame, instrument: Instrument, items: list[str], reverse: set[str]):
    """Codes after reverse keying (min + max - code), for the given items."""
    scale = instrument.response_scale
    block = codes[items]
    flipped = [i for i in items if i in reverse]
    if flipped:
        block = block.assign(**{i: scale.min + scale.max - block[i] for i in flipped})
    return block


def shifted_codes(
    codes: pd.DataFrame, instruments: dict[str, Instrument], min_share: float
) -> list[str]:
    """Instruments whose answer codes look shifted by one (see the module docstring)."""
    problems = []
    for instrument, items, _ in instrument_items(list(codes.columns), instruments).values():
        values = pd.Series(codes[items].to_numpy(dtype="float64").ravel()).dropna()
        if values.empty:
            continue
        share = values.value_counts(normalize=True)
        low, high = instrument.response_scale.min, instrument.response_scale.max

        def used(code: int, share: pd.Series = share) -> float:
            return float(share.get(float(code), 0.0))

        if used(low - 1) >= min_share and used(high) < RARE:
            problems.append(
                f"{used(low - 1):.0%} of the {instrument.id} answers are {low - 1} and almost "
                f"none is {high}, its highest code: the export looks coded {low - 1}-{high - 1} "
                f"instead of {low}-{high} (check the survey's recode values)"
            )
        elif used(high + 1) >= min_share and used(low) < RARE:
            problems.append(
                f"{used(high + 1):.0%} of the {instrument.id} answers are {high + 1} and almost "
                f"none is {low}, its lowest code: the export looks coded {low + 1}-{high + 1} "
                f"instead of {low}-{high} (check the survey's recode values)"
            )
    return problems


def item_rest_correlations(block: pd.DataFrame) -> pd.Series:
    """Each column's Pearson correlation with the sum of the other columns (NaN when either
    does not vary), over the complete rows."""
    values = block.dropna().to_numpy(dtype="float64")
    rest = values.sum(axis=1, keepdims=True) - values
    dx, dr = values - values.mean(axis=0), rest - rest.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (dx * dr).sum(axis=0) / np.sqrt((dx**2).sum(axis=0) * (dr**2).sum(axis=0))
    return pd.Series(r, index=block.columns)


def reversed_items(
    codes: pd.DataFrame, instruments: dict[str, Instrument], max_r: float, min_responses: int
) -> list[str]:
    """Items whose item-rest correlation after reverse keying is below `max_r`."""
    problems = []
    for instrument, items, reverse in instrument_items(list(codes.columns), instruments).values():
        scored = {i for scale in instrument.scales for i in scale.items}
        items = [i for i in items if i in scored]
        block = keyed(codes, instrument, items, reverse)
        complete = int(block.notna().all(axis=1).sum())
        if len(items) < 3 or complete < min_responses:
            continue
        r = item_rest_correlations(block)
        wrong = r[r < max_r]
        if not wrong.empty:
            listed = ", ".join(f"{item} (r = {value:.2f})" for item, value in wrong.items())
            problems.append(
                f"after reverse keying, {listed} correlate(s) negatively with the rest of "
                f"{instrument.id} over {complete} complete responses: the codes of these items "
                "may run the other way (a reversed scale, or items the platform already "
                "reverse-coded)"
            )
    return problems


def wave_dates(
    frame: pd.DataFrame, programme: Programme, baseline: str, tolerance: int, max_share: float
) -> list[str]:
    """Waves of the file whose responses are dated on the wrong side of their session."""
    sessions = {c.id: pd.Timestamp(c.date) for c in programme.cohorts}
    session = pd.to_datetime(frame["cohort"].map(sessions))
    submitted = pd.to_datetime(frame["submitted_at"], format="ISO8601").dt.normalize()
    days = (submitted - session).dt.days
    dated = days.notna() & frame["wave"].notna()
    if not dated.any():
        return []
    is_baseline = frame["wave"] == baseline
    misdated = (is_baseline & (days > tolerance)) | (~is_baseline & (days < -tolerance))
    shares = misdated[dated].groupby(frame.loc[dated, "wave"]).agg(["mean", "sum", "size"])
    problems = []
    for wave, (share, n, total) in shares.iterrows():
        if share <= max_share:
            continue
        if wave == baseline:
            what = f"after their cohort's session, though {baseline} is the baseline wave"
        else:
            what = f"before their cohort's session, though {wave} is a later wave"
        problems.append(
            f"{int(n)} of {int(total)} {wave} responses ({share:.0%}) are dated more than "
            f"{tolerance} day(s) {what}: is the file's wave right (a post export configured "
            "as pre, or the reverse)?"
        )
    return problems


def typical_range(
    codes: pd.DataFrame,
    waves: pd.Series,
    instruments: dict[str, Instrument],
    ranges: dict[str, tuple[float, float]],
    max_share: float,
) -> list[str]:
    """Waves where more than `max_share` of the responses' mean answers on an instrument
    (after reverse keying) lie outside the instrument's typical range."""
    problems = []
    for instrument, items, reverse in instrument_items(list(codes.columns), instruments).values():
        if instrument.id not in ranges:
            continue
        low, high = ranges[instrument.id]
        mean = keyed(codes, instrument, items, reverse).mean(axis=1)
        answered = mean.notna()
        outside = ((mean < low) | (mean > high))[answered]
        shares = outside.groupby(waves[answered]).mean()
        for wave, share in shares[shares > max_share].items():
            problems.append(
                f"{share:.0%} of the {wave} responses have a mean {instrument.id} answer "
                f"outside its typical range {low:g}-{high:g} (after reverse keying): is the "
                "scale coded or mapped as the instrument expects?"
            )
    return problems


def quarantine_share(considered: int, quarantined: int, limit: float) -> list[str]:
    """The file's quarantined share of the records not excluded, when it reaches `limit`."""
    if considered == 0 or quarantined / considered < limit:
        return []
    if quarantined == considered:
        return [
            f"every one of the {considered} record(s) that reached validation was quarantined "
            "(reasons below): does the survey mapping fit this export?"
        ]
    return [
        f"{quarantined} of {considered} records ({quarantined / considered:.0%}) were "
        f"quarantined, at or above the limit of {limit:.0%}"
    ]


def findings(
    check_frame: pd.DataFrame,
    candidate_codes: pd.DataFrame,
    valid_codes: pd.DataFrame,
    programme: Programme,
    baseline: str,
    instruments: dict[str, Instrument],
    policy: Plausibility,
    counts: tuple[int, int],
) -> list[Finding]:
    """Every check's findings for one file.

    Args:
        check_frame: the coded rows not excluded (cohort, wave, submitted_at).
        candidate_codes: their item answers as numbers (NaN: missing or don't know).
        valid_codes: the same for the rows that passed validation, with a `wave` column.
        counts: (records not excluded, records quarantined).
    """
    out: list[Finding] = []

    def add(check: str, action: str, messages: list[str]) -> None:
        out.extend(Finding(check, action, m) for m in messages)

    items = [c for c in valid_codes.columns if c != "wave"]
    checks = policy
    if checks.shifted_codes.action != "off":
        found = shifted_codes(candidate_codes, instruments, checks.shifted_codes.min_share)
        add("shifted_codes", checks.shifted_codes.action, found)
    if checks.reversed_items.action != "off":
        rev = checks.reversed_items
        found = reversed_items(
            valid_codes[items], instruments, rev.max_item_rest_r, rev.min_responses
        )
        add("reversed_items", rev.action, found)
    if checks.wave_dates.action != "off":
        wd = checks.wave_dates
        found = wave_dates(check_frame, programme, baseline, wd.tolerance_days, wd.max_share)
        add("wave_dates", wd.action, found)
    if checks.typical_range.action != "off" and checks.typical_range.ranges:
        tr = checks.typical_range
        found = typical_range(
            valid_codes[items], valid_codes["wave"], instruments, tr.ranges, tr.max_share
        )
        add("typical_range", tr.action, found)
    if checks.quarantine.action != "off":
        found = quarantine_share(*counts, checks.quarantine.max_share)
        add("quarantine", checks.quarantine.action, found)
    return out
