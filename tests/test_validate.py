"""pipeline.validate: the rules come from the instruments and mapping; Great Expectations and
the DuckDB predicates find exactly the same failing rows."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from pipeline.config import Cohort, Programme, SgicElement, Survey
from pipeline.errors import RippleError
from pipeline.ingest.mapping import CodedExport
from pipeline.validate import GxRunner, build_rules, check_agreement, failing_rows, validation_frame

ITEMS = ["ribs_05", "ribs_06", "ribs_07", "ribs_08"]
WAVES = ["pre", "post"]
PROGRAMME = Programme(
    id="p1",
    name="P",
    approach="contact",
    audience="adults",
    instruments=["ribs"],
    cohorts=[
        Cohort(id="C1", site="Leeds", date="2025-01-14"),
        Cohort(id="C2", site="Leeds", date="2025-02-14"),
    ],
)


def survey(values="codes", response_id="_recordId"):
    return Survey(
        format="qualtrics",
        values=values,
        response_id=response_id,
        submitted_at="recordedDate",
        cohort="cohort",
        sgic=[
            SgicElement(column="Q1", name="a", kind="letter"),
            SgicElement(column="Q2", name="b", kind="month"),
        ],
        items={f"QID5_{n}": item for n, item in enumerate(ITEMS, start=1)},
    )


def coded(rows: list[dict]) -> CodedExport:
    frame = pd.DataFrame(rows, index=pd.Index(range(4, 4 + len(rows)), name="source_row_number"))
    for column in ("response_id", "participant_id", "submitted_at", "cohort", *ITEMS):
        if column not in frame:
            frame[column] = None
    frame["wave"] = frame.get("wave", "pre")
    if "submitted_month" not in frame:
        frame["submitted_month"] = "2025-01-01"
    frame = frame.astype("object").where(frame.notna(), None)
    columns = {"response_id": "_recordId", "submitted_at": "recordedDate", "cohort": "cohort"}
    columns |= {item: f"QID5_{n}" for n, item in enumerate(ITEMS, start=1)}
    return CodedExport(frame=frame, source_columns=columns, item_ids=ITEMS)


@pytest.fixture(scope="module")
def gx_runner():
    return GxRunner()


def good(**changes):
    row = {
        "response_id": "R_1",
        "submitted_at": "2025-01-14T10:00:00",
        "cohort": "C1",
        "ribs_05": "5",
        "ribs_06": "4",
        "ribs_07": None,
        "ribs_08": "1",
    }
    return row | changes


def test_rules_come_from_the_instrument_and_mapping(instruments):
    rules = build_rules(coded([good()]), survey(), PROGRAMME, instruments, WAVES)
    by_field = {(r.field, r.reason): r for r in rules}
    assert by_field[("ribs_05", "out_of_range")].allowed == ("1", "2", "3", "4", "5")
    assert by_field[("cohort", "unknown_cohort")].allowed == ("C1", "C2")
    assert ("has_response_id", "missing_response_id") in by_field
    labelled = build_rules(coded([good()]), survey("labels", None), PROGRAMME, instruments, WAVES)
    assert {r.reason for r in labelled} >= {"unknown_label"}
    assert not any(r.field == "has_response_id" for r in labelled)


def test_each_defect_fails_its_own_rule(instruments):
    rows = [
        good(),
        good(ribs_06="6"),
        good(cohort="WP-TEST"),
        good(cohort=None),
        good(submitted_at=None),
        good(response_id=None),
        good(ribs_05="0", ribs_08="abc"),
    ]
    export = coded(rows)
    rules = build_rules(export, survey(), PROGRAMME, instruments, WAVES)
    with duckdb.connect() as con:
        failures = failing_rows(con, validation_frame(export, export.frame.index), rules)
    found = {(int(r), rules[i].field, rules[i].reason) for r, i in failures.itertuples(index=False)}
    assert found == {
        (5, "ribs_06", "out_of_range"),
        (6, "cohort", "unknown_cohort"),
        (7, "cohort", "missing_cohort"),
        (8, "submitted_at", "invalid_timestamp"),
        (9, "has_response_id", "missing_response_id"),
        (10, "ribs_05", "out_of_range"),
        (10, "ribs_08", "out_of_range"),
    }


def random_rows(seed: int, n: int = 300) -> list[dict]:
    rng = np.random.default_rng(seed)
    tokens = ["1", "2", "3", "4", "5", None, "6", "0", "x"]
    cohorts = ["C1", "C2", None, "C9"]
    return [
        good(
            response_id=rng.choice(["R", None], p=[0.95, 0.05]),
            submitted_at=rng.choice(["2025-01-01T00:00:00", None], p=[0.95, 0.05]),
            cohort=rng.choice(cohorts, p=[0.6, 0.3, 0.05, 0.05]),
            **{item: rng.choice(tokens, p=[0.18] * 5 + [0.04, 0.02, 0.02, 0.02]) for item in ITEMS},
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_great_expectations_and_sql_fail_the_same_rows(seed, instruments, gx_runner):
    """Row for row, not only in number: GX COMPLETE results name the failing rows by position."""
    import great_expectations as gx

    export = coded(random_rows(seed))
    rules = build_rules(export, survey(), PROGRAMME, instruments, WAVES)
    frame = validation_frame(export, export.frame.index)
    with duckdb.connect() as con:
        failures = failing_rows(con, frame, rules)
    context = gx_runner.context
    batch = (
        context.data_sources.add_pandas(f"agree{seed}")
        .add_dataframe_asset("a")
        .add_batch_definition_whole_dataframe("b")
    )
    suite = context.suites.add(
        gx.ExpectationSuite(name=f"agree{seed}", expectations=[r.expectation() for r in rules])
    )
    result = gx.ValidationDefinition(name=f"agree{seed}", data=batch, suite=suite).run(
        batch_parameters={"dataframe": frame}, result_format="COMPLETE"
    )
    for index, (rule, outcome) in enumerate(zip(rules, result.results, strict=True)):
        gx_rows = set(
            frame.loc[outcome.result.get("unexpected_index_list") or [], "source_row_number"]
        )
        sql_rows = set(failures.loc[failures["rule_index"] == index, "source_row_number"])
        assert gx_rows == sql_rows, rule
    assert len(failures) > 0


def test_the_runtime_check_compares_counts_per_rule(instruments, gx_runner):
    export = coded(random_rows(7, 100))
    rules = build_rules(export, survey(), PROGRAMME, instruments, WAVES)
    frame = validation_frame(export, export.frame.index)
    with duckdb.connect() as con:
        failures = failing_rows(con, frame, rules)
    counts = gx_runner.unexpected_counts("runtime-check", frame, rules)
    check_agreement(counts, failures, rules, "x.csv")
    counts[-1] += 1
    with pytest.raises(RippleError, match=r"x\.csv: internal error"):
        check_agreement(counts, failures, rules, "x.csv")


def test_validation_frame_holds_no_identifiers():
    export = coded([good(sgic_code="k|03", response_id="R_SECRET")])
    frame = validation_frame(export, export.frame.index)
    assert "R_SECRET" not in frame.astype(str).to_numpy()
    assert "sgic_code" not in frame and "response_id" not in frame
