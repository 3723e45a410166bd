"""downloads.py: CSV with formulas neutralised, PNG through the chart's mode bar, print CSS."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard import downloads


@pytest.mark.parametrize(
    "dangerous", ["=1+1", "+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx"]
)
def test_text_that_a_spreadsheet_would_run_is_prefixed(dangerous: str) -> None:
    """Cells starting with = + - @ tab or CR get a leading apostrophe."""
    assert downloads.neutralise(dangerous) == "'" + dangerous


def test_numbers_and_plain_text_are_unchanged() -> None:
    """Numbers stay numbers (a negative change is not a formula); ordinary text is kept."""
    assert downloads.neutralise(-0.5) == -0.5
    assert downloads.neutralise("hidden: too few people") == "hidden: too few people"


def test_csv_bytes_neutralise_cells_and_headers_and_keep_numbers() -> None:
    """The CSV reads back with neutralised text, numeric numbers and hidden cells as text."""
    frame = pd.DataFrame(
        {"=Group": ['=HYPERLINK("x")', "Leeds"], "Change": [-0.5, "hidden: too few people"]}
    )
    data = downloads.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["'=Group", "Change"]
    assert rows[1] == ['\'=HYPERLINK("x")', "-0.5"]
    assert rows[2] == ["Leeds", "hidden: too few people"]


def test_chart_config_saves_png_offline_through_the_mode_bar() -> None:
    """Each chart's camera button saves a PNG at 2x with the view's name; no Plotly logo."""
    config = downloads.chart_config("ripple_scorecard_work")
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": "ripple_scorecard_work",
        "scale": 2,
    }
    assert "toImage" not in config["modeBarButtonsToRemove"] and config["displaylogo"] is False


def test_file_stems_are_safe() -> None:
    """Filter values become a safe file name."""
    assert downloads.file_stem("items", "a/b c", None, "pre") == "ripple_items_a-b-c_pre"


def test_print_stylesheet_hides_controls_and_keeps_charts_whole() -> None:
    """@media print hides the sidebar and buttons and avoids breaking charts and tables."""
    css = downloads.PRINT_CSS
    assert "@media print" in css and "stSidebar" in css and "stDownloadButton" in css
    assert "break-inside: avoid" in css and "stExpanderDetails" in css
