"""`make bench`, dashboard part: how fast each dashboard page is on a large project.

A benchmark, not a test (never part of `make test`). It:

1. builds a project of about 1M survey responses by resampling the sample's nine exports
   (data/sample): each configured cohort is copied `--cohort-copies` times (new id, session
   date moved on by two weeks per copy, every timestamp moved with it), and within each copy
   every respondent is repeated as several people (fresh response ids, self-generated codes
   made distinct per repeat, consistently across the three waves, so linkage still works);
2. runs `ripple run` on it (a fresh process; wall time and peak memory reported), which builds
   the warehouse and the dashboard extract;
3. measures each page's queries: the dashboard's router and page run in Streamlit's AppTest with
   the query cache cleared, and every statement `dashboard.queries` sends to DuckDB is timed
   (target: a page's queries together under 150 ms);
4. measures each page rendered in a real browser: `ripple dashboard` on a loopback port and
   Debian's chromium through Playwright; from the click on the page's navigation link until the
   script has finished and every chart is drawn (target: under 2 s). First visit (cold cache)
   and the median of the later visits.

It prints a table and writes bench/results/dashboard-<UTC time>.json.

usage: python bench/dashboard_bench.py [--responses 1000000] [--cohort-copies 24]
           [--repeat 3] [--keep DIR] [--extract PATH] [--no-browser]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import logging
import math
import os
import re
import resource
import shutil
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

import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
APP = REPO / "dashboard" / "streamlit_app.py"
BENCH_KEY = "be" * 32
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
QUERY_TARGET_MS = 150
RENDER_TARGET_MS = 2000
HEADER_ROWS = {"qualtrics": 3, "google_forms": 1}
TIMESTAMP_FORMATS = {"qualtrics": "%Y-%m-%d %H:%M:%S", "google_forms": "%m/%d/%Y %H:%M:%S"}
QUALTRICS_TIMES = ("startDate", "endDate", "recordedDate")
DAYS_BETWEEN_COPIES = 14


# ------------------------------------------------------------------ 1. a big project


def _format_time(moment: dt.datetime, layout: str) -> str:
    if layout == "google_forms":  # Forms writes month and day without padding
        return f"{moment.month}/{moment.day}/{moment.year} {moment:%H:%M:%S}"
    return moment.strftime(TIMESTAMP_FORMATS[layout])


def _shift_time(value: str, layout: str, days: int, seconds: int) -> str:
    try:
        moment = dt.datetime.strptime(value.strip(), TIMESTAMP_FORMATS[layout])
    except ValueError:
        return value  # a deliberately broken timestamp stays broken
    return _format_time(moment + dt.timedelta(days=days, seconds=seconds), layout)


def _shift_letter(value: str, by: int) -> str:
    text = value.strip()
    if len(text) != 1 or not text.isalpha() or not text.isascii() or by == 0:
        return value
    base = ord("A") if text.isupper() else ord("a")
    return value.replace(text, chr(base + (ord(text) - base + by) % 26))


def _columns(layout: str, header: list[list[str]]) -> dict[str, int]:
    """Column positions by the config's keys: Qualtrics ImportIds, else the header text."""
    if layout == "qualtrics":
        keys = [json.loads(cell).get("ImportId", "") if cell.startswith("{") else cell
                for cell in header[2]]  # fmt: skip
    else:
        keys = header[0]
    return {key: index for index, key in enumerate(keys)}


def scaled_project(folder: Path, responses: int, cohort_copies: int) -> tuple[Path, int]:
    """A copy of the sample project with about `responses` rows; returns its config and the
    number of rows written."""
    config = yaml.safe_load((SAMPLE / "ripple.yml").read_text(encoding="utf-8"))
    sample_rows = 0
    for source in config["sources"]:
        layout = config["surveys"][source["survey"]]["format"]
        with (SAMPLE / source["path"]).open(encoding="utf-8", newline="") as f:
            sample_rows += sum(1 for _ in csv.reader(f)) - HEADER_ROWS[layout]
    people_copies = max(1, math.ceil(responses / (sample_rows * cohort_copies)))

    renamed: dict[str, dict[int, tuple[str, str | None]]] = {}  # old id -> copy -> (id, label)
    shift: dict[str, int] = {}
    for programme in config["programmes"]:
        cohorts = []
        for cohort in programme["cohorts"]:
            renamed[cohort["id"]] = {}
            for copy in range(cohort_copies):
                new = dict(cohort)
                new["id"] = f"{cohort['id']}-{copy:02d}"
                day = dt.date.fromisoformat(str(cohort["date"]))
                new["date"] = (day + dt.timedelta(days=DAYS_BETWEEN_COPIES * copy)).isoformat()
                label = None
                if cohort.get("labels"):
                    new["labels"] = [f"{text} [{copy:02d}]" for text in cohort["labels"]]
                    label = new["labels"][0]
                renamed[cohort["id"]][copy] = (new["id"], label)
                shift[new["id"]] = DAYS_BETWEEN_COPIES * copy
                cohorts.append(new)
        programme["cohorts"] = cohorts
    by_label = {
        text: cohort["id"]
        for programme in yaml.safe_load((SAMPLE / "ripple.yml").read_text())["programmes"]
        for cohort in programme["cohorts"]
        for text in cohort.get("labels", [])
    }
    config["instruments_dir"] = str(REPO / "instruments")
    config["out_dir"] = str(folder / "out")
    (folder / "exports").mkdir(parents=True, exist_ok=True)
    written = 0
    for source in config["sources"]:
        survey = config["surveys"][source["survey"]]
        layout = survey["format"]
        with (SAMPLE / source["path"]).open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[: HEADER_ROWS[layout]], rows[HEADER_ROWS[layout] :]
        at = _columns(layout, header)
        cohort_at = at[survey["cohort"]]
        letters = [at[s["column"]] for s in survey["sgic"] if s["kind"] == "letter"]
        times = ([at[k] for k in QUALTRICS_TIMES if k in at] if layout == "qualtrics"
                 else [at[survey["submitted_at"]]])  # fmt: skip
        rid = at.get(survey.get("response_id") or "")
        with (folder / source["path"]).open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerows(header)
            for copy in range(cohort_copies):
                for person in range(people_copies):
                    for row in body:
                        value = row[cohort_at]
                        old = by_label.get(value, value)
                        if old not in renamed:  # a test or unknown session: once only
                            if copy == 0 and person == 0:
                                out.writerow(row)
                                written += 1
                            continue
                        new_id, new_label = renamed[old][copy]
                        new = list(row)
                        new[cohort_at] = new_label if layout == "google_forms" else new_id
                        for index in times:
                            new[index] = _shift_time(row[index], layout, shift[new_id], person)
                        for n, index in enumerate(letters[:2]):
                            new[index] = _shift_letter(row[index], (person // 26**n) % 26)
                        if rid is not None and row[rid]:
                            new[rid] = f"{row[rid]}-{copy}-{person}"
                        out.writerow(new)
                        written += 1
    path = folder / "ripple.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path, written


def run_pipeline(config: Path, out: Path) -> dict:
    """`ripple run --rebuild` in a fresh process: wall seconds and peak RSS."""
    env = {**os.environ, "RIPPLE_KEY": BENCH_KEY}
    env.pop("RIPPLE_KEY_FILE", None)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-c", str(config), "--out", str(out),
         "--rebuild", "--json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"ripple run failed ({result.returncode}):\n{result.stderr[-4000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    totals = json.loads(result.stdout).get("totals", {})
    return {"seconds": round(seconds, 1), "peak_rss_mib": round(peak / 1024), **totals}


def extract_size(extract: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(extract), read_only=True)
    try:
        tables = ("reach", "paired_stats", "cohort_meta", "item_distributions", "cohorts")
        sizes = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        sizes["bytes"] = Path(os.path.realpath(extract)).stat().st_size
    finally:
        con.close()
    return sizes


# ------------------------------------------------------------------ 2. page queries


def pages() -> list[tuple[str, str]]:
    """(title, file) of every page the router registers, in navigation order."""
    source = APP.read_text(encoding="utf-8")
    found = re.findall(r'st\.Page\(\s*"([^"]+)",\s*title="([^"]+)"', source)
    return [(title, file) for file, title in found]


class _Quiet(logging.Filter):
    """Streamlit's bare-mode warnings (AppTest outside a server), repeated at every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "No runtime found" not in message and "missing ScriptRunContext" not in message


def measure_queries(extract: Path, repeat: int) -> list[dict]:
    """Each page viewed in AppTest with a cold query cache: every statement timed."""
    from streamlit.testing.v1 import AppTest

    for name in ("streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):  # fmt: skip
        logging.getLogger(name).addFilter(_Quiet())

    from dashboard import queries
    from dashboard.settings import DB_ENV_VAR

    os.environ[DB_ENV_VAR] = str(extract)
    timings: list[tuple[str, float]] = []
    original = queries.run_query

    def timed(name: str, path: str, params: tuple = ()):
        start = time.perf_counter()
        try:
            return original(name, path, params)
        finally:
            timings.append((name, (time.perf_counter() - start) * 1000))

    queries.run_query = timed
    results = []
    try:
        for title, file in pages():
            totals, slowest, counts, runs = [], [], [], []
            for _ in range(repeat):
                queries.clear_cache()
                timings.clear()
                app = AppTest.from_file(str(APP), default_timeout=300)
                app.run()
                if file != pages()[0][1]:
                    timings.clear()
                    queries.clear_cache()
                    start = time.perf_counter()
                    app.switch_page(file).run()
                else:
                    queries.clear_cache()
                    timings.clear()
                    start = time.perf_counter()
                    app.run()
                runs.append((time.perf_counter() - start) * 1000)
                if app.exception:
                    raise SystemExit(f"{title}: the page raised {app.exception[0].message}")
                totals.append(sum(ms for _name, ms in timings))
                slowest.append(max(timings, key=lambda t: t[1]) if timings else ("-", 0.0))
                counts.append(len(timings))
            worst = max(slowest, key=lambda t: t[1])
            results.append({
                "page": title, "queries": counts[0],
                "queries_ms": round(statistics.median(totals), 1),
                "slowest_query": worst[0], "slowest_query_ms": round(worst[1], 1),
                "server_run_ms": round(statistics.median(runs)),
            })  # fmt: skip
    finally:
        queries.run_query = original
    return results


# ------------------------------------------------------------------ 3. pages in a browser


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


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--cohort-copies", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--extract", type=Path, help="measure this extract; build nothing")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser timings")
    args = parser.parse_args()
    report: dict = {"started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    with tempfile.TemporaryDirectory(prefix="ripple-dashboard-bench-") as tmp:
        folder = args.keep or Path(tmp)
        if args.extract:
            extract = args.extract
        else:
            folder.mkdir(parents=True, exist_ok=True)
            print(f"building a project of about {args.responses:,} responses in {folder}",
                  flush=True)  # fmt: skip
            start = time.perf_counter()
            config, rows = scaled_project(folder, args.responses, args.cohort_copies)
            print(f"  {rows:,} rows written in {time.perf_counter() - start:.0f} s", flush=True)
            out = folder / "out"
            if out.exists():
                shutil.rmtree(out)
            report["pipeline"] = {"rows_written": rows, **run_pipeline(config, out)}
            print(f"  ripple run: {report['pipeline']}", flush=True)
            extract = out / "dashboard.duckdb"
        report["extract"] = extract_size(extract)
        print(f"extract: {report['extract']}", flush=True)
        report["queries"] = measure_queries(extract, args.repeat)
        if not args.no_browser and CHROMIUM.exists():
            report["browser"] = measure_browser(extract, args.repeat)
        elif not args.no_browser:
            print(f"browser timings skipped: {CHROMIUM} not found (apt-get install chromium)")
    print_table(report)
    folder = REPO / "bench" / "results"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (folder / f"dashboard-{stamp}.json").write_text(json.dumps(report, indent=2), "utf-8")


def print_table(report: dict) -> None:
    browser = {row["page"]: row for row in report.get("browser", [])}
    print(f"\n| page | queries | queries ms (cold, target < {QUERY_TARGET_MS}) | slowest query "
          f"| server run ms | browser first visit ms | browser median ms (target < "
          f"{RENDER_TARGET_MS}) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for row in report["queries"]:
        seen = browser.get(row["page"], {})
        flag = "" if row["queries_ms"] < QUERY_TARGET_MS else " ✗"
        render = seen.get("median_ms")
        render_flag = "" if render is None or render < RENDER_TARGET_MS else " ✗"
        print(
            f"| {row['page']} | {row['queries']} | {row['queries_ms']}{flag} | "
            f"{row['slowest_query']} {row['slowest_query_ms']} | {row['server_run_ms']} | "
            f"{seen.get('first_visit_ms', '-')} | {render if render is not None else '-'}"
            f"{render_flag} |"
        )
    if "(app opened)" in browser:
        print(f"\napp opened in the browser (first page drawn): "
              f"{browser['(app opened)']['first_visit_ms']} ms")  # fmt: skip


if __name__ == "__main__":
    main()
