"""A run, wired from the pure steps of the other modules: read every export, exclude, validate,
anonymise; then (for `ripple run`) land, transform and publish.

A run is all or nothing: if any file cannot be read, nothing is published and every file's
problem is reported. Every record of every file ends in exactly one of loaded, excluded or
quarantined, and that accounting is checked before and after the warehouse is written.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import __version__, release
from pipeline.anonymise import anonymise
from pipeline.attributes import long_attributes, long_free_text
from pipeline.config import LoadedConfig, Source, check_against_instruments
from pipeline.errors import DataError, RippleError
from pipeline.ingest.columns import column_warnings, read_with_dictionary
from pipeline.ingest.free_text import load_names
from pipeline.ingest.mapping import CodedExport, code_export
from pipeline.ingest.readers import RawExport, ReadOptions, read_export
from pipeline.instruments import Instrument, load_project_instruments
from pipeline.keys import Key, check_warehouse_key
from pipeline.landing import land_run, utc_now, verify_warehouse
from pipeline.lock import RunLock
from pipeline.publish import EXTRACT_NAME, WAREHOUSE_NAME, build_extract
from pipeline.quality import (
    candidate_contents,
    durations,
    findings,
    resolve_duplicates,
    screen_rows,
)
from pipeline.release import DOCS_NAME, Releases, Retention
from pipeline.report import (
    FileReport,
    RunReport,
    already_ingested,
    as_rows,
    quarantine_rows,
)
from pipeline.transform.runner import build_models
from pipeline.validate import (
    GxRunner,
    build_rules,
    check_agreement,
    failing_rows,
    validation_frame,
)
from pipeline.warehouse import (
    PriorState,
    carry_forward,
    create_schema,
    read_prior_state,
    write_reference,
)


@dataclass
class RunContext:
    """Everything the per-file steps share during one run."""

    loaded: LoadedConfig
    instruments: dict[str, Instrument]
    key: Key
    gx: GxRunner
    con: duckdb.DuckDBPyConnection
    prior: PriorState
    seen_files: set[str] = field(default_factory=set)
    redact_names: list[str] = field(default_factory=list)


def read_source(source: Source, ctx: RunContext, label: str) -> RawExport:
    """Read one export as its source and survey say (overrides, limits, companion files);
    a REDCap label export becomes the raw shape through its data dictionary."""
    loaded = ctx.loaded
    survey = loaded.config.surveys[source.survey]
    path = loaded.resolve(source.path)
    limits = loaded.config.limits
    options = ReadOptions(
        format=source.format,
        encoding=source.encoding,
        delimiter=source.delimiter,
        header_rows=source.header_rows,
        sheet=source.sheet,
        max_bytes=limits.max_bytes,
        max_rows=limits.max_rows,
        max_columns=limits.max_columns,
        stream_above_bytes=limits.stream_above_bytes,
        chunk_bytes=limits.chunk_bytes,
        details=loaded.resolve(survey.details) if survey.details else None,
    )
    try:
        if survey.format == "redcap" and survey.dictionary:
            raw = read_with_dictionary(
                path,
                survey,
                loaded.resolve(survey.dictionary),
                source.encoding,
                source.delimiter,
                limits.max_bytes,
            )
        else:
            raw = read_export(path, options)
    except DataError as exc:  # the reader names the file by its full path; use the config's
        raise DataError(str(exc).replace(str(path), label)) from None
    return raw


def process_file(index: int, source: Source, ctx: RunContext) -> FileReport:
    """Read, exclude, validate and anonymise one export; errors are kept in the report."""
    report = FileReport(source=source, label=str(source.path))
    try:
        raw = read_source(source, ctx, report.label)
    except DataError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    report.detection = raw.detection
    if raw.detection.sha256 in ctx.prior.loaded_files | ctx.seen_files:
        return already_ingested(report, raw.frame.index, raw.problems)
    ctx.seen_files.add(raw.detection.sha256)
    config = ctx.loaded.config
    survey, programme = config.surveys[source.survey], config.programme(source.programme)
    try:
        coded = code_export(
            raw, survey, source, programme, ctx.instruments, report.label, ctx.redact_names
        )
    except DataError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    report.warnings = [*raw.warnings, *coded.notes, *column_warnings(raw, coded)]
    return screen(report, raw, coded, f"{index}.{source.programme}.{source.wave}", ctx)


def screen(
    report: FileReport, raw: RawExport, coded: CodedExport, suite: str, ctx: RunContext
) -> FileReport:
    """Exclude and flag (pipeline.quality), validate (GX suite `suite` and SQL, which must
    agree), anonymise, then run the file's plausibility checks (a failing one fails the file)."""
    config, source = ctx.loaded.config, report.source
    survey, programme = config.surveys[source.survey], config.programme(source.programme)
    try:
        seconds = durations(raw, coded, survey, source, report.label)
    except DataError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    checked = coded.frame.assign(duration_seconds=seconds)
    screening = screen_rows(
        checked, coded.item_ids, coded.dont_know, config.quality, ctx.instruments
    )
    reasons = screening.reasons
    report.excluded = as_rows(reasons.dropna())
    report.quality_counts = screening.counts
    report.warnings += screening.warnings
    candidates = reasons.index[reasons.isna()]
    waves = [w.id for w in config.waves]
    rules = build_rules(coded, survey, programme, ctx.instruments, waves)
    frame = validation_frame(coded, candidates)
    failures = failing_rows(ctx.con, frame, rules)
    if not frame.empty:
        check_agreement(
            ctx.gx.unexpected_counts(suite, frame, rules), failures, rules, report.label
        )
    report.quarantined = quarantine_rows(failures, rules, coded.source_columns, raw.problems)
    valid = candidates.difference(pd.Index(failures["source_row_number"]))
    responses, items = anonymise(
        coded, valid, ctx.key, programme.id, source.survey, survey.participant_id_namespace
    )
    sha256 = raw.detection.sha256
    report.responses = responses.assign(
        programme_id=programme.id,
        source_sha256=sha256,
        quality_flags=screening.flags.reindex(responses.index),
    )
    report.items = items  # landed with the file's source_sha256 (pipeline.landing)
    report.attributes_wide = coded.attributes.loc[valid]
    report.free_text_wide = coded.free_text.loc[valid]
    found = findings(
        checked.loc[candidates],
        screening.codes.loc[candidates],
        screening.codes.loc[valid].assign(wave=coded.frame.loc[valid, "wave"]),
        programme,
        config.baseline_wave,
        ctx.instruments,
        config.quality.plausibility,
        (report.rows_in - report.rows_excluded, report.rows_quarantined),
    )
    report.warnings += [str(f) for f in found if f.action == "warn"]
    failed = [str(f) for f in found if f.action == "fail"]
    if failed:
        report.status = "failed"
        report.error = f"{report.label}: implausible_file: " + "; ".join(failed)
    return report


def exclude_duplicates(files: list[FileReport], prior: PriorState, policy: str = "latest") -> None:
    """Apply the run-level exclusions across files and against the warehouse (duplicate_response,
    superseded_response, already_loaded, duplicate_submission with the config's `policy`), and
    note which kept responses update a landed one (`FileReport.updates`)."""
    loaded = [f for f in files if f.status == "loaded" and not f.responses.empty]
    if not loaded:
        return
    candidates = (
        pd.concat([f.responses.assign(file_index=i) for i, f in enumerate(loaded)])
        .rename_axis("source_row_number")
        .reset_index()
    )
    candidates["source_order"] = range(len(candidates))
    # answered items per response, file by file (the item rows are never joined into one)
    answered = pd.concat(
        {
            i: f.items.groupby("source_row_number")["raw_value"].count()
            for i, f in enumerate(loaded)
        },
        names=["file_index", "source_row_number"],
    )
    where = pd.MultiIndex.from_frame(candidates[["file_index", "source_row_number"]])
    candidates["n_answered"] = answered.reindex(where, fill_value=0).to_numpy()
    # content digests only where a response key repeats, in the run or in the warehouse
    keys = candidates["response_key"]
    repeated = keys.duplicated(keep=False) | keys.isin(set(prior.responses["response_key"]))
    candidates["row_key"] = row_keys(candidates)
    candidates["content"] = None
    if repeated.any():
        wanted = candidates[repeated]
        keyed = pd.concat(
            [
                loaded[i]
                .items[loaded[i].items["source_row_number"].isin(set(rows))]
                .assign(file_index=i)
                for i, rows in wanted.groupby("file_index")["source_row_number"]
            ]
        )
        keyed = keyed.assign(row_key=row_keys(keyed))
        candidates.loc[repeated, "content"] = candidate_contents(wanted, keyed)
    landed = prior.with_contents(keys[repeated])
    resolution = resolve_duplicates(candidates, landed, policy)
    reasons = resolution.reasons
    previous = landed.drop_duplicates("response_key").set_index("response_key")
    for i, report in enumerate(loaded):
        mine = (candidates["file_index"] == i).to_numpy()
        updated = candidates[mine & resolution.updates.to_numpy()]
        if not updated.empty:
            report.updates = update_rows(updated, previous)
            report.warnings.append(
                f"updated: {len(updated)} response(s) loaded by an earlier run changed in this "
                "export; the latest submission replaces them (see response_updates)"
            )
        rows = candidates.loc[mine, "source_row_number"]
        dropped = pd.Series(reasons[mine].to_numpy(), index=rows.to_numpy()).dropna()
        if dropped.empty:
            continue
        report.excluded = pd.concat([report.excluded, as_rows(dropped)], ignore_index=True)
        report.responses = report.responses.drop(index=dropped.index)
        report.items = report.items[~report.items["source_row_number"].isin(dropped.index)]


def row_keys(frame: pd.DataFrame) -> pd.Series:
    """A key for each row of this run's files: file index and source row number."""
    return frame["file_index"].astype(str) + ":" + frame["source_row_number"].astype(str)


def update_rows(updated: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """One row per response that replaces a landed one: the new row and the old lineage."""
    old = previous.reindex(updated["response_key"])
    return pd.DataFrame(
        {
            "response_key": updated["response_key"].to_numpy(),
            "source_row_number": updated["source_row_number"].to_numpy(),
            "previous_run_id": old["run_id"].to_numpy(),
            "previous_source_sha256": old["source_sha256"].to_numpy(),
            "previous_source_row_number": old["source_row_number"].to_numpy(),
        }
    )


def check_accounting(files: list[FileReport]) -> None:
    """rows_in = loaded + excluded + quarantined for every file, no record counted twice, and
    every update is of a loaded record."""
    for f in files:
        if f.status == "failed":
            continue
        rows = (
            list(f.responses.index)
            + list(f.excluded["source_row_number"])
            + list(f.quarantined["source_row_number"].unique())
        )
        if len(rows) != f.rows_in or len(set(rows)) != len(rows):
            raise RippleError(
                f"{f.label}: internal error: {f.rows_in} records in but {f.rows_loaded} loaded + "
                f"{f.rows_excluded} excluded + {f.rows_quarantined} quarantined"
            )
        if not f.updates["source_row_number"].isin(f.responses.index).all():
            raise RippleError(f"{f.label}: internal error: an update of a record not loaded")


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


def finish_attributes(files: list[FileReport], k: int) -> None:
    """Long attribute rows (k-anonymity checked over the final loaded rows) and free-text rows
    of every loaded file, with the count of rows whose attributes were suppressed."""
    for f in files:
        if f.status != "loaded":
            continue
        f.attributes, f.rows_attributes_suppressed = long_attributes(
            f.attributes_wide, f.responses, k
        )
        f.free_text = long_free_text(f.free_text_wide, f.responses)
        if f.rows_attributes_suppressed:
            f.warnings.append(
                f"attributes_suppressed: {f.rows_attributes_suppressed} response(s) share their "
                f"combination of respondent attributes with fewer than {k} others in this file; "
                "their attributes are kept as '(suppressed)' (k-anonymity)"
            )


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
