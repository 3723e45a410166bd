"""pipeline.transform.runner: every model is built in layer order and documented."""

import duckdb
import pytest

from pipeline.errors import RippleError
from pipeline.transform.runner import LAYERS, Model, build_models, document, load_models
from pipeline.warehouse import create_schema

CONTRACT = {"responses", "item_responses", "scores", "linked_pairs", "change_scores"}


def test_models_cover_the_contract_and_follow_the_layers():
    models = load_models()
    names = {m.name for m in models}
    assert names >= CONTRACT
    assert [m.layer for m in models] == sorted((m.layer for m in models), key=LAYERS.index)
    assert all(m.name.startswith("mart_") for m in models if m.layer == "marts")


def test_every_relation_and_column_is_documented():
    with duckdb.connect() as con:
        create_schema(con)
        build_models(con, min_cell_size=10)
        undocumented = con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where comment is null and not internal"
        ).fetchall()
        tables = con.execute(
            "select table_name from duckdb_tables() "
            "where comment is null and not internal union all "
            "select view_name from duckdb_views() where comment is null and not internal"
        ).fetchall()
    assert undocumented == [] and tables == []


def test_a_model_whose_columns_drift_from_its_docs_stops_the_build():
    with duckdb.connect() as con:
        con.execute("create table drifted as select 1 as a, 2 as b")
        model = Model("drifted", "scored", "table", "", "doc", {"a": "A"})
        with pytest.raises(RippleError, match="documents"):
            document(con, model, "table")
