"""Instrument definitions: the shipped YAML files are valid and carry the verified keys, and a
broken definition is rejected with a message that names the offending key."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.instruments import (
    BUILT_IN_DIR,
    InstrumentScoring,
    check_scoring,
    load_instrument,
    load_instrument_folders,
    load_instruments,
    load_project_instruments,
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


# ---- project instrument folders and scoring choices ------------------------------------


def test_a_project_folder_adds_instruments_to_the_built_in_library(tmp_path: Path) -> None:
    _write(tmp_path, VALID)
    instruments = load_instrument_folders([BUILT_IN_DIR, tmp_path])
    assert "demo" in instruments and "ribs" in instruments


def test_a_project_file_may_not_replace_a_built_in_definition(tmp_path: Path) -> None:
    raw = yaml.safe_load((INSTRUMENTS_DIR / "ucla3.yml").read_text(encoding="utf-8"))
    raw["scales"][0]["min_items"] = 2
    _write(tmp_path, raw, name="ucla3")
    with pytest.raises(ConfigError, match=r"'ucla3' is already defined in .*ucla3\.yml"):
        load_instrument_folders([BUILT_IN_DIR, tmp_path])


def test_an_identical_copy_of_a_built_in_file_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "ucla3.yml").write_bytes((INSTRUMENTS_DIR / "ucla3.yml").read_bytes())
    instruments = load_instrument_folders([BUILT_IN_DIR, tmp_path, BUILT_IN_DIR])
    assert instruments["ucla3"] == load_instrument(INSTRUMENTS_DIR / "ucla3.yml")


MINIMAL_CONFIG: dict[str, Any] = {
    "project": "Folders",
    "waves": [{"id": "pre", "label": "Before"}, {"id": "post", "label": "After"}],
    "programmes": [
        {
            "id": "p1",
            "name": "P",
            "approach": "contact-based",
            "audience": "adults",
            "instruments": ["demo"],
            "cohorts": [{"id": "c1", "site": "Leeds", "date": "2025-01-15"}],
        }
    ],
    "surveys": {
        "s": {
            "format": "csv",
            "submitted_at": "t",
            "cohort": "c",
            "sgic": [
                {"column": "a", "name": "a", "kind": "letter"},
                {"column": "b", "name": "b", "kind": "month"},
            ],
            "items": {"q": "demo_01"},
        }
    },
    "sources": [{"path": "x.csv", "survey": "s", "programme": "p1", "wave": "pre"}],
}


def _project(tmp_path: Path, **keys: Any) -> Path:
    path = tmp_path / "ripple.yml"
    path.write_text(yaml.safe_dump({**MINIMAL_CONFIG, **keys}), encoding="utf-8")
    return path


def test_project_instruments_are_the_library_plus_the_named_folders(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "more").mkdir()
    _write(tmp_path / "mine", VALID)
    other = copy.deepcopy(VALID) | {"id": "other"}
    other["items"] = [{"id": "other_01"}]
    other["scales"] = [dict(VALID["scales"][0], items=["other_01"], min_items=1)]
    _write(tmp_path / "more", other, name="other")
    loaded = load_config(_project(tmp_path, instruments_dir=["mine", "more"]))
    instruments = load_project_instruments(loaded)
    assert {"demo", "other", "cami40", "ribs"} <= set(instruments)


def test_without_a_project_folder_the_library_alone_is_used(tmp_path: Path) -> None:
    instruments = load_project_instruments(load_config(_project(tmp_path)))
    assert set(instruments) == set(EXPECTED_REVERSE)


def test_a_named_project_folder_must_exist(tmp_path: Path) -> None:
    loaded = load_config(_project(tmp_path, instruments_dir="missing_folder"))
    with pytest.raises(ConfigError, match="instruments_dir: instrument folder not found"):
        load_project_instruments(loaded)


def test_scoring_keys_must_be_instrument_ids_and_rules_known(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="scoring"):
        load_config(_project(tmp_path, scoring={"RIBS!": {"dont_know": "missing"}}))
    with pytest.raises(ConfigError, match=r"scoring\.ribs\.dont_know"):
        load_config(_project(tmp_path, scoring={"ribs": {"dont_know": "exclude"}}))


def test_scoring_is_checked_against_the_instruments(tmp_path: Path) -> None:
    instruments = load_instruments(INSTRUMENTS_DIR)
    with pytest.raises(ConfigError, match=re.escape("scoring.nope: unknown instrument 'nope'")):
        check_scoring({"nope": InstrumentScoring(dont_know="missing")}, instruments, tmp_path)
    with pytest.raises(
        ConfigError, match=re.escape("scoring.gbs.dont_know: 'gbs' has no neutral code")
    ):
        check_scoring({"gbs": InstrumentScoring(dont_know="midpoint")}, instruments, tmp_path)
    check_scoring({"ribs": InstrumentScoring(dont_know="missing")}, instruments, tmp_path)


def _table(tmp_path: Path, rows: list[tuple[Any, Any]], header: str = "raw_score,metric_score"):
    path = tmp_path / "table.csv"
    path.write_text(header + "\n" + "\n".join(f"{a},{b}" for a, b in rows) + "\n")
    return {"swemwbs": InstrumentScoring(conversion_tables={"metric": Path("table.csv")})}


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([(r, r) for r in range(7, 36)], "raw,metric", "columns ['raw_score', 'metric_score']"),
        ([(r, r) for r in range(7, 35)], "raw_score,metric_score", "each raw score 7..35"),
        ([(r, r) for r in range(7, 36)] + [(7, 7)], "raw_score,metric_score", "exactly once"),
        ([(r, r + 1) for r in range(7, 36)], "raw_score,metric_score", "must lie in 7..35"),
        ([(r, "n/a") for r in range(7, 36)], "raw_score,metric_score", "not numbers"),
    ],
)
def test_a_conversion_table_is_checked(tmp_path: Path, rows, header, message) -> None:
    scoring = _table(tmp_path, rows, header)
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        check_scoring(scoring, load_instruments(INSTRUMENTS_DIR), tmp_path)
    assert "scoring.swemwbs.conversion_tables.metric" in str(caught.value)


def test_a_conversion_table_becomes_reference_rows(tmp_path: Path) -> None:
    scoring = _table(tmp_path, [(r, r / 2 + 3.5) for r in range(7, 36)])
    instruments = load_instruments(INSTRUMENTS_DIR)
    check_scoring(scoring, instruments, tmp_path)
    frame = reference_frames(instruments, scoring, tmp_path)["instrument_conversions"]
    assert len(frame) == 29
    assert frame.set_index("raw_score").loc[21.0, "converted_score"] == 14.0


def test_cami12_items_are_rescaled_to_0_100() -> None:
    instrument = load_instrument(INSTRUMENTS_DIR / "cami12.yml")
    assert instrument.response_scale.item_score_bounds() == (0.0, 100.0)
    codes = instrument.response_scale.label_codes()
    assert codes["agree strongly"] == codes["strongly agree"] == 5
    assert codes["disagree strongly"] == codes["strongly disagree"] == 1


# ---- broken definitions -------------------------------------------------------------------

VALID: dict[str, Any] = {
    "id": "demo",
    "name": "Demo scale",
    "version": "1",
    "construct": "stigma",
    "citation": "Nobody. A demo scale. 2024.",
    "licence": "Test only.",
    "verification": "Test only.",
    "response_scale": {
        "min": 1,
        "max": 5,
        "labels": {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"},
        "aliases": {"Don't know": 3},
    },
    "items": [{"id": "demo_01"}, {"id": "demo_02", "reverse": True}, {"id": "demo_03"}],
    "scales": [
        {
            "id": "total",
            "name": "Total",
            "items": ["demo_01", "demo_02", "demo_03"],
            "aggregation": "sum",
            "min_items": 2,
            "higher_is_better": True,
        }
    ],
}


def _write(tmp_path: Path, raw: dict[str, Any], name: str = "demo") -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _broken(tmp_path: Path, change) -> str:
    raw = copy.deepcopy(VALID)
    change(raw)
    path = _write(tmp_path, raw)
    with pytest.raises(ConfigError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_the_valid_demo_definition_loads(tmp_path: Path) -> None:
    assert load_instrument(_write(tmp_path, VALID)).item_ids == ["demo_01", "demo_02", "demo_03"]


def test_duplicate_item_id_is_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, lambda raw: raw["items"].append({"id": "demo_01"}))
    assert "item ids must be unique" in message


def test_scale_listing_an_unknown_item_is_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, lambda raw: raw["scales"][0]["items"].append("demo_99"))
    assert "scale 'total'" in message
    assert "demo_99" in message


def test_min_items_above_the_number_of_items_is_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, lambda raw: raw["scales"][0].update(min_items=4))
    assert "scales.0" in message
    assert "min_items (4)" in message


def test_labels_not_covering_min_to_max_are_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, lambda raw: raw["response_scale"]["labels"].pop(4))
    assert "response_scale" in message
    assert "labels" in message


def test_alias_to_an_out_of_range_code_is_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, lambda raw: raw["response_scale"]["aliases"].update(Unsure=9))
    assert "response_scale" in message
    assert "aliases" in message
    assert "Unsure" in message


def test_item_text_on_an_instrument_without_shipped_wording_is_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, lambda raw: raw["items"][0].update(text="Some licensed wording"))
    assert "wording_shipped" in message


def test_unknown_top_level_key_is_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, lambda raw: raw.update(scoring_note="typo"))
    assert "scoring_note" in message
    assert "Extra inputs are not permitted" in message


def test_id_different_from_the_file_name_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID, name="other")
    with pytest.raises(ConfigError, match="must match the file name 'other'"):
        load_instrument(path)


def test_a_dont_know_code_off_the_midpoint_is_rejected(tmp_path: Path) -> None:
    message = _broken(
        tmp_path,
        lambda raw: raw["response_scale"].update(
            dont_know={"labels": ["Don't know"], "score_as": 2}
        ),
    )
    assert "dont_know.score_as (2) must be the middle code of 1..5 (3)" in message


def test_a_lookup_scale_needs_a_conversion_of_a_complete_sum(tmp_path: Path) -> None:
    def lookup_without_conversion(raw):
        raw["scales"].append(dict(raw["scales"][0], id="converted", aggregation="lookup"))

    assert "aggregation 'lookup' and a conversion go together" in _broken(
        tmp_path, lookup_without_conversion
    )

    def lookup_of_a_prorated_sum(raw):
        conversion = {
            "from_scale": "total",
            "raw_column": "raw",
            "score_column": "converted",
            "score_range": [0, 10],
            "source": "test",
        }
        raw["scales"].append(
            dict(raw["scales"][0], id="converted", aggregation="lookup", conversion=conversion)
        )

    assert "must need every item" in _broken(tmp_path, lookup_of_a_prorated_sum)


def test_a_reliability_outside_0_1_is_rejected(tmp_path: Path) -> None:
    message = _broken(
        tmp_path,
        lambda raw: raw["scales"][0].update(
            published_reliability={"value": 1.2, "statistic": "alpha", "source": "x"}
        ),
    )
    assert "scales.0.published_reliability.value" in message


def test_an_unknown_construct_is_rejected(tmp_path: Path) -> None:
    message = _broken(tmp_path, lambda raw: raw.update(construct="happiness"))
    assert "construct" in message
