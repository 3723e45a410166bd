"""A whole `ripple validate` run of the mixed-format project gives the same report when every
delimited export is read piece by piece (`limits.stream_above_bytes` set to 1 byte, pieces of
1 KiB) as when each is read whole: the same files, rows, exclusions, quarantines, warnings."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipeline.config import load_config
from pipeline.keys import parse_key
from pipeline.run import validate_project
from tests.test_mixed_formats import TEST_KEY, generator

VOLATILE = {"run_id", "started_at", "finished_at", "seconds", "outputs"}


def summary(config: Path) -> dict:
    report = validate_project(
        load_config(config), parse_key(TEST_KEY, "test"), config.parent / "out"
    )
    return {k: v for k, v in report.summary().items() if k not in VOLATILE}


def test_streamed_reads_give_the_same_validation(tmp_path):
    make = generator()
    make.generate(tmp_path)
    config = tmp_path / make.CONFIG_NAME
    whole = summary(config)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    pieces = {"stream_above_bytes": 1, "chunk_bytes": 1024}
    settings["limits"] = {**settings.get("limits", {}), **pieces}
    streamed_config = tmp_path / "streamed.yml"
    streamed_config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    loaded = load_config(streamed_config)
    assert loaded.config.limits.chunk_bytes == 1024
    assert summary(streamed_config) == whole
    assert sum(f["rows_in"] for f in whole["files"]) > 200
