"""Figures built from tiny frames: traces, CI error bars, direction, suppressed cells."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts

LABELS = {"pre": "Before", "post": "Straight after", "followup": "3-month follow-up"}
SCALE = {
    "instrument_id": "cami12",
    "scale_id": "tolerance_support",
    "instrument_name": "CAMI (CAMI-12)",
    "scale_name": "Tolerance and support",
    "higher_is_better": True,
    "score_min": 0.0,
    "score_max": 100.0,
}
LONELINESS = SCALE | {"scale_name": "Loneliness", "higher_is_better": False, "score_min": 3.0}
LONELINESS |= {"score_max": 9.0}
HIDDEN_TEXT = "hidden: fewer than 10 people"


def annotations(fig: go.Figure) -> list[str]:
    """Every annotation's text."""
    return [a.text for a in fig.layout.annotations]


def wave_scores() -> pd.DataFrame:
    """Pre and post visible, follow-up suppressed (NULL statistics)."""
    return pd.DataFrame(
        {
            "wave_id": ["pre", "post", "followup"],
            "label": ["Before", "Straight after", "3-month follow-up"],
            "wave_order": [0, 1, 2],
            "n": pd.array([480, 430, None], dtype="Int32"),
            "mean": [61.0, 67.5, math.nan],
            "ci_low": [59.0, 65.0, math.nan],
            "ci_high": [63.0, 70.0, math.nan],
            "is_suppressed": [False, False, True],
        }
    )


def paired() -> pd.DataFrame:
    """pre->post visible, pre->followup suppressed."""
    return pd.DataFrame(
        {
            "from_wave": ["pre", "pre"],
            "to_wave": ["post", "followup"],
            "to_wave_order": [1, 2],
            "n_pairs": pd.array([412, None], dtype="Int32"),
            "mean_change": [6.8, math.nan],
            "ci_low": [5.1, math.nan],
            "ci_high": [8.5, math.nan],
            "d_z": [0.45, math.nan],
            "is_suppressed": [False, True],
        }
    )


def cohorts() -> pd.DataFrame:
    """Four cohorts; the second and fourth are suppressed."""
    return pd.DataFrame(
        {
            "cohort_id": ["c1", "c2", "c3", "c4"],
            "site": ["Leeds", "York", "Hull", "Hull"],
            "cohort_date": pd.to_datetime(["2024-01-15", "2024-03-04", "2024-06-10", "2024-09-02"]),
            "n_pairs": pd.array([78, None, 96, None], dtype="Int32"),
            "mean_change": [2.2, math.nan, 3.1, math.nan],
            "ci_low": [0.2, math.nan, 1.2, math.nan],
            "ci_high": [4.2, math.nan, 5.0, math.nan],
            "d_z": [0.24, math.nan, 0.33, math.nan],
            "is_suppressed": [False, True, False, True],
        }
    )


def test_wave_means_has_ci_error_bars_and_a_gap_for_the_hidden_wave() -> None:
    """One trace of means in wave order with asymmetric CI arms; the hidden wave is None."""
    fig = charts.wave_means_figure(wave_scores(), SCALE, 10)
    (trace,) = fig.data
    assert list(trace.y) == [61.0, 67.5, None]
    assert list(trace.error_y.array)[:2] == pytest.approx([2.0, 2.5])
    assert list(trace.error_y.arrayminus)[:2] == pytest.approx([2.0, 2.5])
    assert trace.error_y.array[2] is None and trace.error_y.arrayminus[2] is None
    assert trace.x[0] == "Before<br>n = 480" and trace.x[2] == "3-month follow-up<br>hidden"
    assert HIDDEN_TEXT in annotations(fig)
    assert fig.layout.yaxis.range == pytest.approx((-3.0, 103.0))
    assert "higher = better" in fig.layout.yaxis.title.text


def test_paired_change_is_a_forest_with_persistence_rows() -> None:
    """One row per comparison, CI as x error bars, hidden follow-up annotated, not zero."""
    fig = charts.paired_change_figure(paired(), SCALE, LABELS, 10)
    trace = fig.data[0]
    assert list(trace.x) == [6.8, None]
    assert list(trace.y) == [
        "Before → Straight after<br>n = 412 pairs",
        "Before → 3-month follow-up<br>hidden",
    ]
    assert trace.error_x.array[0] == pytest.approx(1.7)
    assert trace.error_x.arrayminus[0] == pytest.approx(1.7)
    assert HIDDEN_TEXT in annotations(fig)
    assert "right of 0 = improvement" in fig.layout.xaxis.title.text
    low, high = fig.layout.xaxis.range
    assert low == -high and high > 8.5


def test_improvement_side_follows_higher_is_better() -> None:
    """On a lower-is-better scale the shaded 'improvement' side is left of zero."""
    better_up = charts.paired_change_figure(paired(), SCALE, LABELS, 10)
    better_down = charts.paired_change_figure(paired(), LONELINESS, LABELS, 10)
    assert better_up.layout.shapes[0].x1 > 0
    assert better_down.layout.shapes[0].x1 < 0
    assert "left of 0 = improvement" in better_down.layout.xaxis.title.text


def test_compact_change_chart_has_no_title_or_legend() -> None:
    """The Overview's compact version keeps the data and drops the chrome."""
    fig = charts.paired_change_figure(paired(), SCALE, LABELS, 10, compact=True)
    assert fig.layout.showlegend is False
    assert not fig.layout.title.text
    assert list(fig.data[0].x) == [6.8, None]


def test_trend_draws_hidden_cohorts_as_gaps_never_as_zero() -> None:
    """Suppressed cohorts have y None (a gap), a dotted marker line and a hidden note."""
    fig = charts.cohort_trend_figure(cohorts(), SCALE, 10, "Before → Straight after", 2.9)
    trace = fig.data[0]
    assert list(trace.x) == ["2024-01-15", "2024-03-04", "2024-06-10", "2024-09-02"]
    assert list(trace.y) == [2.2, None, 3.1, None]
    assert trace.connectgaps is False
    assert trace.error_y.array[1] is None and trace.error_y.array[0] == pytest.approx(2.0)
    for data in fig.data:  # no trace draws a value at a hidden cohort's date
        points = dict(zip(data.x or [], data.y or [], strict=True))
        assert points.get("2024-03-04") is None and points.get("2024-09-02") is None
    assert annotations(fig).count(HIDDEN_TEXT) == 2
    assert "hidden" in trace.hovertext[1] and "n = 78" in trace.hovertext[0]
    assert any(d.name == "Cohort hidden for privacy (fewer than 10 people)" for d in fig.data)
    assert "programme overall (all linked people): +2.9" in annotations(fig)
    assert "(Before → Straight after)" in fig.layout.title.text


def test_trend_with_every_cohort_hidden_still_builds() -> None:
    """A programme whose cohorts are all hidden gives a figure with no values at all."""
    frame = cohorts()
    frame["is_suppressed"] = True
    fig = charts.cohort_trend_figure(frame, LONELINESS, 10)
    assert all(value is None for value in fig.data[0].y)
    assert "down = improvement" in fig.layout.yaxis.title.text
    fig.to_json()


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.wave_means_figure(wave_scores(), SCALE, 10),
        lambda: charts.paired_change_figure(paired(), SCALE, LABELS, 10),
        lambda: charts.cohort_trend_figure(cohorts(), SCALE, 10),
    ],
)
def test_figures_serialise(build) -> None:
    """Figures with missing values serialise (what st.plotly_chart does), with no 'NaN'."""
    assert "NaN" not in build().to_json()


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a Python file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("name", ["charts.py", "text.py", "tables.py"])
def test_pure_modules_do_not_import_streamlit_or_duckdb(name: str) -> None:
    """charts, text and tables are pure: no Streamlit, no DuckDB."""
    path = Path(charts.__file__).parent / name
    assert not {"streamlit", "duckdb"} & imported_modules(path)
