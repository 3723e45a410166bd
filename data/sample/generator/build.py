"""Building every programme in memory: plan, simulate, link, calibrate and render, from the
one seeded Generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.config import LoadedConfig, load_config
from pipeline.instruments import Instrument, load_instruments

from .comments import comment_for
from .effects import calibrate
from .linkage import links
from .model import Model, build_model, item_codes, plan_dont_know
from .people import Person, make_people
from .plan import plan_rows
from .programmes import PROGRAMMES, ProgrammeSpec, export_path
from .qualtrics import fake_network
from .render import render_export
from .rows import EXPECTED_OUTCOME, Row, count_between
from .rules import Outcome, classify, parse_export
from .settings import (
    BASELINE,
    CONFIG_NAME,
    FOLLOWUP,
    INSTRUMENTS_DIR,
    POST,
    SAMPLE_DIR,
    SEED,
    WAVES,
)


@dataclass
class Built:
    """A programme's plan, model and rendered exports."""

    spec: ProgrammeSpec
    people: list[Person]
    rows: list[Row]
    model: Model
    exports: dict[str, bytes] = field(default_factory=dict)
    order: dict[str, list[Row]] = field(default_factory=dict)
    realised: dict = field(default_factory=dict)


def build_programme(
    spec: ProgrammeSpec,
    instruments: dict[str, Instrument],
    loaded: LoadedConfig,
    seen: set[str],
    rng: np.random.Generator,
) -> Built:
    """Plan, simulate, link, calibrate and render one programme's three exports. `seen` holds
    the network identifiers other programmes already use."""
    sizes = [
        cohort.size or count_between(rng, (spec.size[0], spec.size[1] - 1))
        for cohort in spec.cohorts
    ]
    people = make_people(spec, sizes, rng)
    general = rng.standard_normal(len(people))
    rows = plan_rows(spec, people, general, instruments, rng)
    if spec.export == "qualtrics":
        fake_network(spec, rows, seen, rng)
    model = build_model(spec, instruments, people, rows, general, rng)
    plan_dont_know(spec, model, rows, rng)
    for row in rows:
        row.comment = comment_for(spec, row, people, rng)
    built = Built(spec, people, rows, model)
    outcomes = render_all(built, instruments, loaded, {})
    check_planned(built, outcomes)
    typed = links(outcomes)
    pairs = {
        w: [(built.order[BASELINE][a].rid, built.order[w][b].rid) for a, b, _ in typed[w]]
        for w in (POST, FOLLOWUP)
    }
    built.realised = calibrate(spec, model, rows, pairs, instruments)
    render_all(built, instruments, loaded, model.shifts)
    return built


def render_all(
    built: Built,
    instruments: dict[str, Instrument],
    loaded: LoadedConfig,
    shifts: dict[tuple[int, str], float],
) -> dict[str, list[Outcome]]:
    """Render the programme's exports with the given shifts and classify them."""
    codes = item_codes(built.model, np.arange(len(built.rows)), shifts)
    outcomes = {}
    for wave in WAVES:
        data, order = render_export(
            built.spec, wave, instruments, built.model, built.rows, built.people, codes
        )
        built.exports[export_path(built.spec, wave)] = data
        built.order[wave] = order
        outcomes[wave] = classify_source(loaded, export_path(built.spec, wave), data, instruments)
    return outcomes


def classify_source(
    loaded: LoadedConfig, path: str, data: bytes, instruments: dict[str, Instrument]
) -> list[Outcome]:
    """Classify the bytes of the export listed in the config at `path`."""
    config = loaded.config
    source = next(s for s in config.sources if s.path.as_posix() == path)
    survey = config.surveys[source.survey]
    records = parse_export(data, survey.format)
    return classify(
        records, survey, config.programme(source.programme), instruments, config.quality
    )


def check_planned(built: Built, outcomes: dict[str, list[Outcome]]) -> None:
    """Every row got exactly the outcome planned for it (one defect per messy row)."""
    for wave, rows in built.order.items():
        for row, outcome in zip(rows, outcomes[wave], strict=True):
            if (outcome.status, outcome.reason) != EXPECTED_OUTCOME[row.kind]:
                raise AssertionError(
                    f"{built.spec.id}/{wave} row {row.rid} ({row.kind}): pipeline rules give "
                    f"{outcome.status}/{outcome.reason}"
                )


def build_all(instruments: dict[str, Instrument], loaded: LoadedConfig) -> list[Built]:
    """Every programme, built in memory from the one seeded Generator."""
    rng = np.random.default_rng(SEED)
    seen: set[str] = set()
    return [
        build_programme(spec, instruments, loaded, seen, child)
        for spec, child in zip(PROGRAMMES, rng.spawn(len(PROGRAMMES)), strict=True)
    ]


def row_truth(
    config_path: Path = SAMPLE_DIR / CONFIG_NAME,
) -> dict[str, list[tuple[str | None, bool]]]:
    """Who answered each data row of each export, in file order, and whether the row's SGIC
    was mistyped: (programme:person or None for a preview, typo). The known truth that
    linkage precision and recall are measured against (tests/linkage); rebuilt in memory,
    writing nothing."""
    instruments = load_instruments(INSTRUMENTS_DIR)
    built = build_all(instruments, load_config(config_path))
    return {
        export_path(b.spec, wave): [
            (None if row.person is None else f"{b.spec.id}:{row.person}", row.typo)
            for row in b.order[wave]
        ]
        for b in built
        for wave in WAVES
    }
