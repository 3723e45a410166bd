"""The shipped instrument library: every YAML file is valid and carries the verified scoring
keys, scales, reliabilities and key status, and only public-domain wording is shipped. (Project
instrument folders and scoring choices: test_instrument_folders.py; broken definitions:
test_instrument_definitions.py.)"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.instruments import (
    InstrumentScoring,
    load_instrument,
    load_instruments,
    reference_frames,
)

INSTRUMENTS_DIR = Path(__file__).resolve().parents[1] / "instruments"
SHIPPED = sorted(INSTRUMENTS_DIR.glob("*.yml"))

# The scoring keys as written in each file (see its `verification` and `key_status` for how far
# each was checked). A change to a key must be made here too, on purpose, with its source
# recorded in the YAML.
EXPECTED_REVERSE = {
    "aq27": {7, 16, 26},
    "aq9": {6, 9},
    "bscs": set(),
    "cami12": {1, 2, 4, 5, 6, 11},
    "cami27": {1, 2, 3, 5, 6, 7, 13, 15, 16, 17, 22, 23, 24},
    "cami40": set(range(21, 41)),
    "gbs": {3, 4, 6, 7, 9, 12},
    "ismi10": {6, 10},
    "link_sds": set(),
    "maks": {6, 8, 12},
    "ribs": set(),
    "ribs_reported": set(),
    "swemwbs": set(),
    "ucla3": set(),
    "ucla3_4pt": set(),
}
EXPECTED_SCALES = {
    "aq27": {
        "responsibility": {10, 11, 23},
        "anger": {1, 4, 12},
        "pity": {9, 22, 27},
        "help": {8, 20, 21},
        "dangerousness": {2, 13, 18},
        "fear": {3, 19, 24},
        "avoidance": {7, 16, 26},
        "segregation": {6, 15, 17},
        "coercion": {5, 14, 25},
    },
    "aq9": {"total": set(range(1, 10))},
    "bscs": {
        "total": set(range(1, 9)),
        "needs_fulfilment": {1, 2},
        "group_membership": {3, 4},
        "influence": {5, 6},
        "emotional_connection": {7, 8},
    },
    "cami12": {
        "prejudice_exclusion": {1, 2, 4, 5, 6, 11},
        "tolerance_support": {3, 7, 8, 9, 10, 12},
    },
    "cami27": {"total": set(range(1, 28)) - {12}},
    "cami40": {
        "authoritarianism": set(range(1, 41, 4)),
        "benevolence": set(range(2, 41, 4)),
        "social_restrictiveness": set(range(3, 41, 4)),
        "community_mental_health_ideology": set(range(4, 41, 4)),
    },
    "gbs": {
        "total": set(range(1, 13)),
        "acceptance_inclusion": {1, 2, 5, 8, 10, 11},
        "rejection_exclusion": {3, 4, 6, 7, 9, 12},
    },
    "ismi10": {"internalised_stigma": set(range(1, 11))},
    "link_sds": {"social_distance": set(range(1, 8))},
    "maks": {"knowledge": {1, 2, 3, 4, 5, 6}},
    "ribs": {"intended_behaviour": {5, 6, 7, 8}},
    "ribs_reported": {},
    "swemwbs": {"raw": set(range(1, 8)), "metric": set(range(1, 8))},
    "ucla3": {"loneliness": {1, 2, 3}},
    "ucla3_4pt": {"loneliness": {1, 2, 3}},
}
# Published reliabilities used by reliable change, each read in the source the file cites.
EXPECTED_RELIABILITY = {
    ("cami40", "authoritarianism"): (0.68, "alpha"),
    ("cami40", "benevolence"): (0.76, "alpha"),
    ("cami40", "social_restrictiveness"): (0.80, "alpha"),
    ("cami40", "community_mental_health_ideology"): (0.88, "alpha"),
    ("gbs", "total"): (0.95, "alpha"),
    ("ismi10", "internalised_stigma"): (0.86, "ordinal_alpha"),
    ("ribs", "intended_behaviour"): (0.838, "icc"),
    ("ucla3", "loneliness"): (0.72, "alpha"),
    ("ucla3_4pt", "loneliness"): (0.72, "alpha"),
}
# Only public-domain wording may be shipped (MAKS, RIBS, KCL's CAMI versions, GBS, BSCS, AQ,
# SWEMWBS are not; the ISMI-10 is public domain but could not be checked word for word).
WORDING_SHIPPED = {"ucla3"}


def _number(item_id: str) -> int:
    return int(item_id.rsplit("_", 1)[1])


def test_the_library_ships_every_instrument() -> None:
    assert {path.stem for path in SHIPPED} == set(EXPECTED_REVERSE)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_definition_validates_and_its_id_matches_the_file_name(path: Path) -> None:
    instrument = load_instrument(path)
    assert instrument.id == path.stem
    assert instrument.verification.strip()
    assert instrument.citation.strip()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_reverse_keys_and_scale_items_are_the_verified_ones(path: Path) -> None:
    instrument = load_instrument(path)
    item_ids = set(instrument.item_ids)
    reverse = {item.id for item in instrument.items if item.reverse}
    assert reverse <= item_ids
    assert {_number(item_id) for item_id in reverse} == EXPECTED_REVERSE[instrument.id]
    scales = {scale.id: scale for scale in instrument.scales}
    assert set(scales) == set(EXPECTED_SCALES[instrument.id])
    for scale_id, numbers in EXPECTED_SCALES[instrument.id].items():
        assert set(scales[scale_id].items) <= item_ids
        assert {_number(item_id) for item_id in scales[scale_id].items} == numbers
        assert 1 <= scales[scale_id].min_items <= len(scales[scale_id].items)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_licensed_wording_is_never_shipped(path: Path) -> None:
    instrument = load_instrument(path)
    if instrument.id in WORDING_SHIPPED:
        assert instrument.wording_shipped
        assert all(item.text for item in instrument.items)
    else:
        assert not instrument.wording_shipped
        assert not any(item.text for item in instrument.items)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_published_reliability_is_the_one_read_in_the_source(path: Path) -> None:
    instrument = load_instrument(path)
    for scale in instrument.scales:
        declared = scale.published_reliability
        expected = EXPECTED_RELIABILITY.get((instrument.id, scale.id))
        if expected is None:
            assert declared is None, f"{instrument.id}.{scale.id}: add it to EXPECTED_RELIABILITY"
        else:
            assert declared is not None
            assert (declared.value, declared.statistic) == expected
            assert declared.source.strip()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_a_key_not_fully_verified_says_what_is_unverified(path: Path) -> None:
    instrument = load_instrument(path)
    if instrument.key_status != "verified":
        assert "NOT VERIFIED" in instrument.verification or "Not verified" in (
            instrument.verification
        )


def test_the_aq27_factors_use_every_item_once() -> None:
    instrument = load_instrument(INSTRUMENTS_DIR / "aq27.yml")
    members = [item for scale in instrument.scales for item in scale.items]
    assert sorted(members) == sorted(instrument.item_ids)


def test_the_cami40_subscales_use_every_item_once() -> None:
    instrument = load_instrument(INSTRUMENTS_DIR / "cami40.yml")
    members = [item for scale in instrument.scales for item in scale.items]
    assert sorted(members) == sorted(instrument.item_ids)


def test_ribs_reported_behaviour_is_loadable_but_not_scored() -> None:
    instrument = load_instrument(INSTRUMENTS_DIR / "ribs_reported.yml")
    assert instrument.scales == []
    codes = instrument.response_scale.label_codes()
    assert codes == {"no": 0, "yes": 1}
    assert instrument.response_scale.dont_know_labels() == {"don't know"}
    assert instrument.response_scale.dont_know is not None
    assert instrument.response_scale.dont_know.score_as is None


def test_swemwbs_metric_is_a_lookup_of_the_unprorated_raw_score() -> None:
    instrument = load_instrument(INSTRUMENTS_DIR / "swemwbs.yml")
    raw, metric = instrument.scale("raw"), instrument.scale("metric")
    assert raw.aggregation == "sum" and raw.min_items == 7
    assert metric.aggregation == "lookup" and metric.conversion is not None
    assert metric.conversion.from_scale == "raw"
    assert instrument.scale_bounds(metric) == (7.0, 35.0)
    assert not list(INSTRUMENTS_DIR.glob("*.csv")), "the conversion table is never shipped"


def test_reference_tables_carry_rules_reliability_and_key_status() -> None:
    instruments = load_instruments(INSTRUMENTS_DIR)
    frames = reference_frames(instruments, {"ribs": InstrumentScoring(dont_know="missing")})
    rules = dict(frames["instruments"][["instrument_id", "dont_know_rule"]].values)
    assert rules["ribs"] == "missing"  # the project's choice
    assert rules["maks"] == "midpoint"  # the instrument's default
    assert rules["ucla3"] == "missing"  # no don't-know option
    status = dict(frames["instruments"][["instrument_id", "key_status"]].values)
    assert status["swemwbs"] == "verified" and status["maks"] == "unverified"
    scales = frames["instrument_scales"].set_index(["instrument_id", "scale_id"])
    assert scales.loc[("ribs", "intended_behaviour"), "published_reliability"] == 0.838
    assert pd.isna(scales.loc[("maks", "knowledge"), "published_reliability"])
    assert scales.loc[("swemwbs", "metric"), "converted_from"] == "raw"
    assert frames["instrument_conversions"].empty


def test_cami12_items_are_rescaled_to_0_100() -> None:
    instrument = load_instrument(INSTRUMENTS_DIR / "cami12.yml")
    assert instrument.response_scale.item_score_bounds() == (0.0, 100.0)
    codes = instrument.response_scale.label_codes()
    assert codes["agree strongly"] == codes["strongly agree"] == 5
    assert codes["disagree strongly"] == codes["strongly disagree"] == 1
