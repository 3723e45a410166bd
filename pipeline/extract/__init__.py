"""Build the dashboard extract's tables from the warehouse, through disclosure control.

1. `reference.sql` copies configuration and instrument definitions (never people);
2. each `raw_*.sql` computes one table's aggregates from the warehouse attached as `wh`,
   before any suppression (they stay in memory, never in the file);
3. `cells` binds every row to the cell (group of people) it describes and lists every
   breakdown between cells; `pipeline.disclosure.control` decides, with the previous
   release's ledger, which cells are shown fresh, held or hidden;
4. `assemble` writes the published rows, the statistics derived from published numbers, the
   version-1 tables, the ledger and the disclosure summary.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from typing import Any

import duckdb
import pandas as pd

from pipeline.disclosure import (
    HELD,
    Decision,
    PreviousRelease,
    Problem,
    Snapshot,
    control,
    remember,
)
from pipeline.disclosure import ledger as ledger_module
from pipeline.extract import assemble, cells
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
    "min_cell_size new people entered it"
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
    grid = _answer_grid(con, instruments)
    _describe_items(con, instruments)
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

    published = _publish(
        con, publisher, reach, linkage, paired, means, reliability, items, quality, raw
    )
    _compat(con, published)
    run_id = meta["run_id"]
    _ledger(con, found, problem, publisher, run_id, key, remember(problem, decisions))
    _summary(con, found, publisher.decisions, publisher.stale)
    extra = {
        "extract_version": "2",
        "disclosure_method": METHOD,
        "previous_run_id": previous.run_id or "",
        "ledger_key_id": key.key_id if key else "",
    }
    con.executemany("insert into meta values (?, ?)", sorted({**meta, **extra}.items()))
    return publisher.decisions


# reference


def _answer_grid(
    con: duckdb.DuckDBPyConnection, instruments: dict[str, Instrument] | None
) -> dict[str, list[str]]:
    """Every answer an item of each instrument can take, in display order, and
    answer_options rows."""
    grid: dict[str, list[str]] = {}
    rows = []
    used = con.execute(
        "select instrument_id, code_min, code_max from wh.instruments "
        "where instrument_id in (select distinct instrument_id from wh.item_responses) "
        "order by instrument_id"
    ).fetchall()
    for instrument_id, code_min, code_max in used:
        definition = (instruments or {}).get(instrument_id)
        scale = definition.response_scale if definition else None
        labels = {
            str(c): (scale.labels.get(c) if scale else None) or str(c)
            for c in range(code_min, code_max + 1)
        }
        if scale is None or scale.dont_know is not None:
            labels["dont_know"] = scale.dont_know.labels[0] if scale else "Don't know"
        labels["missing"] = "No answer"
        grid[instrument_id] = list(labels)
        rows += [(instrument_id, a, i, label) for i, (a, label) in enumerate(labels.items())]
    if rows:  # a run that loaded no answers has no answer options to publish
        con.executemany("insert into answer_options values (?, ?, ?, ?)", rows)
    return grid


def _describe_items(
    con: duckdb.DuckDBPyConnection, instruments: dict[str, Instrument] | None
) -> None:
    """Item wording, only where an instrument ships it."""
    for definition in (instruments or {}).values():
        if not definition.wording_shipped:
            continue
        for item in definition.items:
            if item.text:
                con.execute("update items set wording = ? where item_id = ?", [item.text, item.id])


# published tables


def _publish(
    con: duckdb.DuckDBPyConnection,
    publisher: assemble.Publisher,
    reach: pd.DataFrame,
    linkage: pd.DataFrame,
    paired: pd.DataFrame,
    means: pd.DataFrame,
    reliability: pd.DataFrame,
    items: pd.DataFrame,
    quality: pd.DataFrame,
    raw: dict[str, pd.DataFrame],
) -> dict[str, list[dict[str, Any]]]:
    reach_rows = publisher.rows(reach, ["n"])
    baseline = {
        (r["level"], r["programme_id"], r["site"], r["cohort_id"]): r["n"]
        for r in reach_rows
        if r["measure"] == "responses" and r["wave_order"] == 0
    }
    assemble.add_ratio(
        reach_rows,
        "retention",
        baseline,
        lambda r: (r["level"], r["programme_id"], r["site"], r["cohort_id"]),
    )
    for row in reach_rows:
        if row["measure"] != "linked":
            row["retention"] = None
    assemble.insert(con, "reach", reach_rows)

    linkage_rows = publisher.rows(linkage, ["n"])
    responses = {
        (r["programme_id"], r["wave_id"]): r["n"]
        for r in linkage_rows
        if r["link_status"] == "all_responses"
    }
    assemble.add_ratio(
        linkage_rows, "share_of_responses", responses, lambda r: (r["programme_id"], r["wave_id"])
    )
    assemble.insert(con, "linkage_quality", linkage_rows)

    paired_rows = assemble.paired_rows(publisher, paired)
    assemble.insert(con, "paired_stats", paired_rows)

    mean_rows = publisher.rows(means, assemble.WAVE_MEAN_VALUES)
    assemble.insert(con, "wave_means", mean_rows)

    comparison = raw["raw_wave_comparison"].assign(
        row_key=lambda f: [
            assemble.derived_key("wave_comparison", *r)
            for r in f[
                ["programme_id", "instrument_id", "scale_id", "from_wave", "to_wave"]
            ].itertuples(index=False)
        ],
        from_cell=lambda f: [
            cells.scored_key(r.programme_id, r.instrument_id, r.scale_id, r.from_wave)
            for r in f.itertuples()
        ],
        to_cell=lambda f: [
            cells.scored_key(r.programme_id, r.instrument_id, r.scale_id, r.to_wave)
            for r in f.itertuples()
        ],
    )
    comparison_rows = assemble.combined_rows(
        publisher, comparison, assemble.COMPARISON_VALUES, "row_key", ["from_cell", "to_cell"]
    )
    assemble.insert(con, "wave_comparison", comparison_rows)

    attrition = raw["raw_attrition"].assign(
        row_key=lambda f: [
            assemble.derived_key("attrition", *r)
            for r in f[
                ["programme_id", "instrument_id", "scale_id", "from_wave", "to_wave"]
            ].itertuples(index=False)
        ],
        baseline_cell=lambda f: [
            cells.scored_key(r.programme_id, r.instrument_id, r.scale_id, r.from_wave)
            for r in f.itertuples()
        ],
        pairs_cell=lambda f: [
            cells.pairs_key(
                {
                    "level": "programme",
                    "programme_id": r.programme_id,
                    "site": None,
                    "cohort_id": None,
                    "attribute": None,
                    "attribute_value": None,
                    "instrument_id": r.instrument_id,
                    "scale_id": r.scale_id,
                    "from_wave": r.from_wave,
                    "to_wave": r.to_wave,
                }
            )
            for r in f.itertuples()
        ],
    )
    attrition_rows = assemble.combined_rows(
        publisher,
        attrition,
        assemble.ATTRITION_VALUES,
        "row_key",
        ["baseline_cell", "pairs_cell"],
    )
    for row in attrition_rows:
        row["follow_up_selected"] = assemble.follow_up_selected(row)
    assemble.insert(con, "attrition", attrition_rows)

    reliability_rows = publisher.rows(reliability, assemble.RELIABILITY_VALUES)
    assemble.insert(con, "reliability", reliability_rows)

    first_dates = {
        p: d
        for p, d in con.execute("select programme_id, first_cohort_date from programmes").fetchall()
    }
    assemble.insert(con, "cohort_meta", assemble.cohort_meta_rows(paired_rows, first_dates))

    item_rows = publisher.rows(items, ["n"])
    totals = {
        (r["programme_id"], r["item_id"], r["wave_id"]): r["n"]
        for r in item_rows
        if r["answer"] == "all"
    }
    assemble.add_ratio(
        item_rows, "share", totals, lambda r: (r["programme_id"], r["item_id"], r["wave_id"])
    )
    assemble.insert(con, "item_distributions", item_rows)

    assemble.insert(con, "data_quality", publisher.rows(quality, ["n_records"]))
    return {"reach": reach_rows, "paired": paired_rows, "means": mean_rows}


def _compat(con: duckdb.DuckDBPyConnection, published: dict[str, list[dict[str, Any]]]) -> None:
    """The version-1 tables, from the published version-2 rows."""
    paired, cohort = [], []
    for row in published["paired"]:
        if not row["is_from_baseline"] or row["level"] not in ("programme", "cohort"):
            continue
        sign = 1.0 if row["higher_is_better"] else -1.0
        hidden = row["hidden_reason"] is not None
        bounds = [row["improvement_ci_low"], row["improvement_ci_high"]]
        low, high = (None, None) if None in bounds else sorted(sign * b for b in bounds)
        change = None if hidden else _difference(row["mean_to"], row["mean_from"])
        common = {
            **row,
            "mean_change": change,
            "sd_change": row["sd_improvement"],
            "ci_low": low,
            "ci_high": high,
            "d_z": None if row["d_z"] is None else sign * row["d_z"],
            "is_suppressed": hidden,
        }
        (paired if row["level"] == "programme" else cohort).append(common)
    assemble.insert(con, "paired_change", paired)
    assemble.insert(con, "cohort_change", cohort)
    assemble.insert(
        con,
        "wave_scores",
        [{**r, "is_suppressed": r["hidden_reason"] is not None} for r in published["means"]],
    )
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    for row in published["reach"]:
        if row["level"] == "programme" and row["wave_order"] > 0:
            slot = counts.setdefault((row["programme_id"], row["wave_id"]), {})
            slot[row["measure"]] = row
    linkage = []
    for (programme_id, wave_id), slot in sorted(counts.items()):
        responses, linked = slot.get("responses"), slot.get("linked")
        if responses is None or linked is None:
            continue
        hidden = responses["n"] is None or linked["n"] is None
        linkage.append(
            {
                "programme_id": programme_id,
                "wave_id": wave_id,
                "n_responses": None if hidden else responses["n"],
                "n_linked": None if hidden else linked["n"],
                "is_suppressed": hidden,
            }
        )
    assemble.insert(con, "linkage", linkage)


def _difference(later: float | None, earlier: float | None) -> float | None:
    return None if later is None or earlier is None else later - earlier


# ledger and summary


def _ledger(
    con: duckdb.DuckDBPyConnection,
    found: cells.Cells,
    problem: Problem,
    publisher: assemble.Publisher,
    run_id: str,
    key: Key | None,
    snapshots: dict[str, Snapshot],
) -> None:
    rows = []
    for cell_key, cell in found.cells.items():
        previous = problem.previous.get(cell_key)
        kept, _ = ledger_module.entry(
            cell,
            publisher.decisions[cell_key],
            previous,
            publisher.fresh_values.get(cell_key),
            run_id,
        )
        rows.append(ledger_module.ledger_row(key, run_id, cell_key, found.tables[cell_key], kept))
    for row_key, decision in publisher.decisions.items():
        if row_key in found.cells:
            continue
        previous = problem.previous.get(row_key)
        kept = ledger_module.combined_entry(
            decision, previous, publisher.fresh_values.get(row_key), run_id
        )
        rows.append(ledger_module.ledger_row(key, run_id, row_key, _combined_table(row_key), kept))
    for partition_key, snapshot in snapshots.items():
        rows.append(ledger_module.snapshot_row(key, run_id, partition_key, snapshot))
    assemble.insert(
        con,
        "disclosure_ledger",
        [
            dict(
                zip(
                    [
                        "cell_key",
                        "table_name",
                        "state",
                        "n",
                        "published_values",
                        "hidden_reason",
                        "sealed",
                        "state_run_id",
                        "run_id",
                    ],
                    row,
                    strict=True,
                )
            )
            for row in rows
        ],
    )


def _summary(
    con: duckdb.DuckDBPyConnection,
    found: cells.Cells,
    decisions: dict[str, Decision],
    stale: set[str],
) -> None:
    counts: Counter[tuple[str, str, str]] = Counter()
    for cell_key, decision in decisions.items():
        if cell_key in found.cells:
            if found.cells[cell_key].virtual:
                continue
            table = found.tables[cell_key]
        else:
            table = _combined_table(cell_key)
        held = decision.state == "held" and cell_key in stale
        status = "hidden" if decision.state == "hidden" else "held" if held else "shown"
        reason = HELD if held else decision.reason if status == "hidden" else "(none)"
        counts[(table, status, reason)] += 1
    assemble.insert(
        con,
        "disclosure_summary",
        [
            {"table_name": t, "status": s, "reason": r, "n_cells": n}
            for (t, s, r), n in sorted(counts.items())
        ],
    )


def _combined_table(row_key: str) -> str:
    """The table of a combined row's ledger key (`assemble.derived_key`)."""
    return json.loads(row_key)[1]
