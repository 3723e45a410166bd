"""Parquet exports, read with DuckDB: every column as text, NULL as "".

The file is opened by `read_parquet(?)` with its path bound as a parameter. Columns keep their
names (the one header row); values are cast to text in SQL, following the workbook rules so a
code reads the same from any file type: whole floating-point numbers without ".0" (a pandas
integer column with a missing value is written as DOUBLE), booleans TRUE/FALSE, timestamps in
ISO 8601 with a "T", time zones rendered in UTC. Column names can only be spliced into SQL as
quoted identifiers, never values, so each is quoted with its double quotes doubled.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from pipeline.ingest.errors import IngestError

INTEGER_TEXT_LIMIT = "1e16"  # whole doubles below it print as integers, as in workbooks
FLOATING = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def quote_identifier(name: str) -> str:
    """A column name as a DuckDB quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def text_expression(name: str, type_name: str) -> str:
    """SQL turning one column into text (see the module docstring), NULL as ''."""
    column = quote_identifier(name)
    kind = type_name.upper()
    if kind.startswith(FLOATING):
        number = f"CAST({column} AS DOUBLE)"
        expression = (
            f"CASE WHEN isfinite({number}) AND abs({number}) < {INTEGER_TEXT_LIMIT} "
            f"AND {number} = trunc({number}) THEN CAST(CAST({number} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST({number} AS VARCHAR) END"
        )
    elif kind == "BOOLEAN":
        expression = f"CASE WHEN {column} THEN 'TRUE' WHEN NOT {column} THEN 'FALSE' END"
    elif kind.startswith("TIMESTAMP"):
        expression = f"replace(CAST({column} AS VARCHAR), ' ', 'T')"
    else:
        expression = f"CAST({column} AS VARCHAR)"
    return f"coalesce({expression}, '') AS {column}"


def check_limits(
    rows: int, columns: int, path: Path, max_rows: int | None, max_columns: int | None
) -> None:
    """`too_many_rows` / `too_many_columns` from the file's metadata, before reading it."""
    if max_columns is not None and columns > max_columns:
        raise IngestError(
            path,
            "too_many_columns",
            f"the file has {columns:,} columns, above the limit of {max_columns:,}",
        )
    if max_rows is not None and rows > max_rows:
        raise IngestError(
            path,
            "too_many_rows",
            f"the file has {rows:,} responses, above the limit of {max_rows:,}",
        )


def read_parquet_text(
    path: Path, *, max_rows: int | None = None, max_columns: int | None = None
) -> tuple[list[str], np.ndarray]:
    """(column names, values as an object array of str) of a Parquet file."""
    source = str(path)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        rows = con.execute(
            "SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(?)", [source]
        ).fetchone()[0]
        described = con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [source]).description
        names = [column[0] for column in described]
        check_limits(int(rows), len(names), path, max_rows, max_columns)
        if not names:
            raise IngestError(path, "empty_file", "the Parquet file has no columns")
        select = ", ".join(text_expression(name, str(kind)) for name, kind, *_ in described)
        # Only quoted identifiers are spliced in; the path is a bound parameter.
        result = con.execute(f"SELECT {select} FROM read_parquet(?)", [source]).fetchnumpy()  # noqa: S608
    except duckdb.Error as exc:
        raise IngestError(
            path,
            "corrupt_file",
            f"the Parquet file cannot be read ({type(exc).__name__}); it is damaged or cut short",
        ) from None
    finally:
        con.close()
    values = np.empty((int(rows), len(names)), dtype=object)
    for position, name in enumerate(names):
        values[:, position] = result[name]
    return names, values
