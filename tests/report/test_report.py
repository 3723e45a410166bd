"""The funders' report (`ripple report`): one self-contained HTML file built on the dashboard's
queries, suppression, wording and charts; every number through the suppression rule; a PDF
through the system Chromium."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard import fmt, suppress, text
from pipeline.errors import ConfigError, DataError
from pipeline.funders_report import pdf, report_kind, write_report
from pipeline.funders_report.data import load

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
SECTIONS = ("summary", "compared", "forwhom", "overtime", "quality",
            "method", "suppression", "details")  # fmt: skip
MIN_CELL_SIZE = 10
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"report_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


parse = _module("parse")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to "
    "print and open the report in a browser",
)


def small_counts(html: str) -> list[tuple[int, str]]:
    """Every count of 1..MIN_CELL_SIZE - 1 people anywhere a reader could see it: marked
    counts, the visible text and every string of every figure."""
    page = parse.parse(html)
    strings = [page.visible] + [s for f in page.figures for s in parse.figure_strings(f)]
    found = [(n, "data-n") for n in page.counts]
    found += parse.people_counts(strings)
    return [(n, where) for n, where in found if 0 < n < MIN_CELL_SIZE]


# ------------------------------------------------------------------ self-contained


def test_report_is_one_self_contained_html_file(reports: dict) -> None:
    path, html = reports["default"]
    page = parse.parse(html)
    assert html.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in html and "connect-src 'none'" in html
    # nothing that loads: only in-page anchors
    assert all(value.startswith("#") for _tag, _attr, value in page.addresses), page.addresses
    assert not [t for t, _a in page.tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [a for t, a in page.tags if t == "script" and "src" in a]
    assert "@import" not in html and "url(" not in "".join(
        re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    )
    # plotly.js from the installed package, inlined once; one data block per figure
    assert sum("plotly.js v" in script[:400] for script in page.scripts) == 1
    plots = [a for t, a in page.tags if t == "div" and "plot" in a.get("class", "")]
    assert plots and len(plots) == len(page.figures)
    for _tag, attributes in [(t, a) for t, a in page.tags if t == "div" and "data-figure" in a]:
        assert attributes.get("role") == "img" and attributes.get("aria-label")
    for ident in SECTIONS:
        assert f'<section id="{ident}">' in html, ident
    assert path.stat().st_size > 4_000_000  # plotly.js is inside


def test_report_numbers_are_the_extracts(reports: dict, extracts: dict) -> None:
    """The headline numbers in the report equal the extract's, as the dashboard shows them."""
    _path, html = reports["default"]
    page = parse.parse(html)
    ex = load(extracts["default"])
    checked = 0
    for programme in ex.programmes:
        pid = programme["programme_id"]
        base = ex.one(pid, "reach", level="programme", wave_id="pre", measure="responses")
        assert base is not None and not base["hidden"]
        assert int(base["n"]) in page.counts
        for row in ex.rows(pid, "paired_stats", level="programme", from_wave="pre"):
            if row["hidden"]:
                continue
            scale = ex.scales[(row["instrument_id"], row["scale_id"])]
            change = fmt.derived_improvement(
                row["mean_from"], row["mean_to"], bool(scale["higher_is_better"])
            )
            ci = fmt.interval(row["improvement_ci_low"], row["improvement_ci_high"], 1, plus=True)
            assert f"{fmt.signed(change)} points (95% CI {ci})" in page.visible
            assert text.outcome_line(scale, [row], ex.labels).split(": ")[0] in page.visible
            assert int(row["n_pairs"]) in page.counts
            checked += 1
    assert checked >= 6
    assert "−" in page.visible  # true minus signs
    assert " -0." not in page.visible and "(-" not in page.visible


def test_hidden_cells_say_why_and_held_values_are_marked(reports: dict) -> None:
    _path, html = reports["default"]
    visible = parse.parse(html).visible
    assert "hidden: too few people" in visible
    assert "hidden: so that another small group cannot be worked out" in visible
    assert "hidden: held until enough new people" in visible
    assert f"({suppress.HELD_LABEL})" in visible
    assert small_counts(html) == []


# ------------------------------------------------------------------ no small group, ever


def test_tiny_groups_are_hidden_everywhere(reports: dict, extracts: dict) -> None:
    """An extract of small groups: every cell under the threshold reads 'hidden', and no
    count of 1-9 people appears in the text, the tables or the figures."""
    _path, html = reports["tiny"]
    assert small_counts(html) == []
    page = parse.parse(html)
    con = duckdb.connect(str(extracts["tiny"]), read_only=True)
    try:
        hidden_rows = con.execute(
            "select count(*) from paired_stats where hidden_reason is not null"
        ).fetchone()[0]
    finally:
        con.close()
    assert hidden_rows > 0
    assert page.visible.count("hidden: too few people") >= 5
    figure_text = " ".join(s for f in page.figures for s in parse.figure_strings(f))
    assert "hidden: too few people" in figure_text


def test_a_faulty_extract_cannot_show_a_small_group(reports: dict, extracts: dict) -> None:
    """Rows a faulty extract shows with 4 or 7 people are hidden by the report's rule."""
    con = duckdb.connect(str(extracts["leaky"]), read_only=True)
    try:
        leaked = con.execute(
            "select count(*) from paired_stats where n_pairs = 4 and hidden_reason is null"
        ).fetchone()[0]
    finally:
        con.close()
    assert leaked > 0  # the fixture really is faulty
    _path, html = reports["leaky"]
    assert small_counts(html) == []
    assert "hidden: too few people" in parse.parse(html).visible


# ------------------------------------------------------------------ the extract it reads


def test_the_report_reads_one_release_read_only(extract: Path, tmp_path: Path) -> None:
    link = tmp_path / "current.duckdb"
    link.symlink_to(extract)
    ex = load(link)
    assert ex.path == extract.resolve()
    assert ex.min_cell_size == MIN_CELL_SIZE
    assert [p["programme_id"] for p in ex.programmes] == ["schools", "pilot", "workplace"]


def test_missing_or_old_extracts_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="run `ripple run` first"):
        load(tmp_path / "nothing.duckdb")
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("create table meta (key varchar, value varchar)")
    con.close()
    with pytest.raises(DataError, match="missing tables"):
        load(old)


def test_output_names_decide_the_format(tmp_path: Path) -> None:
    assert report_kind(Path("a.html")) == "html" and report_kind(Path("A.PDF")) == "pdf"
    with pytest.raises(ConfigError, match=r"report\.html"):
        report_kind(Path("report.docx"))


def test_a_pdf_without_chromium_says_what_to_do(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(pdf.CHROMIUM_ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no browser on PATH
    assert pdf.find_chromium() is None
    with pytest.raises(ConfigError, match="apt-get install chromium"):
        write_report(extract, tmp_path / "report.pdf")
    assert not (tmp_path / "report.pdf").exists()


def test_the_print_command_contacts_no_host(tmp_path: Path) -> None:
    command = pdf.command("chromium", tmp_path / "r.html", tmp_path / "r.pdf", tmp_path / "p")
    for flag in ("--headless", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"):  # fmt: skip
        assert flag in command
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in command
    assert any(part.startswith("--user-data-dir=") for part in command)
    assert command[-1].startswith("file://")


# ------------------------------------------------------------------ command line


def _ripple(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
        env={**os.environ, **(env or {})}, check=False, timeout=120,
    )  # fmt: skip


def test_cli_writes_the_report_and_exits_with_the_contract_codes(
    extract: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    done = _ripple("report", "--db", str(extract), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"report: {out}" in done.stdout and "bytes" in done.stdout
    assert f"{out.stat().st_size:,} bytes" in done.stdout
    assert not list(tmp_path.glob(".*partial"))  # written whole, then renamed
    assert "No runtime found" not in done.stderr  # Streamlit's cache warning is silenced
    wrong = _ripple("report", "--db", str(extract), "-o", str(tmp_path / "report.docx"))
    assert wrong.returncode == 2 and "report.html" in wrong.stderr
    missing = _ripple("report", "--db", str(tmp_path / "none.duckdb"), "-o", str(out))
    assert missing.returncode == 2 and "ripple run" in missing.stderr
    no_browser = _ripple(
        "report", "--db", str(extract), "-o", str(tmp_path / "r.pdf"),
        env={pdf.CHROMIUM_ENV_VAR: str(tmp_path / "no-such-chromium")},
    )  # fmt: skip
    assert no_browser.returncode == 2 and "Chromium" in no_browser.stderr


@needs_chromium
def test_pdf_through_the_system_chromium(extract: Path, tmp_path: Path) -> None:
    written = write_report(extract, tmp_path / "report.pdf")
    assert written.kind == "pdf"
    assert written.path.read_bytes()[:5] == b"%PDF-"
    assert written.pages is not None and written.pages >= 5
    pdftotext = Path("/usr/bin/pdftotext")
    if pdftotext.exists():  # poppler-utils: check the printed text too
        printed = subprocess.run(
            [str(pdftotext), "-layout", str(written.path), "-"], capture_output=True,
            text=True, check=True,
        ).stdout  # fmt: skip
        assert "Scorecard" in printed and "hidden: too few people" in printed
        assert "better" in printed  # the charts' labels were drawn before printing


@needs_chromium
def test_report_opened_in_a_browser_draws_every_chart_and_requests_nothing(
    reports: dict, tmp_path: Path
) -> None:
    """Opened in Chromium, the page draws every figure, logs no error (a blocked request
    would log one) and makes no request but for itself."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    path, html = reports["default"]
    expected = len(parse.parse(html).figures)
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function(
                f"document.querySelectorAll('div.plot .main-svg').length >= {expected}",
                timeout=30_000,
            )
            drawn = page.locator("div.plot").count()
        finally:
            browser.close()
    assert drawn == expected
    assert requests == [path.as_uri()], requests
    assert errors == []


# ------------------------------------------------------------------ the sample project


def test_report_of_the_sample_project(sample_extract: Path, tmp_path: Path) -> None:
    """The real pipeline's extract of data/sample: every programme's reach and headline change
    in the report equals the extract's; no small group anywhere."""
    ex = load(sample_extract)
    assert any(ex.rows(p["programme_id"], "paired_stats") for p in ex.programmes)
    written = write_report(sample_extract, tmp_path / "sample.html")
    html = written.path.read_text(encoding="utf-8")
    page = parse.parse(html)
    assert small_counts(html) == []
    for programme in ex.programmes:
        pid = programme["programme_id"]
        assert programme["name"] in page.visible
        base = ex.one(pid, "reach", level="programme", wave_id=ex.baseline, measure="responses")
        if base and not base["hidden"]:
            assert int(base["n"]) in page.counts
        for row in ex.rows(pid, "paired_stats", level="programme", from_wave=ex.baseline):
            if row["hidden"]:
                continue
            scale = ex.scales[(row["instrument_id"], row["scale_id"])]
            change = fmt.derived_improvement(
                row["mean_from"], row["mean_to"], bool(scale["higher_is_better"])
            )
            assert f"{fmt.signed(change)} points" in page.visible


def test_sample_report_has_items_and_says_which_keys_are_unchecked(
    sample_extract: Path, tmp_path: Path
) -> None:
    """The sample's report draws item bars from the extract's item answers, keeps hidden
    answers out of them with their reason, and names the unchecked scoring keys."""
    from pipeline.funders_report.key_status import WORDS

    ex = load(sample_extract)
    assert ex.item_answers and ex.key_status.statuses["maks"] == "unverified"
    html = write_report(sample_extract, tmp_path / "sample.html").path.read_text("utf-8")
    page = parse.parse(html)
    assert '<section id="items">' in html
    item_figures = [f for f in page.figures if "% of people asked" in json.dumps(f)]
    assert len(item_figures) == sum(len(i) for i in ex.item_answers.values())
    assert "Left out of the bars:" in page.visible and "hidden: too few people" in page.visible
    assert "Mental Health Knowledge Schedule (MAKS), the sum of its items" in page.visible
    assert WORDS["unverified"] in page.visible and WORDS["verified"] in page.visible
    assert small_counts(html) == []


@needs_chromium
def test_the_sample_report_is_short(sample_extract: Path, tmp_path: Path) -> None:
    """Issue 9: a funder reads a short report. The sample's PDF has fewer than 20 pages (23
    before the compact item chart), and the cover and summary fit on the first two."""
    written = write_report(sample_extract, tmp_path / "sample.pdf")
    assert written.pages is not None and written.pages < 20
    pdftotext = Path("/usr/bin/pdftotext")
    if not pdftotext.exists():
        return  # the page count above is the whole check without poppler-utils
    printed = subprocess.run(
        [str(pdftotext), "-layout", str(written.path), "-"], capture_output=True, text=True,
        check=True,
    ).stdout.split("\f")  # fmt: skip
    after_summary = next(i for i, page in enumerate(printed) if "Programmes compared" in page)
    assert after_summary <= 2  # the section after the summary starts by page 3
    assert "Keep in mind" in printed[0] + printed[1]


def test_key_status_comes_from_the_extract_when_it_records_it(extract: Path) -> None:
    from pipeline.funders_report.key_status import library_key_status, read_key_status

    status = read_key_status(extract)  # scales.key_status, as the pipeline writes it
    assert status.source == "extract" and status.is_checked("cami12")
    assert not status.is_checked("maks") and not status.is_checked("no_such_instrument")
    con = duckdb.connect(str(extract))
    try:  # an extract written before scales carried key_status
        con.execute("alter table scales drop column key_status")
    finally:
        con.close()
    assert read_key_status(extract).source == "library"
    assert library_key_status().statuses["maks"] == "unverified"
