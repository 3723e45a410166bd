"""Shared fixtures: where the real third-party exports live, and the repository's paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "data" / "sample"
INSTRUMENTS_DIR = REPO / "instruments"
REAL_DATA_DIR = Path(
    os.environ.get("RIPPLE_REAL_DATA", REPO.parent / "shared" / "data" / "real")
).resolve()


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real exports (../shared/data/real); tests that need it skip without it."""
    if not REAL_DATA_DIR.is_dir():
        pytest.skip(
            f"real third-party exports not found at {REAL_DATA_DIR} "
            "(set RIPPLE_REAL_DATA to the shared/data/real folder to run this test)"
        )
    return REAL_DATA_DIR


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def instruments_dir() -> Path:
    return INSTRUMENTS_DIR


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR
