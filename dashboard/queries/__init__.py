"""The dashboard's only door to DuckDB: named, read-only, parameterised queries on the
dashboard extract (`dashboard.duckdb`, version 2; its contract is docs/extract.md).

- **One release per page view.** `pin` resolves `<out>/dashboard.duckdb` to the release file
  once per script run; every query of that run opens that file (`connection`).
- **One read-only connection per release file, one cursor per query** (`connection`).
- **Fixed statements, bound values.** `SQL` (`sql`) is the complete list of what the
  dashboard can run; filter values are `?` parameters, never formatted into the text.
- **Cached** with `st.cache_data(ttl=...)` on (statement, real path, modification time,
  parameters), so a new release misses the cache.
- **Suppressed on the way out.** Every result table passes through `suppress.apply` here,
  so no page, chart, table or download can receive a row that skipped it.
- **Selection only.** The queries select rows of the extract; they never sum, average or
  count across groups (the extract is protected for its own cells, not for new totals).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard import suppress
from dashboard.queries import connection
from dashboard.queries.connection import ExtractError, extract_path, pin, snapshot
from dashboard.queries.sql import REFERENCE_TABLES, REQUIRED_TABLES, RESULT_TABLES, SQL
from dashboard.settings import DEFAULT_MIN_CELL_SIZE, EXTRACT_VERSION

__all__ = [
    "REFERENCE_TABLES",
    "REQUIRED_TABLES",
    "RESULT_TABLES",
    "SQL",
    "ExtractError",
    "extract_path",
    "pin",
    "snapshot",
]

CACHE_TTL_SECONDS = 600
CACHE_MAX_ENTRIES = 512


def run_query(name: str, path: str, params: tuple = ()) -> pd.DataFrame:
    """Run the named statement on the extract with bound parameters; no caching, no
    suppression. An unknown name is refused (KeyError): there is no free-form SQL."""
    return connection.execute(SQL[name][1], path, params)


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
    connection.release_database.clear()


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


def cohort_meta(
    path: str | Path,
    programme_id: str,
    instrument_id: str | None = None,
    scale_id: str | None = None,
    from_wave: str | None = None,
    to_wave: str | None = None,
) -> pd.DataFrame:
    """cohort_meta rows of one programme (pooled cohorts, heterogeneity, trend), of one
    scale and one comparison when they are given."""
    return query("cohort_meta", path, programme_id, instrument_id, scale_id, from_wave, to_wave)


def cohort_meta_row(
    path: str | Path,
    programme_id: str,
    key: tuple[str, str],
    comparison: tuple[str, str],
) -> dict | None:
    """The cohort_meta row of one scale (`key`) and comparison, or None when there is none."""
    rows = cohort_meta(path, programme_id, *key, *comparison)
    if rows.empty:
        return None
    return rows.astype(object).where(rows.notna(), None).to_dict("records")[0]


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
