"""The bytes of one export file: every row's cells in the programme's format, in file order."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np

from pipeline.instruments import Instrument

from .forms import forms_columns, forms_time
from .model import Model, dont_know, hidden_by_progress
from .people import Person
from .programmes import ProgrammeSpec, cohort_id, cohort_label
from .qualtrics import qualtrics_columns, qualtrics_row
from .rows import Row


def item_keys(spec: ProgrammeSpec, instruments: dict[str, Instrument]) -> dict[str, str]:
    """Column key (ImportId or header) -> item id, the `items` mapping of ripple.yml."""
    if spec.export == "qualtrics":
        cols = [c for c in qualtrics_columns(spec, instruments) if re.fullmatch(r"Q\d+_\d+", c[0])]
        keys = [import_id for _, _, import_id in cols]
    else:
        keys = [h for h in forms_columns(spec, instruments) if h.startswith("Part ")]
    ids = [i for name in spec.instruments for i in instruments[name].item_ids]
    return dict(zip(keys, ids, strict=True))


def answer_cells(
    model: Model, rows: list[Row], codes: np.ndarray, as_labels: bool
) -> list[list[str]]:
    """Item cells of every row: codes or labels, blanks, "Don't know", the planned bad value."""
    cells = []
    for row in rows:
        line = []
        for j, (instrument, item_id) in enumerate(model.items):
            code = int(codes[row.rid, j])
            rs = instrument.response_scale
            if item_id == row.bad_item:
                value = row.bad_value
            elif item_id in row.skipped or hidden_by_progress(row, j, len(model.items)):
                value = ""
            elif item_id in row.dont_know:
                value = dont_know(instrument)[0]  # type: ignore[index]
            else:
                value = rs.labels[code] if as_labels else str(code)
            line.append(value)
        cells.append(line)
    return cells


def cohort_cell(spec: ProgrammeSpec, row: Row) -> str:
    """The cohort answer: an embedded-data id (Qualtrics) or the session label (Forms)."""
    if row.kind == "unknown_cohort":
        return spec.unknown_cohort or ""
    cohort = spec.cohorts[row.cohort]
    return cohort_label(cohort) if spec.export == "google_forms" else cohort_id(spec, cohort)


def render_export(
    spec: ProgrammeSpec,
    wave: str,
    instruments: dict[str, Instrument],
    model: Model,
    rows: list[Row],
    people: list[Person],
    codes: np.ndarray,
) -> tuple[bytes, list[Row]]:
    """The bytes of one export file and its rows in file order (by submission time)."""
    ordered = sorted((r for r in rows if r.wave == wave), key=lambda r: (r.submitted, r.rid))
    answers = answer_cells(model, ordered, codes, spec.export == "google_forms")
    buffer = io.StringIO(newline="")
    if spec.export == "qualtrics":
        writer = csv.writer(buffer, lineterminator="\n")
        columns = qualtrics_columns(spec, instruments)
        writer.writerow([c[0] for c in columns])
        writer.writerow([c[1] for c in columns])
        writer.writerow([json.dumps({"ImportId": c[2]}, separators=(",", ":")) for c in columns])
        for row, cells in zip(ordered, answers, strict=True):
            writer.writerow(
                qualtrics_row(spec, row, people)
                + row.sgic
                + tuple(cells)
                + (row.comment, cohort_cell(spec, row))
            )
    else:
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(forms_columns(spec, instruments))
        for row, cells in zip(ordered, answers, strict=True):
            person = people[row.person] if row.person is not None else None
            writer.writerow(
                [
                    forms_time(row.submitted),
                    person.email if person else "",
                    cohort_cell(spec, row),
                    *row.sgic,
                    *cells,
                    row.comment,
                ]
            )
    return buffer.getvalue().encode("utf-8"), ordered
