"""Instrument definitions: the shipped YAML files are valid and carry the verified keys, and a
broken definition is rejected with a message that names the offending key."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.errors import ConfigError
from pipeline.instruments import load_instrument

INSTRUMENTS_DIR = Path(__file__).resolve().parents[1] / "instruments"
SHIPPED = sorted(INSTRUMENTS_DIR.glob("*.yml"))

# The scoring keys as verified in each file's `verification` field. A change to a key must be
# made here too, on purpose, with its source recorded in the YAML.
EXPECTED_REVERSE = {
    "cami12": {1, 2, 4, 5, 6, 11},
    "gbs": {3, 4, 6, 7, 9, 12},
    "maks": {6, 8, 12},
    "ribs": set(),
    "ucla3": set(),
}
EXPECTED_SCALES = {
    "cami12": {
        "prejudice_exclusion": {1, 2, 4, 5, 6, 11},
        "tolerance_support": {3, 7, 8, 9, 10, 12},
    },
    "gbs": {
        "total": set(range(1, 13)),
        "acceptance_inclusion": {1, 2, 5, 8, 10, 11},
        "rejection_exclusion": {3, 4, 6, 7, 9, 12},
    },
    "maks": {"knowledge": {1, 2, 3, 4, 5, 6}},
    "ribs": {"intended_behaviour": {5, 6, 7, 8}},
    "ucla3": {"loneliness": {1, 2, 3}},
}
# Only public-domain wording may be shipped (MAKS, RIBS, KCL's CAMI versions and GBS are not).
WORDING_SHIPPED = {"ucla3"}


def _number(item_id: str) -> int:
    return int(item_id.rsplit("_", 1)[1])


def test_the_five_instruments_are_shipped() -> None:
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
