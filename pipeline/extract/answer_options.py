"""The extract's reference rows that come from the instrument definitions: every answer an
item can take (answer_options) and, where an instrument ships it, item wording."""

from __future__ import annotations

import duckdb

from pipeline.instruments import Instrument


def answer_grid(
    con: duckdb.DuckDBPyConnection, instruments: dict[str, Instrument] | None
) -> dict[str, list[str]]:
    """Every answer an item of each instrument can take, in display order, and
    answer_options rows."""
    grid: dict[str, list[str]] = {}
    rows = []
    used = con.execute(
        "select instrument_id, code_min, code_max from wh.instruments "
        "where instrument_id in (select distinct instrument_id from wh.item_responses) "
        "order by instrument_id"
    ).fetchall()
    for instrument_id, code_min, code_max in used:
        definition = (instruments or {}).get(instrument_id)
        scale = definition.response_scale if definition else None
        labels = {
            str(c): (scale.labels.get(c) if scale else None) or str(c)
            for c in range(code_min, code_max + 1)
        }
        if scale is None or scale.dont_know is not None:
            labels["dont_know"] = scale.dont_know.labels[0] if scale else "Don't know"
        labels["missing"] = "No answer"
        grid[instrument_id] = list(labels)
        rows += [(instrument_id, a, i, label) for i, (a, label) in enumerate(labels.items())]
    if rows:  # a run that loaded no answers has no answer options to publish
        con.executemany("insert into answer_options values (?, ?, ?, ?)", rows)
    return grid


def describe_items(
    con: duckdb.DuckDBPyConnection, instruments: dict[str, Instrument] | None
) -> None:
    """Item wording, only where an instrument ships it."""
    for definition in (instruments or {}).values():
        if not definition.wording_shipped:
            continue
        for item in definition.items:
            if item.text:
                con.execute("update items set wording = ? where item_id = ?", [item.text, item.id])
