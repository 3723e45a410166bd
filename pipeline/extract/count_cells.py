"""Cells of the count tables: item answer distributions and data-quality reasons."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from pipeline.extract.cell_core import PRIORITY, Cells, key


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
