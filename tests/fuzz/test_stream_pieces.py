"""Fuzzed exports read piece by piece give what a whole read gives (see
tests/ingest/test_stream.py for the comparison and why detection is fixed for both reads)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import mutants
from tests.loading import load_module

TESTS = Path(__file__).resolve().parents[1]

same = load_module("ripple_ingest_test_stream", TESTS / "ingest" / "test_stream.py")


LONG = os.environ.get("RIPPLE_FUZZ") == "long"


@settings(max_examples=600 if LONG else 30, deadline=None)
@given(mutant=mutants(), chunk_bytes=st.integers(min_value=40, max_value=600))
def test_fuzzed_exports_read_the_same_in_pieces(mutant, chunk_bytes):
    if mutant.export.container != "csv" or mutant.utf16:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(mutant.data)
        same.assert_same(path, chunk_bytes)
