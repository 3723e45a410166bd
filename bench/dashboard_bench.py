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
import datetime as dt
import json
import shutil
import tempfile
import time
from pathlib import Path

from dashboard_bench_browser import CHROMIUM, measure_browser
from dashboard_bench_project import REPO, extract_size, run_pipeline, scaled_project
from dashboard_bench_queries import measure_queries

QUERY_TARGET_MS = 150
RENDER_TARGET_MS = 2000


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
