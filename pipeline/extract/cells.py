"""The extract's rows as disclosure-control cells, and every breakdown between them.

Each published row is bound to the cell (group of people) its statistics describe; the key of
a cell is a JSON array stable from release to release. The partitions are every way a
published total splits into published (or never-published) parts:

- reach: programme = its sites = its cohorts, site = its cohorts (per wave and measure);
  responses at a later wave = linked + unlinked; baseline responses = linked + not retained;
  linkage statuses add up to the responses at the wave, match types to the linked;
- paired statistics: programme = sites = cohorts = the values of each attribute, site = its
  cohorts (per scale and comparison); baseline -> later pairs = the pairs of a comparison
  nested in them + the rest; improved + unchanged + deteriorated = all pairs;
- all available scores at a wave = the linked pairs of that wave + the rest, and at the
  baseline = the completers of each later wave + the drop-outs;
- item answers add up to everyone asked; data-quality reasons add up to their total.

A part that no published row shows (the unlinked, the drop-outs, ...) is a virtual cell.
"""

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


# reach and linkage


def reach_key(row: pd.Series | dict) -> str:
    return key(
        "reach",
        row["measure"],
        row["level"],
        row["programme_id"],
        row["site"],
        row["cohort_id"],
        row["wave_id"],
    )


def add_reach(cells: Cells, reach: pd.DataFrame) -> pd.DataFrame:
    """Cells of `reach` rows (column cell_key) and their breakdowns."""
    reach = reach.assign(cell_key=[reach_key(r) for r in reach.to_dict("records")])
    for row in reach.itertuples():
        kind = "baseline" if row.wave_order == 0 else row.measure
        cells.add(row.cell_key, row.n, "reach", PRIORITY[("reach", row.level, kind)])
    for rows in _slices(reach, ["programme_id", "measure", "wave_id"]).values():
        _tree(cells, rows, "reach")
    by_group = {
        (r["level"], r["programme_id"], r["site"], r["cohort_id"], r["wave_id"], r["measure"]): r[
            "cell_key"
        ]
        for r in reach.to_dict("records")
    }
    baseline_wave = reach.loc[reach["wave_order"] == 0, "wave_id"]
    base = baseline_wave.iloc[0] if len(baseline_wave) else None
    rests: dict[tuple, list[dict]] = defaultdict(list)
    for row in reach[reach["measure"] == "linked"].to_dict("records"):
        group = (row["level"], row["programme_id"], row["site"], row["cohort_id"])
        for label, wave in (("unlinked", row["wave_id"]), ("not retained", base)):
            total = by_group.get((*group, wave, "responses"))
            if total:
                rest = cells.nested(total, row["cell_key"], label)
                slot = (label, row["programme_id"], row["wave_id"])
                rests[slot].append({**row, "cell_key": rest})
    for slot, rows in rests.items():  # a site's unlinked = its cohorts' unlinked, ...
        _tree(cells, rows, f"reach|{slot[0]}")
    return reach


def _tree(cells: Cells, rows: list[dict], label: str) -> None:
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


def _slices(frame: pd.DataFrame, columns: list[str]) -> dict[tuple, list[dict]]:
    """The rows of `frame` as dicts, grouped by `columns`."""
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for row in frame.to_dict("records"):
        grouped[tuple(row[c] for c in columns)].append(row)
    return grouped


def add_linkage(cells: Cells, linkage: pd.DataFrame, reach: pd.DataFrame) -> pd.DataFrame:
    """linkage_quality rows: every status per programme x later wave (zero-filled), cells for
    the statuses, and the reach programme cells for all_responses and linked."""
    programme = reach[reach["level"] == "programme"]
    totals = {(r.programme_id, r.wave_id, r.measure): r for r in programme.itertuples()}
    counts = {(r.programme_id, r.wave_id, r.link_status): r.n for r in linkage.itertuples()}
    rows = []
    for (programme_id, wave_id, measure), total in sorted(totals.items()):
        if measure != "linked":
            continue
        responses = totals.get((programme_id, wave_id, "responses"))
        if responses is None:
            continue
        rows.append(
            (
                programme_id,
                wave_id,
                total.wave_order,
                "all_responses",
                responses.n,
                responses.cell_key,
            )
        )
        rows.append((programme_id, wave_id, total.wave_order, "linked", total.n, total.cell_key))
        status_keys = {}
        for status in LINK_STATUSES:
            n = int(counts.get((programme_id, wave_id, status), 0))
            status_keys[status] = cells.add(
                key("link", programme_id, wave_id, status),
                n,
                "linkage_quality",
                PRIORITY[("link",)],
            )
            rows.append((programme_id, wave_id, total.wave_order, status, n, status_keys[status]))
        cells.breakdown(responses.cell_key, list(status_keys.values()), "link statuses")
        cells.breakdown(total.cell_key, [status_keys[m] for m in MATCH_TYPES], "match types")
    columns = ["programme_id", "wave_id", "wave_order", "link_status", "n", "cell_key"]
    return pd.DataFrame(rows, columns=columns)


# paired statistics, wave means, attrition, reliability


def pairs_key(row: pd.Series | dict) -> str:
    return key(
        "pairs",
        row["level"],
        row["programme_id"],
        row["site"],
        row["cohort_id"],
        row["attribute"],
        row["attribute_value"],
        row["instrument_id"],
        row["scale_id"],
        row["from_wave"],
        row["to_wave"],
    )


def share_key(pairs: str, outcome: str) -> str:
    return key("share", pairs, outcome)


def add_paired(cells: Cells, paired: pd.DataFrame) -> pd.DataFrame:
    """Cells of paired_stats rows (cell_key), their reliable-change shares, and breakdowns."""
    paired = paired.assign(cell_key=[pairs_key(r) for r in paired.to_dict("records")])
    for row in paired.itertuples():
        rank = PRIORITY[("pairs", row.level)]
        rank -= 0 if row.is_from_baseline else LATER_COMPARISON_PENALTY
        cells.add(row.cell_key, row.n_pairs, "paired_stats", rank)
    slices = ["programme_id", "instrument_id", "scale_id", "from_wave", "to_wave"]
    for rows in _slices(paired, slices).values():
        _tree(cells, rows, "pairs")
    _nested_comparisons(cells, paired)
    shares: dict[tuple, list[dict]] = defaultdict(list)
    for row in paired.to_dict("records"):
        counts = [row[f"n_reliably_{o}"] for o in OUTCOMES]
        if any(pd.isna(c) for c in counts):
            continue
        keys = [
            cells.add(share_key(row["cell_key"], o), int(c), "paired_stats", PRIORITY[("share",)])
            for o, c in zip(OUTCOMES, counts, strict=True)
        ]
        cells.breakdown(row["cell_key"], keys, "reliable change")
        cells.attached.update(dict.fromkeys(keys, row["cell_key"]))
        for outcome, share in zip(OUTCOMES, keys, strict=True):
            slot = (*(row[c] for c in slices), outcome)
            shares[slot].append({**row, "cell_key": share})
    for slot, rows in shares.items():  # improved in a programme = improved in its cohorts
        _tree(cells, rows, f"share|{slot[-1]}")
    return paired


def _nested_comparisons(cells: Cells, paired: pd.DataFrame) -> None:
    """Pairs of a later comparison (post -> follow-up) are among those of baseline -> post and
    of baseline -> follow-up of the same group; the remainders add up like the groups."""
    group_columns = [
        "level",
        "programme_id",
        "site",
        "cohort_id",
        "attribute",
        "attribute_value",
        "instrument_id",
        "scale_id",
    ]
    comparisons: dict[tuple, dict[tuple[str, str], dict]] = defaultdict(dict)
    for row in paired.to_dict("records"):
        group = tuple("" if pd.isna(row[c]) else row[c] for c in group_columns)
        comparisons[group][(row["from_wave"], row["to_wave"])] = row
    rests: dict[tuple, list[dict]] = defaultdict(list)
    for found in comparisons.values():
        baseline = {to: row for (_f, to), row in found.items() if row["is_from_baseline"]}
        for (from_wave, to_wave), row in found.items():
            if row["is_from_baseline"]:
                continue
            for wave in (to_wave, from_wave):
                if wave in baseline:
                    rest = cells.nested(baseline[wave]["cell_key"], row["cell_key"], "nested")
                    slot = (
                        row["programme_id"],
                        row["instrument_id"],
                        row["scale_id"],
                        from_wave,
                        to_wave,
                        wave,
                    )
                    rests[slot].append({**row, "cell_key": rest})
    for rows in rests.values():
        _tree(cells, rows, "nested")


def scored_key(programme: str, instrument: str, scale: str, wave: str) -> str:
    return key("scored", programme, instrument, scale, wave)


def add_wave_means(cells: Cells, means: pd.DataFrame, paired: pd.DataFrame) -> pd.DataFrame:
    """Cells of wave_means rows; all scored responses at a wave = the linked pairs of that
    wave + the rest, and at the baseline = the completers of each later wave + drop-outs."""
    means = means.assign(
        cell_key=[
            scored_key(r.programme_id, r.instrument_id, r.scale_id, r.wave_id)
            for r in means.itertuples()
        ]
    )
    for row in means.itertuples():
        cells.add(row.cell_key, row.n, "wave_means", PRIORITY[("scored",)])
    top = paired[(paired["level"] == "programme") & paired["is_from_baseline"]]
    for row in top.itertuples():
        for wave, label in ((row.to_wave, "not linked"), (row.from_wave, "drop-outs")):
            scored = scored_key(row.programme_id, row.instrument_id, row.scale_id, wave)
            if scored in cells.cells:
                cells.nested(scored, row.cell_key, f"{label}|{row.to_wave}")
    return means


def add_reliability(cells: Cells, reliability: pd.DataFrame) -> pd.DataFrame:
    reliability = reliability.assign(
        cell_key=[
            key("complete", r.programme_id, r.instrument_id, r.scale_id, r.wave_id)
            for r in reliability.itertuples()
        ]
    )
    for row in reliability.itertuples():
        cells.add(row.cell_key, row.n_complete, "reliability", PRIORITY[("complete",)])
    return reliability


# items and data quality


def add_items(cells: Cells, items: pd.DataFrame, grid: dict[str, list[str]]) -> pd.DataFrame:
    """item_distributions rows: every answer of the instrument (zero-filled, `grid`) plus
    `all`, per programme x item x wave; the answers add up to `all`."""
    rows = []
    for (programme_id, instrument_id, item_id, wave_id, wave_order), group in items.groupby(
        ["programme_id", "instrument_id", "item_id", "wave_id", "wave_order"]
    ):
        counts = dict(zip(group["answer"], group["n"], strict=True))
        answers = list(grid.get(instrument_id, []))
        answers += sorted(a for a in counts if a not in answers)
        total = cells.add(
            key("answers", programme_id, item_id, wave_id, "all"),
            sum(counts.values()),
            "item_distributions",
            PRIORITY[("answers",)] + 1,
        )
        rows.append(
            (
                programme_id,
                instrument_id,
                item_id,
                wave_id,
                wave_order,
                "all",
                -1,
                cells.cells[total].n,
                total,
            )
        )
        parts = []
        for order, answer in enumerate(answers):
            n = int(counts.get(answer, 0))
            part = cells.add(
                key("answers", programme_id, item_id, wave_id, answer),
                n,
                "item_distributions",
                PRIORITY[("answers",)],
            )
            parts.append(part)
            rows.append(
                (programme_id, instrument_id, item_id, wave_id, wave_order, answer, order, n, part)
            )
        cells.breakdown(total, parts, "answers")
    columns = [
        "programme_id",
        "instrument_id",
        "item_id",
        "wave_id",
        "wave_order",
        "answer",
        "answer_order",
        "n",
        "cell_key",
    ]
    return pd.DataFrame(rows, columns=columns)


def add_data_quality(cells: Cells, quality: pd.DataFrame) -> pd.DataFrame:
    """data_quality rows: each reason, and `all` per programme x wave x measure."""
    rows = []
    for (programme_id, wave_id, measure), group in quality.groupby(
        ["programme_id", "wave_id", "measure"]
    ):
        total = cells.add(
            key("records", programme_id, wave_id, measure, "all"),
            int(group["n_records"].sum()),
            "data_quality",
            PRIORITY[("records",)] + 1,
        )
        rows.append((programme_id, wave_id, measure, "all", cells.cells[total].n, total))
        parts = []
        for row in group.itertuples():
            part = cells.add(
                key("records", programme_id, wave_id, measure, row.reason),
                row.n_records,
                "data_quality",
                PRIORITY[("records",)],
            )
            parts.append(part)
            rows.append((programme_id, wave_id, measure, row.reason, row.n_records, part))
        cells.breakdown(total, parts, "reasons")
    columns = ["programme_id", "wave_id", "measure", "reason", "n_records", "cell_key"]
    return pd.DataFrame(rows, columns=columns)


def tables_of(cells: Cells) -> dict[str, list[str]]:
    """Cell keys per table (for the disclosure summary)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for cell_key, table in cells.tables.items():
        grouped[table].append(cell_key)
    return grouped
