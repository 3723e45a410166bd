"""End to end through the real `ripple` command on the committed sample: the accounting the
generator predicted, the warehouse's contract, nothing identifying anywhere, a suppressed
dashboard extract, the calibrated effects recovered, and an idempotent second run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest.readers import read_export
from pipeline.sgic import normalise_code

TEST_KEY = "5a" * 32
CONTRACT = [
    "runs",
    "source_files",
    "quarantine",
    "exclusions",
    "responses",
    "item_responses",
    "scores",
    "linked_pairs",
    "change_scores",
    "mart_paired_change",
    "mart_cohort_change",
    "mart_wave_scores",
    "mart_linkage",
]
# Export columns that identify people (Qualtrics ImportIds; Google Forms header), and free text.
IDENTIFYING_KEYS = [
    "ipAddress",
    "recipientEmail",
    "recipientFirstName",
    "recipientLastName",
    "externalDataReference",
    "locationLatitude",
    "locationLongitude",
    "_recordId",
    "recordedDate",
    "startDate",
    "endDate",
    "Email Address",
    "Timestamp",
]


def ripple(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed `ripple` console script, as a user would."""
    script = Path(sys.executable).with_name("ripple")
    return subprocess.run(
        [str(script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RIPPLE_KEY": TEST_KEY, **(env or {})},
    )


@pytest.fixture(scope="module")
def manifest(sample_dir):
    return json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def first_run(sample_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("e2e") / "out"
    result = ripple("run", "-c", str(sample_dir / "ripple.yml"), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    return out, json.loads(result.stdout)


# Connections are opened per test: DuckDB shares one instance per path within a process, and a
# connection held across tests would keep showing the file that a later run swapped out.
@pytest.fixture
def warehouse(first_run):
    with duckdb.connect(str(first_run[0] / "ripple.duckdb"), read_only=True) as con:
        yield con


@pytest.fixture
def extract(first_run):
    with duckdb.connect(str(first_run[0] / "dashboard.duckdb"), read_only=True) as con:
        yield con


def test_each_file_is_accounted_for_exactly_as_generated(first_run, manifest):
    summary = first_run[1]
    files = {f["file"]: f for f in summary["files"]}
    assert set(files) == set(manifest["files"])
    for name, expected in manifest["files"].items():
        got = files[name]
        assert got["rows_in"] == expected["rows_in"], name
        assert got["rows_loaded"] == expected["rows_loaded"], name
        assert got["excluded_by_reason"] == expected["rows_excluded"], name
        assert got["quarantined_by_reason"] == expected["rows_quarantined"], name
        assert got["rows_in"] == got["rows_loaded"] + got["rows_excluded"] + got["rows_quarantined"]


def test_the_warehouse_has_the_contract_relations_all_documented(warehouse):
    relations = dict(
        warehouse.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'main' "
            "union all select view_name, comment from duckdb_views() "
            "where schema_name = 'main' and not internal"
        ).fetchall()
    )
    assert set(CONTRACT) <= set(relations)
    assert all(relations[name] for name in CONTRACT)


def test_stored_accounting_and_lineage_hold(warehouse, manifest):
    broken = warehouse.execute(
        "select count(*) from source_files "
        "where rows_in <> rows_loaded + rows_excluded + rows_quarantined"
    ).fetchone()
    assert broken == (0,)
    loaded = warehouse.execute("select sum(rows_loaded) from source_files").fetchone()[0]
    assert loaded == warehouse.execute("select count(*) from responses").fetchone()[0]
    assert loaded == sum(f["rows_loaded"] for f in manifest["files"].values())
    missing_lineage = warehouse.execute(
        "select count(*) from responses where run_id is null or source_sha256 is null "
        "or source_row_number is null or run_id not in (select run_id from runs)"
    ).fetchone()
    assert missing_lineage == (0,)


def test_linked_pairs_match_the_generator(warehouse, manifest):
    pairs = warehouse.execute(
        "select programme_id, to_wave, count(*) from linked_pairs group by all"
    ).fetchall()
    expected = {
        (programme, wave, n)
        for programme, facts in manifest["programmes"].items()
        for wave, n in facts["linked_pairs"].items()
    }
    assert set(pairs) == expected


def test_the_calibrated_effects_are_recovered(warehouse, manifest):
    """Paired d_z per programme, scale and comparison, next to the generator's targets."""
    rows = warehouse.execute(
        "select programme_id, instrument_id, scale_id, to_wave, d_z, n_pairs "
        "from mart_paired_change"
    ).fetchall()
    found = {(p, i, s, w): (d, n) for p, i, s, w, d, n in rows}
    checked = 0
    for programme, instruments in manifest["effects"].items():
        for instrument, scales in instruments.items():
            for scale, waves in scales.items():
                for wave in ("post", "followup"):
                    d_z, n_pairs = found[(programme, instrument, scale, wave)]
                    target = waves[wave]
                    assert d_z == pytest.approx(target["realised_dz"], abs=0.005)
                    assert abs(d_z - target["target_dz"]) <= manifest["tolerance_dz"]
                    assert n_pairs == target["n_pairs"]
                    checked += 1
    assert checked == 24


def identifying_values(sample_dir: Path) -> set[str]:
    """Every identifier, exact timestamp, free-text answer and SGIC code in the exports."""
    import yaml

    config = yaml.safe_load((sample_dir / "ripple.yml").read_text(encoding="utf-8"))
    values: set[str] = set()
    for source in config["sources"]:
        frame = read_export(sample_dir / source["path"]).frame
        survey = config["surveys"][source["survey"]]
        free_text = [c for c in frame.columns if c.endswith("_TEXT")]
        for column in [c for c in frame.columns if c in IDENTIFYING_KEYS] + free_text:
            values |= {v for v in frame[column] if v.strip()}
        elements = [frame[e["column"]] for e in survey["sgic"]]
        kinds = [e["kind"] for e in survey["sgic"]]
        values |= {normalise_code(row, kinds)[0] for row in zip(*elements, strict=True)} - {None}
    # bare digits and one- or two-letter answers (SGIC elements) equal legitimate item codes
    return {v for v in values if len(v) >= 3 and not v.isdigit()}


def test_nothing_identifying_reaches_either_database_or_the_data_docs(first_run, sample_dir):
    values = identifying_values(sample_dir)
    assert len(values) > 5000
    out = first_run[0]
    for name in ("ripple.duckdb", "dashboard.duckdb"):
        with duckdb.connect(str(out / name), read_only=True) as con:
            con.execute("create temp table needles as select unnest(?) as value", [sorted(values)])
            columns = con.execute(
                "select schema_name, table_name, column_name from duckdb_columns() "
                "where not internal and database_name = current_database()"
            ).fetchall()
            for schema, table, column in columns:
                hits = con.execute(
                    f'select count(*) from "{schema}"."{table}" as t '
                    f'join needles on t."{column}"::varchar = needles.value'
                ).fetchone()[0]
                assert hits == 0, f"{name}: {schema}.{table}.{column}"
    docs = " ".join(p.read_text(errors="ignore") for p in (out / "data_docs").rglob("*.html"))
    assert docs
    leaked = [v for v in values if len(v) >= 6 and v in docs]
    assert leaked == []


def test_the_dashboard_extract_holds_only_suppressed_aggregates(extract, warehouse):
    """The extract's tables (docs/extract.md), no pseudonym or lineage column, no shown count
    of 1..min_cell_size - 1, NULL statistics wherever a cell is hidden, and at least every
    group the marts flag as small hidden. (Subtraction attacks: tests/disclosure.)"""
    tables = {t for (t,) in extract.execute("select table_name from duckdb_tables()").fetchall()}
    assert tables == {
        "meta", "programmes", "cohorts", "waves", "scales", "items", "answer_options",
        "reach", "paired_stats", "wave_means", "wave_comparison", "attrition", "reliability",
        "cohort_meta", "item_distributions", "data_quality", "linkage_quality",
        "disclosure_summary", "disclosure_ledger",
        "paired_change", "cohort_change", "wave_scores", "linkage",
    }  # fmt: skip
    columns = {c for (c,) in extract.execute("select column_name from duckdb_columns()").fetchall()}
    assert not {"response_key", "participant_key", "source_row_number"} & columns
    meta = dict(extract.execute("select key, value from meta").fetchall())
    min_cell = int(meta["min_cell_size"])
    for table, n in [
        ("paired_change", "n_pairs"),
        ("cohort_change", "n_pairs"),
        ("wave_scores", "n"),
        ("linkage", "n_linked"),
        ("paired_stats", "n_pairs"),
        ("reach", "n"),
        ("wave_means", "n"),
    ]:
        shown_small = extract.execute(
            f"select count(*) from {table} where {n} between 1 and ? - 1", [min_cell]
        ).fetchone()
        assert shown_small == (0,), table
    for table, n in [("paired_change", "n_pairs"), ("cohort_change", "n_pairs")]:
        leaked = extract.execute(
            f"select count(*) from {table} where is_suppressed and {n} is not null"
        ).fetchone()
        assert leaked == (0,), table
    leaked = extract.execute(
        "select count(*) from paired_stats where hidden_reason is not null "
        "and (n_pairs is not null or mean_improvement is not null or d_z is not null)"
    ).fetchone()
    assert leaked == (0,)
    small = warehouse.execute(
        "select count(*) from mart_cohort_change where is_primary_suppressed"
    ).fetchone()[0]
    hidden = extract.execute("select count(*) from cohort_change where is_suppressed")
    assert hidden.fetchone()[0] >= small > 0


def test_a_second_run_loads_nothing_again(first_run, sample_dir):
    out = first_run[0]
    result = ripple("run", "-c", str(sample_dir / "ripple.yml"), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["totals"]["rows_loaded"] == 0
    assert all(f["status"] == "already_ingested" for f in summary["files"])
    with duckdb.connect(str(out / "ripple.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from runs").fetchone() == (2,)
        loaded = con.execute("select count(*) from responses").fetchone()[0]
    assert loaded == first_run[1]["totals"]["rows_loaded"]


def test_without_a_key_it_refuses_before_reading_data(sample_dir, tmp_path):
    result = ripple(
        "run",
        "-c",
        str(sample_dir / "ripple.yml"),
        "--out",
        str(tmp_path),
        env={"RIPPLE_KEY": "", "RIPPLE_KEY_FILE": ""},
    )
    assert result.returncode == 2
    assert "No pseudonymisation key" in result.stderr
    assert "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir())


def test_an_unreadable_export_fails_the_run_and_publishes_nothing(sample_dir, tmp_path):
    project = tmp_path / "project"
    (project / "exports").mkdir(parents=True)
    config = (sample_dir / "ripple.yml").read_text(encoding="utf-8")
    (project / "ripple.yml").write_text(
        config.replace("../../instruments", str(sample_dir.parents[1] / "instruments")),
        encoding="utf-8",
    )
    for export in (sample_dir / "exports").iterdir():
        (project / "exports" / export.name).write_bytes(export.read_bytes())
    (project / "exports" / "schools_post.csv").write_bytes(b"")
    result = ripple("run", "-c", str(project / "ripple.yml"), "--out", str(project / "out"))
    assert result.returncode == 1
    assert "exports/schools_post.csv" in result.stderr and "empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "out" / "ripple.duckdb").exists()
    assert not list((project / "out").glob("*.tmp"))
