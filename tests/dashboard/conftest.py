"""Fixtures for the dashboard tests: a small, realistic dashboard extract built in tmp_path.

The extract is made by executing pipeline/extract_schema.sql and inserting rows for three
programmes: a large contact-based one (all results visible except a few cohorts and one
follow-up), a schools programme with a lower-is-better loneliness scale and a hidden
follow-up, and a small pilot whose paired results are all suppressed (NULL statistics,
is_suppressed = true), exactly as the pipeline would publish them.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from scipy import stats

from dashboard import queries
from dashboard.settings import DB_ENV_VAR

REPO = Path(__file__).resolve().parents[2]
SCHEMA_SQL = REPO / "pipeline" / "extract_schema.sql"
MIN_CELL_SIZE = 10

META = {
    "project": "Ripple test project",
    "built_at": "2025-01-31T12:00:00Z",
    "min_cell_size": str(MIN_CELL_SIZE),
    "pipeline_version": "0.1.0",
    "run_id": "run-test-0001",
}
WAVES = [
    ("pre", "Before the workshop", 0),
    ("post", "Straight after", 1),
    ("followup", "3-month follow-up", 2),
]

SCALES = [
    # instrument_id, scale_id, instrument_name, scale_name, construct, aggregation, hib, min, max
    ("cami12", "prejudice_exclusion", "Community Attitudes toward the Mentally Ill (CAMI-12)",
     "Prejudice and exclusion", "stigma", "mean", True, 0.0, 100.0),
    ("cami12", "tolerance_support", "Community Attitudes toward the Mentally Ill (CAMI-12)",
     "Tolerance and support", "stigma", "mean", True, 0.0, 100.0),
    ("ribs", "intended_behaviour", "Reported and Intended Behaviour Scale (RIBS)",
     "Intended behaviour", "intended_behaviour", "sum", True, 4.0, 20.0),
    ("gbs", "total", "General Belongingness Scale (GBS)", "General belongingness",
     "belonging", "sum", True, 12.0, 84.0),
    ("ucla3", "loneliness", "Three-item UCLA Loneliness Scale (UCLA-3)", "Loneliness",
     "loneliness", "sum", False, 3.0, 9.0),
]  # fmt: skip

PROGRAMMES = [
    ("ttt_work", "Time to Talk at Work", "contact-based", "adults at work", 6, 3,
     dt.date(2024, 1, 15), dt.date(2024, 11, 20)),
    ("schools", "Belonging in Schools", "peer support", "secondary-school pupils", 4, 2,
     dt.date(2024, 2, 1), dt.date(2024, 6, 30)),
    ("pilot", "Library Conversations pilot", "education-only", "library visitors", 2, 1,
     dt.date(2024, 9, 3), dt.date(2024, 9, 17)),
]  # fmt: skip

# programme, instrument, scale, to_wave, n, mean_from, mean_change, sd_change (None = hidden)
PAIRED = [
    ("ttt_work", "cami12", "tolerance_support", "post", 412, 61.2, 6.8, 15.1),
    ("ttt_work", "cami12", "tolerance_support", "followup", 156, 61.0, 4.9, 16.0),
    ("ttt_work", "cami12", "prejudice_exclusion", "post", 409, 70.4, 3.1, 12.0),
    ("ttt_work", "cami12", "prejudice_exclusion", "followup", 155, 70.1, 2.2, 12.5),
    ("ttt_work", "ribs", "intended_behaviour", "post", 405, 14.1, 1.2, 2.9),
    ("ttt_work", "ribs", "intended_behaviour", "followup", 150, 14.0, 0.3, 3.1),
    ("schools", "gbs", "total", "post", 96, 52.3, 3.4, 7.9),
    ("schools", "gbs", "total", "followup", 41, 52.0, -2.6, 6.5),
    ("schools", "ucla3", "loneliness", "post", 95, 5.9, -0.6, 1.4),
    ("schools", "ucla3", "loneliness", "followup", None, None, None, None),
    ("pilot", "cami12", "tolerance_support", "post", None, None, None, None),
    ("pilot", "cami12", "tolerance_support", "followup", None, None, None, None),
]

# programme, cohort, site, date, n_pairs per cohort for post (None = hidden); follow-up is
# hidden for cohorts marked in HIDDEN_FOLLOWUP.
COHORTS = [
    ("ttt_work", "ttt-01", "Leeds", dt.date(2024, 1, 15), 78),
    ("ttt_work", "ttt-02", "Leeds", dt.date(2024, 3, 4), 81),
    ("ttt_work", "ttt-03", "York", dt.date(2024, 4, 22), None),  # primary: n < 10
    ("ttt_work", "ttt-04", "York", dt.date(2024, 6, 10), 96),
    ("ttt_work", "ttt-05", "Hull", dt.date(2024, 9, 2), None),  # complementary
    ("ttt_work", "ttt-06", "Hull", dt.date(2024, 11, 20), 88),
    ("schools", "sch-01", "North Academy", dt.date(2024, 2, 1), 31),
    ("schools", "sch-02", "North Academy", dt.date(2024, 3, 14), 24),
    ("schools", "sch-03", "South High", dt.date(2024, 5, 9), None),
    ("schools", "sch-04", "South High", dt.date(2024, 6, 30), 33),
    ("pilot", "lib-01", "Central Library", dt.date(2024, 9, 3), None),
    ("pilot", "lib-02", "Central Library", dt.date(2024, 9, 17), None),
]
HIDDEN_FOLLOWUP = {"ttt-04", "sch-02"}

# programme, wave, n_responses, n_linked (None = hidden)
LINKAGE = [
    ("ttt_work", "post", 430, 412),
    ("ttt_work", "followup", 171, 156),
    ("schools", "post", 101, 96),
    ("schools", "followup", 47, 41),
    ("pilot", "post", None, None),
    ("pilot", "followup", None, None),
]


def _ci(mean: float, sd: float, n: int) -> tuple[float, float]:
    """95% CI of a mean from the t distribution with n - 1 df."""
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return round(mean - half, 3), round(mean + half, 3)


def paired_row(programme, instrument, scale, to_wave, n, mean_from, change, sd) -> tuple:
    """A paired_change row; all statistics NULL and is_suppressed when n is None."""
    key = (programme, instrument, scale, "pre", to_wave)
    if n is None:
        return (*key, None, None, None, None, None, None, None, None, True)
    low, high = _ci(change, sd, n)
    mean_to = round(mean_from + change, 3)
    return (*key, n, mean_from, mean_to, change, sd, low, high, round(change / sd, 3), False)


def _scale_ids(programme: str) -> list[tuple[str, str]]:
    """The (instrument, scale) pairs a programme has paired results for."""
    return sorted({(row[1], row[2]) for row in PAIRED if row[0] == programme})


def cohort_rows() -> list[tuple]:
    """cohort_change rows: every cohort x scale x comparison of each programme."""
    rows = []
    for programme, cohort, site, day, n_post in COHORTS:
        for offset, (instrument, scale) in enumerate(_scale_ids(programme)):
            for to_wave in ("post", "followup"):
                n = n_post if to_wave == "post" else (n_post and n_post // 2)
                key = (programme, cohort, site, day, instrument, scale, "pre", to_wave)
                if n is None or (to_wave == "followup" and cohort in HIDDEN_FOLLOWUP):
                    rows.append((*key, None, None, None, None, None, True))
                    continue
                change = 1.0 + 0.5 * offset + (day.month % 5) * 0.7
                low, high = _ci(change, 9.0, n)
                rows.append((*key, n, change, low, high, round(change / 9.0, 3), False))
    return rows


def wave_score_rows() -> list[tuple]:
    """wave_scores rows: every programme x scale x wave; the pilot's later waves hidden."""
    rows = []
    for programme, instrument, scale, to_wave, n, mean_from, change, _sd in PAIRED:
        if to_wave == "post":  # one baseline row per scale; the pilot's has 14 responses
            pre_n, pre_mean = (14, 60.0) if n is None else (n + 60, mean_from)
            rows.append(_wave_score(programme, instrument, scale, "pre", pre_n, pre_mean))
        wave_n = None if n is None else n + 15
        wave_mean = None if n is None else mean_from + change
        rows.append(_wave_score(programme, instrument, scale, to_wave, wave_n, wave_mean))
    return rows


def _wave_score(programme, instrument, scale, wave, n, mean) -> tuple:
    """One wave_scores row (hidden when n is None)."""
    key = (programme, instrument, scale, wave)
    if n is None:
        return (*key, None, None, None, None, None, True)
    sd = max(abs(mean) * 0.2, 1.0)
    low, high = _ci(mean, sd, n)
    return (*key, n, round(mean, 3), round(sd, 3), low, high, False)


def default_tables() -> dict[str, list[tuple]]:
    """Every table's rows for the default test extract."""
    citations = {
        "cami12": "Health Survey for England 2014, Attitudes towards mental illness.",
        "ribs": "Evans-Lacko S, et al. Epidemiol Psychiatr Sci 2011;20(3):263-271.",
        "gbs": "Malone GP, Pillow DR, Osman A. Pers Individ Dif 2012;52(3):311-316.",
        "ucla3": "Hughes ME, et al. Res Aging 2004;26(6):655-672.",
    }
    return {
        "meta": list(META.items()),
        "programmes": PROGRAMMES,
        "waves": WAVES,
        "scales": [(*row, citations[row[0]]) for row in SCALES],
        "paired_change": [paired_row(*row) for row in PAIRED],
        "cohort_change": cohort_rows(),
        "wave_scores": wave_score_rows(),
        "linkage": [(p, w, r, k, r is None) for p, w, r, k in LINKAGE],
    }


def write_extract(path: Path, tables: dict[str, list[tuple]] | None = None) -> Path:
    """Create an extract at `path` from the schema file and `tables` (default rows)."""
    tables = default_tables() if tables is None else tables
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        for table, rows in tables.items():
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                con.executemany(f"insert into {table} values ({marks})", rows)
    finally:
        con.close()
    return path


@pytest.fixture(autouse=True)
def _fresh_query_cache() -> None:
    """Each test starts with an empty query cache."""
    queries.clear_cache()


@pytest.fixture
def extract_tables() -> dict[str, list[tuple]]:
    """The default extract's rows, per table (tests may edit a copy and write it)."""
    return default_tables()


@pytest.fixture
def make_extract(tmp_path: Path) -> Callable[..., Path]:
    """Factory: make_extract(name="dashboard.duckdb", tables=None) -> path of a new extract."""

    def make(name: str = "dashboard.duckdb", tables: dict[str, Any] | None = None) -> Path:
        return write_extract(tmp_path / name, tables)

    return make


@pytest.fixture(scope="session")
def _default_extract_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default extract, built once per session (tests get their own copy)."""
    return write_extract(tmp_path_factory.mktemp("template") / "dashboard.duckdb")


@pytest.fixture
def extract(_default_extract_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the default test extract (three programmes, some cells suppressed)."""
    return Path(shutil.copy2(_default_extract_file, tmp_path / "dashboard.duckdb"))


@pytest.fixture
def extract_env(extract: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default extract, named by RIPPLE_DASHBOARD_DB for the app."""
    monkeypatch.setenv(DB_ENV_VAR, str(extract))
    return extract
