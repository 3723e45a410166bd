"""queries.py: read-only short-lived connections, bound parameters, a cache keyed on mtime."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.settings import DB_ENV_VAR


class ConnectionSpy:
    """Wraps duckdb.connect to record how connections are opened, used and closed."""

    def __init__(self, real_connect) -> None:
        self.real_connect = real_connect
        self.opened: list[dict] = []
        self.executed: list[tuple[str, list]] = []
        self.open_now = 0

    def __call__(self, *args, **kwargs):
        self.opened.append(kwargs)
        self.open_now += 1
        return _SpiedConnection(self.real_connect(*args, **kwargs), self)


class _SpiedConnection:
    def __init__(self, con, spy: ConnectionSpy) -> None:
        self.con, self.spy = con, spy

    def execute(self, sql, params=None):
        self.spy.executed.append((sql, params))
        return self.con.execute(sql, params)

    def close(self) -> None:
        self.spy.open_now -= 1
        self.con.close()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> ConnectionSpy:
    """Every duckdb.connect made by queries.py (and only by it), recorded."""
    recorder = ConnectionSpy(duckdb.connect)
    only_here = SimpleNamespace(
        connect=recorder, Error=duckdb.Error, IOException=duckdb.IOException
    )
    monkeypatch.setattr(queries, "duckdb", only_here)
    return recorder


def test_queries_return_dataframes_of_extract_rows(extract: Path) -> None:
    """Each public query returns a DataFrame of the extract's rows."""
    assert list(queries.programmes(extract)["programme_id"]) == ["schools", "pilot", "ttt_work"]
    assert queries.wave_labels(extract)["post"] == "Straight after"
    paired = queries.paired_change(extract, "ttt_work")
    assert isinstance(paired, pd.DataFrame) and len(paired) == 6
    assert set(paired["to_wave_order"]) == {1, 2}
    scores = queries.wave_scores(extract, "pilot", "cami12", "tolerance_support")
    assert list(scores["wave_id"]) == ["pre", "post", "followup"]
    assert list(scores["is_suppressed"]) == [False, True, True]
    cohorts = queries.cohort_change(extract, "ttt_work", "cami12", "tolerance_support", "post")
    assert list(cohorts["cohort_id"]) == [f"ttt-0{n}" for n in range(1, 7)]
    assert len(queries.linkage(extract)) == 6
    assert queries.min_cell_size(extract) == 10
    assert queries.missing_tables(extract) == []


def test_every_connection_is_read_only_and_closed(extract: Path, spy: ConnectionSpy) -> None:
    """Connections are read-only, cannot reach other files, and are closed after each query."""
    queries.programmes(extract)
    queries.paired_change(extract, "schools")
    assert len(spy.opened) == 2
    assert all(kw["read_only"] is True for kw in spy.opened)
    assert all(kw["config"] == {"enable_external_access": False} for kw in spy.opened)
    assert spy.open_now == 0
    writer = duckdb.connect(str(extract))  # no connection is left holding the file
    writer.execute("delete from meta where key = 'run_id'")
    writer.close()


def test_connections_refuse_writes(extract: Path) -> None:
    """The connection queries.py opens cannot change the extract."""
    con = queries._connect(str(extract))
    try:
        with pytest.raises(duckdb.Error):
            con.execute("delete from programmes")
    finally:
        con.close()


def test_filter_values_are_bound_not_formatted(extract: Path, spy: ConnectionSpy) -> None:
    """A hostile programme id is passed as a parameter and matches nothing."""
    hostile = "x' or '1'='1"
    assert queries.paired_change(extract, hostile).empty
    sql, params = spy.executed[-1]
    assert params == [hostile]
    assert hostile not in sql and "?" in sql


def test_only_named_statements_can_run(extract: Path) -> None:
    """There is no free-form SQL: an unknown statement name is refused."""
    with pytest.raises(KeyError):
        queries.run_query("select * from meta", str(extract))
    for sql in queries.SQL.values():
        assert "{" not in sql and "%s" not in sql


def test_cache_is_keyed_on_path_and_mtime(
    extract: Path, make_extract, extract_tables, spy: ConnectionSpy
) -> None:
    """Repeated queries hit the cache; a new extract swapped in with os.replace shows up."""
    assert queries.programmes(extract)["name"].tolist()[0] == "Belonging in Schools"
    queries.programmes(extract)
    assert len(spy.opened) == 1

    renamed = {**extract_tables}
    renamed["programmes"] = [("only", "A new programme", "x", "y", 1, 1, None, None)]
    fresh = make_extract("dashboard.duckdb.tmp", renamed)
    before = extract.stat().st_mtime_ns
    os.replace(fresh, extract)
    os.utime(extract, ns=(before + 5_000_000_000, before + 5_000_000_000))

    assert queries.programmes(extract)["name"].tolist() == ["A new programme"]
    assert len(spy.opened) == 2
    assert queries.snapshot(extract) == (str(extract), before + 5_000_000_000)


def test_missing_extract_is_reported(tmp_path: Path) -> None:
    """A missing file raises ExtractError naming it (the app turns that into a message)."""
    with pytest.raises(queries.ExtractError, match="No dashboard extract found"):
        queries.programmes(tmp_path / "nope.duckdb")


def test_a_file_without_the_schema_lacks_tables(tmp_path: Path) -> None:
    """A DuckDB file that is not an extract lists the tables it lacks."""
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert queries.missing_tables(other) == list(queries.REQUIRED_TABLES)


def test_min_cell_size_comes_from_meta_and_defaults_to_ten(make_extract) -> None:
    """meta.min_cell_size sets the threshold; when it is absent or not a number, it is 10."""
    five = make_extract("five.duckdb", {"meta": [("min_cell_size", "5")]})
    bad = make_extract("bad.duckdb", {"meta": [("min_cell_size", "ten")]})
    absent = make_extract("absent.duckdb", {})
    assert queries.min_cell_size(five) == 5
    assert queries.min_cell_size(bad) == 10
    assert queries.min_cell_size(absent) == 10


def test_extract_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """RIPPLE_DASHBOARD_DB names the extract; unset or blank means none."""
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    assert queries.extract_path() is None
    monkeypatch.setenv(DB_ENV_VAR, "  ")
    assert queries.extract_path() is None
    monkeypatch.setenv(DB_ENV_VAR, "out/dashboard.duckdb")
    assert queries.extract_path() == Path.cwd() / "out" / "dashboard.duckdb"
