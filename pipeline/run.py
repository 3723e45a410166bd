"""A run, wired from the pure steps of the other modules: read every export, exclude, validate,
anonymise; then (for `ripple run`) land, transform and publish.

A run is all or nothing: if any file cannot be read, nothing is published and every file's
problem is reported. Every record of every file ends in exactly one of loaded, excluded or
quarantined, and that accounting is checked before and after the warehouse is written.
"""

from __future__ import annotations

import datetime as dt
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
from pipeline.ingest.detect import Detection
from pipeline.ingest.mapping import CodedExport, code_export
from pipeline.ingest.readers import RawExport, ReadOptions, read_export
from pipeline.instruments import Instrument, load_instruments
from pipeline.keys import Key
from pipeline.publish import (
    EXTRACT_NAME,
    WAREHOUSE_NAME,
    build_extract,
    fresh_file,
    swap_into_place,
    temporary_path,
)
from pipeline.quality import duplicate_reasons, pre_validation_exclusions
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
    insert_frame,
    read_prior_state,
    write_reference,
)

QUARANTINE_COLUMNS = ["source_row_number", "reason", "field", "source_column", "detail"]


@dataclass
class FileReport:
    """What happened to one export file."""

    source: Source
    label: str
    status: str = "loaded"  # loaded | already_ingested | failed
    error: str | None = None
    detection: Detection | None = None
    excluded: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["source_row_number", "reason"])
    )
    quarantined: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=QUARANTINE_COLUMNS)
    )
    responses: pd.DataFrame = field(default_factory=pd.DataFrame)
    items: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list[str] = field(default_factory=list)

    @property
    def waves(self) -> str | None:
        """The file's wave, or the waves its loaded rows carry (a wave column)."""
        if self.source.wave is not None or self.responses.empty:
            return self.source.wave
        return ",".join(sorted(self.responses["wave_id"].dropna().unique()))

    @property
    def rows_in(self) -> int:
        return self.detection.rows if self.detection else 0

    @property
    def rows_loaded(self) -> int:
        return len(self.responses)

    @property
    def rows_excluded(self) -> int:
        return len(self.excluded)

    @property
    def rows_quarantined(self) -> int:
        return int(self.quarantined["source_row_number"].nunique())

    def summary(self) -> dict:
        """JSON-safe summary: counts, reasons and the first quarantined rows."""
        return {
            "file": self.label,
            "programme": self.source.programme,
            "wave": self.waves,
            "status": self.status,
            "error": self.error,
            "format": self.detection.format if self.detection else None,
            "file_type": self.detection.file_type if self.detection else None,
            "encoding": self.detection.encoding if self.detection else None,
            "encoding_guessed": bool(self.detection and self.detection.encoding_guessed),
            "warnings": list(self.warnings),
            "rows_in": self.rows_in,
            "rows_loaded": self.rows_loaded,
            "rows_excluded": self.rows_excluded,
            "rows_quarantined": self.rows_quarantined,
            "excluded_by_reason": _counts(self.excluded, "reason"),
            "quarantined_by_reason": _reason_row_counts(self.quarantined),
            "quarantine_examples": self.quarantined.head(20).to_dict("records"),
        }


@dataclass
class RunReport:
    """The outcome of a run or a validation."""

    run_id: str
    started_at: dt.datetime
    files: list[FileReport]
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(f.status != "failed" for f in self.files)

    def totals(self) -> dict[str, int]:
        keys = ("rows_in", "rows_loaded", "rows_excluded", "rows_quarantined")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}

    def summary(self) -> dict:
        return {
            "run_id": self.run_id,
            "ok": self.ok,
            "files": [f.summary() for f in self.files],
            "totals": self.totals(),
            "outputs": self.outputs,
        }


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


def _counts(frame: pd.DataFrame, column: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame[column].value_counts().sort_index().items()}


def _reason_row_counts(quarantined: pd.DataFrame) -> dict[str, int]:
    """Quarantined rows per reason (a row failing two rules counts under both)."""
    per_reason = quarantined.drop_duplicates(["source_row_number", "reason"])
    return _counts(per_reason, "reason")


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
        return _already_ingested(report, raw.frame.index, raw.problems)
    ctx.seen_files.add(raw.detection.sha256)
    config = ctx.loaded.config
    survey, programme = config.surveys[source.survey], config.programme(source.programme)
    try:
        coded = code_export(raw, survey, source, programme, ctx.instruments, report.label)
    except DataError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    report.warnings = [*raw.warnings, *column_warnings(raw, coded)]
    return screen(report, raw, coded, f"{index}.{source.programme}.{source.wave}", ctx)


def screen(
    report: FileReport, raw: RawExport, coded: CodedExport, suite: str, ctx: RunContext
) -> FileReport:
    """Exclude, validate (GX suite `suite` and SQL, which must agree) and anonymise."""
    config, source = ctx.loaded.config, report.source
    survey, programme = config.surveys[source.survey], config.programme(source.programme)
    reasons = pre_validation_exclusions(coded.frame, config.quality)
    report.excluded = _as_rows(reasons.dropna())
    candidates = reasons.index[reasons.isna()]
    waves = [w.id for w in config.waves]
    rules = build_rules(coded, survey, programme, ctx.instruments, waves)
    frame = validation_frame(coded, candidates)
    failures = failing_rows(ctx.con, frame, rules)
    if not frame.empty:
        check_agreement(
            ctx.gx.unexpected_counts(suite, frame, rules), failures, rules, report.label
        )
    report.quarantined = _quarantine_rows(failures, rules, coded.source_columns, raw.problems)
    valid = candidates.difference(pd.Index(failures["source_row_number"]))
    responses, items = anonymise(
        coded, valid, ctx.key, programme.id, source.survey, survey.participant_id_namespace
    )
    sha256 = raw.detection.sha256
    report.responses = responses.assign(programme_id=programme.id, source_sha256=sha256)
    report.items = items.assign(source_sha256=sha256)
    return report


def _as_rows(reasons: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {"source_row_number": reasons.index.astype("int64"), "reason": reasons.to_numpy()}
    )


def _already_ingested(report: FileReport, rows: pd.Index, problems: list) -> FileReport:
    """Every record of a file whose exact content was loaded before is excluded as such."""
    numbers = list(rows) + [p.source_row_number for p in problems]
    report.status = "already_ingested"
    report.excluded = pd.DataFrame(
        {"source_row_number": sorted(numbers), "reason": "already_ingested"}
    )
    return report


def _quarantine_rows(
    failures: pd.DataFrame, rules: list, source_columns: dict[str, str], problems: list
) -> pd.DataFrame:
    """One row per failed rule per record, plus unreadable records, with safe details."""
    rows = [
        {
            "source_row_number": int(number),
            "reason": rules[rule].reason,
            "field": rules[rule].field,
            "source_column": source_columns.get(rules[rule].field, rules[rule].field),
            "detail": rules[rule].detail,
        }
        for number, rule in failures[["source_row_number", "rule_index"]].itertuples(index=False)
    ]
    rows += [
        {
            "source_row_number": p.source_row_number,
            "reason": p.reason,
            "field": "(record)",
            "source_column": "(record)",
            "detail": p.detail,
        }
        for p in problems
    ]
    return pd.DataFrame(rows, columns=QUARANTINE_COLUMNS)


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
        report.excluded = pd.concat([report.excluded, _as_rows(dropped)], ignore_index=True)
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
    report = RunReport(run_id=str(uuid.uuid4()), started_at=_utc_now(), files=[])
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


def land_run(
    con: duckdb.DuckDBPyConnection, report: RunReport, loaded: LoadedConfig, key: Key
) -> None:
    """Append this run's audit rows and landed rows, each with lineage."""
    run_id, files = report.run_id, report.files
    for f in files:
        lineage = {"run_id": run_id, "source_path": f.label, "source_sha256": f.detection.sha256}
        insert_frame(con, "exclusions", f.excluded.assign(**lineage))
        insert_frame(con, "quarantine", f.quarantined.assign(**lineage))
        responses = f.responses.drop(columns=["submitted_at"], errors="ignore")
        responses = responses.rename_axis("source_row_number")
        insert_frame(con, "landing.responses", responses.reset_index().assign(run_id=run_id))
        insert_frame(con, "landing.item_responses", f.items.assign(run_id=run_id))
    insert_frame(con, "source_files", pd.DataFrame([_source_row(f, run_id) for f in files]))
    totals = report.totals()
    insert_frame(
        con,
        "runs",
        pd.DataFrame(
            [
                {
                    "run_id": run_id,
                    "started_at": report.started_at,
                    "finished_at": _utc_now(),
                    "status": "succeeded",
                    "pipeline_version": __version__,
                    "config_sha256": loaded.sha256,
                    "key_id": key.key_id,
                    "min_cell_size": loaded.config.min_cell_size,
                    "n_files": len(files),
                    **totals,
                }
            ]
        ),
    )


def _source_row(f: FileReport, run_id: str) -> dict:
    d = f.detection
    return {
        "run_id": run_id,
        "source_path": f.label,
        "source_sha256": d.sha256,
        "survey": f.source.survey,
        "programme_id": f.source.programme,
        "wave_id": f.source.wave,
        "format": d.format,
        "file_type": d.file_type,
        "encoding": d.encoding,
        "encoding_confidence": d.encoding_confidence,
        "delimiter": d.delimiter,
        "header_rows": d.header_rows,
        "size_bytes": d.size_bytes,
        "rows_in": f.rows_in,
        "rows_loaded": f.rows_loaded,
        "rows_excluded": f.rows_excluded,
        "rows_quarantined": f.rows_quarantined,
        "status": f.status,
        "warnings": list(f.warnings),
    }


def verify_warehouse(path: Path, report: RunReport) -> None:
    """Re-read the built file: what it stores for this run matches the report, file by file."""
    with duckdb.connect(str(path), read_only=True) as con:
        stored = con.execute(
            """
            select
                files.source_path,
                files.rows_loaded = (select count(*) from landing.responses as landed
                    where landed.run_id = files.run_id
                    and landed.source_sha256 = files.source_sha256),
                files.rows_excluded = (select count(*) from exclusions as ex
                    where ex.run_id = files.run_id and ex.source_path = files.source_path),
                files.rows_quarantined = (select count(distinct q.source_row_number)
                    from quarantine as q
                    where q.run_id = files.run_id and q.source_path = files.source_path)
            from source_files as files
            where files.run_id = ?
            """,
            [report.run_id],
        ).fetchall()
    broken = [row[0] for row in stored if not all(row[1:])]
    if broken or len(stored) != len(report.files):
        raise RippleError(f"internal error: stored row accounting does not match for {broken}")


def _extract_meta(report: RunReport, loaded: LoadedConfig) -> dict[str, str]:
    return {
        "project": loaded.config.project,
        "built_at": _utc_now().isoformat(timespec="seconds") + "Z",
        "min_cell_size": str(loaded.config.min_cell_size),
        "pipeline_version": __version__,
        "run_id": report.run_id,
    }


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
