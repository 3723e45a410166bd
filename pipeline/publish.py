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
from typing import TYPE_CHECKING

import duckdb

from pipeline.sql import split_statements

if TYPE_CHECKING:
    from pipeline.instruments import Instrument
    from pipeline.keys import Key

EXTRACT_SCHEMA = resources.files("pipeline") / "extract_schema.sql"
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


def build_extract(
    path: Path,
    warehouse: Path,
    meta: dict[str, str],
    previous: Path | None = None,
    key: Key | None = None,
    instruments: dict[str, Instrument] | None = None,
) -> None:
    """Write the aggregates-only dashboard extract at `path` from the finished `warehouse`,
    through disclosure control (`pipeline.disclosure`, `pipeline.extract`).

    `previous` is the extract the current release published (`<out>/dashboard.duckdb` before
    the swap); its ledger keeps this release from being subtracted from it. `key` seals the
    ledger's counts (and opens the previous ones); `instruments` supply item wording and
    answer labels. `meta` must hold `min_cell_size` and `run_id`.
    """
    from pipeline import extract
    from pipeline.disclosure import read_previous

    earlier = read_previous(previous, key)
    with duckdb.connect(str(fresh_file(path))) as con:
        con.execute("begin transaction")
        create_extract_schema(con)
        con.execute("commit")
        con.execute("attach ? as wh (read_only)", [str(warehouse)])
        con.execute("begin transaction")
        extract.build(con, meta, earlier, key, instruments, int(meta["min_cell_size"]))
        con.execute("commit")
        con.execute("detach wh")
        con.execute("checkpoint")
