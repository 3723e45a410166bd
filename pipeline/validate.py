"""Validation: one rule list, generated from the instruments and the survey mapping, run twice.

Great Expectations runs the rules as an expectation suite (the declared validation contract,
with Data Docs), and DuckDB runs the same rules as SQL predicates to find exactly which rows
fail, which is fast and exact for quarantine. Each run checks that the two agree on the
number of failing rows per rule, so the quarantine can never drift from the suite.

GX only ever sees coded, non-identifying fields (item codes, cohort ids, timestamps, a
has-response-id flag) and is asked for counts only (`partial_unexpected_count: 0`), so Data
Docs cannot show an answer. GX is imported lazily: `--help` and the dashboard never pay for it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipeline.config import Programme, Survey
from pipeline.errors import RippleError
from pipeline.ingest.mapping import CodedExport
from pipeline.instruments import Instrument
from pipeline.sql import quote_identifier

COUNTS_ONLY = {"result_format": "SUMMARY", "partial_unexpected_count": 0}


@dataclass(frozen=True)
class Rule:
    """A check on one field of the validation frame.

    `allowed` None means "must not be null"; otherwise non-null values must be in `allowed`
    (nulls pass, as in GX). `reason` is the quarantine reason code, `detail` a safe sentence.
    """

    field: str
    reason: str
    detail: str
    allowed: tuple[Any, ...] | None = None

    def expectation(self) -> Any:
        """The rule as a Great Expectations 1.x expectation."""
        import great_expectations.expectations as gxe

        meta = {"reason": self.reason}
        if self.allowed is None:
            return gxe.ExpectColumnValuesToNotBeNull(column=self.field, meta=meta)
        return gxe.ExpectColumnValuesToBeInSet(
            column=self.field, value_set=list(self.allowed), meta=meta
        )

    def failing_predicate(self) -> tuple[str, list[Any]]:
        """SQL that is true for the rows that fail the rule, with its bound parameters."""
        column = quote_identifier(self.field)
        if self.allowed is None:
            return f"{column} is null", []
        return f"{column} is not null and not list_contains(?, {column})", [list(self.allowed)]


def build_rules(
    coded: CodedExport,
    survey: Survey,
    programme: Programme,
    instruments: dict[str, Instrument],
    wave_ids: list[str],
) -> list[Rule]:
    """The rules for one export: lineage fields present, cohort and wave known, a date for
    every response, every item answer a code."""
    rules = []
    if survey.response_id:
        rules.append(Rule("has_response_id", "missing_response_id", "no response id", (True,)))
    if survey.participant_id and not survey.sgic:
        rules.append(
            Rule("has_participant_id", "missing_participant_id", "no participant id", (True,))
        )
    if survey.submitted_at:
        rules.append(
            Rule(
                "submitted_at",
                "invalid_timestamp",
                "submission time is blank or not a date in the file's date format",
            )
        )
    rules += [
        Rule("submitted_month", "missing_date", "no submission date, date field or session date"),
        Rule("cohort", "missing_cohort", "no cohort given"),
        Rule(
            "cohort",
            "unknown_cohort",
            f"not a cohort of programme '{programme.id}' (or no single session near the date)",
            tuple(cohort.id for cohort in programme.cohorts),
        ),
        Rule("wave", "missing_wave", "no wave given"),
        Rule("wave", "unknown_wave", "not one of the wave values in the mapping", tuple(wave_ids)),
    ]
    owners = {item: ins for ins in instruments.values() for item in ins.item_ids}
    for item_id in coded.item_ids:
        scale = owners[item_id].response_scale
        codes = tuple(str(code) for code in range(scale.min, scale.max + 1))
        if survey.values == "labels":
            rule = Rule(
                item_id,
                "unknown_label",
                f"answer is not one of {owners[item_id].id}'s response labels or the "
                "survey's own labels",
                codes,
            )
        else:
            rule = Rule(
                item_id, "out_of_range", f"answer is not a code {scale.min}-{scale.max}", codes
            )
        rules.append(rule)
    return rules


def validation_frame(coded: CodedExport, rows: pd.Index) -> pd.DataFrame:
    """The non-identifying fields the rules check, for the given rows, with source_row_number."""
    frame = coded.frame.loc[rows]
    fields = ["submitted_at", "submitted_month", "cohort", "wave", *coded.item_ids]
    out = frame[fields].astype("object").reset_index()
    out["submitted_month"] = (
        out["submitted_month"].astype(str).where(out["submitted_month"].notna(), None)
    )
    out["has_response_id"] = frame["response_id"].notna().to_numpy()
    out["has_participant_id"] = frame["participant_id"].notna().to_numpy()
    return out


def failing_rows(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, rules: list[Rule]
) -> pd.DataFrame:
    """(source_row_number, rule_index) for every rule each row fails, computed in DuckDB."""
    if frame.empty:
        return pd.DataFrame({"source_row_number": [], "rule_index": []}, dtype="int64")
    selects, params = [], []
    for index, rule in enumerate(rules):
        predicate, values = rule.failing_predicate()
        # the predicate holds only quoted identifiers; values are bound parameters
        select = "select source_row_number, ?::integer as rule_index from validation_rows"
        selects.append(f"{select} where {predicate}")
        params += [index, *values]
    con.register("validation_rows", frame)
    try:
        sql = " union all ".join(selects) + " order by source_row_number, rule_index"
        return con.execute(sql, params).df()
    finally:
        con.unregister("validation_rows")


class GxRunner:
    """One ephemeral Great Expectations context per run; one suite per export file.

    With `docs_dir`, `build_docs()` writes Data Docs (an HTML site of every suite and its
    results) to that folder once all files are validated.
    """

    def __init__(self, docs_dir: Path | None = None) -> None:
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.docs_site = None
        if docs_dir is not None:
            self.docs_site = "ripple_docs"
            self.context.add_data_docs_site(
                site_name=self.docs_site,
                site_config={
                    "class_name": "SiteBuilder",
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(docs_dir),
                    },
                },
            )
        self.source = self.context.data_sources.add_pandas(name="ripple_exports")

    def unexpected_counts(self, name: str, frame: pd.DataFrame, rules: list[Rule]) -> list[int]:
        """Run the rules as a suite named `name`; failing-row count per rule, in rule order."""
        gx = self._gx
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        batch = self.source.add_dataframe_asset(name=safe).add_batch_definition_whole_dataframe(
            "whole_export"
        )
        suite = self.context.suites.add(
            gx.ExpectationSuite(name=safe, expectations=[rule.expectation() for rule in rules])
        )
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=safe, data=batch, suite=suite)
        )
        results = definition.run(
            batch_parameters={"dataframe": frame}, result_format=COUNTS_ONLY
        ).results
        return [self._count(result, rule) for result, rule in zip(results, rules, strict=True)]

    def build_docs(self) -> None:
        """Render Data Docs for every validation run so far (once: each build is costly)."""
        if self.docs_site:
            self.context.build_data_docs(site_names=[self.docs_site])

    @staticmethod
    def _count(result: Any, rule: Rule) -> int:
        """GX reports a failed metric as success=False with exception_info instead of raising
        (sometimes keyed by metric id), so look for it explicitly."""
        info = result.exception_info or {}
        nested = [value for value in info.values() if isinstance(value, dict)]
        if info.get("raised_exception") or any(v.get("raised_exception") for v in nested):
            raise RippleError(
                f"internal error: Great Expectations could not evaluate the rule on "
                f"'{rule.field}' ({rule.reason})"
            )
        return int(result.result.get("unexpected_count") or 0)


def check_agreement(
    gx_counts: list[int], failures: pd.DataFrame, rules: list[Rule], label: str
) -> None:
    """Raise if GX and the SQL predicates disagree on how many rows fail any rule."""
    sql_counts = failures.groupby("rule_index")["source_row_number"].nunique()
    for index, rule in enumerate(rules):
        sql_count = int(sql_counts.get(index, 0))
        if sql_count != gx_counts[index]:
            raise RippleError(
                f"{label}: internal error: Great Expectations finds {gx_counts[index]} rows "
                f"failing '{rule.field}' ({rule.reason}) but the SQL check finds {sql_count}"
            )
