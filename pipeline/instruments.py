"""Instruments as data: the pydantic schema of `instruments/*.yml` and their loader.

An instrument file declares its items, response coding, reverse keys, scales (total and
subscales), aggregation, missing-item rule, direction, construct and citation. Scoring is one
generic SQL model over the reference tables built here (`instrument_items`, `instrument_scales`,
`instrument_scale_items`), so adding an instrument needs a YAML file and a golden test, no code.

Licensed item wording (MAKS, RIBS, KCL's CAMI versions, GBS, SWEMWBS) is never shipped: `text`
is only filled for instruments whose wording is in the public domain.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.errors import ConfigError

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
Construct = Literal[
    "stigma", "knowledge", "intended_behaviour", "belonging", "loneliness", "wellbeing"
]


class Strict(BaseModel):
    """Base model: unknown keys are errors, so a typo in a YAML key is never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DontKnow(Strict):
    """A "don't know" answer option: its labels, and the code it is scored as (RIBS and MAKS
    score it as the neutral 3), or None when it counts as a missing item. Either way the
    answer is flagged as don't know in `item_responses`."""

    labels: list[str] = Field(min_length=1)
    score_as: int | None = None


class ResponseScale(Strict):
    """How answers are coded: integer codes `min`..`max`, each with its anchor label.

    `aliases` maps extra answer labels to a code. `dont_know` declares a "don't know" option.
    `score_range` linearly rescales item scores after reverse keying, e.g. CAMI-12 codes 1..5
    are scored 0, 25, 50, 75, 100.
    """

    min: int
    max: int
    labels: dict[int, str]
    aliases: dict[str, int] = Field(default_factory=dict)
    dont_know: DontKnow | None = None
    score_range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _codes_fit(self) -> ResponseScale:
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be greater than min ({self.min})")
        codes = set(range(self.min, self.max + 1))
        if set(self.labels) != codes:
            raise ValueError(f"labels must give one label for each code {self.min}..{self.max}")
        bad = {label: code for label, code in self.aliases.items() if code not in codes}
        if bad:
            raise ValueError(f"aliases map to codes outside {self.min}..{self.max}: {bad}")
        score_as = self.dont_know.score_as if self.dont_know else None
        if score_as is not None and score_as not in codes:
            raise ValueError(f"dont_know.score_as must be one of {self.min}..{self.max}")
        if self.score_range and self.score_range[1] <= self.score_range[0]:
            raise ValueError("score_range must be [low, high] with high > low")
        return self

    def label_codes(self) -> dict[str, int]:
        """Normalised answer label -> code, for exports that carry labels instead of codes."""
        pairs = [(label, code) for code, label in self.labels.items()]
        pairs += list(self.aliases.items())
        return {normalise_label(label): code for label, code in pairs}

    def dont_know_labels(self) -> set[str]:
        """Normalised labels of the "don't know" option (empty when the scale has none)."""
        return (
            {normalise_label(label) for label in self.dont_know.labels} if self.dont_know else set()
        )

    def item_score_bounds(self) -> tuple[float, float]:
        """Lowest and highest score one item can take after keying and rescaling."""
        return self.score_range or (float(self.min), float(self.max))


class Item(Strict):
    """One item; `reverse` items are scored min + max - code before aggregation."""

    id: str = Field(pattern=IDENTIFIER)
    reverse: bool = False
    text: str | None = None


class Scale(Strict):
    """A score computed from some of the instrument's items.

    `min_items` is the missing-item rule: the score is NULL when fewer items were answered.
    A `sum` is prorated (mean of the answered items times the number of items) when some items
    are missing but at least `min_items` were answered; a `mean` averages the answered items.
    """

    id: str = Field(pattern=IDENTIFIER)
    name: str
    items: list[str] = Field(min_length=1)
    aggregation: Literal["sum", "mean"]
    min_items: int = Field(ge=1)
    higher_is_better: bool
    description: str = ""

    @model_validator(mode="after")
    def _rule_fits(self) -> Scale:
        if len(set(self.items)) != len(self.items):
            raise ValueError(f"scale '{self.id}' lists an item twice")
        if self.min_items > len(self.items):
            raise ValueError(
                f"scale '{self.id}': min_items ({self.min_items}) exceeds its "
                f"{len(self.items)} items"
            )
        return self


class Instrument(Strict):
    """A validated questionnaire definition (one `instruments/<id>.yml`)."""

    id: str = Field(pattern=IDENTIFIER)
    name: str
    version: str
    construct_id: Construct = Field(alias="construct")
    citation: str
    licence: str
    wording_shipped: bool = False
    verification: str = Field(
        description="Where the scoring key was checked, or what is still unverified."
    )
    response_scale: ResponseScale
    items: list[Item] = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> str:
        return str(value)

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        item_ids = [item.id for item in self.items]
        repeated = sorted({i for i in item_ids if item_ids.count(i) > 1})
        if repeated:
            raise ValueError(f"item ids must be unique; repeated: {repeated}")
        if not all(item_id.startswith(f"{self.id}_") for item_id in item_ids):
            raise ValueError(f"item ids must start with the instrument id: '{self.id}_'")
        scale_ids = [scale.id for scale in self.scales]
        if len(set(scale_ids)) != len(scale_ids):
            raise ValueError("scale ids must be unique")
        for scale in self.scales:
            unknown = sorted(set(scale.items) - set(item_ids))
            if unknown:
                raise ValueError(f"scale '{scale.id}' lists unknown items {unknown}")
        if not self.wording_shipped and any(item.text for item in self.items):
            raise ValueError("item text given but wording_shipped is false")
        return self

    def scale_bounds(self, scale: Scale) -> tuple[float, float]:
        """Score range of a scale: n_items x item bounds for a sum, item bounds for a mean."""
        low, high = self.response_scale.item_score_bounds()
        n = len(scale.items) if scale.aggregation == "sum" else 1
        return low * n, high * n

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]


def normalise_label(label: str) -> str:
    """Case-, space- and quote-insensitive form of an answer label, so that "Don’t  know"
    matches "don't know"."""
    text = unicodedata.normalize("NFKC", label)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", text).strip().casefold()


def load_instrument(path: Path) -> Instrument:
    """Read and validate one instrument file; errors name the file and the key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read instrument file: {exc}") from exc
    try:
        instrument = Instrument.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc)) from exc
    if instrument.id != path.stem:
        raise ConfigError(f"{path}: id '{instrument.id}' must match the file name '{path.stem}'")
    return instrument


def load_instruments(directory: Path) -> dict[str, Instrument]:
    """Every `*.yml` in `directory`, validated, keyed by instrument id."""
    if not directory.is_dir():
        raise ConfigError(f"instrument folder not found: {directory}")
    instruments = [load_instrument(path) for path in sorted(directory.glob("*.yml"))]
    if not instruments:
        raise ConfigError(f"no instrument files (*.yml) in {directory}")
    return {instrument.id: instrument for instrument in instruments}


def format_validation_error(path: Path, exc: ValidationError) -> str:
    """One line per problem: `file: key.path: message`."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{path}: {where}: {error['msg']}")
    return "\n".join(lines)


def reference_frames(instruments: dict[str, Instrument]) -> dict[str, pd.DataFrame]:
    """The instrument definitions as the warehouse's reference tables (dbt's seeds idea)."""
    rows_instruments, rows_items, rows_scales, rows_scale_items = [], [], [], []
    for ins in instruments.values():
        low, high = ins.response_scale.item_score_bounds()
        rows_instruments.append(
            {
                "instrument_id": ins.id,
                "name": ins.name,
                "version": ins.version,
                "construct": ins.construct_id,
                "citation": ins.citation,
                "licence": ins.licence,
                "verification": ins.verification,
                "code_min": ins.response_scale.min,
                "code_max": ins.response_scale.max,
                "item_score_min": low,
                "item_score_max": high,
            }
        )
        for position, item in enumerate(ins.items, start=1):
            rows_items.append(
                {
                    "instrument_id": ins.id,
                    "item_id": item.id,
                    "position": position,
                    "is_reverse_keyed": item.reverse,
                }
            )
        for scale in ins.scales:
            score_min, score_max = ins.scale_bounds(scale)
            rows_scales.append(
                {
                    "instrument_id": ins.id,
                    "scale_id": scale.id,
                    "name": scale.name,
                    "construct": ins.construct_id,
                    "aggregation": scale.aggregation,
                    "n_items": len(scale.items),
                    "min_items": scale.min_items,
                    "higher_is_better": scale.higher_is_better,
                    "score_min": score_min,
                    "score_max": score_max,
                    "description": scale.description,
                }
            )
            rows_scale_items += [
                {"instrument_id": ins.id, "scale_id": scale.id, "item_id": item_id}
                for item_id in scale.items
            ]
    return {
        "instruments": pd.DataFrame(rows_instruments),
        "instrument_items": pd.DataFrame(rows_items),
        "instrument_scales": pd.DataFrame(rows_scales),
        "instrument_scale_items": pd.DataFrame(rows_scale_items),
    }
