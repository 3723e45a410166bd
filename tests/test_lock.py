"""The run lock (issue 6 item 5): one run at a time per output folder, a clear message for the
second, stale locks of killed runs detected and cleared, and `validate` never locking."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import DataError
from pipeline.keys import Key
from pipeline.lock import LOCK_NAME, RunInProgressError, RunLock
from pipeline.run import validate_project
from tests.sample_project import small_project

KEY_HEX = "72" * 32
RIPPLE = Path(sys.executable).with_name("ripple")


def dead_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_lock_holds_the_pid_and_is_emptied_on_release(tmp_path):
    with RunLock(tmp_path) as lock:
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
        assert lock.stale_pid is None
    assert (tmp_path / LOCK_NAME).read_text() == ""
    with RunLock(tmp_path) as again:  # free again, and not stale: the run finished
        assert again.stale_pid is None


def test_a_second_lock_fails_at_once_naming_the_holder(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pipeline.lock import RunLock\n"
            "with RunLock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(30)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(RunInProgressError) as caught:
            RunLock(tmp_path).acquire()
        assert time.monotonic() - started < 2
        assert f"another run is in progress (pid {holder.pid})" in str(caught.value)
        assert isinstance(caught.value, DataError) and caught.value.exit_code == 1
    finally:
        holder.kill()
        holder.wait()
    with RunLock(tmp_path) as lock:  # the kernel released the killed holder's lock
        assert lock.stale_pid == holder.pid


def test_a_stale_lock_is_detected_and_taken_over(tmp_path):
    pid = dead_pid()
    (tmp_path / LOCK_NAME).write_text(f"{pid}\n")
    with RunLock(tmp_path) as lock:
        assert lock.stale_pid == pid
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"


def test_validate_takes_no_lock_and_writes_nothing(tmp_path, sample_dir):
    """While a run holds the lock, `validate` still works and leaves the folder as it was."""
    loaded = load_config(small_project(tmp_path, sample_dir))
    out = tmp_path / "out"
    out.mkdir()
    with RunLock(out):
        before = sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir())
        report = validate_project(loaded, Key(b"r" * 32), out)
        assert report.ok
        assert sorted((p.name, p.stat().st_mtime_ns) for p in out.iterdir()) == before


def test_two_runs_started_together_one_wins_the_other_is_refused(tmp_path, sample_dir):
    """Both start at once; each pauses 2 s just after locking (RIPPLE_TEST_PAUSE_AT), so the
    loser always finds the lock held. Exactly one succeeds; the other exits 1 at once with
    "another run is in progress (pid N)" naming the winner, and no internal error."""
    project = small_project(tmp_path, sample_dir)
    out = tmp_path / "out"
    env = {
        **os.environ,
        "RIPPLE_KEY": KEY_HEX,
        "RIPPLE_KEY_FILE": "",
        "RIPPLE_TEST_PAUSE_AT": "locked",
        "RIPPLE_TEST_PAUSE_SECONDS": "2",
    }
    command = [str(RIPPLE), "run", "-c", str(project), "--out", str(out)]
    runs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [(run.pid, *run.communicate(timeout=120), run.returncode) for run in runs]
    codes = sorted(code for *_, code in results)
    assert codes == [0, 1], results
    (winner,) = [pid for pid, _, _, code in results if code == 0]
    (stderr,) = [err for _, _, err, code in results if code == 1]
    assert f"ripple: another run is in progress (pid {winner})" in stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert (out / LOCK_NAME).read_text() == ""
