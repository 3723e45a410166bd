"""The sample project's dashboard extract, built once per test session by the real pipeline.

`ripple run` on data/sample/ into a folder under pytest's session temp dir (about 10 s), with
a throwaway key; reused by every test that asks for it in the session (the report tests and
the dashboard's browser test).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE_CONFIG = REPO / "data" / "sample" / "ripple.yml"
TEST_KEY = "5a" * 32  # a throwaway pseudonymisation key, for tests only


def sample_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`<session tmp>/ripple-sample/out/dashboard.duckdb`, built on first use."""
    folder = tmp_path_factory.getbasetemp() / "ripple-sample"
    extract = folder / "out" / "dashboard.duckdb"
    if (folder / "done").exists():
        return extract
    folder.mkdir(exist_ok=True)
    env = {**os.environ, "RIPPLE_KEY": TEST_KEY}
    env.pop("RIPPLE_KEY_FILE", None)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-c", str(SAMPLE_CONFIG), "--out",
         str(folder / "out"), "--rebuild"],
        capture_output=True, text=True, env=env, cwd=folder, check=False, timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail(f"ripple run on the sample failed ({result.returncode}):\n{result.stderr}")
    (folder / "done").write_text("ok", encoding="utf-8")
    return extract
