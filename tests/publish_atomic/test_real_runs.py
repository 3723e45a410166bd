"""Real runs of the sample's peer-support programme: a failure at every stage before
publishing, a real `kill -9` of `ripple run` at every stage (RIPPLE_TEST_PAUSE_AT) and after
spread-out delays, and a reader querying the stable paths in a loop while runs publish."""

from __future__ import annotations

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

from pipeline import release
from pipeline.config import load_config
from pipeline.publish import WAREHOUSE_NAME
from pipeline.release import (
    Releases,
    Retention,
)
from pipeline.run import run_project
from tests.publish_atomic.checks import (
    KEY,
    KEY_HEX,
    RIPPLE,
    assert_consistent,
    current_name,
    leftovers,
    tree_digest,
)
from tests.sample_project import small_project


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
