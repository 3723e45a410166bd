"""The warehouse's data dictionary, read back from a schema built in memory, so it can never
disagree with what `ripple run` creates."""

from __future__ import annotations

import duckdb

from pipeline.transform.runner import build_models
from pipeline.warehouse import create_schema


def data_dictionary() -> list[dict]:
    """Every relation of the warehouse with its kind, comment and documented columns."""
    with duckdb.connect() as con:
        create_schema(con)
        build_models(con, min_cell_size=10)
        relations = con.execute(
            """
            select schema_name, table_name, 'table' as kind, comment from duckdb_tables()
            union all
            select schema_name, view_name, 'view', comment from duckdb_views()
            where not internal
            order by schema_name = 'main' desc, schema_name, table_name
            """
        ).fetchall()
        columns = con.execute(
            "select schema_name, table_name, column_name, data_type, comment "
            "from duckdb_columns() order by column_index"
        ).fetchall()
    return [
        {
            "name": name if schema == "main" else f"{schema}.{name}",
            "kind": kind,
            "comment": comment or "",
            "columns": [
                {"name": c[2], "type": c[3], "comment": c[4] or ""}
                for c in columns
                if c[0] == schema and c[1] == name
            ],
        }
        for schema, name, kind, comment in relations
    ]
