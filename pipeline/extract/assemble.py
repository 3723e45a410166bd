"""Published rows from raw rows and disclosure decisions.

A row bound to a cell shows this run's values when the cell is fresh, the previous release's
values (from the ledger) when it is held, and NULLs when it is hidden; `hidden_reason` and
`note` say which. Rows that combine two cells (a comparison of two waves, completers against
drop-outs) are shown only when both are fresh, held together otherwise. Statistics computed
from published numbers (retention, shares, the cohort meta-analysis) can only use what is
published, so they reveal nothing more.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pipeline.disclosure import HELD, TOO_FEW, Decision, Previous
from pipeline.extract.cells import OUTCOMES, key, share_key
from pipeline.extract.cohort_meta import cohort_meta_rows as cohort_meta_rows
from pipeline.extract.columns import ATTRITION_VALUES as ATTRITION_VALUES
from pipeline.extract.columns import COMPARISON_VALUES as COMPARISON_VALUES
from pipeline.extract.columns import PAIRED_VALUES, SELECTION_D, SELECTION_P
from pipeline.extract.columns import RELIABILITY_VALUES as RELIABILITY_VALUES
from pipeline.extract.columns import WAVE_MEAN_VALUES as WAVE_MEAN_VALUES


def plain(value: Any) -> Any:
    """A value DuckDB stores as itself: NaN/NaT -> None, numpy scalars -> Python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal values (floats within rounding: a held value read back from JSON)."""
    for name, value in a.items():
        other = b.get(name)
        if isinstance(value, float) and isinstance(other, float):
            if not math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-12):
                return False
        elif value != other:
            return False
    return True


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def fresh_values(frame: pd.DataFrame, columns: list[str]) -> dict[str, dict[str, Any]]:
    """This run's values of every cell bound to a row of `frame` (by its cell_key)."""
    return {row["cell_key"]: {c: row.get(c) for c in columns} for row in records(frame)}


def share_values(paired: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """This run's value of every reliable-change share cell."""
    values = {}
    for row in records(paired):
        for outcome in OUTCOMES:
            values[share_key(row["cell_key"], outcome)] = {
                "share": row[f"share_reliably_{outcome}"]
            }
    return values


def unchanged(
    values: dict[str, dict[str, Any]], counts: dict[str, int], previous: dict[str, Previous]
) -> set[str]:
    """Cells whose values in this run are exactly those the previous release showed."""
    return {
        key
        for key, current in values.items()
        if (earlier := previous.get(key)) is not None
        and earlier.state == "shown"
        and earlier.values is not None
        and earlier.n_shown == counts.get(key)
        and same(earlier.values, current)
    }


class Publisher:
    """Applies decisions to rows and remembers every fresh cell's values for the ledger."""

    def __init__(self, decisions: dict[str, Decision], previous: dict[str, Previous]) -> None:
        self.decisions = decisions
        self.previous = previous
        self.fresh_values: dict[str, dict[str, Any]] = {}
        self.stale: set[str] = set()  # held cells whose published values are not this run's

    def cell_values(
        self, cell_key: str, raw: dict[str, Any], columns: list[str], rename: dict | None = None
    ) -> tuple[dict[str, Any], str | None, str | None]:
        """(published values, hidden_reason, note) of one cell; `rename` maps a published
        column to the name its value has in the ledger."""
        rename = rename or {}
        fresh = {rename.get(c, c): raw.get(c) for c in columns}
        self.fresh_values.setdefault(cell_key, fresh)
        decision = self.decisions[cell_key]
        if decision.state == "fresh":
            return {c: raw.get(c) for c in columns}, None, None
        if decision.state == "held":
            kept = self.previous[cell_key].values or {}
            values = {c: kept.get(rename.get(c, c)) for c in columns}
            if same(values, {c: plain(raw.get(c)) for c in columns}):
                return values, None, None
            self.stale.add(cell_key)
            return values, None, HELD
        return dict.fromkeys(columns), decision.reason, None

    def rows(self, frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
        """Every row of `frame` (bound by its cell_key) with its decision applied."""
        published = []
        for row in records(frame):
            values, reason, note = self.cell_values(row["cell_key"], row, columns)
            published.append({**row, **values, "hidden_reason": reason, "note": note})
        return published


def paired_rows(publisher: Publisher, paired: pd.DataFrame) -> list[dict[str, Any]]:
    """paired_stats rows, with each reliable-change share decided as its own cell."""
    rows = publisher.rows(paired, PAIRED_VALUES)
    for row in rows:
        notes = []
        for outcome in OUTCOMES:
            column = f"share_reliably_{outcome}"
            share = share_key(row["cell_key"], outcome)
            if share not in publisher.decisions:
                row[column] = None
                continue
            raw = {"share": row[column]}
            values, reason, note = publisher.cell_values(share, raw, ["share"])
            row[column] = values["share"] if row["hidden_reason"] is None else None
            if note and row["note"] is None:  # an earlier share of a newer n would mislead
                row[column] = None
            if reason or note:
                notes.append(reason or note)
        shown = row["hidden_reason"] is None
        row["reliable_change_note"] = (notes[0] if notes else None) if shown else None
    return rows


def combined_rows(
    publisher: Publisher,
    frame: pd.DataFrame,
    columns: list[str],
    row_key: str,
    cells_of: list[str],
) -> list[dict[str, Any]]:
    """Rows that combine cells (columns `cells_of` hold their keys), ledgered under their
    own key (column `row_key`): shown only when every cell is fresh; held together when
    every cell is shown and the row was shown before; else hidden, with a hidden cell's
    reason."""
    published = []
    for row in records(frame):
        parts = [publisher.decisions.get(row[c]) for c in cells_of]
        own = row[row_key]
        previous = publisher.previous.get(own)
        fresh = {c: row.get(c) for c in columns}
        state = "hidden"
        if all(p is not None and p.state == "fresh" for p in parts):
            state = "fresh"
        elif all(p is not None and p.shown for p in parts) and previous and previous.values:
            state = "held"
        if state == "fresh":
            publisher.fresh_values[own] = fresh
            reason = note = None
        elif state == "held":
            kept = previous.values or {}
            row.update({c: kept.get(c) for c in columns})
            reason, note = None, None
            if not same(kept, {c: plain(v) for c, v in fresh.items()}):
                note = HELD
                publisher.stale.add(own)
        else:
            row.update(dict.fromkeys(columns))
            hidden = [p.reason for p in parts if p is not None and not p.shown and p.reason]
            reason, note = (hidden[0] if hidden else HELD if previous else TOO_FEW), None
        publisher.decisions[own] = Decision(state, reason or note)
        published.append({**row, "hidden_reason": reason, "note": note})
    return published


def add_ratio(
    rows: list[dict[str, Any]], column: str, denominator: dict[Any, Any], slot: Any
) -> None:
    """rows[column] = n / the published denominator of the row's slot (NULL when hidden)."""
    for row in rows:
        base = denominator.get(slot(row))
        n = row.get("n")
        row[column] = n / base if n is not None and base else None


def follow_up_selected(row: dict[str, Any]) -> bool | None:
    p, d = row.get("p"), row.get("d_s")
    if row.get("hidden_reason") is not None or (p is None and d is None):
        return None
    return bool((p is not None and p < SELECTION_P) or (d is not None and abs(d) >= SELECTION_D))


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Insert `rows` into `table` by column name (extra keys are ignored)."""
    columns = [
        c
        for (c,) in con.execute(
            "select column_name from duckdb_columns() where table_name = ? "
            "and schema_name = 'main' and database_name = current_database() "
            "order by column_index",
            [table],
        ).fetchall()
    ]
    data = [tuple(plain(row.get(c)) for c in columns) for row in rows]
    if not data:
        return
    frame = pd.DataFrame(data, columns=columns, dtype=object)
    con.register("published_rows", frame)
    try:
        con.execute(f'insert into "{table}" by name select * from published_rows')  # noqa: S608
    finally:
        con.unregister("published_rows")


def derived_key(table: str, *parts: object) -> str:
    return key("row", table, *parts)
