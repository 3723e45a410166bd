"""pipeline.config: ripple.yml is validated, and every error names the file and the key."""

from pathlib import Path

import pytest
import yaml

from pipeline.config import check_against_instruments, load_config
from pipeline.errors import ConfigError
from pipeline.instruments import load_instruments

MINIMAL = {
    "project": "Test",
    "waves": [{"id": "pre", "label": "Before"}, {"id": "post", "label": "After"}],
    "programmes": [
        {
            "id": "workshop",
            "name": "Workshop",
            "approach": "contact-based",
            "audience": "adults",
            "instruments": ["ribs"],
            "cohorts": [{"id": "C1", "site": "Leeds", "date": "2025-01-14"}],
        }
    ],
    "surveys": {
        "qx": {
            "format": "qualtrics",
            "values": "codes",
            "response_id": "_recordId",
            "submitted_at": "recordedDate",
            "cohort": "cohort",
            "sgic": [
                {"column": "QID2", "name": "mother_initial", "kind": "letter"},
                {"column": "QID3", "name": "birth_month", "kind": "month"},
            ],
            "items": {"QID5_1": "ribs_05", "QID5_2": "ribs_06"},
        }
    },
    "sources": [{"path": "pre.csv", "survey": "qx", "programme": "workshop", "wave": "pre"}],
}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "ripple.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_minimal_config_loads_with_its_hash_and_resolves_paths(tmp_path):
    loaded = load_config(write(tmp_path, MINIMAL))
    assert loaded.config.baseline_wave == "pre"
    assert loaded.config.min_cell_size == 10
    assert loaded.resolve(Path("pre.csv")) == (tmp_path / "pre.csv").resolve()
    assert len(loaded.sha256) == 64


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["sources"][0].update(programme="nope"),
            "sources.0.programme: unknown programme 'nope'",
        ),
        (lambda d: d["sources"][0].update(wave="later"), "sources.0.wave: unknown wave 'later'"),
        (lambda d: d["sources"][0].update(survey="nope"), "unknown survey 'nope'"),
        (lambda d: d.update(min_cell_size=3), "min_cell_size"),
        (lambda d: d.update(colour="blue"), "colour: Extra inputs are not permitted"),
        (
            lambda d: d["surveys"]["qx"]["items"].update(cohort="ribs_07"),
            "columns mapped more than once",
        ),
        (
            lambda d: d["programmes"][0]["cohorts"].append(d["programmes"][0]["cohorts"][0]),
            "cohort id twice",
        ),
    ],
)
def test_mistakes_are_named_with_file_and_key(tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_unreadable_and_invalid_yaml_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "absent.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("project: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)


def test_items_must_belong_to_the_programme_instruments(tmp_path, instruments_dir):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    data["surveys"]["qx"]["items"]["QID6_1"] = "maks_01"
    data["surveys"]["qx"]["items"]["QID6_2"] = "nope_01"
    loaded = load_config(write(tmp_path, data))
    with pytest.raises(ConfigError) as caught:
        check_against_instruments(loaded, load_instruments(instruments_dir))
    assert "unknown item 'nope_01'" in str(caught.value)
    assert "maps items of ['maks']" in str(caught.value)


def _with(change) -> dict:
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    change(data)
    return data


def test_the_extended_contract_says_what_real_projects_need(tmp_path):
    def extend(d):
        survey = d["surveys"]["qx"]
        survey.update(
            format="redcap",
            values="codes",
            response_id=["record_id", "redcap_event_name"],
            participant_id="record_id",
            submitted_at=None,
            month_from="visit_date",
            cohort={"column": "site_session"},
            wave={
                "column": "redcap_event_name",
                "values": {"baseline_arm_1": "pre", "week_6_arm_1": "post"},
                "other": "exclude",
            },
            sgic=[],
            codes={"dont_know": [9], "missing": [-99, 99]},
            item_codes={"ribs_05": {"missing": ["8"]}},
            labels={"ribs": {"D'accord": 4, "NSP": "dont_know"}},
        )
        d["sources"][0].pop("wave")
        d["sources"][0].update(encoding="cp1252", delimiter=";", header_rows=1, date_order="dmy")
        d["limits"] = {"max_rows": 1000}

    loaded = load_config(write(tmp_path, _with(extend)))
    survey = loaded.config.surveys["qx"]
    assert survey.codes.missing == ["-99", "99"] and survey.codes.dont_know == ["9"]
    assert survey.codes_for("ribs_05", "ribs").missing == ["-99", "8", "99"]
    assert survey.labels_for("ribs_05", "ribs")["NSP"] == "dont_know"
    assert survey.cohort_rule.column == "site_session"
    assert loaded.config.limits.max_rows == 1000
    # the participant id is also part of the response id; it is read once
    assert survey.used_columns().count("record_id") == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["sources"][0].pop("wave"), "sources.0.wave: give the file's wave"),
        (
            lambda d: d["surveys"]["qx"].update(cohort=None),
            "sources.0.cohort: give the file's cohort, or a cohort rule",
        ),
        (
            lambda d: d["sources"][0].update(cohort="C9"),
            "sources.0.cohort: 'C9' is not a cohort of programme 'workshop'",
        ),
        (
            lambda d: d["surveys"]["qx"].update(wave={"column": "w", "values": {"a": "later"}}),
            "surveys.qx: unknown wave(s) ['later']",
        ),
        (
            lambda d: d["surveys"]["qx"].update(sgic=[]),
            "give 'participant_id' (a platform id) or 'sgic'",
        ),
        (
            lambda d: d["surveys"]["qx"].update(codes={"missing": ["9"], "dont_know": ["9"]}),
            "both missing and dont_know",
        ),
        (
            lambda d: d["surveys"]["qx"].update(
                cohort={"nearest_session": {"window_days": 7}}, submitted_at=None
            ),
            "nearest_session needs 'submitted_at'",
        ),
        (
            lambda d: d["surveys"]["qx"].update(cohort={"column": "c", "nearest_session": None}),
            None,
        ),
    ],
)
def test_extended_mistakes_are_named(tmp_path, change, message):
    path = write(tmp_path, _with(change))
    if message is None:
        load_config(path)
        return
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)


def test_survey_labels_must_name_instruments_and_fit_their_codes(tmp_path, instruments_dir):
    data = _with(lambda d: d["surveys"]["qx"].update(labels={"ribs": {"Top": 9}, "nope": {}}))
    loaded = load_config(write(tmp_path, data))
    with pytest.raises(ConfigError) as caught:
        check_against_instruments(loaded, load_instruments(instruments_dir))
    assert "labels.ribs.Top: code 9 is outside ribs's codes 1-5" in str(caught.value)
    assert "labels.nope: not an instrument or item id" in str(caught.value)
