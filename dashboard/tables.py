"""Tables of every view: one output row per extract row, rounded once, ready to show and to
download.

Pure functions (no Streamlit, no DuckDB). Each builder takes suppressed rows
(`suppress.apply`) and returns a `View`: the same table twice,

- `shown`: text for the screen (true minus signs, "+" on changes, ranges, "hidden: <reason>"
  in every hidden cell, "n/a" where a statistic does not exist);
- `data`: the CSV download, with the *same rounded numbers* as numbers (so a spreadsheet can
  use them) and the same "hidden: <reason>" text in hidden cells, never 0 or blank.

Builders only rename, order and format; they never group, sum or average rows. The two
derived numbers are made from numbers already shown: a change beside its two averages is the
difference of the rounded averages (`fmt.derived_improvement`), and shares that are parts of
one whole are rounded to add up to 100 (`fmt.percentages_adding_up`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard import fmt, suppress, text

NA = "n/a"


@dataclass(frozen=True)
class View:
    """A table as shown (`shown`, text) and as downloaded (`data`, rounded numbers)."""

    name: str
    shown: pd.DataFrame
    data: pd.DataFrame

    @property
    def empty(self) -> bool:
        """True when the table has no rows."""
        return self.shown.empty


class _Row:
    """Builds one output row in both forms from one suppressed extract row."""

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.row = row
        self.shown: dict[str, Any] = {}
        self.data: dict[str, Any] = {}

    @property
    def hidden(self) -> str | None:
        return str(self.row.get("hidden_label")) if self.row.get("hidden") else None

    def text(self, name: str, value: Any) -> _Row:
        """A label column (never hidden)."""
        value = "" if fmt.is_missing(value) else value
        self.shown[name] = self.data[name] = value
        return self

    def number(
        self, name: str, value: Any, kind: str, plus: bool = False, hideable: bool = True
    ) -> _Row:
        """A statistic: rounded once (`fmt.DIGITS[kind]`, counts to whole numbers)."""
        if hideable and self.hidden:
            self.shown[name] = self.data[name] = self.hidden
            return self
        if kind == "count":
            number = fmt.number_or_none(value)
            self.data[name] = NA if number is None else round(number)
            self.shown[name] = fmt.count(number, missing=NA)
            return self
        digits = fmt.DIGITS[kind]
        number = fmt.rounded(value, digits)
        self.data[name] = NA if number is None else number
        show = fmt.signed if plus else fmt.num
        self.shown[name] = show(number, digits, missing=NA)
        return self

    def percent(
        self, name: str, value: Any, hideable: bool = True, label: str | None = None
    ) -> _Row:
        """A whole percentage; `value` is already a whole number of percent, or None."""
        if hideable and self.hidden:
            self.shown[name] = self.data[name] = self.hidden
            return self
        if value is None:
            self.shown[name] = self.data[name] = NA if label is None else label
            return self
        self.data[name] = int(value)
        self.shown[name] = f"{int(value)}%"
        return self

    def interval(self, name: str, low: Any, high: Any, kind: str, plus: bool = False) -> _Row:
        """A 95% CI: 'a to b' on screen, two columns ('... low', '... high') in the CSV."""
        if self.hidden:
            self.shown[name] = self.data[f"{name} low"] = self.data[f"{name} high"] = self.hidden
            return self
        digits = fmt.DIGITS[kind]
        lo, hi = fmt.rounded(low, digits), fmt.rounded(high, digits)
        self.data[f"{name} low"] = NA if lo is None else lo
        self.data[f"{name} high"] = NA if hi is None else hi
        self.shown[name] = fmt.interval(lo, hi, digits, plus=plus)
        return self

    def words(self, name: str, value: str) -> _Row:
        """A wording column (a hidden row says why)."""
        self.shown[name] = self.data[name] = self.hidden or value
        return self

    def note(self) -> _Row:
        """'as of an earlier update' for held values."""
        value = suppress.HELD_LABEL if self.row.get("held") else ""
        self.shown["Note"] = self.data["Note"] = value
        return self


def _view(name: str, built: Sequence[_Row]) -> View:
    """A View from built rows (columns in first-seen order)."""
    return View(
        name,
        pd.DataFrame([r.shown for r in built]).astype(object),
        pd.DataFrame([r.data for r in built]).astype(object),
    )


def _drop_empty_notes(view: View) -> View:
    """Drop the Note column when no row has a note."""
    if "Note" in view.shown.columns and not view.shown["Note"].astype(bool).any():
        return View(view.name, view.shown.drop(columns="Note"), view.data.drop(columns="Note"))
    return view


def _scale_of(
    row: Mapping[str, Any], scales: Mapping[tuple[str, str], Mapping[str, Any]]
) -> Mapping[str, Any]:
    """The scales row of an extract row."""
    return scales[(row["instrument_id"], row["scale_id"])]


def scale_lookup(scales: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """(instrument_id, scale_id) -> scales row."""
    return {(r["instrument_id"], r["scale_id"]): r for r in text.records(scales)}


# ----------------------------------------------------------------------------- paired


def paired_view(
    paired: pd.DataFrame,
    scales: Mapping[tuple[str, str], Mapping[str, Any]],
    labels: Mapping[str, str],
    name: str,
    group: Callable[[Mapping[str, Any]], str] | None = None,
    outcome: bool = True,
) -> View:
    """Paired change, one row per paired_stats row: group, outcome (with range),
    comparison, people, both averages, the change (adding up), its CI, d_z with CI, g_z,
    d_av with CI, the size in words, reliable change (adding up to 100%).

    Args:
        paired: suppressed paired_stats rows.
        scales: scale lookup (`scale_lookup`).
        labels: wave id -> label.
        name: the download's file stem.
        group: how to name a row's group (a column "Group" when given).
        outcome: include the outcome column (with the scale's range); without it, the rows
            are of one scale and its range goes into the averages' headers.

    The comparison column is left out when every row has the same comparison.
    """
    rows = text.records(suppress.require(paired))
    comparisons = {(r["from_wave"], r["to_wave"]) for r in rows}
    built = []
    for row in rows:
        scale = _scale_of(row, scales)
        out = _Row(row)
        if group is not None:
            out.text("Group", group(row))
        if outcome:
            out.text("Outcome", text.outcome_with_range(scale))
        if len(comparisons) > 1:
            comparison = text.comparison_label(row["from_wave"], row["to_wave"], labels)
            out.text("Comparison", comparison)
        span = "" if outcome else f" ({fmt.score_range(scale['score_min'], scale['score_max'])})"
        out.number("People (pairs)", row.get("n_pairs"), "count")
        out.number(f"Average before{span}", row.get("mean_from"), "score")
        out.number(f"Average later{span}", row.get("mean_to"), "score")
        change = fmt.derived_improvement(
            row.get("mean_from"), row.get("mean_to"), bool(scale["higher_is_better"])
        )
        out.number("Change (points, + = better)", change, "score", plus=True)
        out.interval(
            "95% CI of change",
            row.get("improvement_ci_low"),
            row.get("improvement_ci_high"),
            "score",
            plus=True,
        )
        out.number("d_z", row.get("d_z"), "effect")
        out.interval("95% CI of d_z", row.get("d_z_ci_low"), row.get("d_z_ci_high"), "effect")
        out.number("g_z", row.get("g_z"), "effect")
        out.number("d_av", row.get("d_av"), "effect")
        out.words("In words (d_av, Cohen)", text.verdict_phrase(row))
        percents = fmt.percentages_adding_up([row.get(c) for c in suppress.SHARE_COLUMNS])
        for title, column, value in zip(
            ("Reliably improved", "Unchanged", "Reliably worse"),
            suppress.SHARE_COLUMNS,
            percents,
            strict=True,
        ):
            out.percent(title, value, label=suppress.share_label(row, column))
        out.note()
        built.append(out)
    return _drop_empty_notes(_view(name, built))


def scorecard_view(
    paired: pd.DataFrame,
    scales: Mapping[tuple[str, str], Mapping[str, Any]],
    labels: Mapping[str, str],
) -> View:
    """The scorecard's rows as a table (the chart's text alternative and download)."""
    return paired_view(paired, scales, labels, "scorecard")


# ----------------------------------------------------------------------------- reach


def reach_view(reach: pd.DataFrame, labels: Mapping[str, str], name: str = "reach") -> View:
    """Reach and retention, one row per reach row: group, survey, what is counted, people,
    retention (linked as a share of the group's baseline responses, as published)."""
    built = []
    for row in text.records(suppress.require(reach)):
        out = _Row(row)
        out.text(
            "Group", text.group_label(row) if row["level"] != "programme" else "Whole programme"
        )
        out.text("Survey", text.wave_label(row["wave_id"], labels))
        measure = (
            "answered" if row["measure"] == "responses" else "linked back to their first survey"
        )
        out.text("Counted", measure)
        out.number("People", row.get("n"), "count")
        retention = row.get("retention")
        value = None if fmt.is_missing(retention) else int(fmt.rounded(float(retention) * 100, 0))
        out.percent("Retention", value, label="" if row["measure"] == "responses" else NA)
        out.note()
        built.append(out)
    return _drop_empty_notes(_view(name, built))


def reach_metrics(reach: pd.DataFrame, labels: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(label, value, help) for the Overview's reach metrics: people reached at the first
    survey, then people retained (linked) at each later one with the retention."""
    rows = text.records(suppress.require(reach))
    metrics = []
    for row in rows:
        if row["measure"] == "responses" and row.get("wave_order") == 0:
            value = row["hidden_label"] if row.get("hidden") else fmt.count(row.get("n"))
            metrics.append(
                (
                    "Reached",
                    value,
                    f"People who answered “{text.wave_label(row['wave_id'], labels)}”.",
                )
            )
    for row in sorted(rows, key=lambda r: r.get("wave_order") or 0):
        if row["measure"] != "linked":
            continue
        wave = text.wave_label(row["wave_id"], labels)
        if row.get("hidden"):
            value = str(row["hidden_label"])
        else:
            share = fmt.percent(row.get("retention"), missing="")
            value = fmt.count(row.get("n")) + (f" · {share}" if share else "")
        help_ = (
            f"People linked back to their first survey at “{wave}”, and their share of the "
            "people reached: the people the change at that survey rests on."
        )
        metrics.append((f"Retained: {wave}", value + text.held_suffix(row), help_))
    return metrics


# ----------------------------------------------------------------------------- all available


def wave_means_view(
    wave_means: pd.DataFrame,
    scales: Mapping[tuple[str, str], Mapping[str, Any]],
    labels: Mapping[str, str],
) -> View:
    """Average score of everyone who answered each survey (linked or not)."""
    built = []
    for row in text.records(suppress.require(wave_means)):
        out = _Row(row)
        out.text("Outcome", text.outcome_with_range(_scale_of(row, scales)))
        out.text("Survey", text.wave_label(row["wave_id"], labels))
        out.number("Responses", row.get("n"), "count")
        out.number("Average", row.get("mean"), "score")
        out.interval("95% CI of average", row.get("ci_low"), row.get("ci_high"), "score")
        out.note()
        built.append(out)
    return _drop_empty_notes(_view("wave_means", built))


def attrition_view(
    attrition: pd.DataFrame,
    scales: Mapping[tuple[str, str], Mapping[str, Any]],
    labels: Mapping[str, str],
) -> View:
    """Completers vs drop-outs at baseline, per scale and later survey."""
    built = []
    for row in text.records(suppress.require(attrition)):
        out = _Row(row)
        out.text("Outcome", text.outcome_with_range(_scale_of(row, scales)))
        out.text("Later survey", text.wave_label(row["to_wave"], labels))
        out.number("Came back", row.get("n_completers"), "count")
        out.number("Did not", row.get("n_dropouts"), "count")
        out.number("Their average at first: came back", row.get("mean_completers"), "score")
        out.number("did not", row.get("mean_dropouts"), "score")
        out.number(
            "Gap (+ = came-back started better)", row.get("baseline_gap"), "score", plus=True
        )
        out.number("d_s", row.get("d_s"), "effect")
        out.text("p", "" if row.get("hidden") else fmt.p_value(row.get("p")))
        selected = row.get("follow_up_selected")
        out.words(
            "Follow-up rests on a selected group?", {True: "yes", False: "no"}.get(selected, NA)
        )
        out.note()
        built.append(out)
    return _drop_empty_notes(_view("attrition", built))


# ----------------------------------------------------------------------------- cohorts


def cohort_meta_view(
    meta: pd.DataFrame,
    scales: Mapping[tuple[str, str], Mapping[str, Any]],
    labels: Mapping[str, str],
) -> View:
    """Cohorts pooled, heterogeneity and trend per scale and comparison."""
    built = []
    for row in text.records(suppress.require(meta)):
        out = _Row(row)
        out.text("Outcome", text.outcome_with_range(_scale_of(row, scales)))
        out.text("Comparison", text.comparison_label(row["from_wave"], row["to_wave"], labels))
        out.number("Cohorts", row.get("n_cohorts"), "count", hideable=False)
        out.number("Pooled", row.get("k_cohorts_pooled"), "count", hideable=False)
        out.number("People", row.get("n_pairs_pooled"), "count")
        out.number("Pooled d_z", row.get("pooled_d_z"), "effect")
        out.interval(
            "95% CI (Hartung–Knapp)",
            row.get("pooled_hk_ci_low"),
            row.get("pooled_hk_ci_high"),
            "effect",
        )
        out.number("I² (%)", row.get("i2_percent"), "percent")
        out.number("Trend (d_z per year)", row.get("trend_slope_per_year"), "effect")
        out.interval("95% CI of trend", row.get("trend_ci_low"), row.get("trend_ci_high"), "effect")
        out.words("Trend in words", text.trend_sentence(row))
        built.append(out)
    return _view("cohort_meta", built)


# ----------------------------------------------------------------------------- items


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
        total = cells.get(
            (item_id, wave_id, "all"), {"hidden": True, "hidden_label": "hidden: too few people"}
        )
        out = _Row(total)
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
                out.shown[name] = out.data[name] = str(part.get("hidden_label"))
            else:
                out.percent(name, value)
        built.append(out)
    return _view("items", built)


def item_label(item: Mapping[str, Any]) -> str:
    """'Item 3: How often do you feel left out?' (wording only where shipped), with
    '(reverse keyed)' where agreeing is the less favourable answer."""
    position = item.get("position")
    name = f"Item {position}" if position is not None else str(item.get("item_id"))
    wording = item.get("wording")
    label = f"{name}: {wording}" if wording else f"{name} ({item.get('item_id')})"
    return label + (" (reverse keyed)" if item.get("is_reverse_keyed") else "")


# ----------------------------------------------------------------------------- data quality


def data_quality_view(rows: pd.DataFrame, labels: Mapping[str, str]) -> View:
    """Records left out per survey, measure and reason."""
    built = []
    for row in text.records(suppress.require(rows)):
        out = _Row(row)
        out.text(
            "Survey",
            text.wave_label(row["wave_id"], labels)
            if row["wave_id"] != "(several)"
            else "several surveys in one file",
        )
        out.text(
            "Left out as",
            {"excluded": "excluded", "quarantined": "quarantined"}.get(
                row["measure"], row["measure"]
            ),
        )
        out.text(
            "Reason",
            "all reasons" if row["reason"] == "all" else str(row["reason"]).replace("_", " "),
        )
        out.number("Records", row.get("n_records"), "count")
        out.note()
        built.append(out)
    return _drop_empty_notes(_view("data_quality", built))


#: Link statuses that partition all responses at a later wave, in reading order.
LINK_PARTS = ("participant_id", "exact", "one_element", "ambiguous", "unmatched", "no_code")
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


def linkage_view(rows: pd.DataFrame, labels: Mapping[str, str]) -> View:
    """Link rates by match type per later survey. Percentages of the parts add up to 100;
    'linked' is the sum of its three rounded parts, so it adds up too."""
    records = text.records(suppress.require(rows))
    built = []
    for wave in sorted({(r.get("wave_order") or 0, r["wave_id"]) for r in records}):
        by_status = {r["link_status"]: r for r in records if r["wave_id"] == wave[1]}
        parts = [by_status.get(s) for s in LINK_PARTS]
        percents = fmt.percentages_adding_up(
            [None if p is None or p.get("hidden") else p.get("share_of_responses") for p in parts]
        )
        share = dict(zip(LINK_PARTS, percents, strict=True))
        linked = [share[s] for s in ("participant_id", "exact", "one_element") if s in by_status]
        share["linked"] = sum(linked) if linked and None not in linked else None
        share["all_responses"] = 100
        for status in ("all_responses", "linked", *LINK_PARTS):
            row = by_status.get(status)
            if row is None:
                continue
            out = _Row(row)
            out.text("Later survey", text.wave_label(wave[1], labels))
            out.text("How linked", LINK_LABELS.get(status, status))
            out.number("Responses", row.get("n"), "count")
            value = share.get(status)
            if value is None and not row.get("hidden"):
                raw = row.get("share_of_responses")
                value = None if fmt.is_missing(raw) else int(fmt.rounded(float(raw) * 100, 0))
            out.percent("Share of responses", value)
            out.note()
            built.append(out)
    return _drop_empty_notes(_view("linkage", built))


def reliability_view(
    rows: pd.DataFrame,
    scales: Mapping[tuple[str, str], Mapping[str, Any]],
    labels: Mapping[str, str],
) -> View:
    """Cronbach's alpha (with CI) and omega per scale and survey, flagged below .70."""
    built = []
    for row in text.records(suppress.require(rows)):
        out = _Row(row)
        out.text("Outcome", text.outcome_with_range(_scale_of(row, scales)))
        out.text("Survey", text.wave_label(row["wave_id"], labels))
        out.number("Complete answers", row.get("n_complete"), "count")
        out.number("Items", row.get("n_items"), "count", hideable=False)
        out.number("Alpha", row.get("alpha"), "reliability")
        out.interval(
            "95% CI of alpha", row.get("alpha_ci_low"), row.get("alpha_ci_high"), "reliability"
        )
        out.number("Omega", row.get("omega_total"), "reliability")
        flag = row.get("is_alpha_below_070")
        out.words("Read with caution (alpha < .70)", {True: "yes", False: "no"}.get(flag, NA))
        out.note()
        built.append(out)
    return _drop_empty_notes(_view("reliability", built))


def disclosure_view(rows: pd.DataFrame) -> View:
    """How many cells of each table are shown, held or hidden, and why (cells, not people)."""
    built = []
    for row in text.records(rows):
        out = _Row(row)
        out.text("Table", row["table_name"])
        out.text("Status", row["status"])
        out.text("Reason", "" if row["reason"] == "(none)" else row["reason"])
        out.number("Cells", row.get("n_cells"), "count", hideable=False)
        built.append(out)
    return _view("disclosure_summary", built)


# ----------------------------------------------------------------------------- reference


def programmes_view(programmes: pd.DataFrame) -> View:
    """The programmes: approach, audience, cohorts, sites, dates."""
    built = []
    for row in text.records(programmes):
        out = _Row(row)
        out.text("Programme", row["name"])
        out.text("Approach", row["approach"])
        out.text("Audience", row["audience"])
        out.number("Cohorts", row.get("n_cohorts"), "count", hideable=False)
        out.number("Sites", row.get("n_sites"), "count", hideable=False)
        out.text(
            "Cohort dates",
            fmt.date_range(row.get("first_cohort_date"), row.get("last_cohort_date")),
        )
        built.append(out)
    return _view("programmes", built)


def instruments_view(scales: pd.DataFrame) -> View:
    """One row per scale: instrument, scale, what it measures, range, direction."""
    built = []
    for row in text.records(scales):
        out = _Row(row)
        out.text("Instrument", row["instrument_name"])
        out.text("Scale", row["scale_name"])
        out.text("Measures", text.construct_label(row["construct"]))
        out.text(
            "Score range",
            f"{fmt.score_range(row['score_min'], row['score_max'])} "
            f"({row['aggregation']} of items)",
        )
        out.text("Better when", "higher" if row["higher_is_better"] else "lower")
        built.append(out)
    return _view("instruments", built)


def meta_view(meta: pd.DataFrame) -> View:
    """The extract's settings with readable names (the ledger key id is left out)."""
    names = {
        "project": "Project",
        "built_at": "Extract built (UTC)",
        "min_cell_size": "Smallest group shown (people)",
        "pipeline_version": "Ripple version",
        "run_id": "Pipeline run id",
        "extract_version": "Extract version",
        "disclosure_method": "Disclosure control",
        "previous_run_id": "Continues the release of run",
    }
    built = [
        _Row(row).text("Setting", names[row["key"]]).text("Value", row["value"])
        for row in text.records(meta)
        if row["key"] in names
    ]
    return _view("extract", built)


def outcome_order(scales: pd.DataFrame) -> pd.DataFrame:
    """Scales in reading order: by construct (attitudes, knowledge, behaviour, belonging,
    loneliness, wellbeing, then others), then instrument and scale id."""
    order = {construct: n for n, construct in enumerate(text.CONSTRUCT_LABELS)}
    rank = scales["construct"].map(lambda c: order.get(c, len(order)))
    return (
        scales.assign(_rank=rank)
        .sort_values(["_rank", "instrument_id", "scale_id"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def instrument_citations(scales: pd.DataFrame) -> list[tuple[str, str]]:
    """(instrument name, citation), once per instrument, in instrument id order."""
    seen: dict[str, tuple[str, str]] = {}
    for row in text.records(scales.sort_values("instrument_id", kind="stable")):
        seen.setdefault(row["instrument_id"], (row["instrument_name"], row["citation"]))
    return list(seen.values())


def forest_rows(
    programme_rows: pd.DataFrame,
    site_rows: pd.DataFrame,
    cohort_rows: pd.DataFrame,
    attribute_rows: pd.DataFrame,
    programme_names: Mapping[str, str],
    sort: str = "group",
) -> list[dict[str, Any]]:
    """The forest plot's lines, in sections (programmes, sites, cohorts, breakdown), each
    with a short `label` (the chart's), a full `group` (the table's) and its `section`;
    sorted within each section by `sort`: 'group' (name or date), 'effect' (largest d_z
    first, hidden last) or 'people' (most pairs first)."""
    out = []
    for section, frame in (
        ("programme", programme_rows),
        ("site", site_rows),
        ("cohort", cohort_rows),
        ("attribute", attribute_rows),
    ):
        rows = text.records(suppress.require(frame))
        for row in rows:
            row["section"] = section
            row["label"] = text.group_label(row, programme_names, short=True)
            row["group"] = text.group_label(row, programme_names)
        out += _sorted(rows, sort)
    return out


def _sorted(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Rows of one forest section in the chosen order (stable; hidden rows last)."""
    if sort == "effect":
        return sorted(rows, key=lambda r: (r.get("hidden"), -(suppress.value(r, "d_z") or 0)))
    if sort == "people":
        return sorted(rows, key=lambda r: (r.get("hidden"), -(suppress.value(r, "n_pairs") or 0)))
    return rows


#: Sort orders of the forest plot.
FOREST_SORTS = {
    "group": "Group (name or date)",
    "effect": "Effect size (largest first)",
    "people": "Number of people (most first)",
}
