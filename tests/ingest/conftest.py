"""Paths and helpers for the ingest tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.loading import load_module

# Committed: make_fixtures.py (which generates the synthetic fixtures) and real/ (two
# MIT-licensed Qualtrics exports, copied byte for byte).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def generated_fixtures() -> dict[str, bytes]:
    """The synthetic fixtures, name -> bytes, as make_fixtures.py writes them."""
    return load_module("ripple_ingest_fixtures", FIXTURES / "make_fixtures.py").fixtures()


@pytest.fixture(scope="session")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the synthetic fixtures, generated for this test session (not committed),
    beside a copy of the committed real/ exports."""
    folder = tmp_path_factory.mktemp("ingest-fixtures")
    for name, data in generated_fixtures().items():
        (folder / name).write_bytes(data)
    shutil.copytree(FIXTURES / "real", folder / "real")
    return folder


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    """Write bytes (or UTF-8 text) to a file under tmp_path and return its path."""

    def _write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write


def check_export(raw) -> None:
    """The reader's contract for any file type: strings only, keyed columns, row-number
    index, nothing lost, header rows never read as responses."""
    frame = raw.frame
    assert len(frame) + len(raw.problems) == raw.detection.rows
    assert list(frame.columns) == raw.keys
    assert len(raw.keys) == len(raw.names) == len(raw.labels) == raw.detection.columns
    assert frame.index.name == "source_row_number"
    assert frame.index.dtype == np.int64
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert all(dtype == np.dtype(object) for dtype in frame.dtypes)
    assert all(type(v) is str for v in frame.to_numpy().ravel())
    assert len(set(raw.keys)) == len(raw.keys)
    if len(frame):
        assert frame.index[0] == raw.detection.first_data_row
        assert frame.index[0] >= raw.detection.header_rows + 1


@pytest.fixture
def well_formed() -> Callable:
    """`check_export`, for test modules (conftest functions are not importable)."""
    return check_export


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (cells keep their Python types) to an .xlsx with openpyxl; one sheet per
    `sheets` item, or `rows` as the only sheet. Cells given as (row, column, value) in
    `cells` are set after the rows (e.g. to leave leading rows empty)."""
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    def _workbook(
        name: str,
        rows: list[list] | None = None,
        *,
        sheets: dict[str, list[list]] | None = None,
        cells: list[tuple[int, int, object]] = (),
        mac_1904: bool = False,
    ) -> Path:
        book = openpyxl.Workbook()
        if mac_1904:
            book.epoch = CALENDAR_MAC_1904
        book.remove(book.active)
        for title, content in (sheets or {"Sheet1": rows or []}).items():
            sheet = book.create_sheet(title)
            for row in content:
                sheet.append(row)
        for row, column, value in cells:
            book.worksheets[0].cell(row=row, column=column, value=value)
        path = tmp_path / name
        book.save(path)
        return path

    return _workbook
