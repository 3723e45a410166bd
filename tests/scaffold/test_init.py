"""`ripple init` through the real CLI: on the sample it scaffolds a config that runs unedited
and counts what the committed config counts; on every real export it scaffolds a config that
validates, or says exactly what to fill in."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

KEY = "ab" * 32


def ripple(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RIPPLE_KEY": KEY}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def isolated_copy(sample_dir: Path, folder: Path) -> Path:
    """The committed sample config, its paths made absolute and its output folder moved
    into `folder`: a warehouse left in out/sample by `make demo` (with the demo's key) must
    not decide this test."""
    settings = yaml.safe_load((sample_dir / "ripple.yml").read_text(encoding="utf-8"))
    settings["instruments_dir"] = str((sample_dir / settings["instruments_dir"]).resolve())
    settings["out_dir"] = str(folder / "committed_out")
    for source in settings["sources"]:
        source["path"] = str(sample_dir / source["path"])
    path = folder / "committed.yml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return path


def test_the_sample_scaffold_runs_unedited_with_the_committed_counts(tmp_path, sample_dir):
    config = tmp_path / "ripple.yml"
    exports = sorted(str(p) for p in (sample_dir / "exports").glob("*.csv"))
    made = ripple("init", *exports, "-o", str(config))
    assert made.returncode == 0, made.stderr
    assert "Ready" in made.stderr
    text = config.read_text(encoding="utf-8")
    assert "# not read, possible identifier" in text  # identifiers are dropped, with reasons
    scaffolded = ripple("validate", "-c", str(config), "--json")
    committed = ripple("validate", "-c", str(isolated_copy(sample_dir, tmp_path)), "--json")
    assert scaffolded.returncode == 0, scaffolded.stderr

    def counts(result):
        files = json.loads(result.stdout)["files"]
        keys = ("rows_in", "rows_loaded", "rows_excluded", "rows_quarantined")
        return {Path(f["file"]).name: tuple(f[k] for k in keys) for f in files}

    assert counts(scaffolded) == counts(committed)


def test_init_refuses_to_overwrite_without_force(tmp_path, sample_dir):
    config = tmp_path / "ripple.yml"
    config.write_text("keep me", encoding="utf-8")
    result = ripple("init", str(sample_dir / "exports" / "workplace_pre.csv"), "-o", str(config))
    assert result.returncode == 2 and "--force" in result.stderr
    assert config.read_text(encoding="utf-8") == "keep me"


REAL_SETS = [
    ["qualtRics/sample.csv"],
    ["qualtRics/sample_legacy.csv"],
    ["google-forms-cs50/favorites.csv"],
    ["osmi-mental-health-in-tech/osmi_2016_mental-heath-in-tech-2016_20161114.csv"],
    ["osmi-mental-health-in-tech/osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv"],
    ["REDCapR/longitudinal__data.csv", "REDCapR/longitudinal__dictionary.csv"],
    ["REDCapR/simple__data.csv", "REDCapR/simple__dictionary.csv"],
    ["redcapAPI/TestRedcapAPI_Records.csv", "redcapAPI/TestRedcapAPI_DataDictionary.csv"],
    [
        "surveymonkey-api/api.surveymonkey.net__v3__surveys__318754279__responses__bulk-eda25e.json",
        "surveymonkey-api/api.surveymonkey.com__v3__surveys__318754279__details.json",
    ],
]


@pytest.mark.parametrize("names", REAL_SETS, ids=lambda names: names[0].split("/")[-1])
def test_every_real_export_scaffolds_or_says_what_to_fill_in(tmp_path, real_data, names):
    config = tmp_path / "ripple.yml"
    result = ripple("init", *(str(real_data / n) for n in names), "-o", str(config))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert config.exists()
    if result.returncode == 0:
        assert ripple("validate", "-c", str(config)).returncode in (0, 1)
        return
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert lines, result.stderr
    # every problem names the key to fill in
    assert all(
        line[4:].split(" ")[0].split(".")[0] in {"sources", "programmes", "surveys"}
        or ": cannot be read" in line
        for line in lines
    ), lines
