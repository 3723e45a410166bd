"""Which release file a page view reads, and the read-only connection to it.

`pin` resolves `<out>/dashboard.duckdb` (a symlink through `<out>/current`) to the release
file once per script run, so a page never mixes two releases and the next run sees a newly
published one without a restart. A published release file is never rewritten, so it gets one
shared read-only connection (`release_database`) and each statement its own cursor; any other
file (one given with --db) may be replaced in place and is opened per statement."""

from __future__ import annotations

import os
import time
from pathlib import Path
from threading import Lock

import duckdb
import pandas as pd
import streamlit as st

from dashboard.settings import DB_ENV_VAR

_OPEN_ATTEMPTS = 3
_OPEN_BACKOFF_SECONDS = 0.2
#: pipeline.release: every published release file is new, never rewritten.
RELEASES_FOLDER = "releases"


class ExtractError(Exception):
    """The extract is missing, unreadable, or not a Ripple dashboard extract."""


def extract_path() -> Path | None:
    """The extract named by RIPPLE_DASHBOARD_DB (made absolute), or None when it is unset."""
    value = os.environ.get(DB_ENV_VAR, "").strip()
    return Path(value).expanduser().absolute() if value else None


def snapshot(path: str | Path) -> tuple[str, int]:
    """The release an extract path points at now: its real path (symlinks resolved) and
    modification time in ns, the cache key of every query on it.

    Raises:
        ExtractError: when there is no file at `path`.
    """
    given = Path(path).expanduser().absolute()
    resolved = Path(os.path.realpath(given))
    try:
        stat = resolved.stat()
    except OSError as exc:
        raise ExtractError(f"No dashboard extract found at {given}") from exc
    return str(resolved), stat.st_mtime_ns


def pin(path: str | Path) -> Path:
    """The release file `path` points at now (symlinks resolved), for one page view.

    Raises:
        ExtractError: when there is no file at `path`.
    """
    return Path(snapshot(path)[0])


def connect(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot read other files; retried briefly if busy."""
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            return duckdb.connect(path, read_only=True, config={"enable_external_access": False})
        except duckdb.IOException:
            if attempt == _OPEN_ATTEMPTS - 1:
                raise
            time.sleep(_OPEN_BACKOFF_SECONDS * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


@st.cache_resource(max_entries=4, show_spinner=False)
def release_database(path: str, mtime_ns: int) -> tuple[duckdb.DuckDBPyConnection, Lock]:
    """One read-only connection per release file (`path` is a resolved, never-rewritten
    release; `mtime_ns` only keys the cache), shared by every query on it. Opening the file
    costs about 25 ms on a large extract against 0.2 ms for a cursor, so a page's dozen
    queries would otherwise spend most of their time opening it. A new publish is a new
    path, hence a new connection; a pruned release's open connection keeps working."""
    return connect(path), Lock()


def execute(sql: str, path: str, params: tuple) -> pd.DataFrame:
    """Run one fixed statement with bound parameters on the file at `path`. Each statement
    runs on its own cursor of the release's shared read-only connection (cursors are
    separate connections to the same database, safe across the server's threads once
    created; creating one is serialised)."""
    if Path(path).parent.parent.name != RELEASES_FOLDER:
        # not a published release (a file given with --db): it may be replaced in place, and
        # DuckDB would keep serving the old file to a cached connection, so open it per query
        con = connect(path)
        try:
            return con.execute(sql, list(params)).df()
        finally:
            con.close()
    base, lock = release_database(path, os.stat(path).st_mtime_ns)
    with lock:
        cursor = base.cursor()
    try:
        return cursor.execute(sql, list(params)).df()
    finally:
        cursor.close()
