"""Scoring as the pipeline does (reverse keys, rescaling, missing-item rule), paired effect
sizes, and the calibration of each wave shift by bisection to its d_z target.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pipeline.instruments import Instrument, Scale

from .model import Model, answered_codes
from .programmes import ProgrammeSpec, target_of
from .rows import Row
from .settings import FOLLOWUP, POST


def score_scale(codes: np.ndarray, instrument: Instrument, scale: Scale) -> np.ndarray:
    """Scale scores of raw codes (rows x scale items, NaN = blank): reverse keys, rescaling,
    the missing-item rule, then a mean or a prorated sum. NaN where too few items answered."""
    rs = instrument.response_scale
    reverse = np.array(
        [next(i.reverse for i in instrument.items if i.id == s) for s in scale.items]
    )
    keyed = np.where(reverse, rs.min + rs.max - codes, codes)
    if rs.score_range:
        low, high = rs.score_range
        keyed = low + (keyed - rs.min) * (high - low) / (rs.max - rs.min)
    answered = (~np.isnan(keyed)).sum(axis=1)
    mean = np.nansum(keyed, axis=1) / np.maximum(answered, 1)
    value = mean if scale.aggregation == "mean" else mean * len(scale.items)
    return np.where(answered >= scale.min_items, value, np.nan)


def dz_of(pre: np.ndarray, post: np.ndarray) -> float:
    """Paired d_z of complete pairs: mean(change) / SD(change)."""
    change = (post - pre)[~np.isnan(pre) & ~np.isnan(post)]
    return float(change.mean() / change.std(ddof=1))


def paired_stats(pre: np.ndarray, post: np.ndarray) -> dict[str, float]:
    """d_z = mean(change) / SD(change), the pre-post correlation, n and means of complete pairs."""
    ok = ~np.isnan(pre) & ~np.isnan(post)
    a, b = pre[ok], post[ok]
    change = b - a
    return {
        "n_pairs": int(ok.sum()),
        "dz": float(change.mean() / change.std(ddof=1)),
        "r": float(np.corrcoef(a, b)[0, 1]),
        "mean_pre": float(a.mean()),
        "mean_wave": float(b.mean()),
        "mean_change": float(change.mean()),
        "sd_pre": float(a.std(ddof=1)),
        "sd_wave": float(b.std(ddof=1)),
        "sd_change": float(change.std(ddof=1)),
    }


def columns_of(model: Model, scale: Scale) -> list[int]:
    """Positions in `model.items` of a scale's items."""
    ids = [item_id for _, item_id in model.items]
    return [ids.index(item_id) for item_id in scale.items]


def calibrate(
    spec: ProgrammeSpec,
    model: Model,
    rows: list[Row],
    pairs: dict[str, list[tuple[int, int]]],
    instruments: dict[str, Instrument],
) -> dict[tuple[str, str, str], dict[str, float]]:
    """Bisect each dimension's wave shift so the linked pairs' d_z hits its target.

    Returns the in-memory realised statistics of every scale and comparison.
    """
    shifts = {(d, w): 0.0 for d in range(len(model.dims)) for w in (POST, FOLLOWUP)}
    realised = {}
    for wave in (POST, FOLLOWUP):
        pre_ids = np.array([a for a, _ in pairs[wave]])
        wave_ids = np.array([b for _, b in pairs[wave]])
        pre_codes = answered_codes(model, rows, pre_ids, shifts)
        for d, (name, scale_id) in enumerate(model.dims):
            instrument = instruments[name]
            scale = next(s for s in instrument.scales if s.id == scale_id)
            cols = columns_of(model, scale)
            pre = score_scale(pre_codes[:, cols], instrument, scale)
            target = target_of(spec, name, scale_id, wave)

            def gap(
                shift: float,
                key=(d, wave),
                cols=cols,
                ins=instrument,
                scale=scale,
                pre=pre,
                ids=wave_ids,
                target=target,
            ) -> float:
                codes = answered_codes(model, rows, ids, {**shifts, key: shift})[:, cols]
                return dz_of(pre, score_scale(codes, ins, scale)) - target

            shifts[(d, wave)] = bisect(gap)
        wave_codes = answered_codes(model, rows, wave_ids, shifts)
        for name in spec.instruments:
            instrument = instruments[name]
            for scale in instrument.scales:
                cols = columns_of(model, scale)
                realised[(name, scale.id, wave)] = paired_stats(
                    score_scale(pre_codes[:, cols], instrument, scale),
                    score_scale(wave_codes[:, cols], instrument, scale),
                )
    model.shifts = shifts
    return realised


def bisect(f: Callable[[float], float], low: float = -4.0, high: float = 4.0) -> float:
    """The root of a non-decreasing step function on [low, high] (to 1e-6)."""
    if f(low) > 0 or f(high) < 0:
        raise ValueError("target d_z out of reach of the latent model")
    while high - low > 1e-6:
        mid = (low + high) / 2
        low, high = (mid, high) if f(mid) < 0 else (low, mid)
    return (low + high) / 2
