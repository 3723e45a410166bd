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
