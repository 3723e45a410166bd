"""The dashboard's only door to DuckDB: named, read-only, parameterised queries on the extract.

- Every query opens a short-lived `duckdb.connect(path, read_only=True)` with external file
  access disabled, runs one statement and closes the connection. The pipeline publishes a new
  release by swapping the `current` symlink that `<out>/dashboard.duckdb` goes through; a
  connection held open would show a stale snapshot.
- Results are cached with `st.cache_data(ttl=...)` keyed on the extract's real path (the
  symlink resolved per query) *and* its modification time, so a freshly published extract
  shows up on the next rerun.
- The SQL is a fixed set of named statements; filter values are bound as `?` parameters,
  never formatted into the text. There is no free-form SQL.
- The extract is already aggregated and suppressed; these queries only select its rows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard.settings import DB_ENV_VAR, DEFAULT_MIN_CELL_SIZE

CACHE_TTL_SECONDS = 600
CACHE_MAX_ENTRIES = 512
REQUIRED_TABLES = (
    "cohort_change",
    "linkage",
    "meta",
    "paired_change",
    "programmes",
    "scales",
    "wave_scores",
    "waves",
)
_OPEN_ATTEMPTS = 3
_OPEN_BACKOFF_SECONDS = 0.2

#: Every statement the dashboard can run. Values are bound with `?`, never formatted in.
SQL: dict[str, str] = {
    "tables": """
        select table_name from information_schema.tables
        where table_schema = 'main' order by table_name
    """,
    "meta": "select key, value from meta order by key",
    "programmes": """
        select programme_id, name, approach, audience, n_cohorts, n_sites,
            first_cohort_date, last_cohort_date
        from programmes order by name, programme_id
    """,
    "waves": "select wave_id, label, wave_order from waves order by wave_order, wave_id",
    "scales": """
        select instrument_id, scale_id, instrument_name, scale_name, construct, aggregation,
            higher_is_better, score_min, score_max, citation
        from scales order by instrument_id, scale_id
    """,
    "programme_scales": """
        select s.instrument_id, s.scale_id, s.instrument_name, s.scale_name, s.construct,
            s.aggregation, s.higher_is_better, s.score_min, s.score_max, s.citation
        from scales as s
        where exists (
            select 1 from paired_change as p
            where p.programme_id = ?
                and p.instrument_id = s.instrument_id and p.scale_id = s.scale_id
        )
        order by s.instrument_id, s.scale_id
    """,
    "paired_change": """
        select p.programme_id, p.instrument_id, p.scale_id, p.from_wave, p.to_wave,
            w.wave_order as to_wave_order, p.n_pairs, p.mean_from, p.mean_to, p.mean_change,
            p.sd_change, p.ci_low, p.ci_high, p.d_z, p.is_suppressed
        from paired_change as p
        left join waves as w on w.wave_id = p.to_wave
        where p.programme_id = ?
        order by p.instrument_id, p.scale_id, w.wave_order, p.to_wave
    """,
    "wave_scores": """
        select ws.wave_id, w.label, w.wave_order, ws.n, ws.mean, ws.sd, ws.ci_low, ws.ci_high,
            ws.is_suppressed
        from wave_scores as ws
        left join waves as w on w.wave_id = ws.wave_id
        where ws.programme_id = ? and ws.instrument_id = ? and ws.scale_id = ?
        order by w.wave_order, ws.wave_id
    """,
    "cohort_change": """
        select cohort_id, site, cohort_date, from_wave, to_wave, n_pairs, mean_change,
            ci_low, ci_high, d_z, is_suppressed
        from cohort_change
        where programme_id = ? and instrument_id = ? and scale_id = ? and to_wave = ?
        order by cohort_date, cohort_id
    """,
    "linkage": """
        select l.programme_id, p.name as programme_name, l.wave_id, w.label as wave_label,
            w.wave_order, l.n_responses, l.n_linked, l.is_suppressed
        from linkage as l
        left join programmes as p on p.programme_id = l.programme_id
        left join waves as w on w.wave_id = l.wave_id
        order by p.name, l.programme_id, w.wave_order, l.wave_id
    """,
}


class ExtractError(Exception):
    """The extract is missing, unreadable, or not a Ripple dashboard extract."""


def extract_path() -> Path | None:
    """The extract named by RIPPLE_DASHBOARD_DB (made absolute), or None when it is unset."""
    value = os.environ.get(DB_ENV_VAR, "").strip()
    return Path(value).expanduser().absolute() if value else None


def snapshot(path: str | Path) -> tuple[str, int]:
    """The cache key of an extract: its real path (symlinks resolved) and modification time (ns).

    `<out>/dashboard.duckdb` is a symlink through `<out>/current` to the current release's
    file (pipeline.release). It is resolved here, once per query, so a newly published
    release shows up on the next query without a restart (its path differs, so the cache
    misses), and the query opens exactly the file it was keyed on, even if a run swaps
    `current` meanwhile (the old release is kept for a grace period).

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


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot read other files; retried briefly if locked."""
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            return duckdb.connect(path, read_only=True, config={"enable_external_access": False})
        except duckdb.IOException:
            if attempt == _OPEN_ATTEMPTS - 1:
                raise
            time.sleep(_OPEN_BACKOFF_SECONDS * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def run_query(name: str, path: str, params: tuple = ()) -> pd.DataFrame:
    """Run the named statement on the extract with bound parameters; no caching.

    The connection is opened read-only for this one statement and always closed.
    """
    sql = SQL[name]
    con = _connect(path)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_query(name: str, path: str, mtime_ns: int, params: tuple) -> pd.DataFrame:
    """run_query, cached on (name, path, mtime_ns, params); mtime_ns is only a cache key."""
    return run_query(name, path, params)


def query(name: str, path: str | Path, *params: object) -> pd.DataFrame:
    """A named query's result for the extract's current version (cached per mtime)."""
    key_path, mtime_ns = snapshot(path)
    return _cached_query(name, key_path, mtime_ns, tuple(params))


def clear_cache() -> None:
    """Forget every cached result (tests, or after an error)."""
    _cached_query.clear()


def missing_tables(path: str | Path) -> list[str]:
    """Tables of the extract schema that the file at `path` lacks (empty when complete).

    Raises:
        ExtractError: when the file is missing or DuckDB cannot read it.
    """
    try:
        present = set(query("tables", path)["table_name"])
    except duckdb.Error as exc:
        raise ExtractError(f"cannot read {path}: {type(exc).__name__}") from exc
    return [table for table in REQUIRED_TABLES if table not in present]


def meta(path: str | Path) -> pd.DataFrame:
    """The meta table: key, value (project, built_at, min_cell_size, ...)."""
    return query("meta", path)


def meta_value(path: str | Path, key: str, default: str | None = None) -> str | None:
    """One meta value, or `default` when the key is absent."""
    frame = meta(path)
    values = frame.loc[frame["key"] == key, "value"]
    return str(values.iloc[0]) if len(values) else default


def min_cell_size(path: str | Path) -> int:
    """The extract's suppression threshold (meta.min_cell_size; 10 when absent or invalid)."""
    value = meta_value(path, "min_cell_size")
    try:
        return int(value) if value is not None else DEFAULT_MIN_CELL_SIZE
    except ValueError:
        return DEFAULT_MIN_CELL_SIZE


def programmes(path: str | Path) -> pd.DataFrame:
    """One row per programme, ordered by name."""
    return query("programmes", path)


def waves(path: str | Path) -> pd.DataFrame:
    """Survey waves in order (wave_order 0 is the baseline)."""
    return query("waves", path)


def wave_labels(path: str | Path) -> dict[str, str]:
    """wave_id -> display label."""
    frame = waves(path)
    return dict(zip(frame["wave_id"], frame["label"], strict=True))


def scales(path: str | Path) -> pd.DataFrame:
    """Every instrument scale in the extract."""
    return query("scales", path)


def programme_scales(path: str | Path, programme_id: str) -> pd.DataFrame:
    """The scales that have paired results for one programme."""
    return query("programme_scales", path, programme_id)


def paired_change(path: str | Path, programme_id: str) -> pd.DataFrame:
    """paired_change rows for one programme (every scale and comparison), with to_wave_order."""
    return query("paired_change", path, programme_id)


def wave_scores(
    path: str | Path, programme_id: str, instrument_id: str, scale_id: str
) -> pd.DataFrame:
    """wave_scores rows for one programme x scale, in wave order, with wave labels."""
    return query("wave_scores", path, programme_id, instrument_id, scale_id)


def cohort_change(
    path: str | Path, programme_id: str, instrument_id: str, scale_id: str, to_wave: str
) -> pd.DataFrame:
    """cohort_change rows for one programme x scale x comparison, in date order."""
    return query("cohort_change", path, programme_id, instrument_id, scale_id, to_wave)


def linkage(path: str | Path) -> pd.DataFrame:
    """linkage rows for every programme and later wave, with names and labels."""
    return query("linkage", path)
