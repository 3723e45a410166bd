"""The per-file steps of a run: read one export as its source says, map and code it, then
exclude, validate and anonymise its rows (`pipeline.run` wires them together).

Every record of the file ends in exactly one of loaded, excluded or quarantined; a file that
cannot be read or fails a plausibility check keeps its error in its `FileReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipeline.anonymise import anonymise
from pipeline.config import LoadedConfig, Source
from pipeline.errors import DataError
from pipeline.ingest.columns import column_warnings, read_with_dictionary
from pipeline.ingest.mapping import CodedExport, code_export
from pipeline.ingest.readers import RawExport, ReadOptions, read_export
from pipeline.instruments import Instrument
from pipeline.keys import Key
from pipeline.quality import durations, findings, screen_rows
from pipeline.report import FileReport, already_ingested, as_rows, quarantine_rows
from pipeline.validate import (
    GxRunner,
    build_rules,
    check_agreement,
    failing_rows,
    validation_frame,
)
from pipeline.warehouse import PriorState


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
