"""`bench/dashboard_bench.py`, step 3: each page's queries timed, the dashboard's router and
page run in Streamlit's AppTest with the query cache cleared."""

from __future__ import annotations

import logging
import os
import re
import statistics
import time
from pathlib import Path

from dashboard_bench_project import REPO

APP = REPO / "dashboard" / "streamlit_app.py"


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
