"""dashboard.charts: pure figure builders on suppressed rows (no Streamlit)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import charts, queries, suppress, tables, text

MINUS = "\u2212"
OKABE_ITO = set(charts.OKABE_ITO.values())


def baseline_rows(extract: Path, programme: str) -> pd.DataFrame:
    paired = queries.paired_stats(extract, programme)
    return paired[(paired["level"] == "programme") & paired["is_from_baseline"].astype(bool)]


def outcomes(extract: Path, paired: pd.DataFrame) -> pd.DataFrame:
    keys = set(zip(paired["instrument_id"], paired["scale_id"], strict=True))
    scales = queries.scales(extract)
    mask = [
        (i, s) in keys for i, s in zip(scales["instrument_id"], scales["scale_id"], strict=True)
    ]
    return tables.outcome_order(scales[mask])


def annotations(figure) -> list[str]:
    return [a.text for a in figure.layout.annotations]


def test_scorecard_puts_every_outcome_on_one_axis_with_better_to_the_right(extract: Path) -> None:
    """One trace per comparison; x is d_z (positive = better, also for loneliness); the
    axis shows 0 and every CI; 'better →' is on the right; ticks use true minus signs."""
    paired = baseline_rows(extract, "schools")
    figure = charts.scorecard_figure(
        paired, outcomes(extract, paired), queries.wave_labels(extract)
    )
    assert [t.name for t in figure.data] == [
        "Before → Straight after",
        "Before → 3-month follow-up",
    ]
    loneliness = paired[(paired["scale_id"] == "loneliness") & (paired["to_wave"] == "post")]
    assert float(loneliness["d_z"].iloc[0]) > 0  # a fall in loneliness is an improvement
    low, high = figure.layout.xaxis.range
    lows = [v for v in paired["d_z_ci_low"] if v is not None]
    highs = [v for v in paired["d_z_ci_high"] if v is not None]
    assert low < min(0, *lows) and high > max(highs)
    assert "better →" in annotations(figure) and "← worse" in annotations(figure)
    assert all("-" not in t for t in figure.layout.xaxis.ticktext)
    assert any(t.startswith(MINUS) for t in figure.layout.xaxis.ticktext) or low > -0.1
    assert {t.marker.color for t in figure.data} <= OKABE_ITO


def test_hidden_results_are_labelled_never_drawn(extract: Path) -> None:
    """The hidden loneliness follow-up is a gap (None) with 'hidden: too few people'."""
    paired = baseline_rows(extract, "schools")
    figure = charts.scorecard_figure(paired, outcomes(extract, paired), {})
    follow_up = figure.data[1]
    assert None in follow_up.x
    assert " hidden: too few people" in annotations(figure)
    pilot = baseline_rows(extract, "pilot")
    figure = charts.scorecard_figure(pilot, outcomes(extract, pilot), {})
    assert all(x is None for trace in figure.data for x in trace.x)
    assert all(a.startswith(" hidden: ") for a in annotations(figure) if "hidden" in a)


def test_builders_refuse_unsuppressed_rows(extract: Path) -> None:
    """A frame that skipped suppress.apply is refused."""
    raw = queries.raw("paired_stats", extract, "schools")
    with pytest.raises(ValueError, match=r"suppress\.apply"):
        charts.scorecard_figure(raw, queries.scales(extract), {})


def test_forest_plot_has_pooled_diamond_and_hidden_labels(extract: Path) -> None:
    """Programmes, sites and cohorts as lines; the pooled diamond last; hidden lines
    labelled; open markers for held values."""
    paired = queries.paired_stats(extract, "ttt_work")
    this = paired[(paired["scale_id"] == "tolerance_support") & (paired["to_wave"] == "post")]
    others = queries.paired_programmes(extract, "cami12", "tolerance_support", "pre", "post")
    meta = queries.cohort_meta(extract, "ttt_work")
    pooled = text.records(
        meta[(meta["scale_id"] == "tolerance_support") & (meta["to_wave"] == "post")]
    )[0]
    rows = tables.forest_rows(
        others,
        this[this["level"] == "site"],
        this[this["level"] == "cohort"],
        this.iloc[0:0],
        {"ttt_work": "Work", "pilot": "Pilot"},
    )
    figure = charts.forest_figure(rows, pooled)
    assert figure.layout.yaxis.ticktext[-1] == "<b>Cohorts pooled</b>"
    assert "ttt-03, 22 Apr 2024" in figure.layout.yaxis.ticktext
    assert " hidden: too few people" in annotations(figure)
    cohorts = next(t for t in figure.data if t.name == "Cohorts")
    assert "square-open" in cohorts.marker.symbol  # ttt-05 is held
    diamond = next(t for t in figure.data if t.name == "Cohorts pooled (95% CI)")
    assert diamond.fill == "toself" and pooled["pooled_d_z"] in diamond.x


def test_trend_bands_never_span_a_hidden_cohort(extract: Path) -> None:
    """The CI band is drawn per run of shown cohorts; hidden cohorts are dotted lines."""
    paired = queries.paired_stats(extract, "ttt_work")
    cohorts = paired[
        (paired["level"] == "cohort")
        & (paired["scale_id"] == "tolerance_support")
        & (paired["to_wave"] == "post")
    ]
    figure = charts.trend_figure(cohorts, None)
    bands = [t for t in figure.data if t.name == "95% CI band of cohorts"]
    assert len(bands) == 2  # ttt-03 (hidden) splits the cohorts into two runs
    hidden_dates = {a.x for a in figure.layout.annotations if str(a.text).startswith("hidden")}
    assert hidden_dates == {"2024-04-22"}
    for band in bands:
        assert "2024-04-22" not in band.x
    points = next(t for t in figure.data if t.name == "A cohort's d_z (95% CI)")
    assert dict(zip(points.x, points.y, strict=True))["2024-04-22"] is None
    assert figure.layout.yaxis.title.text.startswith("d_z")


def test_item_bars_diverge_around_zero(extract: Path) -> None:
    """Lower answers left of 0, higher right, the middle answer split; hidden answers are
    left out and the bar's label says so."""
    dist = queries.item_distributions(extract, "ttt_work", "cami12")
    dist = dist[dist["wave_id"].isin(["pre", "post"])]
    options = queries.answer_options(extract, "cami12")
    items = {f"cami12_0{i}": f"Item {i}" for i in range(1, 4)}
    figure = charts.item_bars_figure(dist, options, items, {"pre": "Before", "post": "After"})
    by_name = {}
    for trace in figure.data:
        by_name.setdefault(trace.name, []).append(trace)
    assert all(x is None or x < 0 for x in by_name["Strongly disagree"][0].x)
    assert all(x is None or x > 0 for x in by_name["Strongly agree"][0].x)
    halves = by_name["Neither"]
    assert len(halves) == 2 and halves[0].x[0] == -halves[1].x[0]
    assert figure.layout.barmode == "relative"
    assert all(t.endswith("%") and "-" not in t for t in figure.layout.xaxis.ticktext)
    assert list(figure.layout.yaxis.ticktext[:3]) == ["<b>Item 1</b>", "Before", "After"]


def test_count_bars_label_hidden_rows() -> None:
    """A hidden count is a label, not a bar."""
    rows = suppress.apply(
        pd.DataFrame({"n_records": [25, 4], "hidden_reason": [None, None], "label": ["a", "b"]}),
        "data_quality",
        10,
    )
    figure = charts.count_bars_figure(text.records(rows), "n_records")
    assert list(figure.data[0].x) == [25, None]
    assert " hidden: too few people" in annotations(figure)


def test_figures_serialise_without_outside_resources(extract: Path) -> None:
    """No figure refers to an outside host (fonts, images, MathJax)."""
    paired = baseline_rows(extract, "ttt_work")
    spec = json.dumps(
        charts.scorecard_figure(paired, outcomes(extract, paired), {}).to_plotly_json(), default=str
    )
    assert "http" not in spec and "$" not in spec


def test_nice_ticks() -> None:
    """Round steps that include 0."""
    assert charts.nice_ticks(-0.2, 0.75) == [-0.2, 0.0, 0.2, 0.4, 0.6]
    assert 0.0 in charts.nice_ticks(-1.3, 2.2)


def test_effect_charts_draw_a_zero_line_and_no_line_through_the_first_row(
    extract: Path,
) -> None:
    """The scorecard and the forest plot mark 0 on the common effect axis with a line that
    stands out from the grid, and the row axis draws no zero line (it ran through the
    first outcome)."""
    paired = baseline_rows(extract, "ttt_work")
    scorecard = charts.scorecard_figure(paired, outcomes(extract, paired), {})
    rows = tables.comparison_rows(paired, {})
    forest = charts.forest_figure(rows)
    for figure in (scorecard, forest):
        zero = [s for s in figure.layout.shapes if s.type == "line" and s.x0 == 0 == s.x1]
        assert len(zero) == 1 and zero[0].line.color not in (charts.GREY, "#EEEEEE")
        assert figure.layout.yaxis.zeroline is False


def test_wrapped_labels_get_room_and_sections_a_gap() -> None:
    """A label on two lines moves its row and the next one down; a new section adds a gap."""
    from dashboard.charts import style

    ys, bottom = style.row_positions(["a", "b<br>c", "d"], ["x", "x", "y"])
    assert ys[1] - ys[0] > 1 and ys[2] - ys[1] > 1 + style.EXTRA_LINE
    plain, end = style.row_positions(["a", "b", "c"])
    assert plain == [0.0, 1.0, 2.0] and end == 3.0 and bottom > end
