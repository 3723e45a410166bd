"""The run-level steps, across every file of a run: responses repeated between files or
already in the warehouse, the accounting check, and the respondent attributes' k-anonymity
over the rows finally kept.
"""

from __future__ import annotations

import pandas as pd

from pipeline.attributes import long_attributes, long_free_text
from pipeline.errors import RippleError
from pipeline.quality import candidate_contents, resolve_duplicates
from pipeline.report import FileReport, as_rows
from pipeline.warehouse import PriorState


def exclude_duplicates(files: list[FileReport], prior: PriorState, policy: str = "latest") -> None:
    """Apply the run-level exclusions across files and against the warehouse (duplicate_response,
    superseded_response, already_loaded, duplicate_submission with the config's `policy`), and
    note which kept responses update a landed one (`FileReport.updates`)."""
    loaded = [f for f in files if f.status == "loaded" and not f.responses.empty]
    if not loaded:
        return
    candidates = (
        pd.concat([f.responses.assign(file_index=i) for i, f in enumerate(loaded)])
        .rename_axis("source_row_number")
        .reset_index()
    )
    candidates["source_order"] = range(len(candidates))
    # answered items per response, file by file (the item rows are never joined into one)
    answered = pd.concat(
        {
            i: f.items.groupby("source_row_number")["raw_value"].count()
            for i, f in enumerate(loaded)
        },
        names=["file_index", "source_row_number"],
    )
    where = pd.MultiIndex.from_frame(candidates[["file_index", "source_row_number"]])
    candidates["n_answered"] = answered.reindex(where, fill_value=0).to_numpy()
    # content digests only where a response key repeats, in the run or in the warehouse
    keys = candidates["response_key"]
    repeated = keys.duplicated(keep=False) | keys.isin(set(prior.responses["response_key"]))
    candidates["row_key"] = row_keys(candidates)
    candidates["content"] = None
    if repeated.any():
        wanted = candidates[repeated]
        keyed = pd.concat(
            [
                loaded[i]
                .items[loaded[i].items["source_row_number"].isin(set(rows))]
                .assign(file_index=i)
                for i, rows in wanted.groupby("file_index")["source_row_number"]
            ]
        )
        keyed = keyed.assign(row_key=row_keys(keyed))
        candidates.loc[repeated, "content"] = candidate_contents(wanted, keyed)
    landed = prior.with_contents(keys[repeated])
    resolution = resolve_duplicates(candidates, landed, policy)
    reasons = resolution.reasons
    previous = landed.drop_duplicates("response_key").set_index("response_key")
    for i, report in enumerate(loaded):
        mine = (candidates["file_index"] == i).to_numpy()
        updated = candidates[mine & resolution.updates.to_numpy()]
        if not updated.empty:
            report.updates = update_rows(updated, previous)
            report.warnings.append(
                f"updated: {len(updated)} response(s) loaded by an earlier run changed in this "
                "export; the latest submission replaces them (see response_updates)"
            )
        rows = candidates.loc[mine, "source_row_number"]
        dropped = pd.Series(reasons[mine].to_numpy(), index=rows.to_numpy()).dropna()
        if dropped.empty:
            continue
        report.excluded = pd.concat([report.excluded, as_rows(dropped)], ignore_index=True)
        report.responses = report.responses.drop(index=dropped.index)
        report.items = report.items[~report.items["source_row_number"].isin(dropped.index)]


def row_keys(frame: pd.DataFrame) -> pd.Series:
    """A key for each row of this run's files: file index and source row number."""
    return frame["file_index"].astype(str) + ":" + frame["source_row_number"].astype(str)


def update_rows(updated: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """One row per response that replaces a landed one: the new row and the old lineage."""
    old = previous.reindex(updated["response_key"])
    return pd.DataFrame(
        {
            "response_key": updated["response_key"].to_numpy(),
            "source_row_number": updated["source_row_number"].to_numpy(),
            "previous_run_id": old["run_id"].to_numpy(),
            "previous_source_sha256": old["source_sha256"].to_numpy(),
            "previous_source_row_number": old["source_row_number"].to_numpy(),
        }
    )


def check_accounting(files: list[FileReport]) -> None:
    """rows_in = loaded + excluded + quarantined for every file, no record counted twice, and
    every update is of a loaded record."""
    for f in files:
        if f.status == "failed":
            continue
        rows = (
            list(f.responses.index)
            + list(f.excluded["source_row_number"])
            + list(f.quarantined["source_row_number"].unique())
        )
        if len(rows) != f.rows_in or len(set(rows)) != len(rows):
            raise RippleError(
                f"{f.label}: internal error: {f.rows_in} records in but {f.rows_loaded} loaded + "
                f"{f.rows_excluded} excluded + {f.rows_quarantined} quarantined"
            )
        if not f.updates["source_row_number"].isin(f.responses.index).all():
            raise RippleError(f"{f.label}: internal error: an update of a record not loaded")


def finish_attributes(files: list[FileReport], k: int) -> None:
    """Long attribute rows (k-anonymity checked over the final loaded rows) and free-text rows
    of every loaded file, with the count of rows whose attributes were suppressed."""
    for f in files:
        if f.status != "loaded":
            continue
        f.attributes, f.rows_attributes_suppressed = long_attributes(
            f.attributes_wide, f.responses, k
        )
        f.free_text = long_free_text(f.free_text_wide, f.responses)
        if f.rows_attributes_suppressed:
            f.warnings.append(
                f"attributes_suppressed: {f.rows_attributes_suppressed} response(s) share their "
                f"combination of respondent attributes with fewer than {k} others in this file; "
                "their attributes are kept as '(suppressed)' (k-anonymity)"
            )
