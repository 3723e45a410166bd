"""A run, wired from the pure steps of the other modules: read every export, exclude, validate,
anonymise; then (for `ripple run`) land, transform and publish.

A run is all or nothing: if any file cannot be read, nothing is published and every file's
problem is reported. Every record of every file ends in exactly one of loaded, excluded or
quarantined, and that accounting is checked before and after the warehouse is written.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import __version__
from pipeline.anonymise import anonymise
from pipeline.config import LoadedConfig, Source, check_against_instruments
from pipeline.errors import DataError, RippleError
from pipeline.ingest.columns import column_warnings, read_with_dictionary
from pipeline.ingest.mapping import CodedExport, code_export
from pipeline.ingest.readers import RawExport, ReadOptions, read_export
from pipeline.instruments import Instrument, load_instruments
from pipeline.keys import Key
from pipeline.landing import land_run, utc_now, verify_warehouse
from pipeline.publish import (
    EXTRACT_NAME,
    WAREHOUSE_NAME,
    build_extract,
    fresh_file,
    swap_into_place,
    temporary_path,
)
from pipeline.quality import duplicate_reasons, pre_validation_exclusions
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
        coded = code_export(raw, survey, source, programme, ctx.instruments, report.label)
    except DataError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    report.warnings = [*raw.warnings, *coded.notes, *column_warnings(raw, coded)]
    return screen(report, raw, coded, f"{index}.{source.programme}.{source.wave}", ctx)


def screen(
    report: FileReport, raw: RawExport, coded: CodedExport, suite: str, ctx: RunContext
) -> FileReport:
    """Exclude, validate (GX suite `suite` and SQL, which must agree) and anonymise."""
    config, source = ctx.loaded.config, report.source
    survey, programme = config.surveys[source.survey], config.programme(source.programme)
    reasons = pre_validation_exclusions(coded.frame, config.quality)
    report.excluded = as_rows(reasons.dropna())
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
    report.responses = responses.assign(programme_id=programme.id, source_sha256=sha256)
    report.items = items.assign(source_sha256=sha256)
    return report


def exclude_duplicates(files: list[FileReport], prior: PriorState) -> None:
    """Apply the run-level exclusions (already_loaded, duplicate_submission) across files."""
    loaded = [f for f in files if f.status == "loaded" and not f.responses.empty]
    if not loaded:
        return
    candidates = (
        pd.concat([f.responses.assign(file_index=i) for i, f in enumerate(loaded)])
        .rename_axis("source_row_number")
        .reset_index()
    )
    candidates["source_order"] = range(len(candidates))
    reasons = duplicate_reasons(candidates, prior.responses)
    for i, report in enumerate(loaded):
        mine = reasons[(candidates["file_index"] == i).to_numpy()]
        rows = candidates.loc[mine.index, "source_row_number"]
        dropped = pd.Series(mine.to_numpy(), index=rows.to_numpy()).dropna()
        if dropped.empty:
            continue
        report.excluded = pd.concat([report.excluded, as_rows(dropped)], ignore_index=True)
        report.responses = report.responses.drop(index=dropped.index)
        report.items = report.items[~report.items["source_row_number"].isin(dropped.index)]


def check_accounting(files: list[FileReport]) -> None:
    """rows_in = loaded + excluded + quarantined for every file, and no record counted twice."""
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


def process_sources(
    loaded: LoadedConfig, key: Key, previous: Path | None, docs_dir: Path | None
) -> tuple[RunReport, dict[str, Instrument], PriorState]:
    """Everything up to landing, writing nothing except (optionally) Data Docs."""
    instruments = load_instruments(loaded.resolve(loaded.config.instruments_dir))
    check_against_instruments(loaded, instruments)
    prior = read_prior_state(previous) if previous else PriorState.empty()
    report = RunReport(run_id=str(uuid.uuid4()), started_at=utc_now(), files=[])
    gx = GxRunner(docs_dir)
    with duckdb.connect() as con:
        ctx = RunContext(loaded, instruments, key, gx, con, prior)
        for index, source in enumerate(loaded.config.sources):
            report.files.append(process_file(index, source, ctx))
    gx.build_docs()
    exclude_duplicates(report.files, prior)
    check_accounting(report.files)
    return report, instruments, prior


def validate_project(loaded: LoadedConfig, key: Key, out_dir: Path) -> RunReport:
    """`ripple validate`: the whole run up to landing, writing nothing."""
    previous = out_dir / WAREHOUSE_NAME
    report, _, _ = process_sources(loaded, key, previous if previous.exists() else None, None)
    return report


def run_project(loaded: LoadedConfig, key: Key, out_dir: Path, rebuild: bool = False) -> RunReport:
    """`ripple run`: process every export, then build and publish both databases."""
    out_dir.mkdir(parents=True, exist_ok=True)
    final_warehouse = out_dir / WAREHOUSE_NAME
    previous = final_warehouse if final_warehouse.exists() and not rebuild else None
    docs_tmp = out_dir / "data_docs.tmp"
    shutil.rmtree(docs_tmp, ignore_errors=True)
    report, instruments, _ = process_sources(loaded, key, previous, docs_tmp)
    if not report.ok:
        shutil.rmtree(docs_tmp, ignore_errors=True)
        return report
    built = temporary_path(final_warehouse)
    extract = temporary_path(out_dir / EXTRACT_NAME)
    try:
        build_warehouse(fresh_file(built), previous, report, loaded, instruments, key)
        verify_warehouse(built, report)
        build_extract(extract, built, _extract_meta(report, loaded))
    except BaseException:
        for path in (built, extract):
            fresh_file(path)
        shutil.rmtree(docs_tmp, ignore_errors=True)
        raise
    swap_into_place(built, final_warehouse)
    swap_into_place(extract, out_dir / EXTRACT_NAME)
    shutil.rmtree(out_dir / "data_docs", ignore_errors=True)
    docs_tmp.rename(out_dir / "data_docs")
    report.outputs = {
        "warehouse": str(final_warehouse),
        "dashboard": str(out_dir / EXTRACT_NAME),
        "data_docs": str(out_dir / "data_docs" / "index.html"),
    }
    return report


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
            carry_forward(con, previous)
        write_reference(con, loaded, instruments)
        land_run(con, report, loaded, key)
        build_models(con, loaded.config.min_cell_size)
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
