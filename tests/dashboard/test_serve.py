"""serve.py: the Streamlit command line and the server wrapper `ripple dashboard` calls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from dashboard import serve
from dashboard.settings import DB_ENV_VAR


def options(command: list[str]) -> dict[str, str]:
    """The command's --name value pairs."""
    flags = command[5:]
    return dict(zip(flags[::2], flags[1::2], strict=True))


def test_build_command_runs_the_app_headless_on_loopback() -> None:
    """Defaults: this Python, streamlit run on the app file, 127.0.0.1:8501, headless."""
    command = serve.build_command("out/dashboard.duckdb")
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    app = Path(command[4])
    assert app.is_file() and app.parts[-2:] == ("dashboard", "streamlit_app.py")
    assert options(command) == {
        "--server.address": "127.0.0.1",
        "--server.port": "8501",
        "--server.headless": "true",
        "--browser.gatherUsageStats": "false",
        "--client.showErrorDetails": "none",
        "--client.toolbarMode": "viewer",
        "--client.disableDataExport": "true",
    }


def test_build_command_takes_host_and_port() -> None:
    """Host and port are passed through (the port as a number)."""
    chosen = options(serve.build_command("x.duckdb", host="0.0.0.0", port=9000))
    assert chosen["--server.address"] == "0.0.0.0"
    assert chosen["--server.port"] == "9000"


def test_build_env_names_the_extract_by_absolute_path(tmp_path: Path) -> None:
    """The extract reaches the app as an absolute RIPPLE_DASHBOARD_DB; the rest is kept."""
    env = serve.build_env("out/dashboard.duckdb", base={"PATH": "/bin"})
    assert env == {"PATH": "/bin", DB_ENV_VAR: str(Path.cwd() / "out" / "dashboard.duckdb")}


class FakeProcess:
    """A stand-in for subprocess.Popen that records how it was started."""

    started: ClassVar[list[tuple[list[str], dict]]] = []

    def __init__(self, command, env, exit_code=3, interrupt=False) -> None:
        FakeProcess.started.append((command, env))
        self.exit_code, self.interrupt, self.terminated = exit_code, interrupt, False

    def wait(self, timeout=None) -> int:
        if self.interrupt and not self.terminated:
            raise KeyboardInterrupt
        return self.exit_code

    def terminate(self) -> None:
        self.terminated = True


def test_serve_prints_the_address_and_returns_the_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    """serve() prints the URL, starts Streamlit with the extract in the env, returns its code."""
    FakeProcess.started.clear()
    monkeypatch.setattr(subprocess, "Popen", FakeProcess)
    extract = tmp_path / "dashboard.duckdb"
    assert serve.serve(extract, host="127.0.0.1", port=8600) == 3
    assert capsys.readouterr().out == "Ripple dashboard: http://127.0.0.1:8600\n"
    ((command, env),) = FakeProcess.started
    assert command == serve.build_command(extract, "127.0.0.1", 8600)
    assert env[DB_ENV_VAR] == str(extract)


def test_ctrl_c_stops_the_server_and_returns_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+C terminates Streamlit and counts as a clean stop."""
    processes = []

    def popen(command, env):
        processes.append(FakeProcess(command, env, interrupt=True))
        return processes[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    assert serve.serve("dashboard.duckdb") == 0
    assert processes[0].terminated
