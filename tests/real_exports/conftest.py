"""The real CLI, once per command for the whole folder (package scope: the commands take most
of its time)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.real_exports.expected import expectations
from tests.real_exports.files import HERE, assert_no_crash, ripple
from tests.real_exports.reading import Expected


@pytest.fixture(scope="package")
def config(real_data, tmp_path_factory) -> Path:
    """tests/real_exports/ripple.yml with the real-data folder and this folder filled in."""
    text = (HERE / "ripple.yml").read_text(encoding="utf-8")
    text = text.replace("{real}", real_data.as_posix()).replace("{here}", HERE.as_posix())
    rendered = tmp_path_factory.mktemp("real_exports") / "ripple.yml"
    rendered.write_text(text, encoding="utf-8")
    return rendered


@pytest.fixture(scope="package")
def detected(real_data) -> dict[str, dict]:
    files = sorted(p for p in real_data.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")
    result = ripple("detect", "--json", *map(str, files))
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    return {Path(d["path"]).relative_to(real_data).as_posix(): d for d in json.loads(result.stdout)}


@pytest.fixture(scope="package")
def validated(config, real_data) -> dict[str, dict]:
    result = ripple("validate", "-c", str(config), "--json")
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr + result.stdout[-2000:]
    summary = json.loads(result.stdout)
    assert summary["ok"] is True
    return {Path(f["file"]).relative_to(real_data).as_posix(): f for f in summary["files"]}


@pytest.fixture(scope="package")
def warehouse(config, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real_exports_out")
    result = ripple("run", "-c", str(config), "--out", str(out), "--json")
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr + result.stdout[-2000:]
    return out / "ripple.duckdb"


@pytest.fixture(scope="package")
def expected(real_data) -> dict[str, Expected]:
    return expectations(real_data)
