"""Reading `ripple.yml` (`load_config`) and checking it against the instrument files
(`check_against_instruments`); every error names the file and the key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipeline.config.project import ProjectConfig
from pipeline.config.survey import Survey
from pipeline.errors import ConfigError
from pipeline.instruments import Instrument, Strict, format_validation_error


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
