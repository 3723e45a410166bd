"""Build the dashboard extract's tables from the warehouse, through disclosure control.

1. `reference.sql` copies configuration and instrument definitions (never people), and
   `answer_options` adds every answer an item can take;
2. each `raw_*.sql` reads one table's aggregates from the warehouse attached as `wh` (the
   statistics from the marts, never recomputed here), before any suppression (they stay in
   memory, never in the file);
3. `cells` binds every row to the cell (group of people) it describes and lists every
   breakdown between cells; `pipeline.disclosure.control` decides, with the previous
   release's ledger, which cells are shown fresh, held or hidden;
4. `tables` writes the published rows (with `assemble`), the statistics derived from
   published numbers and the version-1 tables; `ledger_rows` the ledger and the disclosure
   summary.
"""

from __future__ import annotations

from importlib import resources

import duckdb

from pipeline.disclosure import (
    Decision,
    PreviousRelease,
    Problem,
    control,
    remember,
)
from pipeline.extract import answer_options, assemble, cells, ledger_rows, tables
from pipeline.instruments import Instrument
from pipeline.keys import Key
from pipeline.sql import split_statements
from pipeline.transform import stats

SQL = resources.files("pipeline.extract")
RAW = (
    "raw_reach",
    "raw_linkage",
    "raw_paired",
    "raw_wave_means",
    "raw_wave_comparison",
    "raw_attrition",
    "raw_reliability",
    "raw_items",
    "raw_data_quality",
)
METHOD = (
    "primary suppression below min_cell_size people; complementary suppression so that no "
    "published total minus its published breakdown leaves 1..min_cell_size-1 people "
    "(iterated to a fixed point); ledger across releases: a cell changes only when "
    "min_cell_size new people entered it; exact linear audit of every release and of the "
    "changes between releases"
)


def sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")


def build(
    con: duckdb.DuckDBPyConnection,
    meta: dict[str, str],
    previous: PreviousRelease,
    key: Key | None,
    instruments: dict[str, Instrument] | None,
    min_cell_size: int,
) -> dict[str, Decision]:
    """Fill the extract on `con` (schema created, warehouse attached as `wh`, inside the
    caller's transaction). Returns the decision for every cell and combined row."""
    stats.register(con)
    for statement in split_statements(sql("reference")):
        con.execute(statement)
    grid = answer_options.answer_grid(con, instruments)
    answer_options.describe_items(con, instruments)
    raw = {name: con.execute(sql(name)).df() for name in RAW}

    found = cells.Cells()
    reach = cells.add_reach(found, raw["raw_reach"])
    linkage = cells.add_linkage(found, raw["raw_linkage"], reach)
    paired = cells.add_paired(found, raw["raw_paired"])
    means = cells.add_wave_means(found, raw["raw_wave_means"], paired)
    reliability = cells.add_reliability(found, raw["raw_reliability"])
    items = cells.add_items(found, raw["raw_items"], grid)
    quality = cells.add_data_quality(found, raw["raw_data_quality"])

    values = {
        **assemble.fresh_values(reach, ["n"]),
        **assemble.fresh_values(linkage, ["n"]),
        **assemble.fresh_values(paired, assemble.PAIRED_VALUES),
        **assemble.share_values(paired),
        **assemble.fresh_values(means, assemble.WAVE_MEAN_VALUES),
        **assemble.fresh_values(reliability, assemble.RELIABILITY_VALUES),
        **assemble.fresh_values(items, ["n"]),
        **assemble.fresh_values(quality, ["n_records"]),
    }
    counts = {key: cell.n for key, cell in found.cells.items()}
    problem = Problem(
        found.cells,
        found.partitions,
        previous.cells,
        min_cell_size,
        found.attached,
        previous.snapshots or {},
        assemble.unchanged(values, counts, previous.cells),
    )
    decisions = control(problem)
    publisher = assemble.Publisher(dict(decisions), previous.cells)

    published = tables.publish_tables(
        con, publisher, reach, linkage, paired, means, reliability, items, quality, raw
    )
    tables.compat_tables(con, published)
    run_id = meta["run_id"]
    ledger_rows.write_ledger(
        con, found, problem, publisher, run_id, key, remember(problem, decisions)
    )
    ledger_rows.write_summary(con, found, publisher.decisions, publisher.stale)
    extra = {
        "extract_version": "2",
        "disclosure_method": METHOD,
        "previous_run_id": previous.run_id or "",
        "ledger_key_id": key.key_id if key else "",
    }
    con.executemany("insert into meta values (?, ?)", sorted({**meta, **extra}.items()))
    return publisher.decisions
