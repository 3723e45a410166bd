"""A run, wired from the pure steps of the other modules: read every export, exclude, validate,
anonymise (`pipeline.run_file`, per file; `pipeline.run_level`, across files); then (for
`ripple run`) land, transform and publish.

A run is all or nothing: if any file cannot be read, nothing is published and every file's
problem is reported. Every record of every file ends in exactly one of loaded, excluded or
quarantined, and that accounting is checked before and after the warehouse is written.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import duckdb

from pipeline import __version__, release
from pipeline.config import LoadedConfig, check_against_instruments
from pipeline.errors import RippleError
from pipeline.ingest.free_text import load_names
from pipeline.instruments import Instrument, load_project_instruments
from pipeline.keys import Key, check_warehouse_key
from pipeline.landing import land_run, utc_now, verify_warehouse
from pipeline.lock import RunLock
from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME, build_extract
from pipeline.release import DOCS_NAME, Releases, Retention
from pipeline.report import RunReport
from pipeline.run_file import RunContext, process_file, read_source
from pipeline.run_level import check_accounting, exclude_duplicates, finish_attributes
from pipeline.transform.runner import build_models
from pipeline.validate import GxRunner
from pipeline.warehouse import (
    PriorState,
    carry_forward,
    create_schema,
    read_prior_state,
    write_reference,
)

__all__ = ["process_sources", "read_source", "run_project", "validate_project"]


def process_sources(
    loaded: LoadedConfig, key: Key, previous: Path | None, docs_dir: Path | None
) -> tuple[RunReport, dict[str, Instrument], PriorState]:
    """Everything up to landing, writing nothing except (optionally) Data Docs."""
    instruments = load_project_instruments(loaded)
    check_against_instruments(loaded, instruments)
    if previous:
        check_warehouse_key(previous, key)
    prior = read_prior_state(previous) if previous else PriorState.empty()
    report = RunReport(run_id=str(uuid.uuid4()), started_at=utc_now(), files=[])
    gx = GxRunner(docs_dir)
    with duckdb.connect() as con:
        names_file = loaded.config.privacy.redact_names_file
        names = load_names(loaded.resolve(names_file) if names_file else None)
        ctx = RunContext(loaded, instruments, key, gx, con, prior, redact_names=names)
        for index, source in enumerate(loaded.config.sources):
            report.files.append(process_file(index, source, ctx))
    gx.build_docs()
    exclude_duplicates(report.files, prior, loaded.config.quality.duplicate_submissions)
    check_accounting(report.files)
    finish_attributes(report.files, loaded.config.privacy.k_anonymity)
    return report, instruments, prior


def validate_project(loaded: LoadedConfig, key: Key, out_dir: Path) -> RunReport:
    """`ripple validate`: the whole run up to landing, writing nothing."""
    previous = out_dir / WAREHOUSE_NAME
    report, _, _ = process_sources(loaded, key, previous if previous.exists() else None, None)
    return report


def run_project(
    loaded: LoadedConfig,
    key: Key,
    out_dir: Path,
    rebuild: bool = False,
    retention: Retention | None = None,
) -> RunReport:
    """`ripple run`: process every export, then build the warehouse, the dashboard extract and
    the Data Docs in a new release folder and publish them together with one atomic pointer
    swap (`<out>/current`; layout in `pipeline.release`).

    Holds `<out>/.ripple.lock` throughout, so a second run at the same time fails at once with
    "another run is in progress (pid N)"; a stale lock of a killed run is cleared and reported.
    The previous warehouse (for an incremental run) is the current release's. If anything
    fails before the swap, the previous release stays current and untouched and the partial
    release is removed. Old releases are pruned afterwards by `retention` (default: from the
    environment, see `Retention.from_env`).
    """
    retention = retention or Retention.from_env()
    out_dir.mkdir(parents=True, exist_ok=True)
    with RunLock(out_dir) as lock:
        releases = Releases(out_dir)
        cleared = releases.clean_leftovers()
        if lock.stale_pid:
            _warn(
                f"cleared a stale lock: the run with pid {lock.stale_pid} stopped before it "
                "finished" + (f"; removed its leftovers: {', '.join(cleared)}" if cleared else "")
            )
        release.pause_point("locked")
        previous = None if rebuild else releases.previous_warehouse()
        staging = releases.stage()
        try:
            report, instruments, _ = process_sources(loaded, key, previous, staging / DOCS_NAME)
            if not report.ok:
                return report
            release.pause_point("processed")
            built = staging / WAREHOUSE_NAME
            build_warehouse(built, previous, report, loaded, instruments, key)
            verify_warehouse(built, report)
            release.pause_point("warehouse-built")
            build_extract(
                staging / EXTRACT_NAME,
                built,
                _extract_meta(report, loaded),
                previous=out_dir / EXTRACT_NAME if (out_dir / EXTRACT_NAME).is_file() else None,
                key=key,
                instruments=instruments,
            )
            release.pause_point("extract-built")
            folder = releases.publish(staging, report.run_id)
        except RippleError as exc:  # printed as the run's last line: say what it means
            if exc.args and "nothing was published" not in str(exc.args[0]):
                exc.args = (f"{exc.args[0]}; the run failed and nothing was published",)
            raise
        finally:
            if staging.exists():
                releases.discard(staging)
        releases.prune(retention)
        for warning in releases.warnings:
            _warn(warning)
    report.outputs = {
        "warehouse": str(out_dir / WAREHOUSE_NAME),
        "dashboard": str(out_dir / EXTRACT_NAME),
        "data_docs": str(out_dir / DOCS_NAME / "index.html"),
        "release": str(folder),
    }
    return report


def _warn(message: str) -> None:
    print(f"ripple: warning: {message}", file=sys.stderr, flush=True)


def build_warehouse(
    path: Path,
    previous: Path | None,
    report: RunReport,
    loaded: LoadedConfig,
    instruments: dict[str, Instrument],
    key: Key,
) -> None:
    """Schema, earlier runs' rows, this run's rows and every model, in one transaction."""
    with duckdb.connect(str(path)) as con:
        con.execute("begin transaction")
        create_schema(con)
        if previous:
            carry_forward(con, previous, report.updates())
        write_reference(con, loaded, instruments)
        land_run(con, report, loaded, key)
        build_models(con, loaded.config.min_cell_size, loaded.config.linkage)
        con.execute("commit")
        con.execute("checkpoint")


def _extract_meta(report: RunReport, loaded: LoadedConfig) -> dict[str, str]:
    return {
        "project": loaded.config.project,
        "built_at": utc_now().isoformat(timespec="seconds") + "Z",
        "min_cell_size": str(loaded.config.min_cell_size),
        "pipeline_version": __version__,
        "run_id": report.run_id,
    }
