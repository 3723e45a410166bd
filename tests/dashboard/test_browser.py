"""End to end in a real browser: `ripple dashboard` on a free loopback port, serving the sample
project's extract (built by `ripple run` in a temp folder), driven by Debian's chromium
through Playwright (the system browser at /usr/bin/chromium; no `playwright install`).

The test holds the dashboard to its contract rather than to a layout, so it keeps passing
while the pages change: every page named in the navigation loads without an error; no request
leaves localhost; the headline numbers (the Overview's metrics) equal the extract's, for every
programme and after changing the filters, and a shared link (the URL's query parameters)
shows the same view; no page shows a count of 1 to 9 people; the headline numbers are not cut
off at 800 px. Screenshots of every page at 1366x900 and 800x900 go to
test-artifacts/screenshots/ (git-ignored) for people to look at.

Skipped, saying why, where the browser or Playwright is missing; CI installs chromium.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from tests.dashboard.browser_headlines import assert_headlines, programmes_and_sites
from tests.dashboard.browser_pages import (
    Recorder,
    choose,
    cut_off,
    nav_labels,
    open_page,
    page_problems,
    settle,
    slug,
    small_counts,
)
from tests.loading import load_module

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
VIEWPORTS = {"1366x900": (1366, 900), "800x900": (800, 900)}
#: The pages issue 9 asks for, by their navigation labels.
PAGES = ("Overview", "Programmes compared", "Over time", "Items", "Data quality and method")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) "
        "to run the browser test",
    ),
]


def _sample_module():
    return load_module("report_sample_extract", REPO / "tests" / "report" / "sample_extract.py")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Poll Streamlit's health endpoint until it answers, or fail with the server's log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ripple dashboard exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"ripple dashboard did not answer at {url} within {seconds} s")


def _stop(process: subprocess.Popen) -> None:
    """Ctrl+C to `ripple dashboard` (it stops Streamlit), then make sure its group is gone."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # the group this test started, nothing else


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project's dashboard extract, from the real pipeline."""
    extract = _sample_module().sample_extract(tmp_path_factory)
    con = duckdb.connect(str(extract), read_only=True)
    try:
        rows = con.execute("select count(*) from paired_stats").fetchone()[0]
    finally:
        con.close()
    assert rows, "the sample's extract has no paired_stats rows"
    return extract


@pytest.fixture(scope="module")
def server(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`ripple dashboard --db <sample extract>` on a free port; yields its URL."""
    folder = tmp_path_factory.mktemp("dashboard")
    port = free_port()
    log_path = folder / "dashboard.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline",
                "dashboard",
                "--db",
                str(sample),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, process, log_path)
            yield url
        finally:
            _stop(process)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


# ------------------------------------------------------------------ the tests


def test_every_page_loads_on_localhost_only_with_screenshots(browser, server: str) -> None:
    """Every page in the navigation loads without an error, at 1366 and 800 px wide; no
    request leaves this machine; no page shows a count of 1-9 people; the headline numbers
    fit at 800 px. Screenshots of each page go to test-artifacts/screenshots/<size>/."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    recorder = Recorder(page)
    problems: list[str] = []  # every page is visited and photographed before failing
    try:
        page.goto(server)
        settle(page)
        labels = nav_labels(page)
        assert set(PAGES) <= set(labels), f"navigation shows {labels}"
        for size in VIEWPORTS:
            (SCREENSHOTS / size).mkdir(parents=True, exist_ok=True)
        for label in labels:
            open_page(page, label)
            problems += page_problems(page, label)
            problems += [
                f"{label}: shows a small group: {c!r}"
                for c in small_counts(page.inner_text("body"))
            ]
            page.screenshot(path=str(SCREENSHOTS / "1366x900" / f"{slug(label)}.png"))
            problems += [f"{label} at 1366 px: cut off: {v!r}" for v in cut_off(page)]
            page.set_viewport_size({"width": 800, "height": 900})
            page.wait_for_timeout(600)  # reflow and chart resize
            problems += page_problems(page, f"{label} at 800 px")
            problems += [f"{label} at 800 px: cut off: {v!r}" for v in cut_off(page)]
            page.screenshot(path=str(SCREENSHOTS / "800x900" / f"{slug(label)}.png"))
            page.set_viewport_size({"width": 1366, "height": 900})
        problems += [f"request outside localhost: {url}" for url in recorder.outside()]
        problems += [f"script error: {error}" for error in recorder.errors]
    finally:
        page.close()
    assert problems == [], "\n".join(problems)


def test_headline_numbers_follow_the_filters_and_the_shared_link(
    browser, server: str, sample: Path
) -> None:
    """For every programme, then a site of one, the Overview's metrics equal the extract's;
    the URL keeps the filters, and opening it shows the same numbers."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    recorder = Recorder(page)
    try:
        page.goto(server)
        settle(page)
        groups = programmes_and_sites(sample)
        for pid, name, _sites in groups:
            choose(page, "Programme", name)
            assert page.locator("h1").first.inner_text().strip() == name
            assert parse_qs(urlsplit(page.url).query).get("programme") == [pid]
            assert_headlines(page, sample, pid, None)
        pid, name, sites = max(groups, key=lambda g: len(g[2]))
        choose(page, "Programme", name)
        choose(page, "Site", sites[0])
        assert page_problems(page, f"{name}, site {sites[0]}") == []
        assert_headlines(page, sample, pid, sites[0])
        query = parse_qs(urlsplit(page.url).query)
        assert query.get("programme") == [pid] and query.get("site") == [sites[0]]
        shared = browser.new_page(viewport={"width": 1366, "height": 900})
        try:
            Recorder(shared)
            shared.goto(page.url)
            settle(shared)
            assert_headlines(shared, sample, pid, sites[0])
        finally:
            shared.close()
        assert recorder.outside() == []
    finally:
        page.close()
