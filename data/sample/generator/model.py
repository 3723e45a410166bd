"""The latent model of the answers: person trait + wave shift + individual response + state
noise + item noise, cut into each instrument's codes (reverse keys applied), with blanks and
"Don't know" answers where the plan puts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pipeline.instruments import Instrument, Scale, normalise_label

from .people import Person
from .programmes import ProgrammeSpec
from .rows import Row
from .settings import BASELINE, FOLLOWUP, POST

# Latent model (standard deviations on the latent scale; item cut points span LATENT_SPAN).
LATENT_SPAN = 6.0
SD_TRAIT = 0.9  # stable person level
TRAIT_SHARED = 0.45  # share of trait variance common to all of a person's scales
SD_STATE = 0.55  # occasion-specific noise of one response
STATE_SHARED = 0.4
SD_ITEM = 0.75  # item-level noise of a 6-item scale; shorter scales have more reliable items
SD_DRIFT = 0.15  # extra occasion noise three months on, so pre-followup r < pre-post r
SD_DIFFICULTY = 0.25  # item intercepts
SD_RESPONSE = 0.3  # person-specific response to the session
RESPONSE_SHARED = 0.5
DONT_KNOW_RATE = {BASELINE: 0.06, POST: 0.03, FOLLOWUP: 0.05}  # labels exports with an alias


def leaf_scales(instrument: Instrument) -> list[Scale]:
    """Scales that contain no other scale (GBS subscales, not its total). Each gets a dimension."""
    sets = {s.id: set(s.items) for s in instrument.scales}
    return [
        s
        for s in instrument.scales
        if not any(o < sets[s.id] for k, o in sets.items() if k != s.id)
    ]


@dataclass
class Model:
    """A programme's latent answers before the wave shifts: one row per export row.

    `base[r, j]` is the latent position of row r on item j, and `dim[j]` the dimension (leaf
    scale) whose wave shift moves item j. Codes are the count of cut points below base + shift.
    """

    items: list[tuple[Instrument, str]]
    dims: list[tuple[str, str]]
    dim: np.ndarray
    base: np.ndarray
    cuts: list[np.ndarray]
    wave: np.ndarray
    reverse: np.ndarray
    blank: np.ndarray | None = None
    fixed: np.ndarray | None = None
    shifts: dict[tuple[int, str], float] = field(default_factory=dict)


def build_model(
    spec: ProgrammeSpec,
    instruments: dict[str, Instrument],
    people: list[Person],
    rows: list[Row],
    general: np.ndarray,
    rng: np.random.Generator,
) -> Model:
    """Draw every random part of the latent answers once, so calibration only moves shifts."""
    items, dims, dim_of_item, location, cuts, item_sd = [], [], [], [], [], []
    for name in spec.instruments:
        instrument = instruments[name]
        leaves = leaf_scales(instrument)
        first = len(dims)
        dims += [(name, s.id) for s in leaves]
        k = instrument.response_scale.max - instrument.response_scale.min + 1
        cut = -LATENT_SPAN / 2 + LATENT_SPAN * np.arange(1, k) / k
        for item in instrument.items:
            owner = next((n for n, s in enumerate(leaves) if item.id in s.items), 0)
            items.append((instrument, item.id))
            dim_of_item.append(first + owner)
            location.append(LATENT_SPAN * (spec.location[name] - 0.5))
            cuts.append(cut)
            item_sd.append(SD_ITEM * min(1.0, np.sqrt(len(leaves[owner].items) / 6)))
    n_p, n_d, n_r, n_i = len(people), len(dims), len(rows), len(items)
    dim = np.array(dim_of_item)
    trait = SD_TRAIT * (
        np.sqrt(TRAIT_SHARED) * general[:, None]
        + np.sqrt(1 - TRAIT_SHARED) * rng.standard_normal((n_p, n_d))
    )
    response = SD_RESPONSE * (
        np.sqrt(RESPONSE_SHARED) * rng.standard_normal((n_p, 1))
        + np.sqrt(1 - RESPONSE_SHARED) * rng.standard_normal((n_p, n_d))
    )
    state = SD_STATE * (
        np.sqrt(STATE_SHARED) * rng.standard_normal((n_r, 1))
        + np.sqrt(1 - STATE_SHARED) * rng.standard_normal((n_r, n_d))
    )
    drift = SD_DRIFT * (
        np.sqrt(STATE_SHARED) * rng.standard_normal((n_r, 1))
        + np.sqrt(1 - STATE_SHARED) * rng.standard_normal((n_r, n_d))
    )
    later = np.array([r.wave == FOLLOWUP for r in rows])[:, None]
    state = state + later * drift
    difficulty = SD_DIFFICULTY * rng.standard_normal(n_i)
    noise = np.array(item_sd) * rng.standard_normal((n_r, n_i))
    person = np.array([-1 if r.person is None else r.person for r in rows])
    has = person >= 0
    idx = np.where(has, person, 0)
    after = np.array([r.wave != BASELINE for r in rows])
    level = np.where(has[:, None], trait[idx] + after[:, None] * response[idx], 0.0)
    base = np.array(location) + difficulty + level[:, dim] + state[:, dim] + noise
    reverse = np.array([next(i.reverse for i in ins.items if i.id == item) for ins, item in items])
    return Model(items, dims, dim, base, cuts, np.array([r.wave for r in rows]), reverse)


def item_codes(model: Model, rids: np.ndarray, shifts: dict[tuple[int, str], float]) -> np.ndarray:
    """Observed codes (reverse keys applied) of rows `rids` on every item, given wave shifts."""
    waves = model.wave[rids]
    shift = np.zeros((len(rids), len(model.items)))
    for (d, wave), value in shifts.items():
        shift[np.ix_(waves == wave, model.dim == d)] = value
    latent = model.base[rids] + shift
    codes = np.empty(latent.shape, dtype=int)
    for j, (instrument, _) in enumerate(model.items):
        rs = instrument.response_scale
        positive = rs.min + (latent[:, j, None] > model.cuts[j]).sum(axis=1)
        codes[:, j] = rs.min + rs.max - positive if model.reverse[j] else positive
    return codes


def answered_codes(
    model: Model, rows: list[Row], rids: np.ndarray, shifts: dict[tuple[int, str], float]
) -> np.ndarray:
    """Codes as the pipeline will score them: skipped items blank, "Don't know" as its alias."""
    if model.blank is None or model.fixed is None:
        model.blank, model.fixed = answer_masks(model, rows)
    codes = item_codes(model, rids, shifts).astype(float)
    fixed = model.fixed[rids]
    codes = np.where(np.isnan(fixed), codes, fixed)
    return np.where(model.blank[rids], np.nan, codes)


def answer_masks(model: Model, rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    """Which answers are blank (skipped, or after an incomplete response's progress), and the
    code of each "Don't know" answer (NaN elsewhere)."""
    blank = np.zeros(model.base.shape, dtype=bool)
    fixed = np.full(model.base.shape, np.nan)
    for row in rows:
        for j, (instrument, item_id) in enumerate(model.items):
            if item_id in row.skipped or hidden_by_progress(row, j, len(model.items)):
                blank[row.rid, j] = True
            elif item_id in row.dont_know:
                fixed[row.rid, j] = dont_know(instrument)[1]  # type: ignore[index]
    return blank, fixed


def hidden_by_progress(row: Row, position: int, n_items: int) -> bool:
    """An incomplete response has answers only up to its progress."""
    return row.kind == "incomplete" and position >= int(n_items * row.progress / 100)


def dont_know(instrument: Instrument) -> tuple[str, int] | None:
    """The instrument's "Don't know" answer and the code it is scored as (MAKS and RIBS score
    it as 3), or None when the scale has no such option or scores it as missing."""
    option = instrument.response_scale.dont_know
    if option is None or option.score_as is None:
        return None
    return option.labels[0], option.score_as


def label_and_dont_know_codes(instrument: Instrument) -> dict[str, int]:
    """Normalised label -> code, the "Don't know" option included (as the pipeline scores it)."""
    codes = dict(instrument.response_scale.label_codes())
    option = dont_know(instrument)
    if option:
        codes[normalise_label(option[0])] = option[1]
    return codes


def plan_dont_know(
    spec: ProgrammeSpec, model: Model, rows: list[Row], rng: np.random.Generator
) -> None:
    """Labels exports: where the grid offers "Don't know", some answers are "Don't know"."""
    if spec.export != "google_forms":
        return
    offered = [j for j, (ins, _) in enumerate(model.items) if dont_know(ins)]
    draws = rng.random((len(rows), len(offered)))
    for row in rows:
        chosen = draws[row.rid] < DONT_KNOW_RATE[row.wave]
        row.dont_know = frozenset(
            model.items[j][1] for j, hit in zip(offered, chosen, strict=True) if hit
        )
