"""End to end through `ripple validate`: a Google Forms checkbox and SurveyMonkey's expanded
layout (tests/fixtures/choices/make_choices.py, which knows every outcome), then the same
files through the mapping to check the code each answer gets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.ingest.mapping import code_export
from pipeline.ingest.readers import ReadOptions, read_export
from pipeline.instruments import load_project_instruments
from tests.loading import load_module

GENERATOR = Path(__file__).resolve().parents[1] / "fixtures" / "choices" / "make_choices.py"
TEST_KEY = "3c" * 32


def generator():
    return load_module("ripple_choices_fixture", GENERATOR)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("choices")
    return folder, generator().generate(folder)


@pytest.fixture(scope="module")
def validated(project) -> dict:
    folder, _ = project
    script = Path(sys.executable).with_name("ripple")
    result = subprocess.run(
        [str(script), "validate", "-c", str(folder / "ripple.yml"), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RIPPLE_KEY": TEST_KEY, "RIPPLE_KEY_FILE": ""},
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return {f["file"]: f for f in json.loads(result.stdout)["files"]}


@pytest.mark.parametrize(
    "path", ["forms_pre.csv", "surveymonkey_post.csv", "surveymonkey_post.xlsx"]
)
def test_validate_counts_each_file_as_generated(project, validated, path):
    truth = project[1][path]
    found = validated[path]
    assert (found["status"], found["error"]) == ("loaded", None)
    assert (found["rows_in"], found["rows_loaded"]) == (truth.rows_in, truth.rows_loaded)
    assert found["quarantined_by_reason"] == truth.quarantined_by_reason
    assert found["excluded_by_reason"] == {}


def test_validate_reports_the_rows_it_could_not_read_as_one_answer(validated):
    forms = " ".join(validated["forms_pre.csv"]["warnings"])
    assert "checkbox_unknown_option: column 'Who have you talked to" in forms
    assert "1 row (row 6)" in forms and "My dog" not in forms
    for path in ("surveymonkey_post.csv", "surveymonkey_post.xlsx"):
        monkey = " ".join(validated[path]["warnings"])
        assert "more_than_one_option: item 'In the future, I would be willing to live" in monkey
        assert "option_columns: 2 item(s) read from one column per option" in monkey
        assert "columns_not_read" not in monkey  # every option column counts as read


@pytest.mark.parametrize(
    "path", ["forms_pre.csv", "surveymonkey_post.csv", "surveymonkey_post.xlsx"]
)
def test_every_loaded_answer_gets_the_planned_code(project, path):
    folder, truth = project
    loaded = load_config(folder / "ripple.yml")
    config = loaded.config
    source = next(s for s in config.sources if str(s.path) == path)
    instruments = load_project_instruments(loaded)
    raw = read_export(folder / path, ReadOptions())
    coded = code_export(
        raw,
        config.surveys[source.survey],
        source,
        config.programme(source.programme),
        instruments,
        path,
    )
    for row, codes in truth[path].codes.items():
        got = {item: coded.frame.loc[row, item] for item in codes}
        assert got == {i: None if c is None else str(c) for i, c in codes.items()}, row
