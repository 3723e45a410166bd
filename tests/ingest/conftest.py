"""Paths and helpers for the ingest tests."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

# Committed: make_fixtures.py (which generates the synthetic fixtures) and real/ (two
# MIT-licensed Qualtrics exports, copied byte for byte).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def generated_fixtures() -> dict[str, bytes]:
    """The synthetic fixtures, name -> bytes, as make_fixtures.py writes them."""
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fixtures()


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
