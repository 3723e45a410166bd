"""`bench/dashboard_bench.py`, steps 1 and 2: a project of about 1M survey responses resampled from
the sample's exports, `ripple run` on it (wall time and peak memory), and the extract's size."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
BENCH_KEY = "be" * 32
HEADER_ROWS = {"qualtrics": 3, "google_forms": 1}
TIMESTAMP_FORMATS = {"qualtrics": "%Y-%m-%d %H:%M:%S", "google_forms": "%m/%d/%Y %H:%M:%S"}
QUALTRICS_TIMES = ("startDate", "endDate", "recordedDate")
DAYS_BETWEEN_COPIES = 14


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
