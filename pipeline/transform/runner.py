"""Run the SQL models: each layer in order (staging -> scored -> marts), each model as
`create or replace <view|table> <file stem> as <file body>`, then document it with COMMENT ON.

A layer's `_models.yml` sets its materialisation and lists its models in build order, each with
its grain and a description of every column. A model whose columns do not match its
documentation stops the build: the warehouse's data dictionary can never fall behind the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import yaml

from pipeline.errors import RippleError
from pipeline.sql import quote_identifier, quote_literal
from pipeline.survey_config import Linkage
from pipeline.transform import stats

LAYERS = ("staging", "scored", "marts")
SQL_DIR = Path(str(resources.files("pipeline.transform") / "sql"))


@dataclass(frozen=True)
class Model:
    """One SQL model: its relation name, materialisation, SQL and documentation."""

    name: str
    layer: str
    materialized: str
    sql: str
    description: str
    columns: dict[str, str]


def load_models(sql_dir: Path = SQL_DIR) -> list[Model]:
    """Every model of every layer, in build order."""
    models = []
    for layer in LAYERS:
        spec = yaml.safe_load((sql_dir / layer / "_models.yml").read_text(encoding="utf-8"))
        for entry in spec["models"]:
            sql = (sql_dir / layer / f"{entry['name']}.sql").read_text(encoding="utf-8")
            models.append(
                Model(
                    name=entry["name"],
                    layer=layer,
                    materialized=spec["materialized"],
                    sql=sql,
                    description=entry["description"],
                    columns=entry["columns"],
                )
            )
    return models


def build_models(
    con: duckdb.DuckDBPyConnection, min_cell_size: int, linkage: Linkage | None = None
) -> list[Model]:
    """Build and document every model on `con` (inside the caller's transaction), with the
    project's linkage settings (default: one-element links on, within the same cohort)."""
    stats.register(con)
    con.execute("set variable min_cell_size = ?", [min_cell_size])
    linkage = linkage or Linkage()
    con.execute("set variable linkage_fuzzy = ?::boolean", [linkage.fuzzy])
    window = -1 if linkage.cohort_window_days is None else linkage.cohort_window_days
    con.execute("set variable linkage_cohort_window_days = ?::integer", [window])
    models = load_models()
    for model in models:
        kind = "view" if model.materialized == "view" else "table"
        con.execute(f"create or replace {kind} {quote_identifier(model.name)} as {model.sql}")
        document(con, model, kind)
    return models


def document(con: duckdb.DuckDBPyConnection, model: Model, kind: str) -> None:
    """COMMENT ON the relation and each of its columns, after checking the docs match."""
    actual = [
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() "
            "where schema_name = 'main' and table_name = ? order by column_index",
            [model.name],
        ).fetchall()
    ]
    if actual != list(model.columns):
        raise RippleError(
            f"internal error: model {model.name} has columns {actual} but its _models.yml "
            f"documents {list(model.columns)}"
        )
    name = quote_identifier(model.name)
    con.execute(f"comment on {kind} {name} is {quote_literal(model.description)}")
    for column, text in model.columns.items():
        con.execute(f"comment on column {name}.{quote_identifier(column)} is {quote_literal(text)}")
