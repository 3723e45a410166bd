"""The mess of real exports, per format: Qualtrics previews, incomplete responses and
out-of-range codes; Google Forms answer labels nobody configured and blank grid rows; and in
both, duplicate submissions, an unknown cohort and SGIC typos.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np

from pipeline.instruments import Instrument, normalise_label

from .people import Person
from .programmes import ProgrammeSpec
from .rows import Row, count_between, pick
from .settings import BASELINE, FOLLOWUP, WAVES

# Mess (rates per wave file unless stated)
TYPO_RATE = 0.065  # of post and follow-up responses: one SGIC element changed
INCOMPLETE_RATE = 0.03  # Qualtrics only
DUPLICATE_RATE = 0.015
SKIP_ONE_RATE = 0.08  # Google Forms: one grid item left blank (not an error)
SKIP_GRID_RATE = 0.015  # Google Forms: a whole grid left blank (no score for that scale)
PREVIEWS = (2, 4)  # Qualtrics previews per file, inclusive range
OUT_OF_RANGE = (1, 3)  # Qualtrics rows per file with a code outside the instrument's range
UNKNOWN_LABEL = (2, 3)  # Google Forms rows per file with an answer label nobody configured


def plan_mess(
    spec: ProgrammeSpec,
    people: list[Person],
    rows: list[Row],
    add: Callable[..., Row],
    instruments: dict[str, Instrument],
    rng: np.random.Generator,
) -> None:
    """Turn some rows into defects (one per row) and add previews and duplicate submissions."""
    items = [(ins, item.id) for ins in map(instruments.get, spec.instruments) for item in ins.items]
    qualtrics = spec.export == "qualtrics"
    for wave in WAVES:
        clean = [r for r in rows if r.wave == wave and r.kind == "response"]
        if qualtrics:
            for row in pick(rng, clean, round(INCOMPLETE_RATE * len(clean))):
                row.kind = "incomplete"
                row.progress = int(rng.choice([12, 24, 35, 47, 59, 71, 82, 94]))
                row.submitted = row.started + dt.timedelta(weeks=1)
        clean = [r for r in clean if r.kind == "response"]
        bounds = OUT_OF_RANGE if qualtrics else UNKNOWN_LABEL
        for row in pick(rng, clean, count_between(rng, bounds)):
            instrument, item_id = items[int(rng.integers(len(items)))]
            row.bad_item = item_id
            row.kind = "out_of_range" if qualtrics else "unknown_label"
            row.bad_value = bad_answer(instrument, qualtrics, rng)
        clean = [r for r in clean if r.kind == "response"]
        if wave == BASELINE and spec.unknown_cohort:
            pick(rng, clean, 1)[0].kind = "unknown_cohort"
            clean = [r for r in clean if r.kind == "response"]
        for row in pick(rng, clean, max(1, round(DUPLICATE_RATE * len(clean)))):
            twin = add(people[row.person], row.cohort, wave, "duplicate")
            twin.twin_of = row.rid
            twin.submitted = row.submitted - dt.timedelta(minutes=float(rng.uniform(2, 40)))
            twin.started = twin.submitted - (row.submitted - row.started)
        if wave != BASELINE:
            for row in pick(rng, clean, round(TYPO_RATE * len(clean))):
                row.typo = True
        if qualtrics:
            first = min(r.started for r in rows if r.wave == wave)
            for _ in range(count_between(rng, PREVIEWS)):
                c = int(rng.integers(len(spec.cohorts)))
                preview = add(None, c, wave, "preview")
                day = spec.cohorts[c].date if wave != FOLLOWUP else first.date()
                preview.started = dt.datetime.combine(
                    day - dt.timedelta(days=int(rng.integers(1, 7))), dt.time(9)
                ) + dt.timedelta(minutes=float(rng.uniform(0, 480)))
                preview.submitted = preview.started + dt.timedelta(
                    seconds=float(rng.uniform(60, 200))
                )
        else:
            for row in clean:
                skip_items(row, spec, instruments, rng)


def bad_answer(instrument: Instrument, codes: bool, rng: np.random.Generator) -> str:
    """A value the instrument does not allow: a code outside min..max (6, 0 or 99 in a 1-5
    item), or an answer label edited mid-programme ("Agree strongly" for "Strongly agree")."""
    rs = instrument.response_scale
    if codes:
        return str([rs.max + 1, rs.min - 1, 99][int(rng.integers(3))])
    top = rs.labels[rs.max]
    candidates = [
        " ".join(reversed(top.split())).capitalize(),
        re.sub(r"(?i)strongly", "completely", top),
        f"{top} (edited)",
    ]
    valid = rs.label_codes()
    return next(c for c in candidates if normalise_label(c) not in valid)


def skip_items(
    row: Row, spec: ProgrammeSpec, instruments: dict[str, Instrument], rng: np.random.Generator
) -> None:
    """Google Forms: some pupils leave a grid row, or a whole grid, blank (allowed)."""
    u = rng.random()
    if u < SKIP_GRID_RATE:
        instrument = instruments[spec.instruments[int(rng.integers(len(spec.instruments)))]]
        row.skipped = frozenset(instrument.item_ids)
    elif u < SKIP_GRID_RATE + SKIP_ONE_RATE:
        all_items = [i for name in spec.instruments for i in instruments[name].item_ids]
        row.skipped = frozenset({all_items[int(rng.integers(len(all_items)))]})
