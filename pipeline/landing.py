"""Landing a run in the warehouse being built: audit rows, landed rows with lineage, and a
check that what was stored matches what the run reported, file by file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from pipeline import __version__
from pipeline.anonymise import link_key_columns, link_key_rows
from pipeline.config import LoadedConfig
from pipeline.errors import RippleError
from pipeline.keys import Key
from pipeline.report import FileReport, RunReport
from pipeline.warehouse import insert_frame


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
        link_keys = link_key_rows(responses, _sgic_names(loaded, f))
        responses = responses.drop(columns=link_key_columns(responses))
        insert_frame(con, "landing.responses", responses.reset_index().assign(run_id=run_id))
        insert_frame(
            con,
            "landing.response_link_keys",
            link_keys.assign(run_id=run_id, source_sha256=f.detection.sha256),
        )
        insert_frame(
            con,
            "landing.item_responses",
            f.items,
            {"run_id": run_id, "source_sha256": f.detection.sha256},
        )
        source = {"run_id": run_id, "source_sha256": f.detection.sha256}
        insert_frame(con, "landing.respondent_attributes", f.attributes.assign(**source))
        insert_frame(con, "landing.free_text", f.free_text.assign(**source))
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
                    "finished_at": utc_now(),
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


def _sgic_names(loaded: LoadedConfig, f: FileReport) -> list[str]:
    """The names of the file's self-generated code elements, in position order."""
    survey = loaded.config.surveys.get(f.source.survey)
    return [e.name for e in survey.sgic] if survey else []


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
        "rows_attributes_suppressed": f.rows_attributes_suppressed,
        "warnings": list(f.warnings),
    }


def verify_warehouse(path: Path, report: RunReport) -> None:
    """Re-read the built file: what it stores for this run matches the report, file by file."""
    with duckdb.connect(str(path), read_only=True) as con:
        stored = con.execute(
            """
            select
                files.source_path,
                -- a copy of a loaded file under another name (already_ingested) loads nothing
                files.rows_loaded = (select count(*) from landing.responses as landed
                    where landed.run_id = files.run_id
                    and landed.source_sha256 = files.source_sha256
                    and files.status = 'loaded'),
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


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
