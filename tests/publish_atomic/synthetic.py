"""Synthetic releases, fast enough to fail every single file operation of a publish in turn:
tiny but real releases, an earlier Ripple's output folder, and a fault injector."""

from __future__ import annotations

import errno
from pathlib import Path

import duckdb

from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME
from pipeline.release import (
    DOCS_NAME,
    Releases,
)


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
