"""One fictional project that mixes every export format, run end to end through the `ripple`
CLI and checked against what its generator knows (tests/fixtures/mixed, README there).

Nine exports from seven tools (Qualtrics CSV and XLSX, a plain CSV with the cohort from the
submission date, a French Google Forms CSV holding two waves, KoboToolbox, REDCap raw and
label exports with data dictionaries, SurveyMonkey CSV and XLSX), with numeric don't-know and
missing codes, participant-id and self-generated-code linkage, and a few bad rows whose
outcomes are known. Checked: every file's accounting, every excluded and quarantined row by
file and row number, linked pairs by programme, waves and match type (and row by row),
every score (as multisets per programme x wave x scale, and row by row through lineage),
answer statuses, and that no identifying value reaches either database.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pytest

from tests.loading import load_package

MIXED = Path(__file__).resolve().parent / "fixtures" / "mixed"
TEST_KEY = "3c" * 32


def generator():
    """tests/fixtures/mixed as a package (tests/ is not one), and its make_mixed module."""
    package = load_package("ripple_mixed_fixture", MIXED)
    return importlib.import_module(f"{package.__name__}.make_mixed")


EXPORTS = importlib.import_module(f"{generator().__package__}.plan").EXPORTS


def ripple(*args: str) -> subprocess.CompletedProcess:
    """Run the installed `ripple` console script, as a user would."""
    script = Path(sys.executable).with_name("ripple")
    return subprocess.run(
        [str(script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RIPPLE_KEY": TEST_KEY, "RIPPLE_KEY_FILE": ""},
    )


def summary_of(result: subprocess.CompletedProcess) -> dict:
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        return {"files": [], "unparsed_stdout": result.stdout[-2000:]}


def explain(result: subprocess.CompletedProcess) -> str:
    """The exit code, every failed file's error and stderr, for assertion messages."""
    summary = summary_of(result)
    failed = [f"{f['file']}: {f['error']}" for f in summary["files"] if f.get("error")]
    return f"exit {result.returncode}\n" + "\n".join(failed) + f"\nstderr:\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed") / "project"
    truth = generator().generate(folder)
    return folder, truth


@pytest.fixture(scope="module")
def truth(project):
    return project[1]


@pytest.fixture(scope="module")
def validated(project):
    return ripple("validate", "-c", str(project[0] / "ripple.yml"), "--json")


@pytest.fixture(scope="module")
def first_run(project, validated):
    """The run, always after `validate` (which would otherwise see this run's warehouse in
    the config's out_dir and report every file as already ingested)."""
    out = project[0] / "out"
    result = ripple(
        "run", "-c", str(project[0] / "ripple.yml"), "--out", str(out), "--rebuild", "--json"
    )
    return out, result


@pytest.fixture(scope="module")
def published(first_run):
    out, result = first_run
    assert result.returncode == 0, explain(result)
    return out


@pytest.fixture
def warehouse(published):
    with duckdb.connect(str(published / "ripple.duckdb"), read_only=True) as con:
        yield con


def file_counts(summary: dict, path: str) -> dict:
    found = {f["file"]: f for f in summary["files"]}
    assert path in found, f"{path} is not in the report"
    f = found[path]
    assert f["status"] == "loaded" and not f["error"], f"{path}: {f['error']}"
    return {
        "rows_in": f["rows_in"],
        "rows_loaded": f["rows_loaded"],
        "excluded_by_reason": f["excluded_by_reason"],
        "quarantined_by_reason": f["quarantined_by_reason"],
    }


def expected_counts(truth, path: str) -> dict:
    t = truth.files[path]
    return {
        "rows_in": t.rows_in,
        "rows_loaded": t.rows_loaded,
        "excluded_by_reason": t.excluded_by_reason,
        "quarantined_by_reason": t.quarantined_by_reason,
    }


def by_none_then_value(values):
    return sorted(values, key=lambda s: (s is not None, s if s is not None else 0.0))


# ---------------------------------------------------------------------------------------------
def test_the_generator_is_seeded_and_knows_every_outcome(tmp_path, truth):
    again = generator().generate(tmp_path / "again")
    assert again.as_json() == truth.as_json()
    assert set(truth.files) == set(EXPORTS)
    outcomes = Counter((o, r) for _, _, o, r in truth.rows.values())
    for reason in ("preview", "incomplete", "other_wave", "duplicate_submission"):
        assert outcomes[("excluded", reason)] >= 1, reason
    for reason in ("out_of_range", "unknown_label", "unknown_cohort"):
        assert outcomes[("quarantined", reason)] >= 1, reason
    assert {"participant_id", "exact"} <= {kind for (_, _, _, kind) in truth.pairs}
    assert any(status == "dont_know" for (_, _, status) in truth.answer_status)
    assert any(score is None for score in truth.person_scores.values())


def test_validate_accepts_the_project(validated):
    assert validated.returncode == 0, explain(validated)


@pytest.mark.parametrize("path", EXPORTS)
def test_validate_counts_each_file_as_generated(validated, truth, path):
    assert file_counts(summary_of(validated), path) == expected_counts(truth, path)


def test_run_publishes(first_run):
    out, result = first_run
    assert result.returncode == 0, explain(result)
    assert (out / "ripple.duckdb").exists() and (out / "dashboard.duckdb").exists()


@pytest.mark.parametrize("path", EXPORTS)
def test_run_counts_each_file_as_generated(first_run, truth, path):
    assert file_counts(summary_of(first_run[1]), path) == expected_counts(truth, path)


def test_source_files_store_the_same_accounting(warehouse, truth):
    stored = warehouse.execute(
        "select source_path, rows_in, rows_loaded, rows_excluded, rows_quarantined "
        "from source_files"
    ).fetchall()
    expected = {
        (path, t.rows_in, t.rows_loaded, t.rows_excluded, t.rows_quarantined)
        for path, t in truth.files.items()
    }
    assert set(stored) == expected


def test_every_excluded_and_quarantined_row_is_the_planned_one(warehouse, truth):
    excluded = set(
        warehouse.execute(
            "select source_path, source_row_number, reason from exclusions"
        ).fetchall()
    )
    quarantined = set(
        warehouse.execute(
            "select distinct source_path, source_row_number, reason from quarantine"
        ).fetchall()
    )
    planned = {
        outcome: {
            (path, row, reason)
            for (path, row), (_, _, o, reason) in truth.rows.items()
            if o == outcome
        }
        for outcome in ("excluded", "quarantined")
    }
    assert excluded == planned["excluded"]
    assert quarantined == planned["quarantined"]


def test_loaded_responses_per_programme_and_wave(warehouse, truth):
    found = dict(
        ((p, w), n)
        for p, w, n in warehouse.execute(
            "select programme_id, wave_id, count(*) from responses group by all"
        ).fetchall()
    )
    assert found == truth.responses


def test_linked_pairs_per_programme_waves_and_match_type(warehouse, truth):
    found = {
        (p, f, t, m): n
        for p, f, t, m, n in warehouse.execute(
            "select programme_id, from_wave, to_wave, match_type, count(*) "
            "from linked_pairs group by all"
        ).fetchall()
    }
    assert found == truth.pairs


def lineage(warehouse) -> dict[str, tuple[str, int]]:
    """response_key -> (source file, source row number)."""
    rows = warehouse.execute(
        "select r.response_key, f.source_path, r.source_row_number from responses as r "
        "join (select distinct source_sha256, source_path from source_files) as f "
        "using (source_sha256)"
    ).fetchall()
    return {key: (path, row) for key, path, row in rows}


def test_every_link_joins_the_planned_rows(warehouse, truth):
    where = lineage(warehouse)
    links = {
        (where[a], where[b], m)
        for a, b, m in warehouse.execute(
            "select from_response_key, to_response_key, match_type from linked_pairs"
        ).fetchall()
    }
    assert links == truth.pair_rows


def test_scores_per_programme_wave_and_scale_match_the_truth(warehouse, truth):
    found = defaultdict(list)
    for p, w, i, s, score in warehouse.execute(
        "select programme_id, wave_id, instrument_id, scale_id, score from scores"
    ).fetchall():
        found[(p, w, i, s)].append(score)
    assert set(found) == set(truth.scores)
    for key, expected in truth.scores.items():
        got = by_none_then_value(found[key])
        assert [g is None for g in got] == [e is None for e in expected], key
        values = [g for g in got if g is not None]
        wanted = [e for e in expected if e is not None]
        assert values == pytest.approx(wanted, abs=1e-9, rel=0), key
        assert math.fsum(values) == pytest.approx(math.fsum(wanted), abs=1e-9, rel=0), key
        if wanted:
            mean = math.fsum(wanted) / len(wanted)
            assert math.fsum(values) / len(values) == pytest.approx(mean, abs=1e-9, rel=0), key


def test_every_score_row_matches_its_person_through_lineage(warehouse, truth):
    where = lineage(warehouse)
    wrong = []
    rows = warehouse.execute(
        "select response_key, wave_id, instrument_id, scale_id, score from scores"
    ).fetchall()
    for key, wave, instrument, scale, score in rows:
        person, planned_wave, outcome, _ = truth.rows[where[key]]
        expected = truth.person_scores[(person, planned_wave, instrument, scale)]
        same = (score is None and expected is None) or (
            score is not None and expected is not None and abs(score - expected) <= 1e-9
        )
        if wave != planned_wave or outcome != "loaded" or not same:
            wrong.append((where[key], wave, instrument, scale, score, expected))
    assert len(rows) == len(truth.person_scores)
    assert wrong == []


def test_answer_statuses_match_the_truth(warehouse, truth):
    found = {
        (p, w, s): n
        for p, w, s, n in warehouse.execute(
            "select r.programme_id, r.wave_id, i.answer_status, count(*) "
            "from item_responses as i join responses as r using (response_key) group by all"
        ).fetchall()
    }
    dont_know = {k: n for k, n in truth.answer_status.items() if k[2] == "dont_know"}
    assert {k: n for k, n in found.items() if k[2] == "dont_know"} == dont_know
    assert found == truth.answer_status


def test_nothing_identifying_reaches_either_database(published, truth):
    needles = sorted(truth.canaries)
    assert len(needles) > 300
    for name in ("ripple.duckdb", "dashboard.duckdb"):
        with duckdb.connect(str(published / name), read_only=True) as con:
            con.execute("create temp table needles as select unnest(?) as value", [needles])
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
    docs = " ".join(p.read_text(errors="ignore") for p in (published / "data_docs").rglob("*.html"))
    assert [v for v in needles if len(v) >= 6 and v in docs] == []


def test_nothing_identifying_reaches_the_command_output(project, validated, first_run, truth):
    """What `validate`, `run`, `detect` and `detect --columns` print (the logs a user keeps)
    names files, rows and columns, never an identifying value."""
    folder = project[0]
    exports = sorted(str(p) for p in (folder / "exports").iterdir())
    printed = [validated, first_run[1], ripple("detect", *exports)]
    printed.append(ripple("detect", "--columns", *exports))
    text = " ".join(r.stdout + r.stderr for r in printed)
    leaked = [v for v in sorted(truth.canaries) if len(v) >= 6 and v in text]
    assert leaked == []
