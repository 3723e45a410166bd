"""Fixtures for the dashboard tests: small, realistic version-2 dashboard extracts, built by
tests/fixtures/extract/for_dashboard (the project, its hidden cells and the hostile extract
of the privacy test).

`tiny_tables` and `CANARY_TEXTS` stay importable from here: test_privacy.py loads this file
for them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dashboard import queries
from dashboard.settings import DB_ENV_VAR
from tests.fixtures.extract.for_dashboard import (  # noqa: F401  (re-exported, see above)
    CANARY_TEXTS,
    default_tables,
    tiny_tables,
    write_extract,
)


@pytest.fixture(autouse=True)
def _fresh_query_cache() -> None:
    """Each test starts with an empty query cache."""
    queries.clear_cache()


@pytest.fixture
def extract_tables() -> dict[str, list[dict[str, Any]]]:
    """The default extract's rows, per table (tests may edit them and write them)."""
    return default_tables()


@pytest.fixture
def make_extract(tmp_path: Path) -> Callable[..., Path]:
    """Factory: make_extract(name="dashboard.duckdb", tables=None) -> path of a new extract."""

    def make(name: str = "dashboard.duckdb", tables: dict[str, Any] | None = None) -> Path:
        return write_extract(tmp_path / name, tables)

    return make


@pytest.fixture(scope="session")
def _default_extract_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default extract, built once per session (tests get their own copy)."""
    return write_extract(tmp_path_factory.mktemp("template") / "dashboard.duckdb")


@pytest.fixture
def extract(_default_extract_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the default test extract (three programmes, some cells hidden)."""
    return Path(shutil.copy2(_default_extract_file, tmp_path / "dashboard.duckdb"))


@pytest.fixture
def extract_env(extract: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default extract, named by RIPPLE_DASHBOARD_DB for the app."""
    monkeypatch.setenv(DB_ENV_VAR, str(extract))
    return extract
