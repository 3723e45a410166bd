"""The research warehouse (ripple.duckdb): schema, carrying earlier runs forward, landing a
run's rows, and the reference tables.

The live file is never written. Each run builds a new file under a temporary name: the
schema, the previous warehouse's landed rows, this run's rows and every model, in one
transaction. Only a complete, checked file is swapped in (pipeline.publish).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.config import LoadedConfig
from pipeline.errors import DataError
from pipeline.instruments import Instrument, reference_frames
from pipeline.sql import split_statements

SCHEMA_SQL = resources.files("pipeline") / "warehouse.sql"
# Tables every run appends to; they are copied forward from the previous warehouse.
APPEND_TABLES = (
    "runs",
    "source_files",
    "exclusions",
    "quarantine",
    "landing.responses",
    "landing.item_responses",
)


@dataclass(frozen=True)
class PriorState:
    """What earlier runs already loaded: file hashes and the landed responses' keys."""

    loaded_files: frozenset[str]
    responses: pd.DataFrame  # response_key, participant_key, participant_id_key, programme_id,
    # cohort_id, wave_id

    @classmethod
    def empty(cls) -> PriorState:
        columns = [
            "response_key",
            "participant_key",
            "participant_id_key",
            "programme_id",
            "cohort_id",
            "wave_id",
        ]
        return cls(frozenset(), pd.DataFrame(columns=columns, dtype="object"))


def read_prior_state(path: Path) -> PriorState:
    """Read the existing warehouse (read-only) to know which files and responses it holds."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DataError(f"{path}: cannot open the existing warehouse: {exc}") from exc
    with con:
        try:
            files = con.execute(
                "select distinct source_sha256 from source_files where status = 'loaded'"
            ).fetchall()
            columns = {
                name
                for (name,) in con.execute(
                    "select column_name from duckdb_columns() "
                    "where schema_name = 'landing' and table_name = 'responses'"
                ).fetchall()
            }
            # warehouses from before platform participant ids have no participant_id_key
            id_key = "participant_id_key" if "participant_id_key" in columns else "null"
            responses = con.execute(
                "select response_key, participant_key, "  # noqa: S608 - fixed text only
                f"{id_key} as participant_id_key, programme_id, cohort_id, wave_id "
                "from landing.responses"
            ).df()
        except duckdb.Error as exc:
            raise DataError(
                f"{path}: not a Ripple warehouse this version can extend ({exc}); "
                "run with --rebuild to rebuild it from the exports"
            ) from exc
    return PriorState(frozenset(sha for (sha,) in files), responses.astype("object"))


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every audit, landing and reference table, with its COMMENT ON documentation."""
    for statement in split_statements(SCHEMA_SQL.read_text(encoding="utf-8")):
        con.execute(statement)


def carry_forward(con: duckdb.DuckDBPyConnection, previous: Path) -> None:
    """Copy the previous warehouse's appended tables into the new one."""
    con.execute("attach ? as previous (read_only)", [str(previous)])
    try:
        for table in APPEND_TABLES:
            # table names come from APPEND_TABLES, never from input
            con.execute(f"insert into {table} by name select * from previous.{table}")  # noqa: S608
    except duckdb.Error as exc:
        raise DataError(
            f"{previous}: cannot carry its rows forward ({exc}); run with --rebuild"
        ) from exc
    finally:
        con.execute("detach previous")


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append a DataFrame to `table`, matching columns by name."""
    if frame.empty:
        return
    con.register("frame_to_insert", frame)
    try:
        # `table` is one of Ripple's own table names, never input
        con.execute(f"insert into {table} by name select * from frame_to_insert")  # noqa: S608
    finally:
        con.unregister("frame_to_insert")


def config_reference_frames(loaded: LoadedConfig) -> dict[str, pd.DataFrame]:
    """Programmes, cohorts and waves from the project config, as reference tables."""
    config = loaded.config
    programmes = pd.DataFrame(
        [
            {"programme_id": p.id, "name": p.name, "approach": p.approach, "audience": p.audience}
            for p in config.programmes
        ]
    )
    cohorts = pd.DataFrame(
        [
            {"programme_id": p.id, "cohort_id": c.id, "site": c.site, "cohort_date": c.date}
            for p in config.programmes
            for c in p.cohorts
        ]
    )
    waves = pd.DataFrame(
        [{"wave_id": w.id, "label": w.label, "wave_order": n} for n, w in enumerate(config.waves)]
    )
    return {"programmes": programmes, "cohorts": cohorts, "waves": waves}


def write_reference(
    con: duckdb.DuckDBPyConnection, loaded: LoadedConfig, instruments: dict[str, Instrument]
) -> None:
    """Fill the reference tables from the config and the instrument files."""
    for table, frame in (config_reference_frames(loaded) | reference_frames(instruments)).items():
        insert_frame(con, table, frame)
