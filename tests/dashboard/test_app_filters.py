"""The Streamlit app's filters (programme, site and cohort, period, breakdown) and the URL
that restores them, run headless with AppTest."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import sidebar
from tests.dashboard.app_session import charts_on, go, markdown, metric_notes, metrics, start


@pytest.mark.usefixtures("extract_env")
def test_programme_filter_changes_every_page_and_the_url() -> None:
    """Choosing a programme in the sidebar changes the page and the URL."""
    at = start()
    assert at.title[0].value == "Belonging in Schools"
    at.sidebar.selectbox(key=sidebar.KEY_PROGRAMME).select("ttt_work").run()
    assert at.title[0].value == "Time to Talk at Work"
    assert at.query_params["programme"] == "ttt_work"
    go(at, "items")
    assert at.session_state[sidebar.KEY_PROGRAMME] == "ttt_work"
    assert "Time to Talk at Work" in markdown(at)


@pytest.mark.usefixtures("extract_env")
def test_site_and_cohort_filters_show_that_groups_own_rows() -> None:
    """A site shows the site's published rows; a cohort the cohort's; both go in the URL."""
    at = start(programme="ttt_work")
    at.sidebar.selectbox(key=sidebar.KEY_SITE).select("Leeds").run()
    assert metrics(at)["Reached"] == "199"
    assert at.query_params["site"] == "Leeds"
    assert "Showing: Time to Talk at Work · site Leeds" in markdown(at)
    cohort = at.sidebar.selectbox(key=sidebar.KEY_COHORT)
    assert cohort.options == ["All cohorts", "ttt-01 (15 Jan 2024)", "ttt-02 (4 Mar 2024)"]
    cohort.select("ttt-02").run()
    assert metrics(at)["Reached"] == "101"
    assert metrics(at)["Retained: 3-month follow-up"] == "hidden"
    note, help_ = metric_notes(at)["Retained: 3-month follow-up"]
    assert note == "protects a small group" and "so that another small group" in help_
    assert at.query_params["cohort"] == "ttt-02"
    at.sidebar.selectbox(key=sidebar.KEY_SITE).select("York").run()
    assert sidebar.KEY_COHORT not in at.query_params and "cohort" not in at.query_params


@pytest.mark.usefixtures("extract_env")
def test_period_filter_narrows_cohort_lists_not_totals() -> None:
    """Cohort dates narrow the cohorts drawn and listed; totals stay the programme's and
    the page says why; the dates go in the URL."""
    at = start(programme="ttt_work")
    at.sidebar.date_input(key=sidebar.KEY_PERIOD).set_value(
        (dt.date(2024, 3, 1), dt.date(2024, 7, 1))
    )
    at.run()
    assert at.query_params["from"] == "2024-03-01" and at.query_params["to"] == "2024-07-01"
    assert metrics(at)["Reached"] == "525"
    assert "no total is published for a period" in " ".join(i.value for i in at.info)
    go(at, "over_time")
    (trend, _persistence) = charts_on(at)
    points = next(t for t in trend["data"] if t["name"] == "A cohort's d_z (95% CI)")
    assert points["x"] == ["2024-03-04", "2024-04-22", "2024-06-10"]
    cohorts = at.sidebar.selectbox(key=sidebar.KEY_COHORT).options
    assert cohorts == [
        "All cohorts",
        "ttt-02 (4 Mar 2024)",
        "ttt-03 (22 Apr 2024)",
        "ttt-04 (10 Jun 2024)",
    ]


@pytest.mark.usefixtures("extract_env")
def test_breakdown_filter_shows_one_attribute() -> None:
    """A breakdown adds the attribute's rows, hidden values saying why."""
    at = start(programme="ttt_work")
    at.sidebar.selectbox(key=sidebar.KEY_BREAKDOWN).select("gender").run()
    assert at.query_params["breakdown"] == "gender"
    assert "**By gender**" in markdown(at)
    go(at, "programmes")
    (forest,) = charts_on(at)
    labels = forest["layout"]["yaxis"]["ticktext"]
    assert {"Gender: woman", "Gender: man", "Gender: did not answer"} <= set(labels)
    notes = {a["text"]: a.get("hovertext") for a in forest["layout"]["annotations"]}
    # the chart's short reason fits beside 0 on a narrow screen; its hover has it in full
    assert notes[" hidden: protects a small group"] == (
        "hidden: so that another small group cannot be worked out"
    )


@pytest.mark.usefixtures("extract_env")
def test_the_url_restores_every_filter_and_page_choice() -> None:
    """A shared link restores programme, site, cohort, period and breakdown, and each page's
    own choices (outcome, comparison, sort); invalid values are dropped."""
    at = start(
        programme="ttt_work",
        site="York",
        cohort="ttt-04",
        breakdown="gender",
        **{"from": "2024-02-01", "to": "2024-10-01"},
    )
    state = at.session_state
    assert state[sidebar.KEY_PROGRAMME] == "ttt_work" and state[sidebar.KEY_SITE] == "York"
    assert state[sidebar.KEY_COHORT] == "ttt-04" and state[sidebar.KEY_BREAKDOWN] == "gender"
    assert state[sidebar.KEY_PERIOD] == (dt.date(2024, 2, 1), dt.date(2024, 10, 1))
    assert "cohort ttt-04 (10 Jun 2024)" in markdown(at)
    assert metrics(at)["Reached"] == "120"

    at.switch_page("app_pages/programmes.py")
    at.query_params.update(outcome="maks.knowledge", comparison="pre..followup", sort="effect")
    at.run()
    assert at.selectbox(key="programmes_outcome").value == "maks.knowledge"
    assert at.radio(key="programmes_comparison").value == "pre..followup"
    assert at.radio(key="programmes_sort").value == "effect"
    assert "Knowledge (MAKS, 6–30): Before → 3-month follow-up" in at.subheader[0].value
    at.radio(key="programmes_sort").set_value("people").run()
    assert at.query_params["sort"] == "people"

    bad = start(programme="nope", site="Mars", cohort="x", breakdown="shoe", **{"from": "x"})
    assert bad.title[0].value == "Belonging in Schools"
    assert set(bad.query_params) == {"programme"}
