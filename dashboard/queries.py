"""The dashboard's only door to DuckDB: named, read-only, parameterised queries on the
dashboard extract (`dashboard.duckdb`, version 2; its contract is docs/extract.md).

- **One release per page view.** `pin` resolves `<out>/dashboard.duckdb` (a symlink through
  `<out>/current`) to the release file once per script run; every query of that run opens
  that file, so a page never mixes two releases, and the next run sees a newly published one
  without a restart. The pipeline keeps a superseded release for a grace period, so a run that
  started on it can finish.
- **One read-only connection per release file, one cursor per query**: the file is opened
  once (`read_only=True`, external access disabled, retried briefly if busy) and each
  statement runs on its own cursor, closed at once; a new release is a new file, so a new
  connection.
- **Fixed statements, bound values.** `SQL` is the complete list of what the dashboard can
  run; filter values are `?` parameters, never formatted into the text.
- **Cached** with `st.cache_data(ttl=...)` on (statement, real path, modification time,
  parameters), so a new release misses the cache.
- **Suppressed on the way out.** Every result table passes through `suppress.apply` here,
  so no page, chart, table or download can receive a row that skipped it.
- **Selection only.** The queries select rows of the extract; they never sum, average or
  count across groups (the extract is protected for its own cells, not for new totals).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from threading import Lock

import duckdb
import pandas as pd
import streamlit as st

from dashboard import suppress
from dashboard.settings import DB_ENV_VAR, DEFAULT_MIN_CELL_SIZE, EXTRACT_VERSION

CACHE_TTL_SECONDS = 600
CACHE_MAX_ENTRIES = 512
_OPEN_ATTEMPTS = 3
_OPEN_BACKOFF_SECONDS = 0.2

#: Reference tables (configuration; never suppressed).
REFERENCE_TABLES = (
    "meta",
    "programmes",
    "cohorts",
    "waves",
    "scales",
    "items",
    "answer_options",
)
#: Result tables (statistics about people; every row passes through suppress.apply).
RESULT_TABLES = (
    "reach",
    "paired_stats",
    "wave_means",
    "wave_comparison",
    "attrition",
    "reliability",
    "cohort_meta",
    "item_distributions",
    "data_quality",
    "linkage_quality",
)
REQUIRED_TABLES = (*REFERENCE_TABLES, *RESULT_TABLES, "disclosure_summary")

#: Every statement the dashboard can run, with the extract table its rows come from (result
#: tables are suppressed on the way out). Values are bound with `?`, never formatted in.
SQL: dict[str, tuple[str, str]] = {
    "tables": (
        "",
        """
        select table_name from information_schema.tables
        where table_schema = 'main' order by table_name
    """,
    ),
    "meta": ("meta", "select key, value from meta order by key"),
    "programmes": (
        "programmes",
        """
        select programme_id, name, approach, audience, n_cohorts, n_sites,
            first_cohort_date, last_cohort_date
        from programmes order by name, programme_id
    """,
    ),
    "cohorts": (
        "cohorts",
        """
        select programme_id, cohort_id, site, cohort_date from cohorts
        where programme_id = ? order by cohort_date, cohort_id
    """,
    ),
    "waves": ("waves", "select wave_id, label, wave_order from waves order by wave_order"),
    "scales": (
        "scales",
        """
        select instrument_id, scale_id, instrument_name, scale_name, construct, aggregation,
            higher_is_better, score_min, score_max, citation
        from scales order by instrument_id, scale_id
    """,
    ),
    "items": (
        "items",
        """
        select instrument_id, item_id, position, is_reverse_keyed, scale_ids, wording
        from items where instrument_id = ? order by position, item_id
    """,
    ),
    "answer_options": (
        "answer_options",
        """
        select instrument_id, answer, answer_order, label from answer_options
        where instrument_id = ? order by answer_order
    """,
    ),
    "attributes": (
        "",
        """
        select distinct attribute from paired_stats
        where level = 'attribute' and attribute is not null order by attribute
    """,
    ),
    "reach": (
        "reach",
        """
        select * from reach where programme_id = ?
        order by case level when 'programme' then 0 when 'site' then 1 else 2 end,
            site nulls first, cohort_date nulls first, cohort_id, wave_order, measure desc
    """,
    ),
    "paired_stats": (
        "paired_stats",
        """
        select p.*, fw.wave_order as from_wave_order, tw.wave_order as to_wave_order
        from paired_stats as p
        left join waves as fw on fw.wave_id = p.from_wave
        left join waves as tw on tw.wave_id = p.to_wave
        where p.programme_id = ?
        order by p.instrument_id, p.scale_id, fw.wave_order, tw.wave_order,
            case p.level when 'programme' then 0 when 'site' then 1 when 'cohort' then 2
                else 3 end,
            p.site nulls first, p.cohort_date nulls first, p.cohort_id,
            p.attribute, p.attribute_value
    """,
    ),
    "paired_programmes": (
        "paired_stats",
        """
        select p.*, fw.wave_order as from_wave_order, tw.wave_order as to_wave_order
        from paired_stats as p
        left join waves as fw on fw.wave_id = p.from_wave
        left join waves as tw on tw.wave_id = p.to_wave
        where p.level = 'programme' and p.instrument_id = ? and p.scale_id = ?
            and p.from_wave = ? and p.to_wave = ?
        order by p.programme_id
    """,
    ),
    "wave_means": (
        "wave_means",
        """
        select * from wave_means where programme_id = ?
        order by instrument_id, scale_id, wave_order
    """,
    ),
    "wave_comparison": (
        "wave_comparison",
        """
        select c.*, w.wave_order as to_wave_order from wave_comparison as c
        left join waves as w on w.wave_id = c.to_wave
        where c.programme_id = ? order by c.instrument_id, c.scale_id, w.wave_order
    """,
    ),
    "attrition": (
        "attrition",
        """
        select a.*, w.wave_order as to_wave_order from attrition as a
        left join waves as w on w.wave_id = a.to_wave
        where a.programme_id = ? order by a.instrument_id, a.scale_id, w.wave_order
    """,
    ),
    "reliability": (
        "reliability",
        """
        select * from reliability where programme_id = ?
        order by instrument_id, scale_id, wave_order
    """,
    ),
    "cohort_meta": (
        "cohort_meta",
        """
        select m.*, fw.wave_order as from_wave_order, tw.wave_order as to_wave_order
        from cohort_meta as m
        left join waves as fw on fw.wave_id = m.from_wave
        left join waves as tw on tw.wave_id = m.to_wave
        where m.programme_id = ?
        order by m.instrument_id, m.scale_id, fw.wave_order, tw.wave_order
    """,
    ),
    "item_distributions": (
        "item_distributions",
        """
        select * from item_distributions where programme_id = ? and instrument_id = ?
        order by item_id, wave_order, answer_order
    """,
    ),
    "item_instruments": (
        "",
        """
        select distinct instrument_id from item_distributions where programme_id = ?
        order by instrument_id
    """,
    ),
    "data_quality": (
        "data_quality",
        """
        select d.*, w.wave_order from data_quality as d
        left join waves as w on w.wave_id = d.wave_id
        where d.programme_id = ?
        order by d.measure, w.wave_order nulls last, d.wave_id, d.reason = 'all', d.reason
    """,
    ),
    "linkage_quality": (
        "linkage_quality",
        """
        select * from linkage_quality where programme_id = ? order by wave_order, link_status
    """,
    ),
    "disclosure_summary": (
        "disclosure_summary",
        """
        select table_name, status, reason, n_cells from disclosure_summary
        order by table_name, status, reason
    """,
    ),
}


class ExtractError(Exception):
    """The extract is missing, unreadable, or not a Ripple dashboard extract."""


def extract_path() -> Path | None:
    """The extract named by RIPPLE_DASHBOARD_DB (made absolute), or None when it is unset."""
    value = os.environ.get(DB_ENV_VAR, "").strip()
    return Path(value).expanduser().absolute() if value else None


def snapshot(path: str | Path) -> tuple[str, int]:
    """The release an extract path points at now: its real path (symlinks resolved) and
    modification time in ns, the cache key of every query on it.

    Raises:
        ExtractError: when there is no file at `path`.
    """
    given = Path(path).expanduser().absolute()
    resolved = Path(os.path.realpath(given))
    try:
        stat = resolved.stat()
    except OSError as exc:
        raise ExtractError(f"No dashboard extract found at {given}") from exc
    return str(resolved), stat.st_mtime_ns


def pin(path: str | Path) -> Path:
    """The release file `path` points at now (symlinks resolved), for one page view.

    Raises:
        ExtractError: when there is no file at `path`.
    """
    return Path(snapshot(path)[0])


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot read other files; retried briefly if busy."""
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            return duckdb.connect(path, read_only=True, config={"enable_external_access": False})
        except duckdb.IOException:
            if attempt == _OPEN_ATTEMPTS - 1:
                raise
            time.sleep(_OPEN_BACKOFF_SECONDS * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


RELEASES_FOLDER = (
    "releases"  # pipeline.release: every published release file is new, never rewritten
)


@st.cache_resource(max_entries=4, show_spinner=False)
def _release_database(path: str, mtime_ns: int) -> tuple[duckdb.DuckDBPyConnection, Lock]:
    """One read-only connection per release file (`path` is a resolved, never-rewritten
    release; `mtime_ns` only keys the cache), shared by every query on it. Opening the file
    costs about 25 ms on a large extract against 0.2 ms for a cursor, so a page's dozen
    queries would otherwise spend most of their time opening it. A new publish is a new
    path, hence a new connection; a pruned release's open connection keeps working."""
    return _connect(path), Lock()


def run_query(name: str, path: str, params: tuple = ()) -> pd.DataFrame:
    """Run the named statement on the extract with bound parameters; no caching, no
    suppression. Each statement runs on its own cursor of the release's shared read-only
    connection (cursors are separate connections to the same database, safe across the
    server's threads once created; creating one is serialised)."""
    if Path(path).parent.parent.name != RELEASES_FOLDER:
        # not a published release (a file given with --db): it may be replaced in place, and
        # DuckDB would keep serving the old file to a cached connection, so open it per query
        con = _connect(path)
        try:
            return con.execute(SQL[name][1], list(params)).df()
        finally:
            con.close()
    base, lock = _release_database(path, os.stat(path).st_mtime_ns)
    with lock:
        cursor = base.cursor()
    try:
        return cursor.execute(SQL[name][1], list(params)).df()
    finally:
        cursor.close()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_query(name: str, path: str, mtime_ns: int, params: tuple) -> pd.DataFrame:
    """run_query, cached on (name, path, mtime_ns, params); mtime_ns is only a cache key."""
    return run_query(name, path, params)


def raw(name: str, path: str | Path, *params: object) -> pd.DataFrame:
    """A named query's rows as stored (cached per release). Use `query` for result tables."""
    key_path, mtime_ns = snapshot(path)
    return _cached_query(name, key_path, mtime_ns, tuple(params))


def query(name: str, path: str | Path, *params: object) -> pd.DataFrame:
    """A named query's rows, through `suppress.apply` when they come from a result table."""
    frame = raw(name, path, *params)
    table = SQL[name][0]
    if table in RESULT_TABLES:
        return suppress.apply(frame, table, min_cell_size(path))
    return frame


def clear_cache() -> None:
    """Forget every cached result and connection (tests, or after an error)."""
    _cached_query.clear()
    _release_database.clear()


def missing_tables(path: str | Path) -> list[str]:
    """Tables of the version-2 extract that the file at `path` lacks (empty when complete).

    Raises:
        ExtractError: when the file is missing or DuckDB cannot read it.
    """
    try:
        present = set(raw("tables", path)["table_name"])
    except duckdb.Error as exc:
        raise ExtractError(f"cannot read {path}: {type(exc).__name__}") from exc
    return [table for table in REQUIRED_TABLES if table not in present]


def meta(path: str | Path) -> pd.DataFrame:
    """The meta table: key, value (project, built_at, min_cell_size, extract_version, ...)."""
    return raw("meta", path)


def meta_value(path: str | Path, key: str, default: str | None = None) -> str | None:
    """One meta value, or `default` when the key is absent."""
    frame = meta(path)
    values = frame.loc[frame["key"] == key, "value"]
    return str(values.iloc[0]) if len(values) else default


def extract_version(path: str | Path) -> int | None:
    """meta.extract_version as an int (None when absent or not a number)."""
    value = meta_value(path, "extract_version")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def is_current_version(path: str | Path) -> bool:
    """True unless the extract says it is another version than the dashboard reads."""
    version = extract_version(path)
    return version is None or version == EXTRACT_VERSION


def min_cell_size(path: str | Path) -> int:
    """The extract's suppression threshold (meta.min_cell_size; 10 when absent or invalid;
    never below 5)."""
    value = meta_value(path, "min_cell_size")
    try:
        number = int(value) if value is not None else DEFAULT_MIN_CELL_SIZE
    except ValueError:
        number = DEFAULT_MIN_CELL_SIZE
    return max(number, 5)


def programmes(path: str | Path) -> pd.DataFrame:
    """One row per programme, ordered by name."""
    return query("programmes", path)


def cohorts(path: str | Path, programme_id: str) -> pd.DataFrame:
    """The programme's cohorts (site, date), in date order."""
    return query("cohorts", path, programme_id)


def waves(path: str | Path) -> pd.DataFrame:
    """Survey waves in order (wave_order 0 is the baseline)."""
    return query("waves", path)


def wave_labels(path: str | Path) -> dict[str, str]:
    """wave_id -> display label."""
    frame = waves(path)
    return dict(zip(frame["wave_id"], frame["label"], strict=True))


def scales(path: str | Path) -> pd.DataFrame:
    """Every instrument scale in the extract (names, construct, range, direction)."""
    return query("scales", path)


def items(path: str | Path, instrument_id: str) -> pd.DataFrame:
    """An instrument's items in order, with wording where it is shipped (else NULL)."""
    return query("items", path, instrument_id)


def answer_options(path: str | Path, instrument_id: str) -> pd.DataFrame:
    """An instrument's answers in display order, with labels."""
    return query("answer_options", path, instrument_id)


def attributes(path: str | Path) -> list[str]:
    """The baseline attributes the extract breaks paired results down by (e.g. gender)."""
    return list(raw("attributes", path)["attribute"])


def reach(path: str | Path, programme_id: str) -> pd.DataFrame:
    """reach rows of one programme, every level (programme, site, cohort), suppressed."""
    return query("reach", path, programme_id)


def paired_stats(path: str | Path, programme_id: str) -> pd.DataFrame:
    """paired_stats rows of one programme, every level, scale and comparison, with
    from_wave_order and to_wave_order; suppressed."""
    return query("paired_stats", path, programme_id)


def paired_programmes(
    path: str | Path, instrument_id: str, scale_id: str, from_wave: str, to_wave: str
) -> pd.DataFrame:
    """The programme-level paired_stats row of every programme for one scale and comparison."""
    return query("paired_programmes", path, instrument_id, scale_id, from_wave, to_wave)


def wave_means(path: str | Path, programme_id: str) -> pd.DataFrame:
    """wave_means rows of one programme (all available responses per wave), suppressed."""
    return query("wave_means", path, programme_id)


def wave_comparison(path: str | Path, programme_id: str) -> pd.DataFrame:
    """wave_comparison rows of one programme, suppressed."""
    return query("wave_comparison", path, programme_id)


def attrition(path: str | Path, programme_id: str) -> pd.DataFrame:
    """attrition rows of one programme (completers vs drop-outs at baseline), suppressed."""
    return query("attrition", path, programme_id)


def reliability(path: str | Path, programme_id: str) -> pd.DataFrame:
    """reliability rows of one programme (alpha, omega per scale and wave), suppressed."""
    return query("reliability", path, programme_id)


def cohort_meta(path: str | Path, programme_id: str) -> pd.DataFrame:
    """cohort_meta rows of one programme (pooled cohorts, heterogeneity, trend)."""
    return query("cohort_meta", path, programme_id)


def item_instruments(path: str | Path, programme_id: str) -> list[str]:
    """Instruments with item distributions for one programme."""
    return list(raw("item_instruments", path, programme_id)["instrument_id"])


def item_distributions(path: str | Path, programme_id: str, instrument_id: str) -> pd.DataFrame:
    """item_distributions rows of one programme and instrument, suppressed."""
    return query("item_distributions", path, programme_id, instrument_id)


def data_quality(path: str | Path, programme_id: str) -> pd.DataFrame:
    """data_quality rows of one programme (records excluded and quarantined), suppressed."""
    return query("data_quality", path, programme_id)


def linkage_quality(path: str | Path, programme_id: str) -> pd.DataFrame:
    """linkage_quality rows of one programme (link rates by match type), suppressed."""
    return query("linkage_quality", path, programme_id)


def disclosure_summary(path: str | Path) -> pd.DataFrame:
    """How many cells of each table are shown, held or hidden (counts of cells, not people)."""
    return query("disclosure_summary", path)
