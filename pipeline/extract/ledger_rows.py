"""The extract's disclosure bookkeeping: the ledger the next release reads back, and the
summary of how many cells were shown, held or hidden, and why."""

from __future__ import annotations

import json
from collections import Counter

import duckdb

from pipeline.disclosure import HELD, Decision, Problem, Snapshot
from pipeline.disclosure import ledger as ledger_module
from pipeline.extract import assemble, cells
from pipeline.keys import Key


def write_ledger(
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
        rows.append(ledger_module.ledger_row(key, run_id, row_key, combined_table(row_key), kept))
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


def write_summary(
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
            table = combined_table(cell_key)
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


def combined_table(row_key: str) -> str:
    """The table of a combined row's ledger key (`assemble.derived_key`)."""
    return json.loads(row_key)[1]
