"""A failure injected at every file operation of `Releases.publish` (fresh folder, a folder
with a current release, and the migration of an earlier Ripple's real files), at every stage
of a publish and while pruning leaves the previous release current and byte-identical."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from pipeline import release
from pipeline.publish import EXTRACT_NAME
from pipeline.release import (
    DOCS_NAME,
    MANIFEST,
    PublishError,
    Releases,
    Retention,
)
from tests.publish_atomic.checks import (
    current_name,
    leftovers,
    tree_digest,
    visible_digest,
)
from tests.publish_atomic.synthetic import Faults, fake_release, legacy_folder


@pytest.mark.parametrize("start", ["fresh", "published", "legacy"])
def test_a_failure_at_every_file_operation_of_publish_leaves_the_previous_release(
    tmp_path, monkeypatch, start
):
    """Fail the 1st, 2nd, ... file operation of a publish until one runs clean. After each
    failure the previous state is current and byte-identical, nothing partial is visible,
    and the next run's clean-up removes every leftover. A failure after the pointer swap (the
    commit) leaves the new release current and complete instead."""
    template = tmp_path / "template"
    if start == "legacy":
        legacy_folder(template)
    elif start == "published":
        template.mkdir()
        first = Releases(template)
        first.publish(fake_release(first, "aaaaaaaa-first"), "aaaaaaaa-first")
    else:
        template.mkdir()

    attempt = 0
    while True:
        attempt += 1
        out = tmp_path / f"out{attempt}"
        shutil.copytree(template, out, symlinks=True)
        before_current, before_seen = current_name(out), visible_digest(out)
        before_release = tree_digest(out / "releases" / before_current) if before_current else {}
        releases = Releases(out)
        staging = fake_release(releases, "bbbbbbbb-second")
        faults = Faults(attempt)
        monkeypatch.setattr(release, "os", faults.wrap(os, "os"))
        monkeypatch.setattr(release, "shutil", faults.wrap(shutil, "shutil"))
        try:
            releases.publish(staging, "bbbbbbbb-second")
            failed = False
        except PublishError:
            failed = True
        finally:
            monkeypatch.setattr(release, "os", os)
            monkeypatch.setattr(release, "shutil", shutil)

        if faults.failed is None:  # every operation ran: the publish is complete
            assert not failed and attempt > 5
            break
        now = current_name(out)
        if failed:
            if start == "legacy":
                assert visible_digest(out) == before_seen, faults.failed
            else:
                assert now == before_current, faults.failed
                assert visible_digest(out) == before_seen, faults.failed
            if before_current:
                assert tree_digest(out / "releases" / before_current) == before_release
            assert now is None or "bbbbbbbb" not in now, faults.failed
        else:  # the fault hit after the commit (fsync of the folder): published anyway
            assert now is not None and now.endswith("bbbbbbbb"), faults.failed
            assert (out / EXTRACT_NAME).is_file()
        Releases(out).clean_leftovers()  # what the next run does first, holding the lock
        assert leftovers(out) == [], faults.failed
        assert visible_digest(out) == (before_seen if failed else visible_digest(out))
        visible = [p.name for p in (out / "releases").iterdir()] if now else []
        assert all((out / "releases" / n / MANIFEST).is_file() for n in visible)
        shutil.rmtree(out)

    assert current_name(out).endswith("bbbbbbbb")
    assert (out / DOCS_NAME / "index.html").read_text() == "<p>bbbbbbbb-second</p>"
    if start != "fresh":
        with duckdb.connect(
            str(out / "releases" / sorted(os.listdir(out / "releases"))[0] / EXTRACT_NAME),
            read_only=True,
        ) as con:
            assert con.execute("select value from meta").fetchone()[0] in ("old", "aaaaaaaa-first")


@pytest.mark.parametrize(
    "stage", ["adopted", "synced", "renamed", "linked", "pointer-staged", "swapped", "published"]
)
def test_a_failure_at_every_stage_of_publish(tmp_path, monkeypatch, stage):
    """A crash at a publish stage: before the swap the previous release (here adopted from
    real files, so every stage is reached) is what readers see; after it, the new one."""
    out = tmp_path / "out"
    legacy_folder(out)
    before_seen = visible_digest(out)
    releases = Releases(out)
    staging = fake_release(releases, "cccccccc-run")

    def crash(at: str) -> None:
        if at == stage:
            raise RuntimeError(f"crash at {at}")

    monkeypatch.setattr(release, "pause_point", crash)
    with pytest.raises(RuntimeError, match="crash at"):
        releases.publish(staging, "cccccccc-run")
    committed = release.STAGES.index(stage) >= release.STAGES.index("swapped")
    name = current_name(out)
    if committed:
        assert name.endswith("cccccccc") and (out / DOCS_NAME / "index.html").read_text() == (
            "<p>cccccccc-run</p>"
        )
    else:
        assert name is None or name.endswith("legacy")
        assert visible_digest(out) == before_seen
    Releases(out).clean_leftovers()
    assert leftovers(out) == []
    assert current_name(out) == name


def test_a_crash_while_pruning_leaves_the_current_release(tmp_path, monkeypatch):
    """Pruning renames an old release to .trash-* before deleting it; a crash in between
    leaves only hidden leftovers, which the next run removes."""
    out = tmp_path / "out"
    out.mkdir()
    releases = Releases(out)
    for run_id in ("00000001", "00000002"):
        releases.publish(fake_release(releases, run_id), run_id)
    current, seen = releases.current_name(), visible_digest(out)

    def crash(at: str) -> None:
        if at == "pruning":
            raise RuntimeError("crash at pruning")

    monkeypatch.setattr(release, "pause_point", crash)
    with pytest.raises(RuntimeError):
        releases.prune(Retention(keep=1, grace_seconds=0))
    assert releases.names() == [current] and visible_digest(out) == seen
    assert leftovers(out) and releases.clean_leftovers() and leftovers(out) == []
