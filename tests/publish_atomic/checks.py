"""Checks of an output folder shared by the atomic-publish tests: what a reader sees through
the stable paths, the digest of a release, whether the current release is consistent, and
leftovers a finished run must not leave."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import duckdb

from pipeline.keys import Key
from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME
from pipeline.release import (
    CURRENT,
    DOCS_NAME,
    MANIFEST,
    PUBLISHED,
    Releases,
)

KEY = Key(b"r" * 32)
KEY_HEX = "72" * 32
RIPPLE = Path(sys.executable).with_name("ripple")


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
