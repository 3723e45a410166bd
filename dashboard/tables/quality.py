"""Tables of the Data quality and method page: records left out, link rates, reliability and
what disclosure control did."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard import fmt, suppress, text
from dashboard.tables.view import (
    Row,
    Scales,
    View,
    build,
    drop_empty_notes,
    from_rows,
    outcome_and_survey,
)

#: Link statuses that partition all responses at a later wave, in reading order.
LINK_PARTS = ("participant_id", "exact", "one_element", "ambiguous", "unmatched", "no_code")
LINKED_PARTS = ("participant_id", "exact", "one_element")
LINK_LABELS = {
    "all_responses": "all responses at this survey",
    "linked": "linked (any way)",
    "participant_id": "linked by platform participant id",
    "exact": "linked by identical code",
    "one_element": "linked by a code differing in one element",
    "ambiguous": "not linked: more than one candidate",
    "unmatched": "not linked: no candidate",
    "no_code": "not linked: no usable code",
}
MEASURE_LABELS = {"excluded": "excluded", "quarantined": "quarantined"}


def reason_words(reason: Any) -> str:
    """'duplicate submission' for the reason code 'duplicate_submission'."""
    return "all reasons" if reason == "all" else str(reason).replace("_", " ")


def data_quality_view(rows: pd.DataFrame, labels: Mapping[str, str]) -> View:
    """Records left out per survey, measure and reason."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        several = row["wave_id"] == "(several)"
        out.text(
            "Survey",
            "several surveys in one file" if several else text.wave_label(row["wave_id"], labels),
        )
        out.text("Left out as", MEASURE_LABELS.get(row["measure"], row["measure"]))
        out.text("Reason", reason_words(row["reason"]))
        out.number("Records", row.get("n_records"), "count")

    return build("data_quality", rows, fill)


def records_left_out_bars(rows: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The records-left-out rows of each reason (not the 'all reasons' totals), labelled
    'excluded: incomplete (Before)' for the count bars."""
    parts = suppress.require(rows)
    parts = parts[parts["reason"] != "all"]
    waves = parts["wave_id"].map(lambda w: text.wave_label(w, labels))
    reasons = parts["reason"].map(reason_words)
    return parts.assign(label=parts["measure"].astype(str) + ": " + reasons + " (" + waves + ")")


def linkage_bars(rows: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The link-status parts of each later survey, labelled 'Straight after: linked by
    identical code' for the share bars."""
    parts = suppress.require(rows)
    parts = parts[parts["link_status"].isin(LINK_PARTS)]
    waves = parts["wave_id"].map(lambda w: text.wave_label(w, labels))
    return parts.assign(label=waves + ": " + parts["link_status"].map(LINK_LABELS))


def _link_shares(by_status: Mapping[str, Mapping[str, Any]]) -> dict[str, int | None]:
    """Whole percentages of one survey's link statuses: the parts add up to 100 and
    'linked' is the sum of its three rounded parts, so it adds up too."""
    parts = [by_status.get(s) for s in LINK_PARTS]
    percents = fmt.percentages_adding_up(
        [None if p is None or p.get("hidden") else p.get("share_of_responses") for p in parts]
    )
    share: dict[str, int | None] = dict(zip(LINK_PARTS, percents, strict=True))
    linked = [share[s] for s in LINKED_PARTS if s in by_status]
    share["linked"] = sum(linked) if linked and None not in linked else None  # type: ignore[arg-type]
    share["all_responses"] = 100
    return share


def linkage_view(rows: pd.DataFrame, labels: Mapping[str, str]) -> View:
    """Link rates by match type per later survey. Percentages of the parts add up to 100;
    'linked' is the sum of its three rounded parts, so it adds up too."""
    records = text.records(suppress.require(rows))
    built = []
    for wave in sorted({(r.get("wave_order") or 0, r["wave_id"]) for r in records}):
        by_status = {r["link_status"]: r for r in records if r["wave_id"] == wave[1]}
        share = _link_shares(by_status)
        for status in ("all_responses", "linked", *LINK_PARTS):
            row = by_status.get(status)
            if row is None:
                continue
            out = Row(row)
            out.text("Later survey", text.wave_label(wave[1], labels))
            out.text("How linked", LINK_LABELS.get(status, status))
            out.number("Responses", row.get("n"), "count")
            value = share.get(status)
            if value is None and not row.get("hidden"):
                raw = row.get("share_of_responses")
                value = None if fmt.is_missing(raw) else int(fmt.rounded(float(raw) * 100, 0))
            out.percent("Share of responses", value)
            built.append(out.note())
    return drop_empty_notes(from_rows("linkage", built))


def reliability_view(rows: pd.DataFrame, scales: Scales, labels: Mapping[str, str]) -> View:
    """Cronbach's alpha (with CI) and omega per scale and survey, flagged below .70."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        outcome_and_survey(out, row, scales, labels)
        out.number("Complete answers", row.get("n_complete"), "count")
        out.number("Items", row.get("n_items"), "count", hideable=False)
        out.number("Alpha", row.get("alpha"), "reliability")
        out.interval(
            "95% CI of alpha", row.get("alpha_ci_low"), row.get("alpha_ci_high"), "reliability"
        )
        out.number("Omega", row.get("omega_total"), "reliability")
        out.yes_no("Read with caution (alpha < .70)", row.get("is_alpha_below_070"))

    return build("reliability", rows, fill)


def disclosure_view(rows: pd.DataFrame) -> View:
    """How many cells of each table are shown, held or hidden, and why (cells, not people)."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        out.text("Table", row["table_name"])
        out.text("Status", row["status"])
        out.text("Reason", "" if row["reason"] == "(none)" else row["reason"])
        out.number("Cells", row.get("n_cells"), "count", hideable=False)

    return build("disclosure_summary", rows, fill, suppressed=False, notes=False)
