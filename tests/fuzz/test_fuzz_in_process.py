"""The export fuzzer in-process: the good exports read whole, then mutants read and mapped
(`read_level`) and validated (`validate_level`); see case_checks.py for what each must do."""

from __future__ import annotations

import tempfile
import types
from pathlib import Path

from hypothesis import given

from pipeline.config import load_config
from pipeline.run import read_source
from tests.fuzz.case_checks import (
    budget,
    check_rows,
    count_of,
    project_folder,
    read_level,
    validate_level,
)
from tests.fuzz.strategies import BASES, Mutant, mutants, record_starts


def test_the_good_exports_are_read_whole(tmp_path):
    """Unmutated, every base export is read and mapped with every response (the fuzzer's
    starting point; the catalogue validates them through the command line)."""
    for number, export in enumerate(BASES):
        mutant = Mutant(export, export.to_bytes(), frozenset(record_starts(export)), ())
        folder = tmp_path / f"{number}_{export.name}"
        folder.mkdir()
        loaded = load_config(project_folder(mutant, folder))
        source = loaded.config.sources[0]
        raw = read_source(source, types.SimpleNamespace(loaded=loaded), str(source.path))
        assert (raw.detection.rows, len(raw.frame)) == (export.responses, export.responses)
        check_rows(mutant, raw, count_of(mutant))


@budget(1.0, 50)
@given(mutant=mutants())
def test_read_level(mutant):
    with tempfile.TemporaryDirectory() as folder:
        read_level(mutant, Path(folder))


@budget(0.15, 12)
@given(mutant=mutants())
def test_validate_level(mutant):
    with tempfile.TemporaryDirectory() as folder:
        validate_level(mutant, Path(folder))
