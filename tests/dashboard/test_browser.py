"""End to end: `streamlit run` headless on a free loopback port, driven by Debian's chromium.

Uses the system browser at /usr/bin/chromium through Playwright (no `playwright install`).
Skipped, saying why, where that browser or Playwright is missing; CI installs chromium.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) "
        "to run the browser test",
    ),
]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    """Poll Streamlit's health endpoint until it answers, or fail with the server's log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"streamlit did not answer at {url} within {seconds} s")


@pytest.fixture
def server(extract: Path, tmp_path: Path) -> Iterator[str]:
    """The dashboard served on the fixture extract; yields its URL."""
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(
        serve.build_command(extract, "127.0.0.1", port),
        env=serve.build_env(extract),
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = serve.url("127.0.0.1", port)
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_overview_then_about_in_a_real_browser(server: str, tmp_path: Path) -> None:
    """The Overview shows a headline and a Plotly chart; the About link opens About."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.goto(server)
            headline = "General belongingness (GBS): average score rose from 52.3 to 55.7"
            page.get_by_text(headline).first.wait_for(timeout=TIMEOUT_MS)
            page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT_MS)
            page.get_by_role("link", name="About").click()
            page.get_by_text("About these numbers").wait_for(timeout=TIMEOUT_MS)
            page.screenshot(path=str(tmp_path / "about.png"))
        finally:
            browser.close()
