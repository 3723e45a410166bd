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
    "landing.respondent_attributes",
    "landing.free_text",
    "response_updates",
    "landing.response_link_keys",
)
# Lineage and month of each landed response, read with its keys (for updates and their log).
PRIOR_COLUMNS = [
    "response_key",
    "participant_key",
    "participant_id_key",
    "programme_id",
    "cohort_id",
    "wave_id",
    "submitted_month",
    "run_id",
    "source_sha256",
    "source_row_number",
]


@dataclass(frozen=True)
class PriorState:
    """What earlier runs already loaded: file hashes, the landed responses' keys, month and
    lineage (PRIOR_COLUMNS), and the warehouse's path to compare responses' content."""

    loaded_files: frozenset[str]
    responses: pd.DataFrame
    path: Path | None = None

    @classmethod
    def empty(cls) -> PriorState:
        return cls(frozenset(), pd.DataFrame(columns=PRIOR_COLUMNS, dtype="object"))

    def with_contents(self, keys: pd.Series) -> pd.DataFrame:
        """`responses` with a `content` digest (pipeline.quality.duplicates) for those of
        `keys` the warehouse holds (None for the others)."""
        landed = self.responses.assign(content=None)
        wanted = landed["response_key"].isin(set(keys))
        if self.path is None or not wanted.any():
            return landed
        contents = landed_contents(self.path, landed.loc[wanted, "response_key"])
        landed["content"] = landed["response_key"].map(contents).astype("object")
        return landed


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() "
            "where schema_name = 'landing' and table_name = ?",
            [table],
        ).fetchall()
    }


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
            columns = _columns(con, "responses")
            # warehouses from before platform participant ids have no participant_id_key
            selected = ", ".join(
                c if c in columns else f"null as {c}"  # fixed names only, never input
                for c in PRIOR_COLUMNS
            )
            responses = con.execute(f"select {selected} from landing.responses").df()  # noqa: S608
        except duckdb.Error as exc:
            raise DataError(
                f"{path}: not a Ripple warehouse this version can extend ({exc}); "
                "run with --rebuild to rebuild it from the exports"
            ) from exc
    return PriorState(frozenset(sha for (sha,) in files), responses.astype("object"), path)


def landed_contents(path: Path, keys: pd.Series) -> pd.Series:
    """Content digest of the given landed responses, by response_key, computed exactly as for
    a run's candidates (pipeline.quality.duplicates.CONTENT_SQL)."""
    from pipeline.quality.duplicates import content_digests

    with duckdb.connect(str(path), read_only=True) as con:
        responses, items = _columns(con, "responses"), _columns(con, "item_responses")
        id_key = "participant_id_key" if "participant_id_key" in responses else "null"
        status = "answer_status" if "answer_status" in items else "null"
        con.register("wanted_keys", pd.DataFrame({"response_key": keys.astype(str).to_numpy()}))
        # fixed column names only, never input
        con.execute(
            "create temp view prior_responses as select response_key as row_key, cohort_id, "  # noqa: S608
            f"wave_id, participant_key, {id_key} as participant_id_key, sgic_status "
            "from landing.responses semi join wanted_keys using (response_key)"
        )
        con.execute(
            "create temp view prior_items as select response_key as row_key, item_id, "  # noqa: S608
            f"raw_value, {status} as answer_status from landing.item_responses "
            "semi join wanted_keys using (response_key)"
        )
        found = content_digests(con, "prior_responses", "prior_items")
    return found.set_index("row_key")["content"]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every audit, landing and reference table, with its COMMENT ON documentation."""
    for statement in split_statements(SCHEMA_SQL.read_text(encoding="utf-8")):
        con.execute(statement)


def carry_forward(
    con: duckdb.DuckDBPyConnection, previous: Path, updates: pd.DataFrame | None = None
) -> None:
    """Copy the previous warehouse's appended tables into the new one, except the landed rows
    of the responses this run updates (`updates`: RunReport.updates()); those are logged in
    `response_updates` with their previous lineage, and their new rows land with the run."""
    replaced = [] if updates is None or updates.empty else list(updates["response_key"])
    con.execute("attach ? as previous (read_only)", [str(previous)])
    con.register("replaced_keys", pd.DataFrame({"response_key": pd.Series(replaced, dtype=str)}))
    try:
        present = {
            f"{schema}.{name}" if schema != "main" else name
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = ?",
                ["previous"],
            ).fetchall()
        }
        # a warehouse from an earlier release lacks the tables added since: nothing to carry
        for table in (t for t in APPEND_TABLES if t in present):
            # table names come from APPEND_TABLES, never from input
            keep = (
                " where response_key not in (select response_key from replaced_keys)"
                if replaced and table.startswith("landing.")
                else ""
            )
            con.execute(f"insert into {table} by name select * from previous.{table}{keep}")  # noqa: S608
    except duckdb.Error as exc:
        raise DataError(
            f"{previous}: cannot carry its rows forward ({exc}); run with --rebuild"
        ) from exc
    finally:
        con.execute("detach previous")
        con.unregister("replaced_keys")
    if replaced:
        insert_frame(con, "response_updates", updates)


def insert_frame(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    constants: dict[str, str] | None = None,
) -> None:
    """Append a DataFrame to `table`, matching columns by name; `constants` are text columns
    with one value for every row (lineage such as run_id), bound as parameters rather than
    repeated in the frame."""
    if frame.empty:
        return
    constants = constants or {}
    # column names are Ripple's own (checked identifiers), values are bound
    extra = "".join(f", ?::varchar as {name}" for name in constants if name.isidentifier())
    con.register("frame_to_insert", frame)
    try:
        # `table` is one of Ripple's own table names, never input
        con.execute(
            f"insert into {table} by name select *{extra} from frame_to_insert",  # noqa: S608
            list(constants.values()),
        )
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
    instrument_frames = reference_frames(instruments, loaded.config.scoring, loaded.path.parent)
    for table, frame in (config_reference_frames(loaded) | instrument_frames).items():
        insert_frame(con, table, frame)
