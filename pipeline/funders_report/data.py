"""Read the dashboard extract for the report through the dashboard's own query module.

Every result table comes from `dashboard.queries` (fixed, read-only, parameterised
statements), which passes it through `dashboard.suppress.apply`: the one suppression rule of
the dashboard, its downloads and this report. A hidden row arrives with its statistics set to
None and `hidden_label` saying why; a held row with `held` True.

The stable path `<out>/dashboard.duckdb` is resolved once (`queries.pin`), so every table of
one report comes from the same release even if a run publishes a new one meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard import queries, text
from dashboard.settings import EXTRACT_VERSION
from pipeline.errors import ConfigError, DataError
from pipeline.funders_report.key_status import KeyStatus, read_key_status

#: Per-programme tables the report reads (each a `dashboard.queries` function): the cohorts
#: and every result table the dashboard shows; item answers are read per instrument (below).
PROGRAMME_TABLES = (
    "cohorts",
    *(table for table in queries.RESULT_TABLES if table != "item_distributions"),
)


@dataclass
class Extract:
    """One release of the extract, as the report reads it (rows already suppressed)."""

    path: Path  # the release file read (symlinks resolved once)
    meta: dict[str, str]
    min_cell_size: int
    waves: list[dict[str, Any]]
    scales_frame: pd.DataFrame = field(repr=False)
    programmes: list[dict[str, Any]] = field(repr=False)
    frames: dict[str, dict[str, pd.DataFrame]] = field(repr=False)  # programme -> table -> rows
    disclosure_summary: list[dict[str, Any]] = field(repr=False)
    #: programme -> instrument -> item_distributions rows (suppressed)
    item_answers: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict, repr=False)
    #: instrument -> (items, answer_options): reference rows, never about people
    item_reference: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = field(
        default_factory=dict, repr=False
    )
    key_status: KeyStatus = field(default_factory=lambda: KeyStatus({}, "none"))

    @property
    def labels(self) -> dict[str, str]:
        return {w["wave_id"]: w["label"] for w in self.waves}

    @property
    def baseline(self) -> str | None:
        return next((w["wave_id"] for w in self.waves if w["wave_order"] == 0), None)

    @property
    def later(self) -> list[str]:
        return [w["wave_id"] for w in self.waves if w["wave_order"] > 0]

    @property
    def scales(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(s["instrument_id"], s["scale_id"]): s for s in text.records(self.scales_frame)}

    def frame(self, programme_id: str, table: str) -> pd.DataFrame:
        """A programme's rows of a result table (suppressed)."""
        return self.frames[programme_id][table]

    def rows(self, programme_id: str, table: str, **where: Any) -> list[dict[str, Any]]:
        """A programme's rows of a table (dicts, missing values None) whose columns equal
        `where` (None matches a missing value)."""
        return [
            row
            for row in text.records(self.frame(programme_id, table))
            if all(row.get(column) == value for column, value in where.items())
        ]

    def one(self, programme_id: str, table: str, **where: Any) -> dict[str, Any] | None:
        found = self.rows(programme_id, table, **where)
        return found[0] if found else None


def load(path: str | Path) -> Extract:
    """Every table the report needs, from one release of the extract at `path`.

    Raises:
        ConfigError: no extract at `path`.
        DataError: the file is not a readable dashboard extract of the version the
            dashboard reads.
    """
    given = Path(path).expanduser().absolute()
    try:
        release = queries.pin(given)
    except queries.ExtractError as exc:
        raise ConfigError(f"no dashboard extract at {given}; run `ripple run` first") from exc
    try:
        missing = queries.missing_tables(release)
        if missing:
            raise DataError(text.unreadable_extract_message(given, missing))
        version = queries.extract_version(release)
        if version is not None and version != EXTRACT_VERSION:
            raise DataError(
                f"{given} is a version-{version} dashboard extract; this Ripple reads version "
                f"{EXTRACT_VERSION}: run `ripple run` to rebuild it"
            )
        programmes = text.records(queries.programmes(release))
        frames = {
            p["programme_id"]: {
                table: getattr(queries, table)(release, p["programme_id"])
                for table in PROGRAMME_TABLES
            }
            for p in programmes
        }
        item_answers = {
            p["programme_id"]: {
                instrument: queries.item_distributions(release, p["programme_id"], instrument)
                for instrument in queries.item_instruments(release, p["programme_id"])
            }
            for p in programmes
        }
        instruments = {i for answers in item_answers.values() for i in answers}
        item_reference = {
            i: (queries.items(release, i), queries.answer_options(release, i))
            for i in sorted(instruments)
        }
        meta = queries.meta(release)
        return Extract(
            path=release,
            meta={str(k): str(v) for k, v in zip(meta["key"], meta["value"], strict=True)},
            min_cell_size=queries.min_cell_size(release),
            waves=text.records(queries.waves(release)),
            scales_frame=queries.scales(release),
            programmes=programmes,
            frames=frames,
            disclosure_summary=text.records(queries.disclosure_summary(release)),
            item_answers=item_answers,
            item_reference=item_reference,
            key_status=read_key_status(release),
        )
    except (duckdb.Error, queries.ExtractError) as exc:
        raise DataError(text.unreadable_extract_message(given)) from exc
