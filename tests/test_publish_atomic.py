"""Atomic publish (issue 6 item 5): a run's warehouse, dashboard extract and Data Docs become
current together, with one pointer swap, or not at all.

- a failure injected at every file operation of `Releases.publish` (fresh folder, a folder with
  a current release, and the migration of an earlier Ripple's real files) and at every named
  stage of a real run leaves the previous release current and byte-identical;
- a real `kill -9` of `ripple run` at every stage (RIPPLE_TEST_PAUSE_AT) and after spread-out
  delays leaves a complete, consistent current release, and the next run succeeds;
- a reader process querying the stable paths in a loop while runs publish never sees an error
  and sees each new release without reconnecting anything but its per-query connection;
- old releases are pruned by age since superseded and count, never the current one.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
import yaml

from pipeline import release
from pipeline.config import load_config
from pipeline.keys import Key
from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME
from pipeline.release import (
    CURRENT,
    DOCS_NAME,
    MANIFEST,
    PUBLISHED,
    PublishError,
    Releases,
    Retention,
)
from pipeline.run import run_project

KEY = Key(b"r" * 32)
KEY_HEX = "72" * 32
RIPPLE = Path(sys.executable).with_name("ripple")


# helpers


def small_project(tmp_path: Path, sample_dir: Path) -> Path:
    """The sample's peer-support programme alone (three small Qualtrics files)."""
    config = yaml.safe_load((sample_dir / "ripple.yml").read_text(encoding="utf-8"))
    config["instruments_dir"] = str(sample_dir.parents[1] / "instruments")
    config["sources"] = [
        {**s, "path": str(sample_dir / s["path"])}
        for s in config["sources"]
        if s["programme"] == "peer_support"
    ]
    path = tmp_path / "ripple.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder` (not following symlinks inside it)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def visible_digest(out: Path) -> dict[str, str]:
    """What a reader sees through the stable paths: the databases and the Data Docs."""
    seen = {}
    for name in (WAREHOUSE_NAME, EXTRACT_NAME):
        if (out / name).exists():
            seen[name] = hashlib.sha256((out / name).read_bytes()).hexdigest()
    if (out / DOCS_NAME).exists():
        seen.update({f"{DOCS_NAME}/{k}": v for k, v in tree_digest(out / DOCS_NAME).items()})
    return seen


def current_name(out: Path) -> str | None:
    return Releases(out).current_name()


def assert_consistent(out: Path) -> str:
    """The current release is complete and the stable paths all show it; returns its run id."""
    folder = Releases(out).current()
    assert folder is not None, sorted(p.name for p in out.iterdir())
    manifest = json.loads((folder / MANIFEST).read_text())
    for name in PUBLISHED:
        assert os.readlink(out / name) == f"{CURRENT}/{name}"
        assert (out / name).resolve() == (folder / name).resolve()
    with duckdb.connect(str(out / WAREHOUSE_NAME), read_only=True) as con:
        (last_run,) = con.execute(
            "select run_id from runs order by finished_at desc limit 1"
        ).fetchone()
    with duckdb.connect(str(out / EXTRACT_NAME), read_only=True) as con:
        (extract_run,) = con.execute("select value from meta where key = 'run_id'").fetchone()
    assert last_run == extract_run == manifest["run_id"]
    assert (out / DOCS_NAME / "index.html").is_file()
    assert set(manifest["files"]) == {
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
    } - {MANIFEST}
    return last_run


def leftovers(out: Path) -> list[str]:
    """Entries no finished run leaves behind."""
    names = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".ripple.lock"]
    releases = out / "releases"
    if releases.is_dir():
        names += [p.name for p in releases.iterdir() if p.name.startswith(".")]
    return names


# synthetic releases: fast enough to fail every single file operation in turn


def fake_release(releases: Releases, run_id: str) -> Path:
    """A partial release with tiny but real DuckDB files and a two-level Data Docs folder."""
    staging = releases.stage()
    for name in (WAREHOUSE_NAME, EXTRACT_NAME):
        with duckdb.connect(str(staging / name)) as con:
            con.execute("create table meta as select 'run_id' as key, ? as value", [run_id])
    (staging / DOCS_NAME / "static").mkdir(parents=True)
    (staging / DOCS_NAME / "index.html").write_text(f"<p>{run_id}</p>")
    (staging / DOCS_NAME / "static" / "style.css").write_text("p {}")
    return staging


def legacy_folder(out: Path) -> None:
    """An output folder as an earlier Ripple left it: real files at the stable paths."""
    out.mkdir(parents=True)
    for name in (WAREHOUSE_NAME, EXTRACT_NAME):
        with duckdb.connect(str(out / name)) as con:
            con.execute("create table meta as select 'run_id' as key, 'old' as value")
    (out / DOCS_NAME / "static").mkdir(parents=True)
    (out / DOCS_NAME / "index.html").write_text("<p>old</p>")
    (out / DOCS_NAME / "static" / "style.css").write_text("p {}")
    (out / "ripple.duckdb.tmp").write_bytes(b"half-written by the old code")


FAULTY_OPERATIONS = {
    "os": {
        "replace",
        "rename",
        "symlink",
        "link",
        "unlink",
        "mkdir",
        "makedirs",
        "open",
        "write",
        "fsync",
    },
    "shutil": {"rmtree", "copytree", "copy2"},
}


class Faults:
    """Stands in for a module (os, shutil) in pipeline.release: the `fail_at`-th call of any
    operation that changes or syncs the file system raises OSError(EIO)."""

    def __init__(self, fail_at: int) -> None:
        self.fail_at, self.calls, self.failed = fail_at, 0, None

    def wrap(self, module, kind: str):
        faults = self

        class Proxy:
            def __getattr__(self, name):
                real = getattr(module, name)
                if name not in FAULTY_OPERATIONS[kind]:
                    return real

                def operation(*args, **kwargs):
                    faults.calls += 1
                    if faults.calls == faults.fail_at:
                        faults.failed = f"{kind}.{name}{tuple(str(a) for a in args)}"
                        raise OSError(errno.EIO, "injected fault")
                    return real(*args, **kwargs)

                return operation

        return Proxy()


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


# real runs


@pytest.fixture(scope="module")
def project(tmp_path_factory, sample_dir) -> Path:
    return small_project(tmp_path_factory.mktemp("project"), sample_dir)


@pytest.mark.parametrize("stage", ["locked", "processed", "warehouse-built", "extract-built"])
def test_a_failure_at_every_stage_of_a_run_leaves_the_published_release(
    tmp_path, project, monkeypatch, stage, published_once
):
    """A run crashing at each stage before publishing: the previous release stays current and
    byte-identical, the partial release is removed, and the lock is free again."""
    out = tmp_path / "out"
    shutil.copytree(published_once, out, symlinks=True)
    before = current_name(out)
    digest = tree_digest(out / "releases" / before)

    def crash(at: str) -> None:
        if at == stage:
            raise RuntimeError(f"crash at {at}")

    monkeypatch.setattr(release, "pause_point", crash)
    with pytest.raises(RuntimeError, match=f"crash at {stage}"):
        run_project(load_config(project), KEY, out)
    assert current_name(out) == before
    assert tree_digest(out / "releases" / before) == digest
    assert leftovers(out) == [] and os.listdir(out / "releases") == [before]
    assert (out / ".ripple.lock").read_text() == ""


@pytest.fixture(scope="module")
def published_once(tmp_path_factory, project) -> Path:
    out = tmp_path_factory.mktemp("published") / "out"
    run_project(load_config(project), KEY, out)
    assert_consistent(out)
    return out


def ripple_run(project: Path, out: Path, **env: str) -> subprocess.Popen:
    environment = {**os.environ, "RIPPLE_KEY": KEY_HEX, "RIPPLE_KEY_FILE": "", **env}
    return subprocess.Popen(
        [str(RIPPLE), "run", "-c", str(project), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


def wait_for_pause(process: subprocess.Popen, stage: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    for line in process.stderr:
        if line.strip() == f"ripple-test-pause: {stage}":
            return
        assert time.monotonic() < deadline, f"no pause at {stage}"
    pytest.fail(f"the run ended before {stage}: exit {process.wait()}")


#: Every stage and eight timed moments with RIPPLE_TEST_KILL_ALL=1 (a minute or two); by
#: default one stage of the build, the middle of the swap and just after it, and two timed
#: moments, to keep the suite fast.
KILL_ALL = bool(os.environ.get("RIPPLE_TEST_KILL_ALL"))
KILL_STAGES = (
    [s for s in release.STAGES if s != "adopted"]
    if KILL_ALL
    else ["processed", "pointer-staged", "swapped"]
)
TIMED_KILLS = (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99) if KILL_ALL else (0.6, 0.97)


def test_kill_9_at_every_stage_and_moment_leaves_a_consistent_release(
    tmp_path, project, published_once
):
    """A chain of real `ripple run` processes, each killed with SIGKILL: at named stages
    (paused there by the RIPPLE_TEST_PAUSE_AT hook), then after delays spread over the time a
    run takes to reach the swap. After each kill the current release is complete and
    consistent (both databases open, the extract's run id is the warehouse's last run, Data
    Docs present), and it is the old release or the new one exactly as the stage implies; each
    next run clears the stale lock (the kill chain would stop otherwise), and the last one
    says so and leaves no leftovers. Pruning is on (keep 1, no grace) so a kill can land
    mid-prune too."""
    out = tmp_path / "out"
    shutil.copytree(published_once, out, symlinks=True)
    prune_all = {"RIPPLE_KEEP_RELEASES": "1", "RIPPLE_RELEASE_GRACE_MINUTES": "0"}
    moments, to_swap = [], 0.0
    for stage in KILL_STAGES:
        before = assert_consistent(out)
        started = time.monotonic()
        process = ripple_run(project, out, RIPPLE_TEST_PAUSE_AT=stage, **prune_all)
        wait_for_pause(process, stage)
        to_swap = max(to_swap, time.monotonic() - started)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = assert_consistent(out)
        committed = release.STAGES.index(stage) >= release.STAGES.index("swapped")
        assert (after != before) == committed, stage
        assert (out / ".ripple.lock").read_text().strip() == str(process.pid)
        moments.append((stage, "new" if committed else "old"))

    for fraction in TIMED_KILLS:
        before = assert_consistent(out)
        process = ripple_run(project, out, **prune_all)
        time.sleep(to_swap * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = assert_consistent(out)
        moments.append((f"{to_swap * fraction:.2f}s", "new" if after != before else "old"))
    # unless the last run was killed after it finished and emptied the lock file
    stale = (out / ".ripple.lock").read_text().strip() == str(process.pid)

    final = ripple_run(project, out)
    _, stderr = final.communicate(timeout=120)
    assert final.returncode == 0, stderr
    assert (f"stale lock: the run with pid {process.pid}" in stderr) == stale, stderr
    assert_consistent(out)
    assert leftovers(out) == []
    print("kill -9 moments (stage or delay, release current after the kill):", moments)


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb
    from dashboard import queries

    out, stop = Path(sys.argv[1]), Path(sys.argv[2])
    seen, errors, count = [], [], 0
    print("ready", flush=True)
    while not stop.exists():
        try:
            path, _ = queries.snapshot(out / "dashboard.duckdb")
            meta = queries.run_query("meta", path)
            run_id = dict(zip(meta["key"], meta["value"]))["run_id"]
            queries.run_query("programmes", path)
            with duckdb.connect(str(out / "ripple.duckdb"), read_only=True) as con:
                con.execute("select count(*) from responses").fetchone()
            if not seen or seen[-1] != run_id:
                seen.append(run_id)
            count += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"seen": seen, "errors": errors[:5], "n_errors": len(errors), "n": count}))
    """
)


def test_readers_querying_in_a_loop_never_see_an_error_while_runs_publish(
    tmp_path, project, published_once, monkeypatch
):
    """A reader process queries the stable paths as the dashboard does (symlink resolved per
    query, one short read-only connection) while two runs publish: no error, and each new
    release shows up without a restart. A researcher's connection held open on the first
    release keeps working even after that release is pruned."""
    out = tmp_path / "out"
    shutil.copytree(published_once, out, symlinks=True)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(out), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    held = duckdb.connect(str(out / WAREHOUSE_NAME), read_only=True)
    try:
        first = held.execute("select count(*) from responses").fetchone()
        assert reader.stdout.readline().strip() == "ready"
        loaded = load_config(project)
        published = [assert_consistent(out)]
        for _ in range(2):
            time.sleep(0.3)
            run_project(loaded, KEY, out)
            published.append(assert_consistent(out))
        time.sleep(0.3)
        stop.touch()
        result = json.loads(reader.communicate(timeout=60)[0])
        assert result["n_errors"] == 0, result["errors"]
        assert result["seen"] == published, result
        assert result["n"] > 10

        pruned = Releases(out).prune(Retention(keep=1, grace_seconds=0))
        assert len(pruned) == 2 and not (out / "releases" / pruned[0]).exists()
        assert held.execute("select count(*) from responses").fetchone() == first
    finally:
        held.close()
        reader.kill()
