"""The instrument definitions as the warehouse's reference tables (`instruments`,
`instrument_items`, `instrument_scales`, `instrument_scale_items`, `instrument_conversions`),
which the one generic scoring model reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pipeline.instruments.schema import Instrument, InstrumentScoring
from pipeline.instruments.scoring import conversion_frame, dont_know_rule


def reference_frames(
    instruments: dict[str, Instrument],
    scoring: Mapping[str, InstrumentScoring] | None = None,
    config_dir: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """The instrument definitions as the warehouse's reference tables (dbt's seeds idea), with
    the project's scoring choices (don't-know rule, conversion tables) applied."""
    scoring = scoring or {}
    rows_instruments, rows_items, rows_scales, rows_scale_items = [], [], [], []
    conversions: list[pd.DataFrame] = []
    for ins in instruments.values():
        low, high = ins.response_scale.item_score_bounds()
        choice = scoring.get(ins.id)
        rows_instruments.append(
            {
                "instrument_id": ins.id,
                "name": ins.name,
                "version": ins.version,
                "construct": ins.construct_id,
                "citation": ins.citation,
                "licence": ins.licence,
                "verification": ins.verification,
                "key_status": ins.key_status,
                "code_min": ins.response_scale.min,
                "code_max": ins.response_scale.max,
                "item_score_min": low,
                "item_score_max": high,
                "dont_know_rule": dont_know_rule(ins, choice),
            }
        )
        for position, item in enumerate(ins.items, start=1):
            rows_items.append(
                {
                    "instrument_id": ins.id,
                    "item_id": item.id,
                    "position": position,
                    "is_reverse_keyed": item.reverse,
                }
            )
        for scale in ins.scales:
            score_min, score_max = ins.scale_bounds(scale)
            reliability = scale.published_reliability
            rows_scales.append(
                {
                    "instrument_id": ins.id,
                    "scale_id": scale.id,
                    "name": scale.name,
                    "construct": ins.construct_id,
                    "aggregation": scale.aggregation,
                    "n_items": len(scale.items),
                    "min_items": scale.min_items,
                    "higher_is_better": scale.higher_is_better,
                    "score_min": score_min,
                    "score_max": score_max,
                    "description": scale.description,
                    "converted_from": scale.conversion.from_scale if scale.conversion else None,
                    "published_reliability": reliability.value if reliability else None,
                    "reliability_statistic": reliability.statistic if reliability else None,
                    "reliability_source": reliability.source if reliability else None,
                }
            )
            rows_scale_items += [
                {"instrument_id": ins.id, "scale_id": scale.id, "item_id": item_id}
                for item_id in scale.items
            ]
        if choice is not None:
            for scale_id, path in choice.conversion_tables.items():
                full = (config_dir / path) if config_dir is not None else path
                conversions.append(conversion_frame(ins, scale_id, full))
    conversion_columns = ["instrument_id", "scale_id", "raw_score", "converted_score"]
    return {
        "instruments": pd.DataFrame(rows_instruments),
        "instrument_items": pd.DataFrame(rows_items),
        "instrument_scales": pd.DataFrame(rows_scales).astype({"published_reliability": "float64"}),
        "instrument_scale_items": pd.DataFrame(rows_scale_items),
        "instrument_conversions": (
            pd.concat(conversions, ignore_index=True)
            if conversions
            else pd.DataFrame(columns=conversion_columns)
        ),
    }
