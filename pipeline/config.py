"""The project config (`ripple.yml`): its pydantic schema and loader.

A config names the programmes and their workshop cohorts, the survey waves, how each survey's
columns map to instrument items (by a stable key: the Qualtrics ImportId, or the header text for
formats that have nothing better), and which export files to read. Paths are relative to the
config file. Errors name the file and the key. The pseudonymisation key never lives here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from pipeline.errors import ConfigError
from pipeline.instruments import (
    IDENTIFIER,
    Instrument,
    InstrumentScoring,
    Strict,
    format_validation_error,
)
from pipeline.survey_config import (  # re-exported: the config's public names
    CodeLists,
    CohortRule,
    ExportFormat,
    Linkage,
    SgicElement,
    Source,
    Survey,
    WaveRule,
)

__all__ = [
    "CodeLists",
    "CohortRule",
    "ExportFormat",
    "Linkage",
    "LoadedConfig",
    "ProjectConfig",
    "SgicElement",
    "Source",
    "Survey",
    "WaveRule",
    "load_config",
]


class Wave(Strict):
    """A survey wave. The first wave in the list is the baseline that every later wave is
    compared with."""

    id: str = Field(pattern=IDENTIFIER)
    label: str


class Cohort(Strict):
    """One workshop or group session: where and when it ran.

    The survey's cohort column may hold the `id` or any of the `labels` (as a Google Form's
    "Which session did you attend?" answer would).
    """

    id: str = Field(min_length=1)
    site: str
    date: dt.date
    labels: list[str] = Field(default_factory=list)


class Programme(Strict):
    """An initiative: its approach, audience, instruments and cohorts."""

    id: str = Field(pattern=IDENTIFIER)
    name: str
    approach: str
    audience: str
    instruments: list[str] = Field(min_length=1)
    cohorts: list[Cohort] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_cohorts(self) -> Programme:
        ids = [cohort.id for cohort in self.cohorts]
        if len(set(ids)) != len(ids):
            raise ValueError(f"programme '{self.id}' lists a cohort id twice")
        return self


CheckAction = Literal["off", "warn", "fail"]


class Speeders(Strict):
    """Responses completed implausibly fast: a duration (seconds) below `min_seconds`, below
    `min_seconds_per_item` x the mapped items, or below `median_fraction` x the file's median
    duration. `flag` marks them (`quality_flags`), `exclude` excludes them as `speeder`."""

    action: Literal["off", "flag", "exclude"] = "flag"
    min_seconds: float | None = Field(default=None, ge=0)
    min_seconds_per_item: float | None = Field(default=1.0, ge=0)
    median_fraction: float | None = Field(default=0.5, gt=0, lt=1)


class StraightLining(Strict):
    """The same answer to every answered item of an instrument that mixes reverse-keyed and
    plain items, with at least `min_items` answered: flagged, never dropped."""

    action: Literal["off", "flag"] = "flag"
    min_items: int = Field(default=6, ge=2)


class CodeShiftCheck(Strict):
    """Codes that look shifted: at least `min_share` of an instrument's answers are one below
    its lowest code (a 0 on a 1-5 scale) while the top code is (almost) never used, or one
    above its highest while the bottom code is (almost) never used."""

    action: CheckAction = "warn"
    min_share: float = Field(default=0.05, gt=0, le=1)


class ReversedItemsCheck(Strict):
    """Items that look reverse-coded: after reverse keying, an item whose correlation with the
    rest of its instrument is below `max_item_rest_r`, over at least `min_responses`."""

    action: CheckAction = "warn"
    max_item_rest_r: float = Field(default=-0.2, ge=-1, le=0)
    min_responses: int = Field(default=30, ge=3)


class WaveDatesCheck(Strict):
    """Files whose dates contradict their wave: baseline responses submitted more than
    `tolerance_days` after their cohort's session, or later-wave responses more than
    `tolerance_days` before it, in a share above `max_share` of the dated responses."""

    action: CheckAction = "warn"
    tolerance_days: int = Field(default=1, ge=0)
    max_share: float = Field(default=0.2, ge=0, lt=1)


class TypicalRangeCheck(Strict):
    """A share above `max_share` of a file's responses whose mean answer on an instrument
    (codes after reverse keying) lies outside the instrument's typical range in `ranges`
    (`{instrument id: [low, high]}`); instruments without a range are not checked."""

    action: CheckAction = "warn"
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    max_share: float = Field(default=0.5, ge=0, lt=1)

    @model_validator(mode="after")
    def _ranges_ordered(self) -> TypicalRangeCheck:
        wrong = sorted(name for name, (low, high) in self.ranges.items() if low > high)
        if wrong:
            raise ValueError(f"ranges must be [low, high] with low <= high: {wrong}")
        return self


class QuarantineShareCheck(Strict):
    """A file whose quarantined share of the records that reached validation is at least
    `max_share` (default 1.0: every one of them quarantined)."""

    action: CheckAction = "fail"
    max_share: float = Field(default=1.0, gt=0, le=1)


class Plausibility(Strict):
    """Per-file checks that warn (the default) or fail the file, as each says."""

    shifted_codes: CodeShiftCheck = CodeShiftCheck()
    reversed_items: ReversedItemsCheck = ReversedItemsCheck()
    wave_dates: WaveDatesCheck = WaveDatesCheck()
    typical_range: TypicalRangeCheck = TypicalRangeCheck()
    quarantine: QuarantineShareCheck = QuarantineShareCheck()


class Quality(Strict):
    """Exclusion and flagging policy (pipeline.quality). Excluded rows are counted, never lost;
    flags are counted and stored with the response."""

    exclude_unfinished: bool = True
    min_progress: int = Field(default=100, ge=0, le=100)
    # a row with no mapped item answered at all (a REDCap repeating-instrument or other-form
    # row, an empty submission) is excluded as `no_answers` rather than loaded empty
    exclude_empty: bool = True
    speeders: Speeders = Speeders()
    straight_lining: StraightLining = StraightLining()
    duplicate_submissions: Literal["latest", "first", "none"] = "latest"
    plausibility: Plausibility = Plausibility()


class Limits(Strict):
    """Upper bounds on one export, so a wrong file fails fast with a clear message instead of
    exhausting memory: bytes, response rows and columns; and the size above which delimited
    text is read in pieces of `chunk_bytes`, holding one piece of text in memory at a time."""

    max_bytes: int = Field(default=1024**3, ge=1)
    max_rows: int = Field(default=5_000_000, ge=1)
    max_columns: int = Field(default=5_000, ge=1)
    # delimited text larger than this is read piece by piece (pipeline.ingest.stream)
    stream_above_bytes: int = Field(default=128 * 1024**2, ge=1)
    chunk_bytes: int = Field(default=16 * 1024**2, ge=1024)


class Privacy(Strict):
    """Disclosure settings for respondent attributes and free text: the k of the k-anonymity
    check over each survey's quasi-identifiers (never below 5), and an optional file of names
    (one per line) that free-text redaction replaces."""

    k_anonymity: int = Field(default=5, ge=5)
    redact_names_file: Path | None = None


class ProjectConfig(Strict):
    """A validated `ripple.yml`."""

    project: str
    # the project's own instrument folder(s), read after Ripple's built-in library
    instruments_dir: Path | list[Path] = Path("instruments")
    out_dir: Path = Path("out")
    min_cell_size: int = Field(default=10, ge=5)
    waves: list[Wave] = Field(min_length=2)
    quality: Quality = Quality()
    limits: Limits = Limits()
    privacy: Privacy = Privacy()
    linkage: Linkage = Linkage()
    programmes: list[Programme] = Field(min_length=1)
    surveys: dict[str, Survey] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    scoring: dict[str, InstrumentScoring] = Field(default_factory=dict)

    @field_validator("scoring")
    @classmethod
    def _scoring_names_instruments(
        cls, value: dict[str, InstrumentScoring]
    ) -> dict[str, InstrumentScoring]:
        """`scoring` is keyed by instrument id; whether the instrument exists and can apply
        the rule is checked against the instrument files (instruments.check_scoring)."""
        bad = sorted(name for name in value if not re.fullmatch(IDENTIFIER, name))
        if bad:
            raise ValueError(f"scoring: {bad} are not instrument ids")
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> ProjectConfig:
        wave_ids = [w.id for w in self.waves]
        if len(set(wave_ids)) != len(wave_ids):
            raise ValueError("wave ids must be unique")
        programme_ids = [p.id for p in self.programmes]
        if len(set(programme_ids)) != len(programme_ids):
            raise ValueError("programme ids must be unique")
        for name, survey in self.surveys.items():
            _check_survey_waves(f"surveys.{name}", survey, wave_ids)
        for n, source in enumerate(self.sources):
            _check_source(f"sources.{n}", source, self, programme_ids, wave_ids)
        paths = [s.path for s in self.sources]
        if len(set(paths)) != len(paths):
            raise ValueError("a source file is listed twice")
        return self

    def programme(self, programme_id: str) -> Programme:
        return next(p for p in self.programmes if p.id == programme_id)

    @property
    def baseline_wave(self) -> str:
        return self.waves[0].id


def _check_survey_waves(where: str, survey: Survey, wave_ids: list[str]) -> None:
    """Wave ids a survey names (its wave column's values, follow-up offsets) must exist."""
    named = list(survey.wave.values.values()) if survey.wave else []
    rule = survey.cohort_rule
    if rule and rule.nearest_session:
        named += list(rule.nearest_session.offset_days)
    unknown = sorted(set(named) - set(wave_ids))
    if unknown:
        raise ValueError(f"{where}: unknown wave(s) {unknown}; the waves are {wave_ids}")


def _check_source(
    where: str, source: Source, config: ProjectConfig, programme_ids: list[str], waves: list[str]
) -> None:
    """A source's survey, programme, wave and cohort resolve, from the file or its survey."""
    if source.survey not in config.surveys:
        raise ValueError(f"{where}.survey: unknown survey '{source.survey}'")
    if source.programme not in programme_ids:
        raise ValueError(f"{where}.programme: unknown programme '{source.programme}'")
    survey = config.surveys[source.survey]
    if source.wave is not None and source.wave not in waves:
        raise ValueError(f"{where}.wave: unknown wave '{source.wave}'")
    if source.wave is None and survey.wave is None:
        raise ValueError(
            f"{where}.wave: give the file's wave, or a wave column in survey '{source.survey}'"
        )
    cohorts = [c.id for c in config.programme(source.programme).cohorts]
    if source.cohort is not None and source.cohort not in cohorts:
        raise ValueError(
            f"{where}.cohort: '{source.cohort}' is not a cohort of programme '{source.programme}'"
        )
    if source.cohort is None and survey.cohort is None:
        raise ValueError(
            f"{where}.cohort: give the file's cohort, or a cohort rule in survey "
            f"'{source.survey}' (a column, or nearest_session)"
        )


class LoadedConfig(Strict):
    """A config together with the file it came from, so relative paths can be resolved."""

    path: Path
    config: ProjectConfig
    sha256: str

    def resolve(self, relative: Path) -> Path:
        return (self.path.parent / relative).resolve()


def load_config(path: Path) -> LoadedConfig:
    """Read and validate `ripple.yml`; every error names the file and the key."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from exc
    try:
        raw = yaml.safe_load(data)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    try:
        config = ProjectConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc)) from exc
    return LoadedConfig(path=path.resolve(), config=config, sha256=hashlib.sha256(data).hexdigest())


def check_against_instruments(loaded: LoadedConfig, instruments: dict[str, Instrument]) -> None:
    """Every programme's instruments exist and every mapped item belongs to one of them."""
    config = loaded.config
    problems = []
    for n, programme in enumerate(config.programmes):
        for name in programme.instruments:
            if name not in instruments:
                problems.append(f"programmes.{n}.instruments: unknown instrument '{name}'")
    item_owner = {i: ins.id for ins in instruments.values() for i in ins.item_ids}
    for name, survey in config.surveys.items():
        for column, item_id in survey.items.items():
            if item_id not in item_owner:
                problems.append(f"surveys.{name}.items.{column}: unknown item '{item_id}'")
        problems += _survey_answer_problems(f"surveys.{name}", survey, instruments, item_owner)
    problems += [
        f"quality.plausibility.typical_range.ranges.{name}: unknown instrument '{name}'"
        for name in config.quality.plausibility.typical_range.ranges
        if name not in instruments
    ]
    for n, source in enumerate(config.sources):
        allowed = set(config.programme(source.programme).instruments)
        survey = config.surveys[source.survey]
        foreign = sorted(
            {item_owner[i] for i in survey.items.values() if i in item_owner} - allowed
        )
        if foreign:
            problems.append(
                f"sources.{n}: survey '{source.survey}' maps items of {foreign}, which "
                f"programme '{source.programme}' does not list"
            )
    if problems:
        raise ConfigError("\n".join(f"{loaded.path}: {p}" for p in problems))


def _survey_answer_problems(
    where: str, survey: Survey, instruments: dict[str, Instrument], item_owner: dict[str, str]
) -> list[str]:
    """A survey's own labels and special codes must name a known instrument or item, and its
    labels must map to one of the instrument's codes."""
    problems = []
    for section, names in (("labels", survey.labels), ("item_codes", survey.item_codes)):
        for name in names:
            if name not in instruments and name not in item_owner:
                problems.append(f"{where}.{section}.{name}: not an instrument or item id")
    for name, labels in survey.labels.items():
        owner = instruments.get(name) or instruments.get(item_owner.get(name, ""))
        if owner is None:
            continue
        scale = owner.response_scale
        for label, code in labels.items():
            if isinstance(code, int) and not scale.min <= code <= scale.max:
                problems.append(
                    f"{where}.labels.{name}.{label}: code {code} is outside "
                    f"{owner.id}'s codes {scale.min}-{scale.max}"
                )
    return problems
