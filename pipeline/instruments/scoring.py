"""A project's scoring choices checked against its instruments: the don't-know rule in force and
the user's conversion tables for lookup scales (SWEMWBS raw -> metric score).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from pipeline.errors import ConfigError
from pipeline.instruments.schema import DontKnowRule, Instrument, InstrumentScoring


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
