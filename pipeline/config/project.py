"""The whole `ripple.yml` (`ProjectConfig`): its top-level keys, and the checks that the waves,
programmes, cohorts and surveys it names resolve."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from pipeline.config.limits import Limits
from pipeline.config.linkage import Linkage
from pipeline.config.privacy import Privacy
from pipeline.config.programmes import Programme, Wave
from pipeline.config.quality import Quality
from pipeline.config.survey import Source, Survey
from pipeline.instruments import IDENTIFIER, InstrumentScoring, Strict


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
