"""A plain CSV export with no platform's layout, the XLSX and Parquet copies of an export, and
one good export of every format Ripple reads.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from .platforms import (
    google_forms,
    kobo,
    qualtrics,
    qualtrics_legacy,
    redcap,
    sgic,
    stamp,
    surveymonkey,
)
from .respondents import RIBS_ITEMS, Person, people
from .tables import Export

PLAIN_HEADER = ["rid", "when", "mother", "month", "q5", "q6", "q7", "q8", "comment", "cohort"]


def plain_row(p: Person) -> list[str]:
    return [p.rid, stamp(p.when), p.letter, str(p.month), *(str(c) for c in p.codes),
            p.comment, p.cohort]  # fmt: skip


def plain_survey(items: dict[str, str]) -> dict:
    """The survey mapping of a plain CSV (response id `rid`, `when`, the code from `mother` and
    `month`, `cohort`), reading `items` (column -> item) as codes."""
    return {
        "format": "csv",
        "values": "codes",
        "response_id": "rid",
        "submitted_at": "when",
        "timestamp_format": "%Y-%m-%d %H:%M:%S",
        "cohort": "cohort",
        "sgic": sgic(("mother", "month")),
        "items": items,
    }


def plain(persons: list[Person] | None = None, name: str = "plain.csv") -> Export:
    """A plain CSV (a spreadsheet of responses typed up or exported by another tool)."""
    persons = people() if persons is None else persons
    survey = plain_survey(dict(zip(("q5", "q6", "q7", "q8"), RIBS_ITEMS, strict=True)))
    table = [list(PLAIN_HEADER), *(plain_row(p) for p in persons)]
    return Export(name, "csv", table, 1, survey, {"wave": "pre"})


def xlsx_of(export: Export, numeric: bool = True) -> Export:
    """The export as an XLSX workbook (numbers and dates typed, as Excel holds them)."""
    table = [list(row) for row in export.table]
    if numeric:
        for row in table[export.header_rows :]:
            for i, cell in enumerate(row):
                if isinstance(cell, str) and re.fullmatch(r"-?\d{1,9}", cell):
                    row[i] = int(cell)
    survey = dict(export.survey)
    if export.format == "qualtrics":  # Excel keeps the dates as dates; read them as ISO text
        survey.pop("timestamp_format", None)
        for row in table[export.header_rows :]:
            for i in (0, 1, 7):
                row[i] = dt.datetime.fromisoformat(row[i])
    if export.format == "csv":
        survey.pop("timestamp_format", None)
        for row in table[export.header_rows :]:
            row[1] = dt.datetime.fromisoformat(row[1])
    name = Path(export.name).with_suffix(".xlsx").name
    return replace(export, name=name, table=table, survey=survey, container="xlsx")


def parquet_of(export: Export) -> Export:
    """A one-header-row export as a Parquet file of text columns."""
    name = Path(export.name).with_suffix(".parquet").name
    return replace(export, name=name, container="parquet")


def every_format() -> list[Export]:
    """One good export of each supported format and container."""
    return [
        qualtrics(),
        qualtrics_legacy(),
        surveymonkey(),
        google_forms(),
        kobo(),
        redcap(),
        plain(),
        xlsx_of(qualtrics(), numeric=True),
        xlsx_of(plain()),
        xlsx_of(surveymonkey(numeric_ids=True)),
        parquet_of(plain()),
    ]
