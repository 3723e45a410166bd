"""The building blocks of disclosure-control cells: stable keys, the collection of cells and
partitions, the priority of each kind of cell, and the programme = sites = cohorts tree every
breakdown of a programme follows (see `pipeline.extract.cells` for the whole picture)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from pipeline.disclosure import Cell, Partition

REMAINDER = "(remainder)"
OUTCOMES = ("improved", "unchanged", "deteriorated")
LINK_STATUSES = ("participant_id", "exact", "one_element", "ambiguous", "unmatched", "no_code")
MATCH_TYPES = ("participant_id", "exact", "one_element")


#: When a breakdown needs one more hidden cell, the lowest priority goes first: the numbers
#: funders read first (a programme's reach, retention and paired change) are hidden last, the
#: all-available means, data-quality and item counts first.
PRIORITY = {
    ("reach", "programme", "baseline"): 95,
    ("reach", "programme", "linked"): 90,
    ("reach", "programme", "responses"): 70,
    ("reach", "site", "baseline"): 55,
    ("reach", "site", "linked"): 54,
    ("reach", "site", "responses"): 45,
    ("reach", "cohort", "baseline"): 50,
    ("reach", "cohort", "linked"): 49,
    ("reach", "cohort", "responses"): 40,
    ("pairs", "programme"): 88,
    ("pairs", "site"): 60,
    ("pairs", "cohort"): 52,
    ("pairs", "attribute"): 45,
    ("share",): 30,
    ("scored",): 35,
    ("complete",): 25,
    ("answers",): 20,
    ("link",): 15,
    ("records",): 10,
}
LATER_COMPARISON_PENALTY = 5  # post -> follow-up ranks below baseline -> follow-up


def key(*parts: object) -> str:
    """A cell key: the parts as a compact JSON array (None as "")."""
    return json.dumps(
        ["" if p is None or p != p else p for p in parts],  # p != p: NaN
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


@dataclass
class Cells:
    """Cells and partitions as they are collected, and which table shows each cell."""

    cells: dict[str, Cell] = field(default_factory=dict)
    partitions: list[Partition] = field(default_factory=list)
    tables: dict[str, str] = field(default_factory=dict)
    attached: dict[str, str] = field(default_factory=dict)

    def add(self, cell_key: str, n: int, table: str, priority: int = 0) -> str:
        n = int(n)
        existing = self.cells.get(cell_key)
        if existing is not None and existing.n != n:
            raise ValueError(f"cell {cell_key} counted twice with different n")
        self.cells[cell_key] = Cell(cell_key, n, priority=priority)
        self.tables.setdefault(cell_key, table)
        return cell_key

    def breakdown(self, parent: str, children: list[str], label: str) -> None:
        """`parent` = `children`; a difference (there should be none for a complete breakdown)
        becomes a virtual remainder named after the breakdown."""
        children = [c for c in dict.fromkeys(children) if c != parent]
        if not children:
            return
        gap = self.cells[parent].n - sum(self.cells[c].n for c in children)
        if gap:
            children.append(self._remainder(parent, label, abs(gap)))
        self.partitions.append(Partition(parent, tuple(children), label))

    def nested(self, parent: str, child: str, label: str) -> str:
        """`child` is a subset of `parent`: parent = child + a virtual remainder (always made,
        even when empty, so the ledger follows it from release to release); returns it."""
        gap = abs(self.cells[parent].n - self.cells[child].n)
        label = f"{label}|{child}"
        rest = self._remainder(parent, label, gap)
        self.partitions.append(Partition(parent, (child, rest), label))
        return rest

    def _remainder(self, parent: str, label: str, n: int) -> str:
        rest = key("rest", parent, label)
        self.cells[rest] = Cell(rest, n, virtual=True)
        self.tables[rest] = REMAINDER
        return rest


def add_tree(cells: Cells, rows: list[dict], label: str) -> None:
    """programme = its sites = its cohorts = the values of each attribute, site = its cohorts,
    for the rows (level, site, cohort_id, attribute, cell_key) of one slice of one programme:
    one wave and measure, one scale and comparison, or their remainders."""
    top = [r for r in rows if r["level"] == "programme"]
    if not top:
        return
    total = top[0]["cell_key"]
    sites = [r for r in rows if r["level"] == "site"]
    cohorts = [r for r in rows if r["level"] == "cohort"]
    cells.breakdown(total, [r["cell_key"] for r in sites], f"{label}|sites")
    cells.breakdown(total, [r["cell_key"] for r in cohorts], f"{label}|cohorts")
    for site in sites:
        within = [r["cell_key"] for r in cohorts if r["site"] == site["site"]]
        cells.breakdown(site["cell_key"], within, f"{label}|cohorts")
    values: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["level"] == "attribute":
            values[row["attribute"]].append(row["cell_key"])
    for attribute, keys in values.items():
        cells.breakdown(total, keys, f"{label}|{attribute}")


def rows_by(frame: pd.DataFrame, columns: list[str]) -> dict[tuple, list[dict]]:
    """The rows of `frame` as dicts, grouped by `columns`."""
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for row in frame.to_dict("records"):
        grouped[tuple(row[c] for c in columns)].append(row)
    return grouped
