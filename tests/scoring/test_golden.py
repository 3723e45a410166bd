"""Golden scoring cases: responses in, scale scores out, through the real reference tables and
the staging -> scored SQL models. Every case is a folder under `cases/`, worked by hand from
the instrument's published key in its README.md:

- `responses.csv`: one row per response, one column per item; a code, blank = unanswered,
  `DK` = "don't know" (landed as ingest lands it: answer_status dont_know, raw_value = the
  instrument's `dont_know.score_as` or NULL);
- `expected_scores.csv`: `response, scale_id, score` and optionally `n_items_answered`,
  `n_dont_know`, `is_prorated`; every scores row of the case must be listed, and no other
  (a header-only file means nothing is scored);
- `case.yml` (optional): the project config's `scoring` section, e.g.
  `scoring: {ribs: {dont_know: missing}}`; conversion-table paths are relative to the case;
- `instruments/` (optional): the project's own instrument folder, read after the built-in
  library, as `instruments_dir` would be;
- `expected_items.csv` (optional): `response, item_id` and any of `raw_value`,
  `answer_status`, `scored_value` to check in item_responses;
- `expected_error.txt` (optional): the case's definitions or config must be refused with a
  message containing each of its lines (then there is nothing else to check).

Adding an instrument means adding a case here; no code changes.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.instruments import load_project_instruments
from pipeline.transform.runner import build_models
from pipeline.warehouse import create_schema, insert_frame, write_reference

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())
DONT_KNOW = "DK"
LINEAGE = {"run_id": "r", "source_sha256": "f", "source_row_number": 2}


def project_config(case: Path) -> dict:
    """A minimal valid ripple.yml for the case, with its scoring section and its own
    instrument folder (paths made absolute, since the config is written elsewhere)."""
    extra = yaml.safe_load((case / "case.yml").read_text()) if (case / "case.yml").exists() else {}
    scoring = extra.get("scoring", {})
    for choice in scoring.values():
        tables = choice.get("conversion_tables", {})
        for scale_id, path in tables.items():
            tables[scale_id] = str((case / path).resolve())
    config = {
        "project": f"Golden case {case.name}",
        "waves": [{"id": "pre", "label": "Before"}, {"id": "post", "label": "After"}],
        "programmes": [
            {
                "id": "p1",
                "name": "Programme one",
                "approach": "contact-based",
                "audience": "adults",
                "instruments": ["ribs"],
                "cohorts": [{"id": "c1", "site": "Leeds", "date": "2025-01-15"}],
            }
        ],
        "surveys": {
            "s": {
                "format": "csv",
                "values": "codes",
                "submitted_at": "t",
                "cohort": "c",
                "sgic": [
                    {"column": "a", "name": "a", "kind": "letter"},
                    {"column": "b", "name": "b", "kind": "month"},
                ],
                "items": {"q": "ribs_05"},
            }
        },
        "sources": [{"path": "x.csv", "survey": "s", "programme": "p1", "wave": "pre"}],
        "scoring": scoring,
    }
    if (case / "instruments").is_dir():
        config["instruments_dir"] = str((case / "instruments").resolve())
    return config


def landed_items(responses: pd.DataFrame, instruments: dict) -> pd.DataFrame:
    """Long item rows as ingest lands them, "DK" becoming a don't-know answer."""
    owner = {i: ins for ins in instruments.values() for i in ins.item_ids}
    long = responses.melt(id_vars="response", var_name="item_id", value_name="answer")
    rows = []
    for r in long.itertuples(index=False):
        answer = None if pd.isna(r.answer) else str(r.answer).strip()
        if answer == DONT_KNOW:
            option = owner[r.item_id].response_scale.dont_know
            assert option is not None, f"{r.item_id}: the instrument has no don't-know option"
            raw, status = option.score_as, "dont_know"
        elif answer in (None, ""):
            raw, status = None, "missing"
        else:
            raw, status = int(answer), "answered"
        rows.append(
            {
                "response_key": r.response,
                "item_id": r.item_id,
                "raw_value": raw,
                "answer_status": status,
            }
        )
    frame = pd.DataFrame(rows).assign(**LINEAGE)
    frame["raw_value"] = frame["raw_value"].astype("Int16")
    return frame


def build(case: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Load the case's config and instruments, land its responses and build every model."""
    config_path = tmp_path / "ripple.yml"
    config_path.write_text(yaml.safe_dump(project_config(case)), encoding="utf-8")
    loaded = load_config(config_path)
    instruments = load_project_instruments(loaded)
    responses = pd.read_csv(case / "responses.csv", dtype=str, keep_default_na=False)
    responses = responses.replace({"": None})
    con = duckdb.connect()
    create_schema(con)
    write_reference(con, loaded, instruments)
    people = pd.DataFrame(
        {
            "response_key": responses["response"],
            "participant_key": None,
            "sgic_status": "missing",
            "programme_id": "p1",
            "cohort_id": "c1",
            "wave_id": "pre",
            "submitted_month": pd.Timestamp("2025-01-01").date(),
        }
    ).assign(**LINEAGE)
    insert_frame(con, "landing.responses", people)
    insert_frame(con, "landing.item_responses", landed_items(responses, instruments))
    build_models(con, 10)
    return con


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scores_match_the_worked_example(case: Path, tmp_path: Path) -> None:
    assert (case / "README.md").exists(), "every case explains its worked example"
    if (case / "expected_error.txt").exists():
        expected = [
            line.strip()
            for line in (case / "expected_error.txt").read_text().splitlines()
            if line.strip()
        ]
        with pytest.raises(ConfigError) as caught:
            build(case, tmp_path)
        for fragment in expected:
            assert fragment in str(caught.value)
        return
    con = build(case, tmp_path)
    expected = pd.read_csv(case / "expected_scores.csv", dtype={"response": str})
    extra = [c for c in ("n_items_answered", "n_dont_know", "is_prorated") if c in expected]
    actual = con.execute(
        "select response_key as response, scale_id, score, n_items_answered, n_dont_know, "
        "is_prorated from scores order by all"
    ).df()
    merged = expected.merge(
        actual,
        on=["response", "scale_id"],
        how="outer",
        suffixes=("_expected", "_actual"),
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    pd.testing.assert_series_equal(
        merged["score_actual"].astype("float64"),
        merged["score_expected"].astype("float64"),
        check_names=False,
        atol=1e-6,
    )
    for column in extra:
        want = merged[f"{column}_expected"]
        assert merged[f"{column}_actual"].astype(want.dtype).tolist() == want.tolist(), column
    if (case / "expected_items.csv").exists():
        check_items(con, case / "expected_items.csv")


def check_items(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    expected = pd.read_csv(path, dtype={"response": str, "answer_status": str})
    actual = con.execute(
        "select response_key as response, item_id, raw_value, answer_status, scored_value "
        "from item_responses"
    ).df()
    merged = expected.merge(actual, on=["response", "item_id"], suffixes=("", "_actual"))
    assert len(merged) == len(expected), "every expected item row exists"
    for column in ("raw_value", "answer_status", "scored_value"):
        if column not in expected:
            continue
        if column == "answer_status":
            want, got = merged[column].tolist(), merged[f"{column}_actual"].tolist()
        else:
            want, got = (
                [None if pd.isna(v) else float(v) for v in merged[c]]
                for c in (column, f"{column}_actual")
            )
        assert got == want, (column, merged[["response", "item_id"]].to_dict("records"))
