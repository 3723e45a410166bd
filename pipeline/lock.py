"""One run at a time per output folder: an exclusive lock on `<out>/.ripple.lock`.

`ripple run` takes the lock before it touches the output folder and keeps it until it has
published (or given up). The lock is `fcntl.flock` on an open file descriptor, so the kernel
releases it when the process ends, however it ends (even `kill -9`); the file itself stays and
is never deleted (deleting a lock file lets two runs lock two different files).

Inside the file is the pid of the run holding it, written right after locking and emptied when
the run finishes. So:

- a second run that finds the lock held fails at once with "another run is in progress
  (pid N)" (a DataError, exit 1), naming the pid it read from the file;
- a run that finds the lock free but a pid in the file knows the previous run was killed before
  it finished: that lock was stale. The new run takes it over and reports the dead pid
  (`RunLock.stale_pid`); the killed run's unfinished files are cleared by
  `pipeline.release.Releases.clean_leftovers`.

`ripple validate` never takes the lock: it writes nothing.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from pipeline.errors import DataError

LOCK_NAME = ".ripple.lock"
_PID_WAIT_SECONDS = 1.0


class RunInProgressError(DataError):
    """Another run holds the output folder's lock."""


class RunLock:
    """The exclusive lock of one output folder; a context manager.

    Example:
        >>> with RunLock(out_dir) as lock:  # doctest: +SKIP
        ...     if lock.stale_pid: print(f"cleared a stale lock of pid {lock.stale_pid}")
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_NAME
        self.fd: int | None = None
        self.stale_pid: int | None = None

    def acquire(self) -> RunLock:
        """Take the lock or raise RunInProgressError at once (never waits)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise DataError(f"cannot create the lock file {self.path}: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            pid = holder_pid(self.path)
            raise RunInProgressError(
                f"another run is in progress (pid {pid if pid else 'unknown'}) in "
                f"{self.path.parent}; this run changed nothing and published nothing"
            ) from None
        previous = _parse_pid(os.pread(fd, 64, 0))
        self.stale_pid = previous if previous and previous != os.getpid() else None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        os.fsync(fd)
        self.fd = fd
        return self

    def release(self) -> None:
        """Empty the file (a clean finish) and unlock. Safe to call twice."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def holder_pid(path: Path) -> int | None:
    """The pid written in a held lock file. The holder writes it just after locking, so wait
    briefly for a pid that is alive (an old pid may still be there for a moment)."""
    deadline = time.monotonic() + _PID_WAIT_SECONDS
    pid = None
    while True:
        try:
            pid = _parse_pid(path.read_bytes())
        except OSError:
            pid = None
        if (pid and pid_alive(pid)) or time.monotonic() > deadline:
            return pid
        time.sleep(0.02)


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (it may belong to someone else)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _parse_pid(data: bytes) -> int | None:
    text = data.decode("ascii", errors="ignore").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None
