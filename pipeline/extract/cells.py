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

from collections import defaultdict

import pandas as pd

# The cell machinery and the cells of each family of tables live in their own modules; their
# public names are re-exported here, where the extract builder and assemble import them.
from pipeline.extract.cell_core import LATER_COMPARISON_PENALTY as LATER_COMPARISON_PENALTY
from pipeline.extract.cell_core import (
    LINK_STATUSES,
    MATCH_TYPES,
    PRIORITY,
    Cells,
    add_tree,
    key,
    rows_by,
)
from pipeline.extract.cell_core import OUTCOMES as OUTCOMES
from pipeline.extract.cell_core import REMAINDER as REMAINDER
from pipeline.extract.count_cells import add_data_quality as add_data_quality
from pipeline.extract.count_cells import add_items as add_items
from pipeline.extract.count_cells import tables_of as tables_of
from pipeline.extract.statistic_cells import add_paired as add_paired
from pipeline.extract.statistic_cells import add_reliability as add_reliability
from pipeline.extract.statistic_cells import add_wave_means as add_wave_means
from pipeline.extract.statistic_cells import pairs_key as pairs_key
from pipeline.extract.statistic_cells import scored_key as scored_key
from pipeline.extract.statistic_cells import share_key as share_key

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
    for rows in rows_by(reach, ["programme_id", "measure", "wave_id"]).values():
        add_tree(cells, rows, "reach")
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
        add_tree(cells, rows, f"reach|{slot[0]}")
    return reach


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
