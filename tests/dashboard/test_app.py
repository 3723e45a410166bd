"""The Streamlit app, run headless with AppTest against the fixture extract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui
from dashboard.settings import DB_ENV_VAR

APP = Path(ui.__file__).resolve().parent / "streamlit_app.py"
PAGES = ["overview", "change", "over_time", "about"]
PRIVACY = "Fewer than 10 people answered both surveys, so this result is hidden to protect privacy."


def start(programme: str | None = None) -> AppTest:
    """Run the app once (Overview), optionally choosing a programme in the sidebar."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    if programme:
        at.sidebar.selectbox(key=ui.PROGRAMME_KEY).select(programme).run()
        assert not at.exception, at.exception
    return at


def markdown(at: AppTest) -> list[str]:
    """The text of every Markdown element on the page."""
    return [element.value for element in at.markdown]


def chart_specs(at: AppTest) -> list[dict]:
    """The Plotly figure JSON of every chart on the page."""
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


@pytest.mark.usefixtures("extract_env")
@pytest.mark.parametrize("programme", ["ttt_work", "schools", "pilot"])
def test_every_page_renders(programme: str) -> None:
    """Each page renders without an exception, for full, mixed and all-suppressed
    programmes, and never uses st.dataframe (whose toolbar can download data)."""
    at = start(programme)
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert at.title, f"{page} has a title"
        assert not at.dataframe, f"{page} uses st.dataframe"


@pytest.mark.usefixtures("extract_env")
def test_overview_shows_programme_facts_and_headlines() -> None:
    """The Overview states approach, cohorts, sites, dates, and a headline per outcome."""
    at = start("ttt_work")
    assert at.title[0].value == "Time to Talk at Work"
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics == {
        "Workshop cohorts": "6",
        "Sites": "3",
        "First cohort": "15 Jan 2024",
        "Latest cohort": "20 Nov 2024",
    }
    texts = " ".join(markdown(at))
    assert "Contact-based programme for adults at work." in texts
    assert (
        "Tolerance and support (CAMI-12): average score rose from 61.2 to 68.0 (+6.8 points; "
        "95% CI +5.3 to +8.3) among 412 people who answered before and straight after."
    ) in texts
    assert "Effect size d\\_z = 0.45." in texts
    assert len(chart_specs(at)) == 3  # one compact change chart per outcome


@pytest.mark.usefixtures("extract_env")
def test_suppressed_headline_shows_the_privacy_message_and_none_of_its_numbers() -> None:
    """A programme whose paired results are suppressed shows the privacy sentence, with no
    statistic, in its headlines and in its charts."""
    at = start("pilot")
    headlines = [text for text in markdown(at) if "Tolerance and support" in text]
    assert len(headlines) == 2
    for headline in headlines:
        assert headline.startswith(":gray-badge[Hidden for privacy]")
        assert headline.endswith(PRIVACY)
        rest = headline.replace(PRIVACY, "")
        for name in ("CAMI-12", "3-month follow-up"):  # digits in names, not statistics
            rest = rest.replace(name, "")
        assert not re.search(r"\d", rest), rest
        assert "d\\_z" not in headline and "CI" not in headline and "nan" not in headline
    (spec,) = chart_specs(at)
    assert spec["data"][0]["x"] == [None, None]


@pytest.mark.usefixtures("extract_env")
def test_loneliness_fall_reads_as_improvement() -> None:
    """On the schools programme, lower-is-better loneliness that fell is an improvement."""
    at = start("schools")
    loneliness = [text for text in markdown(at) if text.count("Loneliness (UCLA-3): average")]
    assert loneliness and loneliness[0].startswith(":green-badge[Improvement]")
    assert "Lower scores are better on this scale, so this is an improvement." in loneliness[0]


@pytest.mark.usefixtures("extract_env")
def test_change_page_shows_both_charts_for_the_chosen_outcome() -> None:
    """Choosing an outcome shows its wave means and paired change, with n and explanations."""
    at = start("ttt_work")
    at.switch_page("app_pages/change.py").run()
    at.selectbox(key="change_outcome").select("cami12/tolerance_support").run()
    assert not at.exception
    means, change = chart_specs(at)
    assert means["data"][0]["y"] == [61.2, 68.0, 65.9]
    assert change["data"][0]["x"] == [6.8, 4.9]
    assert change["data"][0]["y"][0] == "Before the workshop → Straight after<br>n = 412 pairs"
    assert any("Effect size d_z** is the average change" in text for text in markdown(at))
    paired_table = at.table[0].value
    assert list(paired_table["People linked (n pairs)"]) == ["412", "156"]


@pytest.mark.usefixtures("extract_env")
def test_over_time_marks_hidden_cohorts_and_never_draws_them() -> None:
    """Hidden cohorts are gaps in the trend and 'hidden' in the table, never zero."""
    at = start("ttt_work")
    at.switch_page("app_pages/over_time.py").run()
    at.selectbox(key="trend_outcome").select("cami12/tolerance_support").run()
    (spec,) = chart_specs(at)
    points = dict(zip(spec["data"][0]["x"], spec["data"][0]["y"], strict=True))
    assert points["2024-04-22"] is None and points["2024-09-02"] is None
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert notes.count("hidden: fewer than 10 people") == 2
    cohorts = at.table[0].value.set_index("Cohort")
    assert cohorts.loc["ttt-03", "People linked (n pairs)"] == "hidden: fewer than 10 people"
    assert cohorts.loc["ttt-03", "Average change (points)"] == "hidden"
    assert cohorts.loc["ttt-01", "People linked (n pairs)"] == "78"

    at.radio(key="trend_comparison").set_value("followup").run()
    (spec,) = chart_specs(at)
    assert "(Before the workshop → 3-month follow-up)" in spec["layout"]["title"]["text"]


@pytest.mark.usefixtures("extract_env")
def test_about_explains_the_method_and_the_extract() -> None:
    """About gives the d_z and CI method, the privacy rule, linkage, citations and meta."""
    at = start()
    at.switch_page("app_pages/about.py").run()
    texts = " ".join(markdown(at))
    assert "average change / standard deviation of the" in texts
    assert "t\ndistribution with n - 1 degrees of freedom" in texts
    assert "fewer than **10 people**" in texts
    assert "Malone GP, Pillow DR, Osman A." in texts
    linkage, instruments, meta = (table.value for table in at.table)
    assert "96% (412 of 430)" in set(linkage["Share linked"])
    assert "lower" in set(instruments["Better when"])
    assert "2025-01-31T12:00:00Z" in set(meta["Value"])


@pytest.mark.usefixtures("extract_env")
def test_programme_choice_survives_page_switches() -> None:
    """The sidebar programme (a prefixed session_state key) is shared by every page."""
    at = start("schools")
    at.switch_page("app_pages/change.py").run()
    assert at.title[0].value == "Change: Belonging in Schools"
    assert at.session_state[ui.PROGRAMME_KEY] == "schools"
    assert at.sidebar.caption[0].value.startswith("Extract built 31 Jan 2025, 12:00 UTC.")


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
    assert at.info[0].value == (f"No dashboard extract found at {missing}; run `ripple run` first.")
    assert not at.get("plotly_chart")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "is not a Ripple dashboard extract (missing tables: cohort_change"),
        (b"not a database at all" * 100, "could not be read"),
    ],
)
def test_a_file_that_is_not_an_extract_is_explained(
    monkeypatch, tmp_path: Path, content: bytes | None, message: str
) -> None:
    """An empty DuckDB file, or one that is not DuckDB at all, gives an error message that
    says what to do, not a traceback."""
    other = tmp_path / "dashboard.duckdb"
    if content is None:
        duckdb.connect(str(other)).close()
    else:
        other.write_bytes(content)
    monkeypatch.setenv(DB_ENV_VAR, str(other))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    assert message in at.error[0].value
    assert "`ripple run`" in at.error[0].value


@pytest.mark.usefixtures("extract_env")
def test_optional_password_gate() -> None:
    """With `dashboard_password` in secrets, nothing shows until it is typed correctly."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["dashboard_password"] = "s3cret"
    at.run()
    assert not at.markdown and not at.get("plotly_chart")
    at.text_input(key=ui.PASSWORD_KEY).input("wrong").run()
    assert at.error[0].value == "That password is not right."
    at.text_input(key=ui.PASSWORD_KEY).input("s3cret").run()
    assert not at.exception
    assert at.title[0].value == "Belonging in Schools"
