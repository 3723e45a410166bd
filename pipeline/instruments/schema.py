"""The pydantic schema of `instruments/*.yml` (and of a project's `scoring.<instrument>`
choices): items, response coding, reverse keys, scales, conversions and published reliability,
each checked for consistency when a file is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.instruments.labels import normalise_label

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
Construct = Literal[
    "stigma",
    "knowledge",
    "intended_behaviour",
    "reported_behaviour",
    "social_distance",
    "self_stigma",
    "belonging",
    "sense_of_community",
    "loneliness",
    "wellbeing",
]
DontKnowRule = Literal["midpoint", "missing"]


class Strict(BaseModel):
    """Base model: unknown keys are errors, so a typo in a YAML key is never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DontKnow(Strict):
    """A "don't know" answer option: its labels, and the code it is scored as under the
    `midpoint` rule (RIBS and MAKS: the neutral 3), or None when the instrument has no neutral
    code (it then always counts as a missing item). Either way the answer is flagged as don't
    know in `item_responses`, and a project can choose the `missing` rule instead
    (`scoring.<instrument>.dont_know` in its config)."""

    labels: list[str] = Field(min_length=1)
    score_as: int | None = None

    @property
    def default_rule(self) -> DontKnowRule:
        return "midpoint" if self.score_as is not None else "missing"


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
        if score_as is not None and 2 * score_as != self.min + self.max:
            middle = (self.min + self.max) / 2
            raise ValueError(
                f"dont_know.score_as ({score_as}) must be the middle code of "
                f"{self.min}..{self.max} ({middle:g}), the only place a don't-know answer can be "
                "scored; leave it out to count don't know as a missing item"
            )
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


class PublishedReliability(Strict):
    """A scale's reliability as published, used by reliable change (Jacobson-Truax) instead of
    the sample's own baseline alpha: the value, which statistic it is and where it was read."""

    value: float = Field(gt=0, lt=1)
    statistic: Literal["alpha", "ordinal_alpha", "omega", "test_retest", "icc"]
    source: str = Field(min_length=1)


class Conversion(Strict):
    """A score looked up in a table the user supplies (SWEMWBS raw -> metric score).

    The table is never shipped: the project config points at the user's CSV
    (`scoring.<instrument>.conversion_tables.<scale>`), with the columns named here. Every
    whole raw score of `from_scale` must appear once; converted scores must lie in
    `score_range`. Without a table the scale is not scored.
    """

    from_scale: str = Field(pattern=IDENTIFIER)
    raw_column: str = Field(min_length=1)
    score_column: str = Field(min_length=1)
    score_range: tuple[float, float]
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _range(self) -> Conversion:
        if self.score_range[1] <= self.score_range[0]:
            raise ValueError("conversion.score_range must be [low, high] with high > low")
        return self


class Scale(Strict):
    """A score computed from some of the instrument's items.

    `min_items` is the missing-item rule: the score is NULL when fewer items were answered.
    A `sum` is prorated (mean of the answered items times the number of items) when some items
    are missing but at least `min_items` were answered; a `mean` averages the answered items.
    A `lookup` scale is another scale's score converted through a user-supplied table.
    """

    id: str = Field(pattern=IDENTIFIER)
    name: str
    items: list[str] = Field(min_length=1)
    aggregation: Literal["sum", "mean", "lookup"]
    min_items: int = Field(ge=1)
    higher_is_better: bool
    description: str = ""
    published_reliability: PublishedReliability | None = None
    conversion: Conversion | None = None

    @model_validator(mode="after")
    def _rule_fits(self) -> Scale:
        if len(set(self.items)) != len(self.items):
            raise ValueError(f"scale '{self.id}' lists an item twice")
        if self.min_items > len(self.items):
            raise ValueError(
                f"scale '{self.id}': min_items ({self.min_items}) exceeds its "
                f"{len(self.items)} items"
            )
        if (self.aggregation == "lookup") != (self.conversion is not None):
            raise ValueError(
                f"scale '{self.id}': aggregation 'lookup' and a conversion go together"
            )
        return self


class Instrument(Strict):
    """A validated questionnaire definition (one `<id>.yml`)."""

    id: str = Field(pattern=IDENTIFIER)
    name: str
    version: str
    construct_id: Construct = Field(alias="construct")
    citation: str
    licence: str
    wording_shipped: bool = False
    key_status: Literal["verified", "partly_verified", "unverified"] = "unverified"
    verification: str = Field(
        description="Where the scoring key was checked, or what is still unverified."
    )
    response_scale: ResponseScale
    items: list[Item] = Field(min_length=1)
    scales: list[Scale] = Field(default_factory=list)

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
            if scale.conversion:
                self._check_lookup(scale)
        if not self.wording_shipped and any(item.text for item in self.items):
            raise ValueError("item text given but wording_shipped is false")
        return self

    def _check_lookup(self, scale: Scale) -> None:
        """A lookup reads a complete, unprorated sum: every raw score is a whole number."""
        assert scale.conversion is not None
        source = next((s for s in self.scales if s.id == scale.conversion.from_scale), None)
        if source is None or source.aggregation != "sum":
            raise ValueError(
                f"scale '{scale.id}': conversion.from_scale must name a 'sum' scale of this "
                "instrument"
            )
        if source.min_items != len(source.items) or self.response_scale.score_range:
            raise ValueError(
                f"scale '{scale.id}': the scale it converts ('{source.id}') must need every "
                "item (min_items = its item count) and unrescaled codes, so its raw score is "
                "never prorated before the conversion"
            )
        if set(scale.items) != set(source.items) or scale.min_items != source.min_items:
            raise ValueError(
                f"scale '{scale.id}': items and min_items must be those of '{source.id}'"
            )

    def scale_bounds(self, scale: Scale) -> tuple[float, float]:
        """Score range of a scale: n_items x item bounds for a sum, item bounds for a mean,
        the declared converted range for a lookup."""
        if scale.conversion:
            return scale.conversion.score_range
        low, high = self.response_scale.item_score_bounds()
        n = len(scale.items) if scale.aggregation == "sum" else 1
        return low * n, high * n

    def scale(self, scale_id: str) -> Scale:
        return next(s for s in self.scales if s.id == scale_id)

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]


class InstrumentScoring(Strict):
    """A project's scoring choices for one instrument (`scoring.<instrument>` in ripple.yml).

    `dont_know`: `midpoint` scores a "don't know" answer as the instrument's neutral code (its
    `dont_know.score_as`; the RIBS and MAKS authors' rule); `missing` treats it as an
    unanswered item, so the missing-item rule decides whether the scale is scored. Left out,
    the instrument's own default applies (midpoint when it declares a neutral code).
    `conversion_tables`: scale id -> the user's CSV for a `lookup` scale (SWEMWBS metric score),
    relative to the config file.
    """

    dont_know: DontKnowRule | None = None
    conversion_tables: dict[str, Path] = Field(default_factory=dict)
