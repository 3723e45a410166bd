"""What a catalogue case is (its files, configs and steps) and the exact outcome each step must
give, with the shorthands the case families are written in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from . import good_exports as ex

QUALITY = "being built in quality rules work"
PUBLISH = "being built in atomic publish work"


@dataclass(frozen=True)
class Row:
    """A quarantined row the report must name: its row number, reason and column (the export
    column's key, found in the example's source column or detail)."""

    row: int
    reason: str
    column: str | None = None


@dataclass(frozen=True)
class FileOutcome:
    """What must happen to one file (None: not checked)."""

    status: str = "loaded"  # loaded | already_ingested | failed
    error_code: str | None = None
    error_row: int | None = None
    error_column: int | None = None
    error_text: tuple[str, ...] = ()  # substrings the error must hold (column names, lines)
    rows_in: int | None = None
    loaded: int | None = None
    excluded: dict[str, int] | None = None
    quarantined: dict[str, int] | None = None
    flagged: dict[str, int] | None = None
    updated: int | None = None
    rows: tuple[Row, ...] = ()
    warnings: tuple[str, ...] = ()  # warning codes (the text before the first ':')
    encoding: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class Step:
    """One command run in the case's folder and what it must give."""

    command: str  # validate | run
    exit_code: int
    files: dict[str, FileOutcome] = field(default_factory=dict)  # by the source's path
    config: str = "ripple.yml"
    json: bool = True  # False: the human output, to check what it shows (stderr)
    stderr: tuple[str, ...] = ()  # substrings stderr must hold
    env: dict[str, str] = field(default_factory=dict)  # added to (or removed from, with None)
    published: bool | None = None  # after a run: whether out/ripple.duckdb exists
    sql: tuple[tuple[str, list], ...] = ()  # (query, expected rows) on the warehouse
    absent: tuple[str, ...] = ()  # values no table of the warehouse may hold
    hold_lock: bool = False  # another process holds out/.ripple.lock during the step
    stale_lock: bool = False  # out/.ripple.lock names a process that no longer runs


@dataclass(frozen=True)
class Case:
    id: str
    ref: str  # "4.11" (section 4, case 11) or "issue 6"
    title: str
    files: dict[str, bytes]
    configs: dict[str, dict]
    steps: tuple[Step, ...]
    owner: str | None = None  # the work that builds this behaviour, if it is not read-path


def one(export, data: bytes | None = None, path: str | None = None, **extra) -> tuple:
    """(files, configs) for a project reading one export (its own bytes, or `data`)."""
    path = path or export.name
    return {path: export.to_bytes() if data is None else data}, {
        "ripple.yml": ex.project_for(export, path, **extra)
    }


def rows_of(export) -> list[list]:
    return [list(r) for r in export.table[export.header_rows :]]


def with_cell(export, index: int, key: str, value):
    """The export with the response `index` (0-based) holding `value` in column `key`."""
    rows = rows_of(export)
    rows[index][export.column(key)] = value
    return export.with_rows(rows)


def loaded(n: int, **kw) -> FileOutcome:
    return FileOutcome(rows_in=n, loaded=n, excluded={}, quarantined={}, **kw)


def failed(code: str, **kw) -> FileOutcome:
    return FileOutcome(status="failed", error_code=code, **kw)


def validate(name: str, outcome: FileOutcome, exit_code: int | None = None, **kw) -> Step:
    code = exit_code if exit_code is not None else (1 if outcome.status == "failed" else 0)
    return Step("validate", code, {name: outcome}, **kw)


def run(name: str, outcome: FileOutcome, exit_code: int | None = None, **kw) -> Step:
    code = exit_code if exit_code is not None else (1 if outcome.status == "failed" else 0)
    return Step("run", code, {name: outcome}, **kw)


def case(id_: str, ref: str, title: str, fc: tuple, *steps: Step, owner: str | None = None):
    files, configs = fc
    return Case(id_, ref, title, files, configs, tuple(steps), owner)


def source_extra(export, **changes):
    """The export with more keys on its source entry (overrides such as `encoding`)."""
    return replace(export, source={**export.source, **changes})


def survey_extra(export, **changes):
    """The export with more keys on its survey mapping."""
    return replace(export, survey={**export.survey, **changes})
