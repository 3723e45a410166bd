"""Linkage tests: land typed SGIC answers through the pipeline's own normalisation, keyed
digests and SQL models, and read back what was linked.

`link_answers(frame, ...)` takes one row per response (response_id, programme_id, cohort_id,
wave_id, optional participant_id, one column per code element and per covariate, as typed)
and returns an in-memory warehouse built with `build_models`: responses, response_link_keys,
response_linkage, linked_pairs and the linkage marts. Codes go through
`pipeline.sgic.code_fields` and `pipeline.anonymise` exactly as `ripple run` does.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
import yaml

from pipeline.anonymise import (
    link_key_columns,
    link_key_rows,
    link_keys,
    participant_id_keys,
    participant_keys,
)
from pipeline.config import Linkage, load_config
from pipeline.instruments import load_instruments
from pipeline.keys import Key
from pipeline.sgic import code_fields
from pipeline.transform.runner import build_models
from pipeline.warehouse import create_schema, insert_frame, write_reference

KEY = Key(bytes.fromhex("3c" * 32))
KINDS = ("letter", "month", "letter", "number")
WAVES = [
    {"id": "pre", "label": "Before"},
    {"id": "post", "label": "After"},
    {"id": "followup", "label": "Three months later"},
]


def config_for(cohorts: dict[str, list[tuple[str, dt.date]]]) -> dict:
    """A minimal project config naming the programmes' cohorts (and their dates)."""
    return {
        "project": "Linkage tests",
        "waves": WAVES,
        "programmes": [
            {
                "id": programme,
                "name": programme,
                "approach": "contact-based",
                "audience": "adults",
                "instruments": ["ribs"],
                "cohorts": [
                    {"id": c, "site": "Leeds", "date": day.isoformat()} for c, day in listed
                ],
            }
            for programme, listed in cohorts.items()
        ],
        "surveys": {
            "s": {
                "format": "csv",
                "cohort": "c",
                "sgic": [
                    {"column": "a", "name": "a", "kind": "letter"},
                    {"column": "b", "name": "b", "kind": "month"},
                ],
                "participant_id": "p",
                "items": {"q": "ribs_05"},
            }
        },
        "sources": [{"path": "x.csv", "survey": "s", "programme": "p1", "wave": "pre"}],
    }


@pytest.fixture
def link_answers(tmp_path, instruments_dir):
    instruments = load_instruments(instruments_dir)

    def build(
        frame: pd.DataFrame,
        elements: tuple = KINDS,
        covariates: tuple = (),
        linkage: Linkage | None = None,
        cohort_dates: dict[str, dt.date] | None = None,
    ) -> duckdb.DuckDBPyConnection:
        """Land `frame` (columns e1..ek for the elements, c1..cm for the covariates) and
        build every model. `elements`/`covariates` are kind names or SgicElement-likes."""
        dates = cohort_dates or {}
        cohorts = {
            p: [(c, dates.get(c, dt.date(2025, 1, 1))) for c in sorted(g["cohort_id"].unique())]
            for p, g in frame.groupby("programme_id")
        }
        path = tmp_path / "ripple.yml"
        path.write_text(yaml.safe_dump(config_for(cohorts)), encoding="utf-8")
        loaded = load_config(path)
        con = duckdb.connect()
        create_schema(con)
        write_reference(con, loaded, instruments)
        element_columns = [f"e{n}" for n in range(1, len(elements) + 1)]
        covariate_columns = [f"c{n}" for n in range(1, len(covariates) + 1)]
        for programme, rows in frame.groupby("programme_id", sort=True):
            rows = rows.set_axis(pd.RangeIndex(2, 2 + len(rows), name="source_row_number"))
            fields = pd.DataFrame(
                code_fields(
                    [rows[c] for c in element_columns],
                    list(elements),
                    rows.index,
                    [rows[c] for c in covariate_columns],
                    list(covariates),
                )
            )
            responses = pd.DataFrame(index=rows.index)
            responses["response_key"] = rows["response_id"].to_numpy()
            responses["participant_key"] = participant_keys(fields["sgic_code"], KEY, programme)
            ids = rows.get("participant_id")
            responses["participant_id_key"] = (
                None if ids is None else participant_id_keys(ids, KEY, programme)
            )
            responses["sgic_status"] = fields["sgic_status"]
            responses["programme_id"] = programme
            responses["cohort_id"] = rows["cohort_id"].to_numpy()
            responses["wave_id"] = rows["wave_id"].to_numpy()
            responses["submitted_month"] = dt.date(2025, 1, 1)
            responses = responses.join(link_keys(fields, KEY, programme))
            names = [getattr(e, "name", f"e{n}") for n, e in enumerate(elements, start=1)]
            keys = link_key_rows(responses, names)
            lineage = {"run_id": "r", "source_sha256": f"sha-{programme}"}
            landed = responses.drop(columns=link_key_columns(responses)).reset_index()
            insert_frame(con, "landing.responses", landed.assign(**lineage))
            insert_frame(con, "landing.response_link_keys", keys.assign(**lineage))
        build_models(con, 10, linkage)
        return con

    return build
