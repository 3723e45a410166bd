"""Print the HTML report to PDF through the system's Chromium (`--headless --print-to-pdf`).

Nothing is downloaded: the browser is the one installed on the machine (Debian's `chromium`,
or a Chrome named by RIPPLE_CHROMIUM). It runs with a fresh, temporary profile and without
background networking, and the page itself forbids every request (its Content-Security-
Policy), so printing contacts no host.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import ConfigError, DataError

CHROMIUM_ENV_VAR = "RIPPLE_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_SECONDS = 120
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    # no DNS at all: a stray outside address could not even be looked up
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
    # let the charts finish drawing (plotly.js lays out axis margins asynchronously)
    "--virtual-time-budget=10000",
    "--run-all-compositor-stages-before-draw",
)


def find_chromium() -> str | None:
    """The browser to print with: RIPPLE_CHROMIUM if set, else the first Chromium or Chrome
    on PATH; None when there is none."""
    named = os.environ.get(CHROMIUM_ENV_VAR, "").strip()
    if named:
        return named
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def usable_chromium() -> str | None:
    """`find_chromium()` when that browser exists (a path, or a name on PATH), else None."""
    browser = find_chromium()
    if browser is None:
        return None
    return browser if Path(browser).is_file() or shutil.which(browser) else None


def missing_chromium_message() -> str:
    return (
        "writing a PDF needs Chromium or Chrome, and none was found: install it "
        "(Debian/Ubuntu: apt-get install chromium) or set RIPPLE_CHROMIUM to the browser's "
        "path; or write HTML instead (-o report.html) and print it from any browser"
    )


def command(chromium: str, html: Path, pdf: Path, profile: Path) -> list[str]:
    """The command line that prints `html` to `pdf` (pure, for tests)."""
    flags = list(FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return [
        chromium,
        *flags,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        html.absolute().as_uri(),
    ]


def html_to_pdf(html: Path, pdf: Path, chromium: str | None = None) -> Path:
    """Print the HTML file to `pdf` (written whole or not at all) and return its path.

    Raises:
        ConfigError: no Chromium or Chrome to print with (the message says what to do).
        DataError: the browser ran but did not write a PDF.
    """
    browser = chromium or usable_chromium()
    if browser is None:
        raise ConfigError(missing_chromium_message())
    pdf = pdf.absolute()
    with tempfile.TemporaryDirectory(prefix="ripple-chromium-") as tmp:
        target = Path(tmp) / "report.pdf"
        try:
            result = subprocess.run(
                command(browser, html, target, Path(tmp) / "profile"),
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except FileNotFoundError as exc:
            raise ConfigError(missing_chromium_message()) from exc
        except subprocess.TimeoutExpired as exc:
            raise DataError(
                f"{browser} did not finish printing within {TIMEOUT_SECONDS} s"
            ) from exc
        if not target.is_file() or target.read_bytes()[:5] != b"%PDF-":
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise DataError(
                f"{browser} did not write a PDF (exit code {result.returncode})"
                + (": " + " | ".join(detail) if detail else "")
            )
        partial = pdf.with_name(f".{pdf.name}.partial")
        shutil.copyfile(target, partial)
        os.replace(partial, pdf)
    return pdf


def page_count(pdf: Path) -> int:
    """Pages in a PDF written by Chromium (counts its page objects)."""
    import re

    data = pdf.read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
