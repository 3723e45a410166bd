"""The committed sample (three programmes, 21 cohorts, linkage statuses, data quality) through
the real pipeline: its extract is attacked by subtraction and swept for small counts, and a
second run on the same exports publishes exactly the same numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.config import load_config
from pipeline.instruments import load_project_instruments
from pipeline.keys import Key
from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME, build_extract
from pipeline.run import run_project
from tests.disclosure.attacker import across, read_release, sweep, within

KEY = Key(b"s" * 32)


@pytest.fixture(scope="module")
def sample_releases(sample_dir, tmp_path_factory):
    """The sample published once, and its extract built again from the same warehouse on top
    of the first (as a run with no new exports would)."""
    out = tmp_path_factory.mktemp("sample") / "out"
    loaded = load_config(sample_dir / "ripple.yml")
    run_project(loaded, KEY, out)
    first = Path(shutil.copy2((out / EXTRACT_NAME).resolve(), out.parent / "r0"))
    with duckdb.connect(str(first), read_only=True) as con:
        meta = dict(con.execute("select key, value from meta").fetchall())
    second = out.parent / "r1"
    meta = {k: meta[k] for k in ("project", "built_at", "min_cell_size", "pipeline_version")}
    warehouse = (out / WAREHOUSE_NAME).resolve()
    instruments = load_project_instruments(loaded)
    build_extract(second, warehouse, {**meta, "run_id": "again"}, first, KEY, instruments)
    return [first, second]


def test_the_sample_extract_resists_subtraction_and_shows_no_small_group(sample_releases):
    first = sample_releases[0]
    assert within(read_release(first)) == []
    assert sweep(first) == []


def test_the_headline_numbers_survive_disclosure_control(sample_releases):
    """Every programme keeps its reach, retention and paired change from the baseline."""
    with duckdb.connect(str(sample_releases[0]), read_only=True) as con:
        hidden = con.execute(
            "select count(*) from paired_stats where level = 'programme' and is_from_baseline "
            "and hidden_reason is not null"
        ).fetchone()[0]
        reach = con.execute(
            "select count(*) from reach where level = 'programme' and hidden_reason is not null "
            "and (measure = 'linked' or wave_order = 0)"
        ).fetchone()[0]
    assert (hidden, reach) == (0, 0)


def test_the_same_exports_again_publish_the_same_numbers(sample_releases):
    first, second = (read_release(p) for p in sample_releases)
    assert across(first, second) == []
    assert first.shown == second.shown
    with duckdb.connect(str(sample_releases[1]), read_only=True) as con:
        held = con.execute("select count(*) from paired_stats where note is not null")
        assert held.fetchone() == (0,)
