"""The Streamlit app, run headless with AppTest: every page with its charts, tables, details
and downloads, a programme whose every result is hidden, and the page frame. (Filters and the
URL: test_app_filters.py; errors, new releases and access: test_app_errors.py.)"""

from __future__ import annotations

import json

import pytest

from dashboard import suppress, text
from tests.dashboard.app_session import (
    APP,
    PAGES,
    charts_on,
    go,
    markdown,
    metric_notes,
    metrics,
    start,
)


@pytest.mark.usefixtures("extract_env")
@pytest.mark.parametrize("programme", ["ttt_work", "schools", "pilot"])
def test_every_page_renders_with_charts_tables_and_downloads(programme: str) -> None:
    """Each page renders for full, mixed and all-hidden programmes, with a title, no error,
    no st.dataframe (its toolbar would bypass our CSV), a CSV download per table, and a PNG
    button and text alternative per chart."""
    at = start(programme=programme)
    for page in PAGES:
        go(at, page)
        assert at.title, page
        assert not at.error, (page, [e.value for e in at.error])
        assert not at.dataframe, page
        assert len(at.get("download_button")) >= len(at.table), page
        assert at.table or at.info, page
        for element in at.get("plotly_chart"):
            config = json.loads(element.proto.config)
            assert config["toImageButtonOptions"]["format"] == "png", page
            assert element.proto.alt, page


@pytest.mark.usefixtures("extract_env")
def test_overview_scorecard_reach_and_lines() -> None:
    """Reach and retention, the summary line, the scorecard and one line per outcome."""
    at = start(programme="ttt_work")
    assert at.title[0].value == "Time to Talk at Work"
    assert metrics(at) == {
        "Reached": "525",
        "Retained: Straight after": "420 · 80%",
        "Retained: 3-month follow-up": "189 · 36%",
    }
    words = markdown(at)
    assert "Straight after: 4 of 4 outcomes improved." in words
    assert "**Knowledge (MAKS, 6–30)**: Straight after: a medium improvement" in words
    assert text.SELECTED_NOTE in words  # follow-up rests on a selected group
    assert "Cohen's benchmarks; d\\_z itself has no such benchmark" in words
    (scorecard,) = charts_on(at)
    names = scorecard["layout"]["yaxis"]["ticktext"]
    assert names[0].startswith("Prejudice and exclusion") and len(names) == 4
    assert [trace["name"] for trace in scorecard["data"]] == [
        "Before → Straight after",
        "Before → 3-month follow-up",
    ]
    assert [e.label for e in at.expander][:2] == [
        "The scorecard as a table",
        "Details: Prejudice and exclusion (CAMI-12, 0–100)",
    ]


@pytest.mark.usefixtures("extract_env")
def test_details_on_demand_word_the_statistics() -> None:
    """An outcome's details give the change adding up, d_z without a size word, d_av with
    Cohen's word, reliable change, the attrition check and all responses."""
    at = start(programme="schools")
    words = markdown(at)
    assert "Loneliness (UCLA-3, 3–9)**: Straight after: a medium improvement" in words
    assert "3-month follow-up: hidden: too few people" in words
    assert "(scale 3–9, lower is better): a change of +0.6 points" in words
    assert "no small/medium/large benchmark" in words
    assert "Reliable change:" in words and "Everyone who answered (linked or not)" in words


@pytest.mark.usefixtures("extract_env")
def test_a_programme_with_every_result_hidden_shows_why_and_no_number() -> None:
    """The pilot's metrics say 'hidden' with the reason under them and in full in their
    help; its lines say 'hidden: ...' and its chart draws nothing."""
    at = start(programme="pilot")
    assert metrics(at) and all(value == "hidden" for value in metrics(at).values())
    short = set(suppress.SHORT_REASON_LABELS.values())
    for note, help_ in metric_notes(at).values():
        assert note in short and "(hidden: " in help_
    line = next(m.value for m in at.markdown if m.value.startswith("- **Tolerance"))
    assert "Straight after: hidden: " in line and "follow-up: hidden: too few people" in line
    (scorecard,) = charts_on(at)
    assert all(x is None for trace in scorecard["data"] for x in trace["x"])


@pytest.mark.usefixtures("extract_env")
def test_items_page_shows_wording_only_where_shipped() -> None:
    """UCLA-3 items carry their wording; CAMI-12 items do not, and the page says why."""
    at = go(start(programme="schools"), "items")
    table = at.table[0].value
    assert "Item 2: How often do you feel left out?" in set(table["Item"])
    at = go(start(programme="ttt_work"), "items")
    assert "Item 1 (cami12\\_01)" in markdown(at) or "Item 1 (cami12_01)" in set(
        at.table[0].value["Item"]
    )
    assert "licence allows it to be shipped" in markdown(at)
    (bars,) = charts_on(at)
    assert any("reverse keyed" in label for label in bars["layout"]["yaxis"]["ticktext"])


@pytest.mark.usefixtures("extract_env")
def test_quality_page_explains_method_privacy_and_limits() -> None:
    """Records left out, retention, attrition, linkage, reliability, the glossary, the
    suppression rule and what change cannot say without a control group."""
    at = go(start(programme="ttt_work"), "quality")
    words = markdown(at)
    for phrase in (
        "Reached 525 people at the first survey",
        "rests on a selected group",
        "fewer than **10 people**",
        "What change can and cannot say without a control group",
        "**d_av**: The change divided by the spread of the scores",
        "Malone GP, Pillow DR, Osman A.",
    ):
        assert phrase in words, phrase
    tables = {tuple(t.value.columns)[:2]: t.value for t in at.table}
    reliability = next(v for k, v in tables.items() if k == ("Outcome", "Survey") and "Alpha" in v)
    assert "yes" in set(reliability["Read with caution (alpha < .70)"])
    assert any("Cells" in t.value.columns for t in at.table)


@pytest.mark.usefixtures("extract_env")
def test_the_page_frame_is_local_and_printable() -> None:
    """The tab icon is a local emoji (a Material icon would be fetched from Google) and the
    print stylesheet is on every page."""
    source = APP.read_text(encoding="utf-8")
    assert 'page_icon="📊"' in source
    at = start()
    html = [element.proto.body for element in at.get("html")]
    assert any("@media print" in body for body in html)
