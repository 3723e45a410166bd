"""The published tables of the extract: each raw table's rows with the disclosure decisions
applied, the ratios computed from published numbers, and the version-1 tables filled from the
published version-2 rows."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from pipeline.extract import assemble, cells


def publish_tables(
    con: duckdb.DuckDBPyConnection,
    publisher: assemble.Publisher,
    reach: pd.DataFrame,
    linkage: pd.DataFrame,
    paired: pd.DataFrame,
    means: pd.DataFrame,
    reliability: pd.DataFrame,
    items: pd.DataFrame,
    quality: pd.DataFrame,
    raw: dict[str, pd.DataFrame],
) -> dict[str, list[dict[str, Any]]]:
    """Insert every published table; returns the published reach, paired and wave-mean rows
    (the version-1 tables are filled from them)."""
    reach_rows = publisher.rows(reach, ["n"])
    baseline = {
        (r["level"], r["programme_id"], r["site"], r["cohort_id"]): r["n"]
        for r in reach_rows
        if r["measure"] == "responses" and r["wave_order"] == 0
    }
    assemble.add_ratio(
        reach_rows,
        "retention",
        baseline,
        lambda r: (r["level"], r["programme_id"], r["site"], r["cohort_id"]),
    )
    for row in reach_rows:
        if row["measure"] != "linked":
            row["retention"] = None
    assemble.insert(con, "reach", reach_rows)

    linkage_rows = publisher.rows(linkage, ["n"])
    responses = {
        (r["programme_id"], r["wave_id"]): r["n"]
        for r in linkage_rows
        if r["link_status"] == "all_responses"
    }
    assemble.add_ratio(
        linkage_rows, "share_of_responses", responses, lambda r: (r["programme_id"], r["wave_id"])
    )
    assemble.insert(con, "linkage_quality", linkage_rows)

    paired_rows = assemble.paired_rows(publisher, paired)
    assemble.insert(con, "paired_stats", paired_rows)

    mean_rows = publisher.rows(means, assemble.WAVE_MEAN_VALUES)
    assemble.insert(con, "wave_means", mean_rows)

    comparison = raw["raw_wave_comparison"].assign(
        row_key=lambda f: _comparison_keys(f, "wave_comparison"),
        from_cell=lambda f: _scored_keys(f, "from_wave"),
        to_cell=lambda f: _scored_keys(f, "to_wave"),
    )
    comparison_rows = assemble.combined_rows(
        publisher, comparison, assemble.COMPARISON_VALUES, "row_key", ["from_cell", "to_cell"]
    )
    assemble.insert(con, "wave_comparison", comparison_rows)

    attrition = raw["raw_attrition"].assign(
        row_key=lambda f: _comparison_keys(f, "attrition"),
        baseline_cell=lambda f: _scored_keys(f, "from_wave"),
        pairs_cell=lambda f: [
            cells.pairs_key(
                {
                    "level": "programme",
                    "programme_id": r.programme_id,
                    "site": None,
                    "cohort_id": None,
                    "attribute": None,
                    "attribute_value": None,
                    "instrument_id": r.instrument_id,
                    "scale_id": r.scale_id,
                    "from_wave": r.from_wave,
                    "to_wave": r.to_wave,
                }
            )
            for r in f.itertuples()
        ],
    )
    attrition_rows = assemble.combined_rows(
        publisher,
        attrition,
        assemble.ATTRITION_VALUES,
        "row_key",
        ["baseline_cell", "pairs_cell"],
    )
    for row in attrition_rows:
        row["follow_up_selected"] = assemble.follow_up_selected(row)
    assemble.insert(con, "attrition", attrition_rows)

    reliability_rows = publisher.rows(reliability, assemble.RELIABILITY_VALUES)
    assemble.insert(con, "reliability", reliability_rows)

    first_dates = {
        p: d
        for p, d in con.execute("select programme_id, first_cohort_date from programmes").fetchall()
    }
    assemble.insert(con, "cohort_meta", assemble.cohort_meta_rows(paired_rows, first_dates))

    item_rows = publisher.rows(items, ["n"])
    totals = {
        (r["programme_id"], r["item_id"], r["wave_id"]): r["n"]
        for r in item_rows
        if r["answer"] == "all"
    }
    assemble.add_ratio(
        item_rows, "share", totals, lambda r: (r["programme_id"], r["item_id"], r["wave_id"])
    )
    assemble.insert(con, "item_distributions", item_rows)

    assemble.insert(con, "data_quality", publisher.rows(quality, ["n_records"]))
    return {"reach": reach_rows, "paired": paired_rows, "means": mean_rows}


def _comparison_keys(frame: pd.DataFrame, table: str) -> list[str]:
    """Each row's own ledger key: its table and the programme, scale and waves it compares."""
    columns = ["programme_id", "instrument_id", "scale_id", "from_wave", "to_wave"]
    return [assemble.derived_key(table, *r) for r in frame[columns].itertuples(index=False)]


def _scored_keys(frame: pd.DataFrame, wave_column: str) -> list[str]:
    """The key of the cell of scored responses at each row's `wave_column` wave."""
    return [
        cells.scored_key(r.programme_id, r.instrument_id, r.scale_id, getattr(r, wave_column))
        for r in frame.itertuples()
    ]


def compat_tables(
    con: duckdb.DuckDBPyConnection, published: dict[str, list[dict[str, Any]]]
) -> None:
    """The version-1 tables, from the published version-2 rows."""
    paired, cohort = [], []
    for row in published["paired"]:
        if not row["is_from_baseline"] or row["level"] not in ("programme", "cohort"):
            continue
        sign = 1.0 if row["higher_is_better"] else -1.0
        hidden = row["hidden_reason"] is not None
        bounds = [row["improvement_ci_low"], row["improvement_ci_high"]]
        low, high = (None, None) if None in bounds else sorted(sign * b for b in bounds)
        change = None if hidden else difference(row["mean_to"], row["mean_from"])
        common = {
            **row,
            "mean_change": change,
            "sd_change": row["sd_improvement"],
            "ci_low": low,
            "ci_high": high,
            "d_z": None if row["d_z"] is None else sign * row["d_z"],
            "is_suppressed": hidden,
        }
        (paired if row["level"] == "programme" else cohort).append(common)
    assemble.insert(con, "paired_change", paired)
    assemble.insert(con, "cohort_change", cohort)
    assemble.insert(
        con,
        "wave_scores",
        [{**r, "is_suppressed": r["hidden_reason"] is not None} for r in published["means"]],
    )
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    for row in published["reach"]:
        if row["level"] == "programme" and row["wave_order"] > 0:
            slot = counts.setdefault((row["programme_id"], row["wave_id"]), {})
            slot[row["measure"]] = row
    linkage = []
    for (programme_id, wave_id), slot in sorted(counts.items()):
        responses, linked = slot.get("responses"), slot.get("linked")
        if responses is None or linked is None:
            continue
        hidden = responses["n"] is None or linked["n"] is None
        linkage.append(
            {
                "programme_id": programme_id,
                "wave_id": wave_id,
                "n_responses": None if hidden else responses["n"],
                "n_linked": None if hidden else linked["n"],
                "is_suppressed": hidden,
            }
        )
    assemble.insert(con, "linkage", linkage)


def difference(later: float | None, earlier: float | None) -> float | None:
    return None if later is None or earlier is None else later - earlier
