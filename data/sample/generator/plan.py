"""Every export row of a programme: who responds at which wave and when, the SGIC as typed,
and the defect each messy row is planned to have.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from pipeline.instruments import Instrument

from .mess import plan_mess
from .people import Person, draw_sgic, true_code, typed_sgic, unique_typo
from .programmes import CohortSpec, ProgrammeSpec
from .rows import Row
from .settings import BASELINE, FOLLOWUP, POST

VARIANT_RATE = 0.15  # harmless SGIC variations (case, spaces, "03"/"3"/"March")


def session_times(
    spec: ProgrammeSpec, cohort: CohortSpec, wave: str, rng: np.random.Generator
) -> dt.datetime:
    """When a participant starts the survey of `wave` (follow-ups about 13 weeks later)."""
    start = dt.datetime.combine(cohort.date, cohort.start)
    if wave == BASELINE:
        return start + dt.timedelta(minutes=float(rng.uniform(-10, 8)))
    if wave == POST:
        return start + dt.timedelta(minutes=spec.session_minutes + float(rng.uniform(0, 12)))
    day = cohort.date + dt.timedelta(days=90 + int(rng.integers(-14, 15)))
    return dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(
        minutes=float(rng.uniform(0, 14 * 60))
    )


def school_followup_day(cohort: CohortSpec, rng: np.random.Generator) -> dt.date:
    """A school re-surveys a whole class in one lesson, 11 to 15 weeks after the session."""
    return cohort.date + dt.timedelta(weeks=13 + int(rng.integers(-2, 3)))


def plan_rows(
    spec: ProgrammeSpec,
    people: list[Person],
    general: np.ndarray,
    instruments: dict[str, Instrument],
    rng: np.random.Generator,
) -> list[Row]:
    """Every export row of a programme, with its timing, SGIC as typed and its planned defect."""
    rows: list[Row] = []
    followup_days = {c: school_followup_day(co, rng) for c, co in enumerate(spec.cohorts)}

    def add(person: Person | None, cohort: int, wave: str, kind: str = "response") -> Row:
        row = Row(
            rid=len(rows),
            person=None if person is None else person.pid,
            cohort=cohort,
            wave=wave,
            kind=kind,
        )
        rows.append(row)
        return row

    for person in people:
        keep_followup = 1 - spec.followup_attrition + 0.08 * general[person.pid]
        waves = [BASELINE]
        if rng.random() >= spec.post_attrition:
            waves.append(POST)
        if rng.random() < keep_followup:
            waves.append(FOLLOWUP)
        for wave in waves:
            row = add(person, person.cohort, wave)
            cohort = spec.cohorts[person.cohort]
            if wave == FOLLOWUP and spec.export == "google_forms":
                lesson = dt.datetime.combine(followup_days[person.cohort], cohort.start)
                row.started = lesson + dt.timedelta(minutes=float(rng.uniform(0, 10)))
            else:
                row.started = session_times(spec, cohort, wave, rng)
            row.submitted = row.started + dt.timedelta(
                seconds=float(rng.lognormal(np.log(spec.typing_minutes * 60), 0.35))
            )
    plan_mess(spec, people, rows, add, instruments, rng)
    taken = [{true_code(p) for p in people if p.cohort == c} for c in range(len(spec.cohorts))]
    for row in sorted(rows, key=lambda r: r.twin_of is not None):  # twins after their originals
        finish_sgic(row, rows, people, taken, rng)
    return rows


def finish_sgic(
    row: Row,
    rows: list[Row],
    people: list[Person],
    taken: list[set[str]],
    rng: np.random.Generator,
) -> None:
    """Type the row's SGIC answers: harmless variations, or a typo that breaks linkage.

    A duplicate submission repeats its original's answers (typo included), perhaps typed a
    little differently, so it normalises to the same code.
    """
    style = "number"
    if row.twin_of is not None:
        values, style = rows[row.twin_of].values, people[row.person].month_style
    elif row.person is None:
        values = draw_sgic(rng)
    else:
        person = people[row.person]
        values, style = person.sgic, person.month_style
        if row.typo:
            values = unique_typo(person, taken[person.cohort], rng)
    row.values = values
    variant = int(rng.integers(4)) if rng.random() < VARIANT_RATE else None
    row.sgic = typed_sgic(values, style, variant, rng)
