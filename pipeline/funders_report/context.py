"""What every section of the report derives from the extract: waves, scales in reading order,
the programme-level results of each scale, and the sentences that describe a set of effects.

The rows are the extract's as `dashboard.queries` returns them, already through
`dashboard.suppress.apply`; nothing here sums or averages across rows (docs/extract.md: the
extract is protected for the cells it publishes, not for new totals).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard import fmt, text
from dashboard.text.details import improvement_interval
from pipeline.funders_report.data import Extract
from pipeline.funders_report.figures import Figures

CONSTRUCT_ORDER = list(text.CONSTRUCT_LABELS)
D_Z = ("d_z", "d_z_ci_low", "d_z_ci_high")
POOLED_CI = ("pooled_hk_ci_low", "pooled_hk_ci_high")
Key = tuple[str, str]  # (instrument_id, scale_id)


class Context:
    """The extract and what every section derives from its reference tables."""

    def __init__(self, ex: Extract, figures: Figures) -> None:
        self.ex = ex
        self.figures = figures
        self.k = ex.min_cell_size
        self.labels = ex.labels
        self.baseline = ex.baseline
        self.later = ex.later
        self.scales = ex.scales
        self.programmes = ex.programmes

    @property
    def has_change(self) -> bool:
        """True when there is a first survey and at least one later one."""
        return self.baseline is not None and bool(self.later)

    def label(self, wave_id: str) -> str:
        return text.wave_label(wave_id, self.labels)

    def comparison(self, from_wave: str, to_wave: str) -> str:
        return text.comparison_label(from_wave, to_wave, self.labels)

    def scale_order(self, key: Key) -> tuple:
        construct = str(self.scales.get(key, {}).get("construct", ""))
        rank = CONSTRUCT_ORDER.index(construct) if construct in CONSTRUCT_ORDER else 99
        return (rank, key)

    def keys(self, programme_id: str) -> list[Key]:
        """The programme's scales with programme-level results, in construct order."""
        found = {
            (r["instrument_id"], r["scale_id"])
            for r in self.ex.rows(programme_id, "paired_stats", level="programme")
            if (r["instrument_id"], r["scale_id"]) in self.scales
        }
        return sorted(found, key=self.scale_order)

    def all_keys(self) -> list[Key]:
        found = {key for p in self.programmes for key in self.keys(p["programme_id"])}
        return sorted(found, key=self.scale_order)

    def paired(self, pid: str, key: Key, **where: Any) -> list[dict[str, Any]]:
        where.setdefault("level", "programme")
        return self.ex.rows(pid, "paired_stats", instrument_id=key[0], scale_id=key[1], **where)

    def paired_one(self, pid: str, key: Key, from_wave: str, to_wave: str,
                   **where: Any) -> dict[str, Any] | None:  # fmt: skip
        found = self.paired(pid, key, from_wave=from_wave, to_wave=to_wave, **where)
        return found[0] if found else None

    def meta(self, pid: str, key: Key, to_wave: str) -> dict[str, Any] | None:
        """The cohort_meta row (cohorts pooled, trend) of a scale's baseline comparison."""
        return self.ex.one(pid, "cohort_meta", instrument_id=key[0], scale_id=key[1],
                           from_wave=self.baseline, to_wave=to_wave)  # fmt: skip

    def programme_reach(self, pid: str) -> list[dict[str, Any]]:
        return self.ex.rows(pid, "reach", level="programme")

    def outcomes_frame(self, keys: Sequence[Key]) -> pd.DataFrame:
        frame = self.ex.scales_frame.set_index(["instrument_id", "scale_id"], drop=False)
        return frame.loc[list(keys)].reset_index(drop=True)


def frame_of(rows: Sequence[Mapping[str, Any]], like: pd.DataFrame) -> pd.DataFrame:
    """Suppressed rows back as a frame with the columns of `like` (for the chart builders)."""
    return pd.DataFrame(list(rows), columns=like.columns) if rows else like.iloc[0:0]


def n_word(n: Any) -> str:
    return f"{fmt.count(n)} people"


def effect_description(rows: Sequence[Mapping[str, Any]], name_of: Callable) -> str:
    """A chart's text alternative: each row's d_z with its CI and n, or why it is hidden."""
    parts = []
    for row in rows:
        name = name_of(row)
        if row.get("hidden"):
            parts.append(f"{name}: {row.get('hidden_label')}")
            continue
        parts.append(
            f"{name}: d_z {fmt.effect(row.get('d_z'))} (95% CI "
            f"{fmt.interval(row.get('d_z_ci_low'), row.get('d_z_ci_high'), 2)}), "
            f"{n_word(row.get('n_pairs'))}{text.held_suffix(row)}"
        )
    return "; ".join(parts) + "." if parts else "No results."


def improvement_points(row: Mapping[str, Any], scale: Mapping[str, Any]) -> str:
    """'+2.8 points (95% CI +1.2 to +4.4)': the change among linked people, rounded once
    from the shown averages so that it adds up with them."""
    change = fmt.derived_improvement(
        row.get("mean_from"), row.get("mean_to"), bool(scale["higher_is_better"])
    )
    ci = improvement_interval(row)
    return f"{fmt.signed(change)} points (95% CI {ci})"


def d_z_words(row: Mapping[str, Any]) -> str:
    """'d_z 0.45 (0.31 to 0.63)'."""
    ci = fmt.interval(row.get("d_z_ci_low"), row.get("d_z_ci_high"), 2)
    return f"d_z {fmt.effect(row.get('d_z'))} ({ci})"
