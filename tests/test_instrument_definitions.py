"""A broken instrument definition is rejected with a message that names the offending key
and the file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.errors import ConfigError
from pipeline.instruments import load_instrument

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


def write_definition(tmp_path: Path, raw: dict[str, Any], name: str = "demo") -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _broken(tmp_path: Path, change) -> str:
    raw = copy.deepcopy(VALID)
    change(raw)
    path = write_definition(tmp_path, raw)
    with pytest.raises(ConfigError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_the_valid_demo_definition_loads(tmp_path: Path) -> None:
    assert load_instrument(write_definition(tmp_path, VALID)).item_ids == [
        "demo_01",
        "demo_02",
        "demo_03",
    ]


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
    path = write_definition(tmp_path, VALID, name="other")
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
