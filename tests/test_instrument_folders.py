"""Project instrument folders and scoring choices: a project's folders add to the built-in
library (never replace it), and `scoring` (don't-know rules, conversion tables) is checked
against the instruments."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

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
from tests.test_instrument_definitions import VALID, write_definition
from tests.test_instruments import EXPECTED_REVERSE, INSTRUMENTS_DIR


def test_a_project_folder_adds_instruments_to_the_built_in_library(tmp_path: Path) -> None:
    write_definition(tmp_path, VALID)
    instruments = load_instrument_folders([BUILT_IN_DIR, tmp_path])
    assert "demo" in instruments and "ribs" in instruments


def test_a_project_file_may_not_replace_a_built_in_definition(tmp_path: Path) -> None:
    raw = yaml.safe_load((INSTRUMENTS_DIR / "ucla3.yml").read_text(encoding="utf-8"))
    raw["scales"][0]["min_items"] = 2
    write_definition(tmp_path, raw, name="ucla3")
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
    write_definition(tmp_path / "mine", VALID)
    other = copy.deepcopy(VALID) | {"id": "other"}
    other["items"] = [{"id": "other_01"}]
    other["scales"] = [dict(VALID["scales"][0], items=["other_01"], min_items=1)]
    write_definition(tmp_path / "more", other, name="other")
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
