"""The Streamlit app when things go wrong or change, run headless with AppTest: a failing
page, a new release without a restart, a missing or foreign extract, the optional password
gate and downloads that neutralise spreadsheet formulas."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, downloads, text, ui
from dashboard.settings import DB_ENV_VAR
from tests.dashboard.app_session import APP, markdown, start


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
