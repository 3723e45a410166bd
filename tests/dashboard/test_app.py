"""The Streamlit app, run headless with AppTest: every page, every filter, the URL, errors,
access control and a new release without a restart."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, downloads, sidebar, suppress, text, ui
from dashboard.settings import DB_ENV_VAR

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
def test_a_failing_page_shows_a_plain_message_not_a_traceback(monkeypatch) -> None:
    """An unexpected error becomes a short st.error; no exception reaches the viewer."""

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail /home/x")

    monkeypatch.setattr(charts, "scorecard_figure", broken)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert at.error[0].value == text.page_error_message()
    assert "secret detail" not in markdown(at)


def test_a_new_release_is_shown_without_restart(
    tmp_path: Path, make_extract, extract_tables, monkeypatch
) -> None:
    """The app follows `<out>/dashboard.duckdb` -> current/ per run: after the pointer swap
    the next run shows the new release, without an error."""
    out = tmp_path / "out"
    renamed = {**extract_tables}
    renamed["programmes"] = [
        {**p, "name": "Renamed programme"} if p["programme_id"] == "schools" else p
        for p in extract_tables["programmes"]
    ]
    for name, tables in (("A", None), ("B", renamed)):
        (out / "releases" / name).mkdir(parents=True)
        make_extract(f"{name}.duckdb", tables).rename(out / "releases" / name / "dashboard.duckdb")
    (out / "current").symlink_to(Path("releases") / "A")
    (out / "dashboard.duckdb").symlink_to(Path("current") / "dashboard.duckdb")
    monkeypatch.setenv(DB_ENV_VAR, str(out / "dashboard.duckdb"))
    at = start()
    assert at.title[0].value == "Belonging in Schools"
    swap = out / "current.new"
    swap.symlink_to(Path("releases") / "B")
    os.replace(swap, out / "current")
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Renamed programme"


def test_missing_extract_env_var_gives_a_friendly_message(monkeypatch) -> None:
    """Without RIPPLE_DASHBOARD_DB the app says what to do instead of failing."""
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    assert at.info[0].value.startswith("No dashboard extract found")
    assert "`ripple run`" in at.info[0].value


def test_missing_extract_file_gives_a_friendly_message(monkeypatch, tmp_path: Path) -> None:
    """A path with no file names the path and says to run `ripple run` first."""
    missing = tmp_path / "out" / "dashboard.duckdb"
    monkeypatch.setenv(DB_ENV_VAR, str(missing))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    assert at.info[0].value == f"No dashboard extract found at {missing}; run `ripple run` first."
    assert not at.get("plotly_chart")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "missing tables: meta, programmes"),
        (b"not a database at all" * 100, "could not be read"),
        ("version 1", "is version 1; this dashboard reads version 2"),
    ],
)
def test_a_file_that_is_not_a_version_2_extract_is_explained(
    monkeypatch, tmp_path: Path, make_extract, content, message: str
) -> None:
    """An empty DuckDB file, a file that is not DuckDB, or an extract of another version
    gives an error message that says what to do, not a traceback."""
    other = tmp_path / "dashboard.duckdb"
    if content is None:
        duckdb.connect(str(other)).close()
    elif content == "version 1":
        other = make_extract("v1.duckdb", {"meta": [{"key": "extract_version", "value": "1"}]})
    else:
        other.write_bytes(content)
    monkeypatch.setenv(DB_ENV_VAR, str(other))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    assert message in at.error[0].value
    assert "`ripple run`" in at.error[0].value


@pytest.mark.usefixtures("extract_env")
def test_optional_password_gate() -> None:
    """With `dashboard_password` in secrets, nothing shows until it is typed correctly
    (compared in constant time, ui._check_password)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["dashboard_password"] = "s3cret"
    at.run()
    assert not at.markdown and not at.get("plotly_chart") and not at.metric
    at.text_input(key=ui.PASSWORD_KEY).input("wrong").run()
    assert at.error[0].value == "That password is not right."
    at.text_input(key=ui.PASSWORD_KEY).input("s3cret").run()
    assert not at.exception
    assert at.title[0].value == "Belonging in Schools"


@pytest.mark.usefixtures("extract_env")
def test_downloads_neutralise_formulas(monkeypatch, make_extract, extract_tables) -> None:
    """A programme named like a formula is written to CSV with a leading apostrophe."""
    hostile = {**extract_tables}
    hostile["programmes"] = [
        {**p, "name": '=HYPERLINK("http://x")'} if p["programme_id"] == "schools" else p
        for p in extract_tables["programmes"]
    ]
    monkeypatch.setenv(DB_ENV_VAR, str(make_extract("hostile.duckdb", hostile)))
    written: list[bytes] = []
    real = downloads.csv_bytes
    monkeypatch.setattr(
        downloads, "csv_bytes", lambda frame: written.append(real(frame)) or written[-1]
    )
    start()
    programmes_csv = next(data for data in written if b"Approach" in data)
    assert b"'=HYPERLINK" in programmes_csv and b"\n=HYPERLINK" not in programmes_csv


@pytest.mark.usefixtures("extract_env")
def test_the_page_frame_is_local_and_printable() -> None:
    """The tab icon is a local emoji (a Material icon would be fetched from Google) and the
    print stylesheet is on every page."""
    source = APP.read_text(encoding="utf-8")
    assert 'page_icon="📊"' in source
    at = start()
    html = [element.proto.body for element in at.get("html")]
    assert any("@media print" in body for body in html)
