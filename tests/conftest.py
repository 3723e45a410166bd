"""Shared fixtures: where the real third-party exports live, and the repository's paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.instruments import load_instruments

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "data" / "sample"
INSTRUMENTS_DIR = REPO / "instruments"
REAL_DATA_DIR = Path(
    os.environ.get("RIPPLE_REAL_DATA", REPO.parent / "shared" / "data" / "real")
).resolve()


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real exports (../shared/data/real); tests that need it skip without it."""
    if not REAL_DATA_DIR.is_dir():
        pytest.skip(
            f"real third-party exports not found at {REAL_DATA_DIR} "
            "(set RIPPLE_REAL_DATA to the shared/data/real folder to run this test)"
        )
    return REAL_DATA_DIR


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def instruments_dir() -> Path:
    return INSTRUMENTS_DIR


@pytest.fixture(scope="module")
def instruments(instruments_dir: Path) -> dict:
    """The committed instrument definitions, loaded afresh for each test module."""
    return load_instruments(instruments_dir)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


TEST_CONFIG = {
    "project": "Model tests",
    "waves": [
        {"id": "pre", "label": "Before"},
        {"id": "post", "label": "After"},
        {"id": "followup", "label": "Three months later"},
    ],
    "programmes": [
        {
            "id": "p1",
            "name": "Programme one",
            "approach": "contact-based",
            "audience": "adults",
            "instruments": ["cami12", "maks", "ribs", "gbs", "ucla3"],
            "cohorts": [
                {"id": f"c{n}", "site": "Leeds" if n % 2 else "Bristol", "date": f"2025-0{n}-15"}
                for n in range(1, 5)
            ],
        }
    ],
    "surveys": {
        "s": {
            "format": "csv",
            "values": "codes",
            "submitted_at": "t",
            "cohort": "c",
            "sgic": [
                {"column": "a", "name": "a", "kind": "letter"},
                {"column": "b", "name": "b", "kind": "month"},
            ],
            "items": {"q": "ribs_05"},
        }
    },
    "sources": [{"path": "x.csv", "survey": "s", "programme": "p1", "wave": "pre"}],
}


@pytest.fixture
def build_warehouse(tmp_path, instruments_dir):
    """Land the given response and item rows in an in-memory warehouse and build every model.

    responses: dicts with response_key, participant_key, cohort_id, wave_id (programme p1).
    items: dicts with response_key, item_id, raw_value.
    """
    import duckdb
    import pandas as pd
    import yaml

    from pipeline.config import load_config
    from pipeline.instruments import load_instruments
    from pipeline.transform.runner import build_models
    from pipeline.warehouse import create_schema, insert_frame, write_reference

    config_path = tmp_path / "ripple.yml"
    config_path.write_text(yaml.safe_dump(TEST_CONFIG), encoding="utf-8")
    loaded = load_config(config_path)
    lineage = {"run_id": "r", "source_sha256": "f", "source_row_number": 2}

    def build(responses: list[dict], items: list[dict], min_cell_size: int = 10):
        con = duckdb.connect()
        create_schema(con)
        write_reference(con, loaded, load_instruments(instruments_dir))
        landed = pd.DataFrame(responses).assign(
            programme_id="p1", submitted_month=pd.Timestamp("2025-01-01").date(), **lineage
        )
        if "sgic_status" not in landed:
            landed["sgic_status"] = landed["participant_key"].map(
                lambda k: "ok" if k else "missing"
            )
        insert_frame(con, "landing.responses", landed)
        insert_frame(con, "landing.item_responses", pd.DataFrame(items).assign(**lineage))
        build_models(con, min_cell_size)
        return con

    return build
