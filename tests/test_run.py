"""pipeline.run and pipeline.publish: a run is all or nothing, published as one release, and
the dashboard extract carries only what may be shown. (Atomic publishing in depth:
tests/publish_atomic/; the run lock: test_lock.py.)"""

import hashlib
import os
from pathlib import Path

import duckdb
import pytest

from pipeline import run as run_module
from pipeline.config import load_config
from pipeline.errors import DataError
from pipeline.keys import Key
from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME
from pipeline.run import run_project, validate_project
from tests.sample_project import small_project

KEY = Key(b"r" * 32)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_validate_writes_nothing(tmp_path, sample_dir):
    loaded = load_config(small_project(tmp_path, sample_dir))
    report = validate_project(loaded, KEY, tmp_path / "out")
    assert report.ok and report.totals()["rows_loaded"] > 0
    assert not (tmp_path / "out").exists()


def test_a_failure_while_building_leaves_the_published_files_untouched(
    tmp_path, sample_dir, monkeypatch
):
    """Fault injection: the second run fails half-way through building the warehouse."""
    loaded = load_config(small_project(tmp_path, sample_dir))
    out = tmp_path / "out"
    run_project(loaded, KEY, out)
    before = {name: digest(out / name) for name in (WAREHOUSE_NAME, EXTRACT_NAME)}

    def broken_build(con, *args, **kwargs):
        con.execute("create table half_built as select 1 as x")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(run_module, "build_models", broken_build)
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_project(loaded, KEY, out, rebuild=True)
    assert {name: digest(out / name) for name in before} == before
    assert not [p for p in out.rglob(".*") if p.name != ".ripple.lock"]  # no partial release
    assert len(list((out / "releases").iterdir())) == 1
    assert (out / "data_docs" / "index.html").exists()


def test_a_run_publishes_a_release_behind_stable_links(tmp_path, sample_dir):
    """<out>/ripple.duckdb, dashboard.duckdb and data_docs are links through <out>/current to
    the run's release folder; the report names the stable paths and the release."""
    loaded = load_config(small_project(tmp_path, sample_dir))
    out = tmp_path / "out"
    report = run_project(loaded, KEY, out)
    release = out / "releases" / Path(report.outputs["release"]).name
    assert (out / "current").resolve() == release.resolve()
    for name in (WAREHOUSE_NAME, EXTRACT_NAME, "data_docs"):
        assert (out / name).is_symlink() and (out / name).resolve() == (release / name).resolve()
    assert report.outputs["warehouse"] == str(out / WAREHOUSE_NAME)
    assert release.name.endswith(report.run_id[:8])
    assert (out / ".ripple.lock").read_text() == ""


def test_the_extract_hides_every_statistic_of_a_small_group(tmp_path, sample_dir):
    """With min_cell_size 150, the peer-support follow-up (about 105 pairs) and every cohort
    are 'too few people': their statistics are NULL in the extract (old and new tables) but
    kept for researchers; nothing shown describes fewer than 150 people."""
    loaded = load_config(small_project(tmp_path, sample_dir, min_cell_size=150))
    out = tmp_path / "out"
    run_project(loaded, KEY, out)
    with duckdb.connect(str(out / EXTRACT_NAME), read_only=True) as con:
        hidden = con.execute(
            "select count(*), count(n_pairs), count(mean_change), count(d_z) "
            "from paired_change where is_suppressed"
        ).fetchone()
        cohorts = con.execute(
            "select count(*), bool_and(is_suppressed) from cohort_change"
        ).fetchone()
        small = con.execute(
            "select count(*), count(n_pairs), count(mean_improvement), count(d_z), "
            "count(share_reliably_improved), bool_and(hidden_reason = 'too few people') "
            "from paired_stats where level = 'cohort' or to_wave = 'followup'"
        ).fetchone()
        shown_small = con.execute(
            "select count(*) from paired_stats where n_pairs < 150"
        ).fetchone()
        meta = dict(con.execute("select key, value from meta").fetchall())
    assert hidden[0] > 0 and hidden[1:] == (0, 0, 0)
    assert cohorts[0] > 0 and cohorts[1] is True
    assert small[0] > 0 and small[1:] == (0, 0, 0, 0, True)
    assert shown_small == (0,)
    assert meta["min_cell_size"] == "150" and meta["extract_version"] == "2"
    with duckdb.connect(str(out / WAREHOUSE_NAME), read_only=True) as con:
        kept = con.execute(
            "select count(n_pairs) from mart_paired_change where is_suppressed"
        ).fetchone()
    assert kept[0] > 0 and kept[0] <= hidden[0]


def test_a_rejected_run_says_nothing_was_published(tmp_path, sample_dir, monkeypatch):
    """A data error after the exports were read (here: the warehouse check) ends the run with
    one message that says the run failed and nothing was published; no release appears."""
    loaded = load_config(small_project(tmp_path, sample_dir))
    out = tmp_path / "out"

    def reject(path, report):
        raise DataError("the warehouse does not add up")

    monkeypatch.setattr(run_module, "verify_warehouse", reject)
    with pytest.raises(DataError, match=r"add up; the run failed and nothing was published$"):
        run_project(loaded, KEY, out)
    assert not (out / WAREHOUSE_NAME).exists() and os.listdir(out / "releases") == []
