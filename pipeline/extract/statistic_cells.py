"""Cells of the statistics tables: paired statistics (and their reliable-change shares),
all-available wave means and reliability, with the breakdowns between them."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from pipeline.extract.cell_core import (
    LATER_COMPARISON_PENALTY,
    OUTCOMES,
    PRIORITY,
    Cells,
    add_tree,
    key,
    rows_by,
)

#: The group of people and the scale a paired row describes, whatever waves it compares.
PAIRED_GROUP = [
    "level",
    "programme_id",
    "site",
    "cohort_id",
    "attribute",
    "attribute_value",
    "instrument_id",
    "scale_id",
]


def pairs_key(row: pd.Series | dict) -> str:
    return key("pairs", *(row[c] for c in PAIRED_GROUP), row["from_wave"], row["to_wave"])


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
    for rows in rows_by(paired, slices).values():
        add_tree(cells, rows, "pairs")
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
        add_tree(cells, rows, f"share|{slot[-1]}")
    return paired


def _nested_comparisons(cells: Cells, paired: pd.DataFrame) -> None:
    """Pairs of a later comparison (post -> follow-up) are among those of baseline -> post and
    of baseline -> follow-up of the same group; the remainders add up like the groups."""
    comparisons: dict[tuple, dict[tuple[str, str], dict]] = defaultdict(dict)
    for row in paired.to_dict("records"):
        group = tuple("" if pd.isna(row[c]) else row[c] for c in PAIRED_GROUP)
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
        add_tree(cells, rows, "nested")


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
