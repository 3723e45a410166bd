"""`make bench`: wall time and peak memory of `ripple run`, on the sample and on larger exports.

A benchmark, not a test: it prints a table (and writes bench/results/<date>.json) to paste into
notes. Each measurement is a fresh process (cold imports included), as an evaluator runs it.
Cases: the committed sample (9 files); the mixed-format test project (Qualtrics CSV and XLSX,
SurveyMonkey CSV and XLSX, Google Forms, Kobo, REDCap raw and labels, a plain CSV:
tests/fixtures/mixed); then one Qualtrics export of N rows made by resampling the sample's
workplace pre-survey rows with fresh response ids and codes, as CSV and (for the largest N up to
100,000) the same rows as an XLSX workbook. Next to each CSV run it times DuckDB loading the same
file with read_csv, the floor any pipeline has to pay.

Then the reader alone (`--read-rows`, default 1,000,000 responses, about 300 MiB) reading one
large CSV whole and in pieces (pipeline.ingest.stream), with its peak memory.

usage: python bench/run_bench.py [--sizes 10000 100000] [--repeat 1] [--no-xlsx] [--read-rows N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
BENCH_KEY = "be" * 32


def run_ripple(config: Path, out: Path) -> dict:
    """One cold `ripple run --rebuild`; wall seconds and the child's peak RSS in MiB."""
    script = Path(sys.executable).with_name("ripple")
    env = {**os.environ, "RIPPLE_KEY": BENCH_KEY}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [str(script), "run", "-c", str(config), "--out", str(out), "--rebuild", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"ripple run failed:\n{result.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    totals = json.loads(result.stdout)["totals"]
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(max(peak, before) / 1024), **totals}


def duckdb_load_seconds(path: Path, header_rows: int) -> float:
    """DuckDB's own load of the file into a table (the floor), in a fresh process."""
    code = (
        "import duckdb, sys, time; con = duckdb.connect(); t = time.perf_counter(); "
        'con.execute("create table t as select * from read_csv(?, skip=?, header=false, '
        "all_varchar=true, delim=',', quote='\\\"', escape='\\\"', strict_mode=false)\", "
        "[sys.argv[1], int(sys.argv[2])]); "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(header_rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    return round(float(out.stdout.strip().splitlines()[-1]), 2)  # after any progress bar


def scaled_export(rows: int, target: Path, rng: random.Random) -> None:
    """A Qualtrics export of `rows` responses resampled from the sample's workplace pre file."""
    with (SAMPLE / "exports" / "workplace_pre.csv").open(newline="", encoding="utf-8") as f:
        records = list(csv.reader(f))
    header, body = records[:3], records[3:]
    names = header[0]
    rid = names.index("ResponseId")
    sgic = [names.index(n) for n in ("Q1", "Q2", "Q3", "Q4")]  # the four SGIC questions
    with target.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerows(header)
        for n in range(rows):
            row = list(rng.choice(body))
            row[rid] = f"R_{n:015d}"
            letters = rng.choices(string.ascii_uppercase, k=2)
            row[sgic[0]], row[sgic[2]] = letters
            row[sgic[1]], row[sgic[3]] = str(rng.randint(1, 12)), str(rng.randint(0, 6))
            writer.writerow(row)


def scaled_project(rows: int, folder: Path, xlsx: bool = False) -> Path:
    """A copy of the sample config reading one scaled workplace export (CSV, or the same rows
    as an XLSX workbook)."""
    config = yaml.safe_load((SAMPLE / "ripple.yml").read_text(encoding="utf-8"))
    config["instruments_dir"] = str(REPO / "instruments")
    config["sources"] = [s for s in config["sources"] if s["path"] == "exports/workplace_pre.csv"]
    (folder / "exports").mkdir(parents=True, exist_ok=True)
    export = folder / "exports" / "workplace_pre.csv"
    scaled_export(rows, export, random.Random(rows))
    if xlsx:
        config["sources"][0]["path"] = "exports/workplace_pre.xlsx"
        as_workbook(export, export.with_suffix(".xlsx"))
    path = folder / "ripple.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def as_workbook(source: Path, target: Path) -> None:
    """The CSV's cells in an XLSX sheet (write-only mode: rows streamed, not held)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Responses")
    with source.open(newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append(row)
    book.save(target)


READ_CODE = """
import json, resource, sys, time
from pipeline.ingest.readers import read_export
start = time.perf_counter()
raw = read_export(sys.argv[1], stream_above_bytes=int(sys.argv[2]), max_bytes=None)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": round(time.perf_counter() - start, 2),
                  "rows": len(raw.frame) + len(raw.problems), "peak_rss_mib": round(peak)}))
"""


def read_export_case(path: Path, streamed: bool) -> dict:
    """`read_export` of one large CSV in a fresh process, whole or piece by piece: wall
    seconds and the process's peak RSS (imports included, about 200 MiB)."""
    threshold = 1 if streamed else 2**62
    out = subprocess.run(
        [sys.executable, "-c", READ_CODE, str(path), str(threshold)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def read_cases(rows: int, folder: Path) -> list[dict]:
    """The reader alone on a Qualtrics CSV of `rows` responses, read whole and streamed, with
    DuckDB's own load of the file beside it."""
    export = folder / "big.csv"
    scaled_export(rows, export, random.Random(rows))
    size_mib = export.stat().st_size / 2**20
    floor = duckdb_load_seconds(export, header_rows=3)
    found = []
    for streamed in (False, True):
        measured = read_export_case(export, streamed)
        how = "in pieces" if streamed else "whole"
        found.append(
            {"case": f"read {size_mib:,.0f} MiB CSV {how}", **measured, "duckdb_load_s": floor}
        )
        print(json.dumps(found[-1]), flush=True)
    export.unlink()
    return found


def mixed_project(folder: Path) -> Path:
    """The mixed-format test project (tests/fixtures/mixed), generated into `folder`."""
    sys.path.insert(0, str(REPO / "tests" / "fixtures"))
    from mixed.make_mixed import CONFIG_NAME, generate

    generate(folder)
    return folder / CONFIG_NAME


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX case")
    parser.add_argument(
        "--read-rows",
        type=int,
        default=1_000_000,
        help="responses in the CSV read alone, whole and in pieces (3,400,000 is about 1 GiB; "
        "0 skips it)",
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            ("sample (9 files)", SAMPLE / "ripple.yml", None),
            ("mixed formats (9 files)", mixed_project(Path(tmp) / "mixed"), None),
        ]
        for rows in args.sizes:
            project = scaled_project(rows, Path(tmp) / f"n{rows}")
            cases.append((f"{rows:,} rows (1 CSV)", project, project.parent / "exports"))
        workbook_rows = max([n for n in args.sizes if n <= 100_000], default=None)
        if workbook_rows and not args.no_xlsx:
            project = scaled_project(workbook_rows, Path(tmp) / f"x{workbook_rows}", xlsx=True)
            cases.append((f"{workbook_rows:,} rows (1 XLSX)", project, None))
        for name, config, exports in cases:
            for attempt in range(args.repeat):
                measured = run_ripple(config, Path(tmp) / "out" / f"{len(results)}-{attempt}")
                if exports:
                    measured["duckdb_load_s"] = duckdb_load_seconds(
                        exports / "workplace_pre.csv", header_rows=3
                    )
                results.append({"case": name, **measured})
                print(json.dumps(results[-1]), flush=True)
        reads = read_cases(args.read_rows, Path(tmp)) if args.read_rows else []
    print("\n| reader case | rows | wall s | peak RSS MiB | DuckDB load s |")
    print("|---|---|---|---|---|")
    for r in reads:
        print(
            f"| {r['case']} | {r['rows']:,} | {r['seconds']} | {r['peak_rss_mib']} | "
            f"{r['duckdb_load_s']} |"
        )
    print("\n| case | rows in | loaded | wall s | peak RSS MiB | DuckDB load s |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['case']} | {r['rows_in']:,} | {r['rows_loaded']:,} | {r['seconds']} | "
            f"{r['peak_rss_mib']} | {r.get('duckdb_load_s', '-')} |"
        )
    folder = REPO / "bench" / "results"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (folder / f"{stamp}.json").write_text(json.dumps(results + reads, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
