"""The project config (`ripple.yml`): its pydantic schema and loader.

A config names the programmes and their workshop cohorts, the survey waves, how each survey's
columns map to instrument items (by a stable key: the Qualtrics ImportId, or the header text for
formats that have nothing better), and which export files to read. Paths are relative to the
config file. Errors name the file and the key. The pseudonymisation key never lives here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from pipeline.errors import ConfigError
from pipeline.instruments import IDENTIFIER, Instrument, Strict, format_validation_error

ExportFormat = Literal["qualtrics", "google_forms", "csv"]
SgicKind = Literal["letter", "month", "number"]


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


class SgicElement(Strict):
    """One question of the self-generated identification code, e.g. "first letter of your
    mother's first name" (`letter`), "month you were born" (`month`), "number of older
    siblings" (`number`)."""

    column: str
    name: str = Field(pattern=IDENTIFIER)
    kind: SgicKind


class Survey(Strict):
    """How one survey's export maps onto Ripple's fields.

    Column keys are Qualtrics ImportIds (`QID5_1`, `_recordId`, embedded-data names) for
    `qualtrics` exports, and the exact header text for `google_forms` and `csv` exports.
    `values` says whether item answers are numeric codes or answer labels.
    Columns not named here are never loaded.
    """

    format: ExportFormat
    values: Literal["codes", "labels"]
    response_id: str | None = None
    submitted_at: str
    timestamp_format: str | None = None
    cohort: str
    sgic: list[SgicElement] = Field(min_length=2)
    items: dict[str, str] = Field(min_length=1)

    @model_validator(mode="after")
    def _columns_used_once(self) -> Survey:
        used = [self.submitted_at, self.cohort, *(e.column for e in self.sgic), *self.items]
        if self.response_id:
            used.append(self.response_id)
        dupes = sorted({c for c in used if used.count(c) > 1})
        if dupes:
            raise ValueError(f"columns mapped more than once: {dupes}")
        names = [e.name for e in self.sgic]
        if len(set(names)) != len(names):
            raise ValueError("sgic element names must be unique")
        items = list(self.items.values())
        if len(set(items)) != len(items):
            raise ValueError("an item is mapped from two columns")
        return self


class Source(Strict):
    """One export file: which survey mapping reads it, for which programme and wave."""

    path: Path
    survey: str
    programme: str
    wave: str


class Quality(Strict):
    """Exclusion policy applied before validation. Excluded rows are counted, never lost."""

    exclude_unfinished: bool = True
    min_progress: int = Field(default=100, ge=0, le=100)


class ProjectConfig(Strict):
    """A validated `ripple.yml`."""

    project: str
    instruments_dir: Path = Path("instruments")
    out_dir: Path = Path("out")
    min_cell_size: int = Field(default=10, ge=5)
    waves: list[Wave] = Field(min_length=2)
    quality: Quality = Quality()
    programmes: list[Programme] = Field(min_length=1)
    surveys: dict[str, Survey] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> ProjectConfig:
        wave_ids = [w.id for w in self.waves]
        if len(set(wave_ids)) != len(wave_ids):
            raise ValueError("wave ids must be unique")
        programme_ids = [p.id for p in self.programmes]
        if len(set(programme_ids)) != len(programme_ids):
            raise ValueError("programme ids must be unique")
        for n, source in enumerate(self.sources):
            where = f"sources.{n}"
            if source.survey not in self.surveys:
                raise ValueError(f"{where}.survey: unknown survey '{source.survey}'")
            if source.programme not in programme_ids:
                raise ValueError(f"{where}.programme: unknown programme '{source.programme}'")
            if source.wave not in wave_ids:
                raise ValueError(f"{where}.wave: unknown wave '{source.wave}'")
        paths = [s.path for s in self.sources]
        if len(set(paths)) != len(paths):
            raise ValueError("a source file is listed twice")
        return self

    def programme(self, programme_id: str) -> Programme:
        return next(p for p in self.programmes if p.id == programme_id)

    @property
    def baseline_wave(self) -> str:
        return self.waves[0].id


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
