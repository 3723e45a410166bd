"""Publishing: the dashboard extract, built from the finished warehouse.

Both `ripple.duckdb` and `dashboard.duckdb` are built inside the run's partial release folder
(`<out>/releases/.partial-<token>/`), checked, and only then published, together with the Data
Docs, by one atomic pointer swap of `<out>/current` (see `pipeline.release` for the layout).
`<out>/ripple.duckdb` and `<out>/dashboard.duckdb` are stable symlinks through `current`, the
paths users and tools open. Readers (the dashboard, a researcher's DuckDB CLI) are never blocked
by a writer and never see a half-built file; a reader that is already open keeps its release
until it reconnects.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from pipeline.sql import split_statements

EXTRACT_SCHEMA = resources.files("pipeline") / "extract_schema.sql"
EXTRACT_FILL = resources.files("pipeline") / "extract_fill.sql"
WAREHOUSE_NAME = "ripple.duckdb"
EXTRACT_NAME = "dashboard.duckdb"


def fresh_file(path: Path) -> Path:
    """Remove a leftover temporary file (and its WAL) from an interrupted run."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    return path


def create_extract_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The dashboard extract's tables, with their COMMENT ON documentation."""
    for statement in split_statements(EXTRACT_SCHEMA.read_text(encoding="utf-8")):
        con.execute(statement)


def build_extract(path: Path, warehouse: Path, meta: dict[str, str]) -> None:
    """Write the aggregates-only dashboard extract at `path` from the finished `warehouse`."""
    with duckdb.connect(str(fresh_file(path))) as con:
        create_extract_schema(con)
        con.execute("attach ? as wh (read_only)", [str(warehouse)])
        con.execute("begin transaction")
        for statement in split_statements(EXTRACT_FILL.read_text(encoding="utf-8")):
            con.execute(statement)
        con.executemany("insert into meta values (?, ?)", sorted(meta.items()))
        con.execute("commit")
        con.execute("detach wh")
        con.execute("checkpoint")
