"""Driving and reading the dashboard's pages in a real browser (Playwright page objects), for
test_browser.py: wait for the app, follow the navigation, pick filters, read the metrics, and
find what must not be on a page (errors, small counts, cut-off numbers, outside requests)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ERROR_TEXTS = ("Traceback", "Something went wrong", "Error:", "Exception")
TIMEOUT_MS = 45_000
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: A count of people as pages write it ("12 people", "n = 12", "12 · 80%").
PEOPLE = [
    re.compile(r"(?<![\w.,\-−])(\d[\d,]*) (?:people|pairs|responses|records)\b"),
    re.compile(r"\bn = (\d[\d,]*)\b"),
    re.compile(r"(?<![\w.,\-−])(\d[\d,]*) · \d+%"),
]


class Recorder:
    """Every request a page makes, and every error it logs."""

    def __init__(self, page) -> None:
        self.urls: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def outside(self) -> list[str]:
        """Requests to any host but this machine's loopback (data: and blob: have none)."""
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


def settle(page) -> None:
    """Wait until the app has finished running its script (and drawn what it wrote)."""
    app = page.get_by_test_id("stApp")
    app.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(300)  # the last elements and charts paint
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
    )


def nav_labels(page) -> list[str]:
    """The navigation's page labels (without the icon's ligature text)."""
    texts = page.get_by_test_id("stSidebarNavLink").all_inner_texts()
    return [t.strip().splitlines()[-1].strip() for t in texts]


def open_page(page, label: str) -> None:
    """Click the navigation link labelled `label`, and wait for its page."""
    index = nav_labels(page).index(label)
    page.get_by_test_id("stSidebarNavLink").nth(index).click()
    settle(page)


def page_problems(page, where: str) -> list[str]:
    """What is wrong with the page as shown: an exception, or error text."""
    problems = []
    if page.get_by_test_id("stException").count():
        problems.append(f"{where}: an exception is shown")
    body = page.inner_text("body")
    problems += [f"{where}: the page shows {e!r}" for e in ERROR_TEXTS if e in body]
    return problems


def cut_off(page) -> list[str]:
    """Headline values (metrics) and the notes under them (why hidden, held) wider than
    their box, or than any box inside them: cut off on screen."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '[data-testid="stMetricValue"], [data-testid="stMetricDelta"]')]
            .filter(e => [e, ...e.querySelectorAll("*")]
                .some(x => x.clientWidth > 0 && x.scrollWidth > x.clientWidth + 1))
            .map(e => e.innerText)"""
    )


def small_counts(body: str) -> list[str]:
    found = []
    for pattern in PEOPLE:
        for match in pattern.finditer(body):
            number = int(match.group(1).replace(",", ""))
            if 0 < number < 10:
                found.append(body[max(match.start() - 60, 0) : match.end() + 10])
    return found


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def metrics(page) -> dict[str, str]:
    """The page's metrics: label -> value, as shown."""
    out = {}
    for metric in page.get_by_test_id("stMetric").all():
        label = metric.get_by_test_id("stMetricLabel").inner_text().strip()
        out[label] = metric.get_by_test_id("stMetricValue").inner_text().strip()
    return out


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the sidebar selectbox labelled `label`."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)
