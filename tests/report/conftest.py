"""Fixtures for the funders' report tests: synthetic version-2 extracts (normal, tiny groups,
and a faulty one that shows small groups), the reports written from them, and the sample
project's extract from the real pipeline."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GENERATED = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
CHROMIUM = Path("/usr/bin/chromium")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"report_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


extract_v2 = _load("extract_v2")
sample = _load("sample_extract")

#: Counts that a faulty extract shows although they are small (the report must hide them).
LEAKED_PAIRS = 4
LEAKED_REACH = 7


def _leak(rows: dict[str, list[dict]]) -> None:
    """Make the extract faulty: a cohort's change and a cohort's reach shown with small n."""
    for row in rows["paired_stats"]:
        if row["level"] == "cohort" and row["hidden_reason"] == extract_v2.TOO_FEW:
            donor = next(
                r for r in rows["paired_stats"]
                if r["level"] == "cohort" and r["hidden_reason"] is None
                and r["scale_id"] == row["scale_id"] and r["to_wave"] == row["to_wave"]
            )  # fmt: skip
            for column in extract_v2.PAIRED_STAT_COLUMNS:
                row[column] = donor[column]
            row["n_pairs"] = LEAKED_PAIRS
            row["hidden_reason"] = None
    for row in rows["reach"]:
        if row["level"] == "cohort" and row["hidden_reason"] is not None:
            row["n"] = LEAKED_REACH
            row["hidden_reason"] = None


@pytest.fixture(scope="session")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Synthetic extracts by name: default, tiny (every group small), leaky (faulty)."""
    folder = tmp_path_factory.mktemp("extracts")
    return {
        "default": extract_v2.write_extract(folder / "default.duckdb"),
        "tiny": extract_v2.write_extract(folder / "tiny.duckdb", tiny=True),
        "leaky": extract_v2.write_extract(folder / "leaky.duckdb", edit=_leak),
    }


@pytest.fixture(scope="session")
def reports(extracts: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The HTML report of each synthetic extract: name -> (path, text)."""
    from pipeline.funders_report import write_report

    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for name, extract in extracts.items():
        written = write_report(extract, folder / f"{name}.html", generated=GENERATED)
        out[name] = (written.path, written.path.read_text(encoding="utf-8"))
    return out


@pytest.fixture
def extract(extracts: dict[str, Path], tmp_path: Path) -> Path:
    """A fresh copy of the default synthetic extract."""
    return Path(shutil.copy2(extracts["default"], tmp_path / "dashboard.duckdb"))


@pytest.fixture(scope="session")
def sample_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project's extract, from `ripple run` (once per session)."""
    return sample.sample_extract(tmp_path_factory)
