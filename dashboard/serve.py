"""Start the dashboard server: what `ripple dashboard` calls.

`build_command` is pure (easy to test); `serve` prints the address and runs Streamlit with
RIPPLE_DASHBOARD_DB naming the extract, returning Streamlit's exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from dashboard.settings import DB_ENV_VAR

APP_PATH = Path(__file__).resolve().parent / "streamlit_app.py"
_STOP_TIMEOUT_SECONDS = 10


def build_command(db_path: str | Path, host: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """The command line that serves the dashboard headless on host:port.

    `db_path` is not part of the command: `serve` passes it in RIPPLE_DASHBOARD_DB (see
    `build_env`). Usage statistics are off; error details (tracebacks, which could show
    paths or data) are hidden from viewers ("none" is Streamlit 1.67's spelling of the
    deprecated `false`); developer menu items and data-export buttons are hidden.

    Example:
        >>> build_command("out/dashboard.duckdb", port=8600)[1:4]
        ['-m', 'streamlit', 'run']
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_PATH),
        "--server.address",
        host,
        "--server.port",
        str(int(port)),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--client.disableDataExport",
        "true",
    ]


def build_env(db_path: str | Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The server's environment: `base` (default: this process's) plus the extract's
    absolute path in RIPPLE_DASHBOARD_DB."""
    env = dict(os.environ if base is None else base)
    env[DB_ENV_VAR] = str(Path(db_path).expanduser().absolute())
    return env


def url(host: str, port: int) -> str:
    """The address to open in a browser."""
    return f"http://{host}:{int(port)}"


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8501) -> int:
    """Serve the dashboard on the extract at `db_path` until stopped; return the exit code.

    Prints "Ripple dashboard: http://host:port" first. Ctrl+C stops the server and returns 0.
    A missing extract is not an error here: the dashboard itself says to run `ripple run`.
    """
    print(f"Ripple dashboard: {url(host, port)}", flush=True)
    process = subprocess.Popen(build_command(db_path, host, port), env=build_env(db_path))
    try:
        return process.wait()
    except KeyboardInterrupt:
        _stop(process)
        return 0


def _stop(process: subprocess.Popen) -> None:
    """Ask the server to stop (SIGTERM), and kill it if it has not within the timeout."""
    process.terminate()
    try:
        process.wait(timeout=_STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
