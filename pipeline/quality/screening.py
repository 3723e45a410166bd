"""One file's quality screening before validation: exclusion reasons, flags and counts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.config import Quality
from pipeline.instruments import Instrument
from pipeline.quality.exclusions import pre_validation_exclusions
from pipeline.quality.flags import flag_lists, numeric_codes, straight_lining
from pipeline.quality.speeders import speeder_rules

# Reasons decided before the speeder rule: these rows do not count towards a file's median.
EARLY_REASONS = {"preview", "test", "spam", "incomplete", "other_wave"}


@dataclass
class Screening:
    """Per row: exclusion reason (None = kept), quality flags (a list each), and per-file
    counts and warnings."""

    reasons: pd.Series
    flags: pd.Series
    codes: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def screen_rows(
    frame: pd.DataFrame,
    item_ids: list[str],
    dont_know: pd.DataFrame,
    quality: Quality,
    instruments: dict[str, Instrument],
) -> Screening:
    """Exclusions, speeder and straight-lining flags for one coded export.

    Args:
        frame: `CodedExport.frame`, with `duration_seconds` (NaN where unknown).
        item_ids: the mapped item ids; dont_know: their "don't know" masks.
    """
    reasons = pre_validation_exclusions(frame, quality, len(item_ids))
    if quality.exclude_empty and item_ids:
        empty = frame[item_ids].isna().all(axis=1) & ~dont_know[item_ids].any(axis=1)
        reasons = reasons.where(reasons.notna() | ~empty, "no_answers")
    codes = numeric_codes(frame, dont_know, item_ids)
    masks: dict[str, pd.Series] = {}
    counts: dict[str, int] = {}
    speeders = quality.speeders
    if speeders.action != "off" and "duration_seconds" in frame:
        eligible = ~reasons.isin(EARLY_REASONS)
        rules = speeder_rules(frame["duration_seconds"], eligible, len(item_ids), speeders)
        counts = {
            "speeders_below_floor": int(rules.below_floor.sum()),
            "speeders_below_median_fraction": int(rules.below_median.sum()),
        }
        if speeders.action == "flag":
            masks["speeder"] = rules.speeder
    if quality.straight_lining.action == "flag":
        masks["straight_lining"] = straight_lining(
            codes, instruments, quality.straight_lining.min_items
        )
    warnings = []
    superseded = int((reasons == "superseded_response").sum())
    if superseded:
        warnings.append(
            f"superseded_response: {superseded} record(s) repeat a response id with different "
            "answers; the latest submission of each was kept and the earlier excluded"
        )
    return Screening(reasons, flag_lists(masks, frame.index), codes, counts, warnings)
