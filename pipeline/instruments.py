"""Instruments as data: the pydantic schema of `instruments/*.yml` and their loader.

An instrument file declares its items, response coding, reverse keys, scales (total and
subscales), aggregation, missing-item rule, direction, construct, citation, published
reliability and how far its scoring key was verified. Scoring is one generic SQL model over the
reference tables built here (`instruments`, `instrument_items`, `instrument_scales`,
`instrument_scale_items`, `instrument_conversions`), so adding an instrument needs a YAML file
and a golden test, no code.

Ripple's own library is `instruments/` in the repository (`BUILT_IN_DIR`). A project adds its
own definitions in the folder(s) its config names (`instruments_dir`); a project file may not
reuse a built-in id with a different definition.

Licensed item wording (MAKS, RIBS, KCL's CAMI versions, GBS, SWEMWBS, ...) is never shipped:
`text` is only filled for instruments whose wording is in the public domain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.errors import ConfigError

if TYPE_CHECKING:
    from pipeline.config import LoadedConfig

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
BUILT_IN_DIR = Path(__file__).resolve().parents[1] / "instruments"
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
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: an instrument file must be a YAML mapping of keys")
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


def load_instrument_folders(folders: list[Path]) -> dict[str, Instrument]:
    """The instruments of several folders, the first being Ripple's built-in library.

    A folder listed twice is read once. An id defined in two folders is an error unless both
    definitions are identical (a copy of a built-in file), so a project file never silently
    replaces a built-in instrument.
    """
    seen: dict[str, tuple[Instrument, Path]] = {}
    read: set[Path] = set()
    for folder in folders:
        resolved = folder.resolve()
        if resolved in read:
            continue
        read.add(resolved)
        if not resolved.is_dir():
            raise ConfigError(f"instrument folder not found: {folder}")
        for path in sorted(resolved.glob("*.yml")):
            instrument = load_instrument(path)
            if instrument.id in seen and seen[instrument.id][0] != instrument:
                raise ConfigError(
                    f"{path}: instrument id '{instrument.id}' is already defined in "
                    f"{seen[instrument.id][1]}; a project file may not replace another "
                    f"definition: give yours its own id (e.g. '{instrument.id}_local', with "
                    "item ids to match)"
                )
            seen.setdefault(instrument.id, (instrument, path))
    if not seen:
        raise ConfigError(f"no instrument files (*.yml) in {', '.join(map(str, folders))}")
    return {instrument_id: pair[0] for instrument_id, pair in seen.items()}


def project_instrument_folders(
    config_dir: Path, instruments_dir: Path | list[Path], explicit: bool
) -> list[Path]:
    """Ripple's built-in library first, then the project's own folder(s), resolved against the
    config file's folder. The default `instruments` folder may be absent (only the built-in
    library is then used); a folder the config names must exist."""
    named = instruments_dir if isinstance(instruments_dir, list) else [instruments_dir]
    folders = [BUILT_IN_DIR]
    for folder in named:
        resolved = (config_dir / folder).resolve()
        if not resolved.is_dir():
            if explicit:
                raise ConfigError(f"instruments_dir: instrument folder not found: {resolved}")
            continue
        folders.append(resolved)
    return folders


def load_project_instruments(loaded: LoadedConfig) -> dict[str, Instrument]:
    """Ripple's built-in instruments plus the project's own folder(s), with the project's
    `scoring` section checked against them."""
    config = loaded.config
    config_dir = loaded.path.parent
    explicit = "instruments_dir" in config.model_fields_set
    folders = project_instrument_folders(config_dir, config.instruments_dir, explicit)
    instruments = load_instrument_folders(folders)
    check_scoring(config.scoring, instruments, config_dir)
    return instruments


def check_scoring(
    scoring: Mapping[str, InstrumentScoring], instruments: dict[str, Instrument], config_dir: Path
) -> None:
    """The project's `scoring` section names known instruments, a don't-know rule each one can
    apply and readable conversion tables for its lookup scales."""
    problems = []
    for instrument_id, choice in scoring.items():
        where = f"scoring.{instrument_id}"
        instrument = instruments.get(instrument_id)
        if instrument is None:
            problems.append(f"{where}: unknown instrument '{instrument_id}'")
            continue
        option = instrument.response_scale.dont_know
        if choice.dont_know == "midpoint" and (option is None or option.score_as is None):
            problems.append(
                f"{where}.dont_know: '{instrument_id}' has no neutral code for a don't-know "
                "answer (its response_scale.dont_know.score_as), so only 'missing' applies"
            )
        for scale_id, path in choice.conversion_tables.items():
            try:
                conversion_frame(instrument, scale_id, config_dir / path)
            except ConfigError as exc:
                problems.append(f"{where}.conversion_tables.{scale_id}: {exc}")
    if problems:
        raise ConfigError("\n".join(problems))


def dont_know_rule(instrument: Instrument, choice: InstrumentScoring | None) -> DontKnowRule:
    """The rule in force: the project's choice, else the instrument's default."""
    if choice is not None and choice.dont_know is not None:
        return choice.dont_know
    option = instrument.response_scale.dont_know
    return option.default_rule if option else "missing"


def conversion_frame(instrument: Instrument, scale_id: str, path: Path) -> pd.DataFrame:
    """Read and check a user's conversion table: (raw_score, converted_score) rows covering
    every whole raw score of the scale it converts, once each, within the declared range."""
    scale = next((s for s in instrument.scales if s.id == scale_id), None)
    if scale is None or scale.conversion is None:
        lookups = [s.id for s in instrument.scales if s.conversion]
        raise ConfigError(f"'{scale_id}' is not a lookup scale of {instrument.id} ({lookups})")
    conversion = scale.conversion
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the conversion table: {exc}") from exc
    missing = [c for c in (conversion.raw_column, conversion.score_column) if c not in table]
    if missing:
        raise ConfigError(f"{path}: columns {missing} not found (it has {list(table.columns)})")
    raw = pd.to_numeric(table[conversion.raw_column].str.strip(), errors="coerce")
    converted = pd.to_numeric(table[conversion.score_column].str.strip(), errors="coerce")
    bad_rows = [n + 2 for n in table.index[raw.isna() | converted.isna()]]
    if bad_rows:
        raise ConfigError(f"{path}: rows {bad_rows[:5]} are not numbers")
    low, high = instrument.scale_bounds(instrument.scale(conversion.from_scale))
    expected = set(range(int(low), int(high) + 1))
    if (raw != raw.round()).any() or raw.duplicated().any() or set(raw.astype(int)) != expected:
        raise ConfigError(
            f"{path}: {conversion.raw_column} must list each raw score {int(low)}..{int(high)} "
            "exactly once"
        )
    lo, hi = conversion.score_range
    if not converted.between(lo, hi).all():
        raise ConfigError(f"{path}: {conversion.score_column} values must lie in {lo:g}..{hi:g}")
    return pd.DataFrame(
        {
            "instrument_id": instrument.id,
            "scale_id": scale_id,
            "raw_score": raw.astype(float),
            "converted_score": converted.astype(float),
        }
    )


def format_validation_error(path: Path, exc: ValidationError) -> str:
    """One line per problem: `file: key.path: message`."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{path}: {where}: {error['msg']}")
    return "\n".join(lines)


def reference_frames(
    instruments: dict[str, Instrument],
    scoring: Mapping[str, InstrumentScoring] | None = None,
    config_dir: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """The instrument definitions as the warehouse's reference tables (dbt's seeds idea), with
    the project's scoring choices (don't-know rule, conversion tables) applied."""
    scoring = scoring or {}
    rows_instruments, rows_items, rows_scales, rows_scale_items = [], [], [], []
    conversions: list[pd.DataFrame] = []
    for ins in instruments.values():
        low, high = ins.response_scale.item_score_bounds()
        choice = scoring.get(ins.id)
        rows_instruments.append(
            {
                "instrument_id": ins.id,
                "name": ins.name,
                "version": ins.version,
                "construct": ins.construct_id,
                "citation": ins.citation,
                "licence": ins.licence,
                "verification": ins.verification,
                "key_status": ins.key_status,
                "code_min": ins.response_scale.min,
                "code_max": ins.response_scale.max,
                "item_score_min": low,
                "item_score_max": high,
                "dont_know_rule": dont_know_rule(ins, choice),
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
            reliability = scale.published_reliability
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
                    "converted_from": scale.conversion.from_scale if scale.conversion else None,
                    "published_reliability": reliability.value if reliability else None,
                    "reliability_statistic": reliability.statistic if reliability else None,
                    "reliability_source": reliability.source if reliability else None,
                }
            )
            rows_scale_items += [
                {"instrument_id": ins.id, "scale_id": scale.id, "item_id": item_id}
                for item_id in scale.items
            ]
        if choice is not None:
            for scale_id, path in choice.conversion_tables.items():
                full = (config_dir / path) if config_dir is not None else path
                conversions.append(conversion_frame(ins, scale_id, full))
    conversion_columns = ["instrument_id", "scale_id", "raw_score", "converted_score"]
    return {
        "instruments": pd.DataFrame(rows_instruments),
        "instrument_items": pd.DataFrame(rows_items),
        "instrument_scales": pd.DataFrame(rows_scales).astype({"published_reliability": "float64"}),
        "instrument_scale_items": pd.DataFrame(rows_scale_items),
        "instrument_conversions": (
            pd.concat(conversions, ignore_index=True)
            if conversions
            else pd.DataFrame(columns=conversion_columns)
        ),
    }
