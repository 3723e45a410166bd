"""Tables of what was measured and published: item answers, programmes, instruments and the
extract's settings, and the reading order of outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dashboard import fmt, suppress, text
from dashboard.tables.view import Row, View, build, from_rows

#: The cell an item's bar stands in for when the extract has no total for it.
_NO_TOTAL = {"hidden": True, "hidden_label": suppress.hidden_label(suppress.TOO_FEW)}

#: Readable names of the extract's settings (the ledger key id is left out).
META_NAMES = {
    "project": "Project",
    "built_at": "Extract built (UTC)",
    "min_cell_size": "Smallest group shown (people)",
    "pipeline_version": "Ripple version",
    "run_id": "Pipeline run id",
    "extract_version": "Extract version",
    "disclosure_method": "Disclosure control",
    "previous_run_id": "Continues the release of run",
}


def item_label(item: Mapping[str, Any]) -> str:
    """'Item 3: How often do you feel left out?' (wording only where shipped), with
    '(reverse keyed)' where agreeing is the less favourable answer."""
    position = item.get("position")
    name = f"Item {position}" if position is not None else str(item.get("item_id"))
    wording = item.get("wording")
    label = f"{name}: {wording}" if wording else f"{name} ({item.get('item_id')})"
    return label + (" (reverse keyed)" if item.get("is_reverse_keyed") else "")


def items_view(
    distributions: pd.DataFrame,
    items: pd.DataFrame,
    options: pd.DataFrame,
    labels: Mapping[str, str],
) -> View:
    """One row per item and survey: people asked, then the share giving each answer, in
    whole percentages that add up to 100 when every answer is shown."""
    rows = text.records(suppress.require(distributions))
    answers = sorted(text.records(options), key=lambda r: r["answer_order"])
    wording = {r["item_id"]: r for r in text.records(items)}
    cells = {(r["item_id"], r["wave_id"], str(r["answer"])): r for r in rows}
    bars = sorted(
        {(r["item_id"], r["wave_id"], r.get("wave_order") or 0) for r in rows},
        key=lambda b: (wording.get(b[0], {}).get("position") or 0, b[0], b[2]),
    )
    built = []
    for item_id, wave_id, _order in bars:
        total = cells.get((item_id, wave_id, "all"), _NO_TOTAL)
        out = Row(total)
        out.text("Item", item_label(wording.get(item_id, {"item_id": item_id})))
        out.text("Survey", text.wave_label(wave_id, labels))
        out.number("People asked", total.get("n"), "count")
        parts = [cells.get((item_id, wave_id, str(a["answer"]))) or {} for a in answers]
        percents = fmt.percentages_adding_up(
            [p.get("share") if not p.get("hidden") else None for p in parts]
        )
        for answer, part, value in zip(answers, parts, percents, strict=True):
            name = f"{answer['label']} (%)"
            if part.get("hidden"):
                out.both(name, str(part.get("hidden_label")))
            else:
                out.percent(name, value)
        built.append(out)
    return from_rows("items", built)


def programmes_view(programmes: pd.DataFrame) -> View:
    """The programmes: approach, audience, cohorts, sites, dates."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        out.text("Programme", row["name"])
        out.text("Approach", row["approach"])
        out.text("Audience", row["audience"])
        out.number("Cohorts", row.get("n_cohorts"), "count", hideable=False)
        out.number("Sites", row.get("n_sites"), "count", hideable=False)
        out.text(
            "Cohort dates",
            fmt.date_range(row.get("first_cohort_date"), row.get("last_cohort_date")),
        )

    return build("programmes", programmes, fill, suppressed=False, notes=False)


def instruments_view(scales: pd.DataFrame) -> View:
    """One row per scale: instrument, scale, what it measures, range, direction."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        out.text("Instrument", row["instrument_name"])
        out.text("Scale", row["scale_name"])
        out.text("Measures", text.construct_label(row["construct"]))
        out.text(
            "Score range",
            f"{fmt.score_range(row['score_min'], row['score_max'])} "
            f"({row['aggregation']} of items)",
        )
        out.text("Better when", "higher" if row["higher_is_better"] else "lower")

    return build("instruments", scales, fill, suppressed=False, notes=False)


def meta_view(meta: pd.DataFrame) -> View:
    """The extract's settings with readable names (the ledger key id is left out)."""
    known = meta[meta["key"].isin(list(META_NAMES))]

    def fill(out: Row, row: dict[str, Any]) -> None:
        out.text("Setting", META_NAMES[row["key"]]).text("Value", row["value"])

    return build("extract", known, fill, suppressed=False, notes=False)


def outcome_order(scales: pd.DataFrame) -> pd.DataFrame:
    """Scales in reading order: by construct (attitudes, knowledge, behaviour, belonging,
    loneliness, wellbeing, then others), then instrument and scale id."""
    order = {construct: n for n, construct in enumerate(text.CONSTRUCT_LABELS)}
    rank = scales["construct"].map(order).fillna(len(order))
    return (
        scales.assign(_rank=rank)
        .sort_values(["_rank", "instrument_id", "scale_id"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


KEY_NOT_CHECKED = "scored with a key not yet fully checked against the published manual"


def instrument_citations(scales: pd.DataFrame) -> list[tuple[str, str]]:
    """(instrument name, citation), once per instrument, in instrument id order; the
    citation says so when the scoring key is not verified (`scales.key_status`)."""
    first = scales.sort_values("instrument_id", kind="stable").drop_duplicates("instrument_id")
    status = first.get("key_status", pd.Series("verified", index=first.index))
    notes = np.where(status.ne("verified").to_numpy(), f" ({KEY_NOT_CHECKED})", "")
    citations = first["citation"].astype(str).to_numpy() + notes
    return list(zip(first["instrument_name"], citations.tolist(), strict=True))
