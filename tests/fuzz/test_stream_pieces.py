"""Fuzzed exports read piece by piece give what a whole read gives (see
tests/ingest/test_stream.py for the comparison and why detection is fixed for both reads)."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

TESTS = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path):
    key = f"ripple_stream_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


fuzz = _load("fuzz", Path(__file__).with_name("test_fuzz_exports.py"))
same = _load("same", TESTS / "ingest" / "test_stream.py")


LONG = os.environ.get("RIPPLE_FUZZ") == "long"


@settings(max_examples=600 if LONG else 30, deadline=None)
@given(mutant=fuzz.mutants(), chunk_bytes=st.integers(min_value=40, max_value=600))
def test_fuzzed_exports_read_the_same_in_pieces(mutant, chunk_bytes):
    if mutant.export.container != "csv" or mutant.utf16:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(mutant.data)
        same.assert_same(path, chunk_bytes)
