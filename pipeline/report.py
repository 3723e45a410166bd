"""What a run reports: per-file accounting, reasons and warnings, and the run's totals.

`FileReport.summary()` and `RunReport.summary()` are the JSON that `--json` prints; the table,
the warnings and the closing line the command line prints are rendered from them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from pipeline.config import Source
from pipeline.ingest.detect import Detection

QUARANTINE_COLUMNS = ["source_row_number", "reason", "field", "source_column", "detail"]
UPDATE_COLUMNS = [
    "response_key",
    "source_row_number",
    "previous_run_id",
    "previous_source_sha256",
    "previous_source_row_number",
]


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
    # coarsened attributes and redacted free text of the valid rows (wide, by row number),
    # then, once the loaded rows are final, the long rows that land
    attributes_wide: pd.DataFrame = field(default_factory=pd.DataFrame)
    free_text_wide: pd.DataFrame = field(default_factory=pd.DataFrame)
    attributes: pd.DataFrame = field(default_factory=pd.DataFrame)
    free_text: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows_attributes_suppressed: int = 0
    # responses that replace one an earlier run loaded (response_key, source_row_number and
    # the previous run_id, source_sha256 and source_row_number), and the quality rules' counts
    updates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UPDATE_COLUMNS))
    quality_counts: dict[str, int] = field(default_factory=dict)

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

    @property
    def rows_updated(self) -> int:
        return len(self.updates)

    @property
    def flagged_by_reason(self) -> dict[str, int]:
        """Loaded responses per quality flag (a response with two flags counts under both)."""
        if self.responses.empty or "quality_flags" not in self.responses:
            return {}
        flags = self.responses["quality_flags"].explode().dropna()
        return {str(k): int(v) for k, v in flags.value_counts().sort_index().items()}

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
            "flagged_by_reason": self.flagged_by_reason,
            "rows_updated": self.rows_updated,
            "quality_counts": dict(self.quality_counts),
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

    def updates(self) -> pd.DataFrame:
        """This run's response updates, as `response_updates` rows."""
        frames = [
            f.updates.assign(
                run_id=self.run_id, source_path=f.label, source_sha256=f.detection.sha256
            )
            for f in self.files
            if f.status == "loaded" and not f.updates.empty
        ]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def summary(self) -> dict:
        return {
            "run_id": self.run_id,
            "ok": self.ok,
            "files": [f.summary() for f in self.files],
            "totals": self.totals(),
            "outputs": self.outputs,
        }


def _counts(frame: pd.DataFrame, column: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame[column].value_counts().sort_index().items()}


def _reason_row_counts(quarantined: pd.DataFrame) -> dict[str, int]:
    """Quarantined rows per reason (a row failing two rules counts under both)."""
    per_reason = quarantined.drop_duplicates(["source_row_number", "reason"])
    return _counts(per_reason, "reason")


def as_rows(reasons: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {"source_row_number": reasons.index.astype("int64"), "reason": reasons.to_numpy()}
    )


def already_ingested(report: FileReport, rows: pd.Index, problems: list) -> FileReport:
    """Every record of a file whose exact content was loaded before is excluded as such."""
    numbers = list(rows) + [p.source_row_number for p in problems]
    report.status = "already_ingested"
    report.excluded = pd.DataFrame(
        {"source_row_number": sorted(numbers), "reason": "already_ingested"}
    )
    return report


def quarantine_rows(
    failures: pd.DataFrame, rules: list, source_columns: dict[str, str], problems: list
) -> pd.DataFrame:
    """One row per failed rule per record, plus unreadable records, with safe details.
    The rule's fields are looked up per rule (a handful), then taken for every failing row
    by position, so a file with many failures costs no Python loop over its rows."""
    by_rule = pd.DataFrame(
        {
            "reason": [r.reason for r in rules],
            "field": [r.field for r in rules],
            "source_column": [source_columns.get(r.field, r.field) for r in rules],
            "detail": [r.detail for r in rules],
        }
    )
    failed = by_rule.iloc[failures["rule_index"].to_numpy(dtype="int64")].reset_index(drop=True)
    failed.insert(0, "source_row_number", failures["source_row_number"].to_numpy(dtype="int64"))
    rows = [
        {
            "source_row_number": p.source_row_number,
            "reason": p.reason,
            "field": "(record)",
            "source_column": "(record)",
            "detail": p.detail,
        }
        for p in problems
    ]
    unreadable = pd.DataFrame(rows, columns=QUARANTINE_COLUMNS)
    parts = [frame for frame in (failed[QUARANTINE_COLUMNS], unreadable) if not frame.empty]
    if not parts:
        return pd.DataFrame(columns=QUARANTINE_COLUMNS)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
