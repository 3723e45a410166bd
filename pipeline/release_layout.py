"""The layout of an output folder's releases: what each entry is named and where it lives, and
reading which releases exist and which one is current (publishing is `pipeline.release`).

Layout of an output folder DIR (everything a run publishes becomes current together, or not
at all):

    DIR/
      .ripple.lock                          the run lock (pipeline.lock), the holder's pid inside
      releases/
        20261124T101502.123456Z-1a2b3c4d/   one published run: UTC time of publishing, run id
          ripple.duckdb                     the research warehouse
          dashboard.duckdb                  the dashboard extract (aggregates only)
          data_docs/index.html              Great Expectations Data Docs
          release.json                      run id, time, file sizes (written last, before
                                            the folder gets its final name)
        .partial-<token>/                   a run being built (removed if the run fails or dies)
        .trash-<name>/                      an old release being pruned
      current -> releases/20261124T101502.123456Z-1a2b3c4d
      ripple.duckdb -> current/ripple.duckdb          the stable paths users and tools open
      dashboard.duckdb -> current/dashboard.duckdb
      data_docs -> current/data_docs

A reader opens `DIR/dashboard.duckdb` and gets whichever release is current at that moment; a
reader already open keeps its release. To open the warehouse and the extract of exactly one run
together, open them through `DIR/current/` resolved once (`Releases.current()`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME

DOCS_NAME = "data_docs"
PUBLISHED = (WAREHOUSE_NAME, EXTRACT_NAME, DOCS_NAME)
RELEASES_DIR = "releases"
CURRENT = "current"
MANIFEST = "release.json"
PARTIAL_PREFIX = ".partial-"
TRASH_PREFIX = ".trash-"
LEGACY_TEMPS = (
    "ripple.duckdb.tmp",
    "ripple.duckdb.tmp.wal",
    "dashboard.duckdb.tmp",
    "dashboard.duckdb.tmp.wal",
    "data_docs.tmp",
)
STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
RELEASE_NAME = re.compile(r"^(\d{8}T\d{6}\.\d{6}Z)-([0-9A-Za-z]+)$")


def published_at(name: str) -> dt.datetime | None:
    """When the release `name` was published (UTC), or None for a name that is not a release's."""
    match = RELEASE_NAME.match(name)
    if not match:
        return None
    return dt.datetime.strptime(match.group(1), STAMP_FORMAT).replace(tzinfo=dt.UTC)


def next_release_name(existing: list[str], run_id: str, now: dt.datetime | None) -> str:
    """`<UTC time>-<run id[:8]>`, always sorting after every existing release."""
    when = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)
    latest = [published_at(n) for n in existing]
    newest = max((t for t in latest if t is not None), default=None)
    if newest is not None and when <= newest.replace(tzinfo=None):
        when = newest.replace(tzinfo=None) + dt.timedelta(microseconds=1)
    token = re.sub(r"[^0-9A-Za-z]", "", run_id)[:8] or "run"
    return f"{when.strftime(STAMP_FORMAT)}-{token}"


class ReleaseFolder:
    """The releases of one output folder, read only: which exist and which one is current."""

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir
        self.dir = out_dir / RELEASES_DIR
        self.current_link = out_dir / CURRENT
        self.warnings: list[str] = []

    def current_name(self) -> str | None:
        """The name of the current release, or None before the first publish."""
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        name = Path(target).name
        return name if (self.dir / name).is_dir() else None

    def current(self) -> Path | None:
        """The current release's folder, or None before the first publish."""
        name = self.current_name()
        return self.dir / name if name else None

    def names(self) -> list[str]:
        """Every finished release, oldest first (the names sort by publishing time)."""
        if not self.dir.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.dir.iterdir()
            if RELEASE_NAME.match(entry.name) and entry.is_dir() and not entry.is_symlink()
        )

    def previous_warehouse(self) -> Path | None:
        """The warehouse an incremental run builds on: a legacy real file at DIR/ripple.duckdb
        (an output folder of an earlier Ripple), else the current release's, else None."""
        stable = self.out / WAREHOUSE_NAME
        if stable.is_file() and not stable.is_symlink():
            return stable
        current = self.current()
        if current and (current / WAREHOUSE_NAME).is_file():
            return current / WAREHOUSE_NAME
        return None
