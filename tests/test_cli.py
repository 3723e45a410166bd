"""pipeline.cli: every command documented with an example; errors become exit codes and clear
messages, never tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)
QUALTRICS_FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "real" / "sample.csv"


def ripple(*args: str, **env: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("ripple")
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, timeout=120, env={**os.environ, **env}
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_the_contract_commands_exist():
    assert {"detect", "validate", "run", "dashboard", "schema", "keygen"} <= set(COMMANDS)


def test_detect_describes_an_export_as_json():
    result = runner.invoke(app, ["detect", str(QUALTRICS_FIXTURE), "--json"])
    assert result.exit_code == 0
    (described,) = json.loads(result.output)
    assert (described["format"], described["header_rows"], described["rows"]) == ("qualtrics", 3, 1)


def test_schema_lists_every_documented_relation():
    result = runner.invoke(app, ["schema", "--json"])
    relations = {r["name"]: r for r in json.loads(result.output)}
    assert {"responses", "scores", "mart_paired_change", "landing.responses"} <= set(relations)
    assert all(c["comment"] for r in relations.values() for c in r["columns"])


def test_keygen_creates_a_usable_key(tmp_path):
    path = tmp_path / "programme.key"
    result = ripple("keygen", "-o", str(path))
    assert result.returncode == 0 and path.exists()
    assert str(path) in result.stderr and path.read_text().strip() not in result.stderr


def test_a_bad_config_exits_2_naming_the_file(tmp_path):
    config = tmp_path / "ripple.yml"
    config.write_text("project: x\nwaves: []\n", encoding="utf-8")
    result = ripple("validate", "-c", str(config), RIPPLE_KEY="ab" * 32)
    assert result.returncode == 2
    assert str(config) in result.stderr and "Traceback" not in result.stderr


def test_usage_errors_exit_2():
    assert ripple("run", "--no-such-option").returncode == 2


def test_an_unreadable_export_exits_1_with_its_reason(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = ripple("detect", str(empty))
    assert result.returncode == 1
    assert "empty_file" in result.stderr and "Traceback" not in result.stderr
