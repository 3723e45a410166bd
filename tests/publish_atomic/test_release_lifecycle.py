"""A release's life: an earlier output folder adopted byte for byte, the dashboard following
the link to each new release, and old releases pruned by count and age since superseded,
never the current one."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pytest

from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME
from pipeline.release import (
    PUBLISHED,
    Releases,
    Retention,
)
from tests.publish_atomic.checks import (
    leftovers,
    visible_digest,
)
from tests.publish_atomic.synthetic import fake_release, legacy_folder


def test_migrating_an_earlier_output_folder_keeps_every_byte(tmp_path, monkeypatch):
    """Real files at the stable paths are adopted as a release (hard links), replaced by
    links (the Data Docs folder by an atomic exchange), and a reader holding the old file
    open is not disturbed; the old code's temporary files are removed."""
    out = tmp_path / "out"
    legacy_folder(out)
    before = visible_digest(out)
    inode = (out / WAREHOUSE_NAME).stat().st_ino
    with duckdb.connect(str(out / EXTRACT_NAME), read_only=True) as reader:
        releases = Releases(out)
        assert releases.previous_warehouse() == out / WAREHOUSE_NAME
        releases.clean_leftovers()
        assert not (out / "ripple.duckdb.tmp").exists()
        releases.publish(fake_release(releases, "dddddddd-new"), "dddddddd-new")
        assert reader.execute("select value from meta").fetchone() == ("old",)
    names = sorted(os.listdir(out / "releases"))
    assert len(names) == 2 and names[0].endswith("-legacy") and names[1].endswith("dddddddd")
    adopted = out / "releases" / names[0]
    assert (adopted / WAREHOUSE_NAME).stat().st_ino == inode
    assert visible_digest(adopted) == before  # the same layout inside the release
    assert all((out / name).is_symlink() for name in PUBLISHED)
    assert Releases(out).previous_warehouse() == out / "releases" / names[1] / WAREHOUSE_NAME


def test_the_dashboard_follows_the_link_to_each_new_release(tmp_path):
    """dashboard.queries resolves <out>/dashboard.duckdb per query: a new release shows up on
    the next query (a new cache key), with no restart and no cache clearing."""
    from dashboard import queries

    out = tmp_path / "out"
    out.mkdir()
    releases = Releases(out)
    releases.publish(fake_release(releases, "eeeeeeee-one"), "eeeeeeee-one")
    assert queries.meta_value(out / EXTRACT_NAME, "run_id") == "eeeeeeee-one"
    releases.publish(fake_release(releases, "ffffffff-two"), "ffffffff-two")
    assert queries.meta_value(out / EXTRACT_NAME, "run_id") == "ffffffff-two"
    path, _ = queries.snapshot(out / EXTRACT_NAME)
    assert Path(path) == (releases.current() / EXTRACT_NAME).resolve()


def test_pruning_keeps_the_last_releases_and_those_superseded_within_the_grace(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    releases = Releases(out)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    minutes = [0, 10, 20, 100, 110, 115]
    for n, minute in enumerate(minutes):
        run_id = f"{n:08d}"
        releases.publish(
            fake_release(releases, run_id), run_id, start + dt.timedelta(minutes=minute)
        )
    names = releases.names()
    now = start + dt.timedelta(minutes=120)
    # keep 2 (minutes 110, 115) and grace 60 min: minute 20 (superseded at 100) and minute 100
    # (superseded at 110) stay too; minutes 0 and 10 (superseded at 10 and 20) go.
    pruned = releases.prune(Retention(keep=2, grace_seconds=3600), now)
    assert pruned == names[:2]
    assert releases.names() == names[2:]
    assert releases.prune(Retention(keep=1, grace_seconds=0), now) == names[2:5]
    assert releases.names() == [names[5]] == [releases.current_name()]
    assert leftovers(out) == []


def test_retention_from_the_environment():
    assert Retention.from_env({}) == Retention(keep=3, grace_seconds=3600)
    assert Retention.from_env(
        {"RIPPLE_KEEP_RELEASES": "5", "RIPPLE_RELEASE_GRACE_MINUTES": "0.5"}
    ) == Retention(5, 30)
    from pipeline.errors import ConfigError

    for bad in ({"RIPPLE_KEEP_RELEASES": "0"}, {"RIPPLE_RELEASE_GRACE_MINUTES": "soon"}):
        with pytest.raises(ConfigError):
            Retention.from_env(bad)
