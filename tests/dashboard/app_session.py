"""Running the Streamlit app headless with AppTest, and reading what a page shows: shared by
the app's tests (test_app*.py) and the privacy sweep (test_privacy.py)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import ui

APP = Path(ui.__file__).resolve().parent / "streamlit_app.py"
PAGES = ["overview", "programmes", "over_time", "items", "quality"]


def start(**params: str) -> AppTest:
    """Run the app once (Overview), with URL query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def go(at: AppTest, page: str) -> AppTest:
    """Switch to a page and run it."""
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, (page, at.exception)
    return at


def markdown(at: AppTest) -> str:
    """The text of every Markdown element and caption on the page."""
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def charts_on(at: AppTest) -> list[dict]:
    """The Plotly figure JSON of every chart on the page."""
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def metric_notes(at: AppTest) -> dict[str, tuple[str, str]]:
    """label -> (the note under the value, the help text) of every metric."""
    return {metric.label: (metric.proto.delta, metric.proto.help) for metric in at.metric}
