"""The sample's fixed settings: the seed, where files go, the waves and the sites."""

from __future__ import annotations

from pathlib import Path

SEED = 20250114
SAMPLE_DIR = Path(__file__).resolve().parents[1]  # this file is data/sample/generator/settings.py
REPO = SAMPLE_DIR.parents[1]
INSTRUMENTS_DIR = REPO / "instruments"
TOLERANCE = 0.1  # realised d_z must be within this of its target
CONFIG_NAME = "ripple.yml"
MANIFEST_NAME = "manifest.json"
EXPORTS = "exports"

WAVES = {
    "pre": "Before the session",
    "post": "Straight after the session",
    "followup": "Three-month follow-up",
}
BASELINE, POST, FOLLOWUP = WAVES
SITES = {  # site -> (cohort-id code, latitude, longitude of the city centre)
    "Leeds": ("LEE", 53.7997, -1.5492),
    "Bristol": ("BRI", 51.4545, -2.5879),
    "Glasgow": ("GLA", 55.8642, -4.2518),
    "Cardiff": ("CAR", 51.4816, -3.1791),
    "Belfast": ("BEL", 54.5973, -5.9301),
}
