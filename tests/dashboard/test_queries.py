"""dashboard.queries: read-only short-lived connections, bound parameters, a cache keyed on the
release, suppression on the way out, and a new release shown without a restart."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from dashboard import queries, suppress
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

    def cursor(self) -> _SpiedCursor:
        return _SpiedCursor(self.con.cursor(), self.spy)

    def close(self) -> None:
        self.spy.open_now -= 1
        self.con.close()


class _SpiedCursor:
    def __init__(self, cursor, spy: ConnectionSpy) -> None:
        self.cursor, self.spy = cursor, spy

    def execute(self, sql, params=None):
        self.spy.executed.append((sql, params))
        return self.cursor.execute(sql, params)

    def close(self) -> None:
        self.cursor.close()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> ConnectionSpy:
    """Every duckdb.connect made by the query module (and only by it), recorded."""
    recorder = ConnectionSpy(duckdb.connect)
    only_here = SimpleNamespace(
        connect=recorder, Error=duckdb.Error, IOException=duckdb.IOException
    )
    monkeypatch.setattr(queries.connection, "duckdb", only_here)
    return recorder


def test_queries_return_the_extract_rows(extract: Path) -> None:
    """Each public query returns the extract's rows for the programme asked for."""
    assert list(queries.programmes(extract)["programme_id"]) == ["schools", "pilot", "ttt_work"]
    assert queries.wave_labels(extract)["post"] == "Straight after"
    paired = queries.paired_stats(extract, "ttt_work")
    assert set(paired["level"]) == {"programme", "site", "cohort", "attribute"}
    assert set(paired["programme_id"]) == {"ttt_work"}
    assert {"from_wave_order", "to_wave_order"} <= set(paired.columns)
    assert list(queries.cohorts(extract, "ttt_work")["cohort_id"]) == [
        f"ttt-0{n}" for n in range(1, 7)
    ]
    assert queries.attributes(extract) == ["gender"]
    assert queries.item_instruments(extract, "schools") == ["ucla3"]
    levels = list(dict.fromkeys(queries.reach(extract, "ttt_work")["level"]))
    assert levels == ["programme", "site", "cohort"]
    assert queries.min_cell_size(extract) == 10
    assert queries.missing_tables(extract) == []
    assert queries.extract_version(extract) == 2


def test_every_result_table_passes_through_the_suppression_function(
    extract: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows of every result table come out of suppress.apply (marker columns), reference
    tables do not need it, and every statement's table is known."""
    calls = []
    real = suppress.apply
    monkeypatch.setattr(suppress, "apply", lambda f, t, k: calls.append(t) or real(f, t, k))
    frames = {
        "reach": queries.reach(extract, "ttt_work"),
        "paired_stats": queries.paired_stats(extract, "ttt_work"),
        "paired_programmes": queries.paired_programmes(
            extract, "cami12", "tolerance_support", "pre", "post"
        ),
        "wave_means": queries.wave_means(extract, "ttt_work"),
        "wave_comparison": queries.wave_comparison(extract, "ttt_work"),
        "attrition": queries.attrition(extract, "ttt_work"),
        "reliability": queries.reliability(extract, "ttt_work"),
        "cohort_meta": queries.cohort_meta(extract, "ttt_work"),
        "item_distributions": queries.item_distributions(extract, "ttt_work", "cami12"),
        "data_quality": queries.data_quality(extract, "ttt_work"),
        "linkage_quality": queries.linkage_quality(extract, "ttt_work"),
    }
    for name, frame in frames.items():
        assert {"hidden", "hidden_label", "held"} <= set(frame.columns), name
    assert set(calls) == set(queries.RESULT_TABLES)
    for name, (table, _sql) in queries.SQL.items():
        assert table in (
            "",
            *queries.REFERENCE_TABLES,
            *queries.RESULT_TABLES,
            "disclosure_summary",
        ), name


def test_one_read_only_connection_per_release_serves_every_query(
    tmp_path: Path, extract: Path, spy: ConnectionSpy
) -> None:
    """A published release file is opened once, read-only and unable to reach other files;
    every query runs on its own cursor of that connection."""
    queries.clear_cache()
    release = tmp_path / "out" / "releases" / "20261125T000000Z-abcdef12" / "dashboard.duckdb"
    release.parent.mkdir(parents=True)
    release.write_bytes(extract.read_bytes())
    extract = release
    queries.programmes(extract)
    queries.paired_stats(extract, "schools")
    queries.reach(extract, "schools")
    assert len(spy.opened) == 1
    assert all(kw["read_only"] is True for kw in spy.opened)
    assert all(kw["config"] == {"enable_external_access": False} for kw in spy.opened)
    assert len(spy.executed) >= 3


def test_connections_refuse_writes(extract: Path) -> None:
    """The connection the query module opens cannot change the extract."""
    con = queries.connection.connect(str(extract))
    try:
        with pytest.raises(duckdb.Error):
            con.execute("delete from programmes")
    finally:
        con.close()


def test_filter_values_are_bound_not_formatted(extract: Path, spy: ConnectionSpy) -> None:
    """A hostile programme id is passed as a parameter and matches nothing."""
    hostile = "x' or '1'='1"
    assert queries.paired_stats(extract, hostile).empty
    (sql, params), *_ = [(s, p) for s, p in spy.executed if p]
    assert params == [hostile]
    assert hostile not in sql and "?" in sql


def test_only_named_statements_can_run(extract: Path) -> None:
    """There is no free-form SQL: an unknown statement name is refused, and no statement has
    a placeholder for text formatting."""
    with pytest.raises(KeyError):
        queries.run_query("select * from meta", str(extract))
    for _table, sql in queries.SQL.values():
        assert "{" not in sql and "%s" not in sql


def test_queries_never_aggregate_across_groups() -> None:
    """The statements select rows; none sums, averages or counts people across groups."""
    for name, (_table, sql) in queries.SQL.items():
        lowered = sql.lower()
        for word in ("sum(", "avg(", "count(", "group by", "mean("):
            assert word not in lowered, (name, word)


def test_cache_is_keyed_on_path_and_mtime(
    extract: Path, make_extract, extract_tables, spy: ConnectionSpy
) -> None:
    """Repeated queries hit the cache; a new extract swapped in with os.replace shows up."""
    assert queries.programmes(extract)["name"].tolist()[0] == "Belonging in Schools"
    opened = len(spy.opened)
    queries.programmes(extract)
    assert len(spy.opened) == opened

    renamed = {**extract_tables}
    renamed["programmes"] = [
        {
            "programme_id": "only",
            "name": "A new programme",
            "approach": "x",
            "audience": "y",
            "n_cohorts": 1,
            "n_sites": 1,
        }
    ]
    fresh = make_extract("dashboard.duckdb.tmp", renamed)
    before = extract.stat().st_mtime_ns
    os.replace(fresh, extract)
    os.utime(extract, ns=(before + 5_000_000_000, before + 5_000_000_000))

    assert queries.programmes(extract)["name"].tolist() == ["A new programme"]
    assert queries.snapshot(extract) == (str(extract), before + 5_000_000_000)


def test_a_new_release_behind_the_stable_link_is_read_without_restart(
    tmp_path: Path, make_extract, extract_tables
) -> None:
    """`<out>/dashboard.duckdb` -> current/ -> releases/A; swapping `current` to B makes the
    next pin and query read B, while a page already pinned to A can still finish on A."""
    first = make_extract("a.duckdb")
    renamed = {
        **extract_tables,
        "programmes": [
            {
                "programme_id": "new",
                "name": "Released later",
                "approach": "x",
                "audience": "y",
                "n_cohorts": 0,
                "n_sites": 0,
            }
        ],
    }
    second = make_extract("b.duckdb", renamed)
    out = tmp_path / "out"
    for name, source in (("A", first), ("B", second)):
        (out / "releases" / name).mkdir(parents=True)
        source.rename(out / "releases" / name / "dashboard.duckdb")
    (out / "current").symlink_to(Path("releases") / "A")
    (out / "dashboard.duckdb").symlink_to(Path("current") / "dashboard.duckdb")
    stable = out / "dashboard.duckdb"

    pinned = queries.pin(stable)
    assert pinned == (out / "releases" / "A" / "dashboard.duckdb").resolve()
    assert "Time to Talk at Work" in set(queries.programmes(stable)["name"])

    swap = out / "current.new"
    swap.symlink_to(Path("releases") / "B")
    os.replace(swap, out / "current")

    assert queries.programmes(stable)["name"].tolist() == ["Released later"]
    assert "Time to Talk at Work" in set(queries.programmes(pinned)["name"])


def test_missing_extract_is_reported(tmp_path: Path) -> None:
    """A missing file raises ExtractError naming it (the app turns that into a message)."""
    with pytest.raises(queries.ExtractError, match="No dashboard extract found"):
        queries.programmes(tmp_path / "nope.duckdb")


def test_a_file_without_the_schema_lacks_tables(tmp_path: Path) -> None:
    """A DuckDB file that is not an extract lists the tables it lacks."""
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    assert queries.missing_tables(other) == list(queries.REQUIRED_TABLES)


def test_min_cell_size_comes_from_meta_defaults_to_ten_never_below_five(make_extract) -> None:
    """meta.min_cell_size sets the threshold; absent or not a number: 10; never below 5."""

    def meta(value):
        return {"meta": [{"key": "min_cell_size", "value": value}]} if value else {}

    assert queries.min_cell_size(make_extract("a.duckdb", meta("12"))) == 12
    assert queries.min_cell_size(make_extract("b.duckdb", meta("ten"))) == 10
    assert queries.min_cell_size(make_extract("c.duckdb", meta(None))) == 10
    assert queries.min_cell_size(make_extract("d.duckdb", meta("2"))) == 5


def test_extract_version_is_checked(make_extract) -> None:
    """An extract that says it is another version is not read as version 2."""
    old = make_extract("old.duckdb", {"meta": [{"key": "extract_version", "value": "1"}]})
    unsaid = make_extract("unsaid.duckdb", {})
    assert not queries.is_current_version(old)
    assert queries.is_current_version(unsaid)


def test_extract_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """RIPPLE_DASHBOARD_DB names the extract; unset or blank means none."""
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    assert queries.extract_path() is None
    monkeypatch.setenv(DB_ENV_VAR, "  ")
    assert queries.extract_path() is None
    monkeypatch.setenv(DB_ENV_VAR, "out/dashboard.duckdb")
    assert queries.extract_path() == Path.cwd() / "out" / "dashboard.duckdb"


def test_results_are_frames(extract: Path) -> None:
    """Queries return pandas DataFrames (what the builders take)."""
    assert isinstance(queries.reach(extract, "pilot"), pd.DataFrame)


def test_a_file_outside_a_release_is_opened_per_query_and_closed(
    extract: Path, spy: ConnectionSpy
) -> None:
    """A file given directly (not a published release) may be replaced in place, so each query
    opens it read-only and closes it again."""
    queries.clear_cache()
    queries.programmes(extract)
    queries.paired_stats(extract, "schools")
    # one per query (paired_stats also reads min_cell_size from meta), none left open
    assert len(spy.opened) >= 2 and spy.open_now == 0
    assert all(kw["read_only"] is True for kw in spy.opened)


def test_one_scale_and_comparison_of_cohort_meta_is_chosen_in_sql(
    extract: Path, spy: ConnectionSpy
) -> None:
    """cohort_meta_row narrows in the statement, with the scale and comparison bound as
    parameters, and gives the same row as narrowing the programme's rows; an outcome the
    programme did not measure gives None."""
    every = queries.cohort_meta(extract, "ttt_work")
    key, waves = ("cami12", "tolerance_support"), ("pre", "post")
    row = queries.cohort_meta_row(extract, "ttt_work", key, waves)
    expected = every[
        (every["instrument_id"] == key[0])
        & (every["scale_id"] == key[1])
        & (every["from_wave"] == waves[0])
        & (every["to_wave"] == waves[1])
    ]
    assert len(expected) == 1 and row is not None
    assert row["pooled_d_z"] == expected["pooled_d_z"].iloc[0] and "hidden" in row
    assert ["ttt_work", *key, *waves] in [p for _sql, p in spy.executed]
    assert queries.cohort_meta_row(extract, "ttt_work", ("ucla3", "loneliness"), waves) is None
    one_scale = queries.cohort_meta(extract, "ttt_work", *key)
    assert set(one_scale["scale_id"]) == {key[1]} and len(one_scale) > 1
