"""`bench/dashboard_bench.py`, step 4: each page rendered in a real browser, `ripple dashboard`
on a loopback port and Debian's chromium through Playwright."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@contextlib.contextmanager
def dashboard_server(extract: Path) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "dashboard", "--db", str(extract), "--host",
         "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"ripple dashboard did not start; see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def _settled(page) -> None:
    """The script has finished and every chart on the page is drawn."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')]
            .every(p => p.querySelector('.main-svg'))""",
        timeout=120_000,
    )


def measure_browser(extract: Path, repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with dashboard_server(extract) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            start = time.perf_counter()
            page.goto(url)
            page.get_by_test_id("stSidebarNavLink").first.wait_for(timeout=120_000)
            _settled(page)
            first_load = (time.perf_counter() - start) * 1000
            links = page.get_by_test_id("stSidebarNavLink")
            titles = [t.strip().splitlines()[-1].strip() for t in links.all_inner_texts()]
            times: dict[str, list[float]] = {title: [] for title in titles}
            for _ in range(repeat + 1):
                for index, title in enumerate(titles):
                    if index == 0 and not times[title]:  # open another page first
                        links.nth(len(titles) - 1).click()
                        _settled(page)
                    start = time.perf_counter()
                    links.nth(index).click()
                    page.wait_for_timeout(50)  # the click starts a script run
                    _settled(page)
                    times[title].append((time.perf_counter() - start) * 1000)
            for title, values in times.items():
                results.append({
                    "page": title, "first_visit_ms": round(values[0]),
                    "median_ms": round(statistics.median(values[1:] or values)),
                })  # fmt: skip
            results.insert(0, {"page": "(app opened)", "first_visit_ms": round(first_load),
                               "median_ms": None})  # fmt: skip
        finally:
            browser.close()
    return results
