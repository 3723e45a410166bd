"""The reader's fast (pandas) and exact (csv module) paths agree; detection and reading agree;
a large file reads quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.ingest import detect, read_export
from pipeline.ingest.detect import inspect
from pipeline.ingest.readers import exact_values, fast_values, split_records
from tests.ingest.reader_checks import REAL_FILES

READABLE_FIXTURES = [
    "bom_utf8.csv",
    "cp1252.csv",
    "utf16_tab.tsv",
    "semicolon.csv",
    "ragged.csv",
    "header_only.csv",
    "multiline.csv",
    "crlf.csv",
    "qualtrics_choice_ids.csv",
    "qualtrics_utf16.tsv",
    "real/sample.csv",
    "real/sample_legacy.csv",
]


# --- The fast and exact paths agree --------------------------------------------------------------


@pytest.mark.parametrize("name", READABLE_FIXTURES)
def test_fast_and_exact_paths_agree_on_fixtures(name: str, fixtures: Path) -> None:
    ins = inspect(fixtures / name)
    good, _ = split_records(ins)
    if not good:
        return
    fast = fast_values(ins, good)
    assert fast is not None
    assert fast.tolist() == exact_values(ins, good).tolist()


def test_fast_and_exact_paths_agree_on_real_files(real_data: Path) -> None:
    for name in REAL_FILES:
        ins = inspect(real_data / name)
        good, _ = split_records(ins)
        fast = fast_values(ins, good)
        assert fast is not None, name
        assert fast.tolist() == exact_values(ins, good).tolist(), name


def test_exact_path_is_used_when_pandas_disagrees(write) -> None:
    # pandas skips the whitespace-only line that the csv module reads as a record
    ins = inspect(write("t.csv", "name\nA\n  \nB\n"))
    good, _ = split_records(ins)
    assert fast_values(ins, good) is None
    assert exact_values(ins, good).ravel().tolist() == ["A", "  ", "B"]


def test_ragged_file_is_read_by_the_fast_path(fixtures: Path) -> None:
    ins = inspect(fixtures / "ragged.csv")
    good, _ = split_records(ins)
    assert fast_values(ins, good).tolist() == exact_values(ins, good).tolist()


# --- Fixtures and speed ---------------------------------------------------------------------------


def test_detect_and_read_agree(fixtures: Path) -> None:
    for name in READABLE_FIXTURES:
        assert read_export(fixtures / name).detection == detect(fixtures / name)


def test_twenty_thousand_rows_read_quickly(tmp_path: Path) -> None:
    header = ",".join(f"Q{i}" for i in range(60))
    row = ",".join(str(i % 5 + 1) for i in range(59)) + ',"free, text"'
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n" + "\n".join([row] * 20_000) + "\n", encoding="utf-8")
    start = time.perf_counter()
    raw = read_export(path)
    elapsed = time.perf_counter() - start
    assert raw.frame.shape == (20_000, 60)
    assert raw.frame.index[-1] == 20_001
    assert elapsed < 5  # about 0.15 s on a laptop; catches accidental quadratic behaviour
