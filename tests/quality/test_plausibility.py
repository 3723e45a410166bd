"""pipeline.quality.plausibility: each check finds what it should and nothing in good data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipeline.config import Plausibility, Programme, ProjectConfig, Quality
from pipeline.quality.plausibility import (
    findings,
    quarantine_share,
    reversed_items,
    shifted_codes,
    typical_range,
    wave_dates,
)

CAMI = [f"cami12_{n:02d}" for n in range(1, 13)]
REVERSE = {"cami12_01", "cami12_02", "cami12_04", "cami12_05", "cami12_06", "cami12_11"}


def attitudes(n: int = 200, seed: int = 1) -> pd.DataFrame:
    """CAMI-12 codes driven by one latent, mostly positive attitude: plain items agree with
    it, reverse-keyed items disagree, as in a correctly coded export."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 1))
    noise = rng.normal(scale=0.7, size=(n, 12))
    sign = np.array([-1 if item in REVERSE else 1 for item in CAMI])
    codes = np.clip(np.rint(3 + sign * (latent + 0.8) + noise), 1, 5)
    return pd.DataFrame(codes, columns=CAMI)


def test_good_data_raises_nothing(instruments):
    codes = attitudes()
    assert shifted_codes(codes, instruments, 0.05) == []
    assert reversed_items(codes, instruments, -0.2, 30) == []


def test_codes_shifted_down_or_up_are_found(instruments):
    codes = attitudes()
    (down,) = shifted_codes(codes - 1, instruments, 0.05)
    assert "cami12 answers are 0" in down and "coded 0-4 instead of 1-5" in down
    (up,) = shifted_codes(codes + 1, instruments, 0.05)
    assert "cami12 answers are 6" in up and "coded 2-6 instead of 1-5" in up
    stray = codes.copy()
    stray.iloc[:3, 0] = 0  # a few out-of-range codes are quarantined, not a shifted export
    assert shifted_codes(stray, instruments, 0.05) == []


def test_items_coded_the_other_way_are_found(instruments):
    codes = attitudes()
    codes["cami12_03"] = 6 - codes["cami12_03"]
    (problem,) = reversed_items(codes, instruments, -0.2, 30)
    assert problem.startswith("after reverse keying, cami12_03 (r = -")
    # too few complete responses to judge
    assert reversed_items(codes.head(20), instruments, -0.2, 30) == []


def test_typical_range_by_wave(instruments):
    codes = attitudes()
    waves = pd.Series(["pre"] * 100 + ["post"] * 100)
    assert typical_range(codes, waves, instruments, {"cami12": (1, 5)}, 0.5) == []
    reversed_scale = 6 - codes  # a whole export coded 1 = agree strongly
    reversed_scale.iloc[100:] = codes.iloc[100:]
    (problem,) = typical_range(reversed_scale, waves, instruments, {"cami12": (3, 5)}, 0.5)
    assert "of the pre responses have a mean cami12 answer outside" in problem


PROGRAMME = Programme(
    id="p",
    name="p",
    approach="a",
    audience="a",
    instruments=["cami12"],
    cohorts=[{"id": "C1", "site": "s", "date": dt.date(2025, 3, 10)}],
)


def test_wave_dates():
    programme = PROGRAMME
    frame = pd.DataFrame(
        {
            "cohort": ["C1"] * 4 + ["unknown"],
            "wave": ["post"] * 5,
            "submitted_at": [
                "2025-03-03T10:00:00",
                "2025-03-04T10:00:00",
                "2025-03-09T23:00:00",  # within the tolerance of a day
                "2025-03-10T12:00:00",
                "2025-01-01T10:00:00",  # no known session: not counted
            ],
        }
    )
    (problem,) = wave_dates(frame, programme, "pre", 1, 0.2)
    assert problem.startswith("2 of 4 post responses (50%) are dated more than 1 day(s) before")
    assert wave_dates(frame, programme, "pre", 1, 0.5) == []
    assert wave_dates(frame.assign(wave="pre"), programme, "pre", 1, 0.2) == []


def test_quarantine_share():
    assert quarantine_share(0, 0, 1.0) == []
    assert quarantine_share(10, 9, 1.0) == []
    assert quarantine_share(10, 10, 1.0)[0].startswith("every one of the 10 record(s)")
    assert quarantine_share(10, 5, 0.5) == [
        "5 of 10 records (50%) were quarantined, at or above the limit of 50%"
    ]


def test_checks_turned_off_find_nothing(instruments):
    codes = attitudes() - 1
    off = Plausibility.model_validate(
        {name: {"action": "off"} for name in Plausibility.model_fields}
    )
    frame = pd.DataFrame({"cohort": [], "wave": [], "submitted_at": []})
    assert (
        findings(frame, codes, codes.assign(wave="pre"), PROGRAMME, "pre", instruments, off, (1, 1))
        == []
    )
    found = findings(
        frame,
        codes,
        codes.assign(wave="pre"),
        PROGRAMME,
        "pre",
        instruments,
        Plausibility(),
        (1, 1),
    )
    assert [(f.check, f.action) for f in found] == [
        ("shifted_codes", "warn"),
        ("quarantine", "fail"),
    ]


def test_defaults_keep_a_first_release_config_valid():
    quality = Quality.model_validate({"exclude_unfinished": True, "min_progress": 100})
    assert quality.speeders.action == "flag" and quality.duplicate_submissions == "latest"
    assert quality.plausibility.quarantine.action == "fail"
    with pytest.raises(ValueError, match="low <= high"):
        Quality.model_validate({"plausibility": {"typical_range": {"ranges": {"cami12": [4, 2]}}}})
    assert "quality" in ProjectConfig.model_fields
