"""Run-level duplicates, after validation and anonymisation: the same response in several
files of a run or already in the warehouse, and the same person answering a wave twice.

Responses are compared by their pseudonymised key (`response_key`) and by a digest of their
content (cohort, wave, person keys, code status and every item's code and answer status), so
that a later export repeating a response can be told apart from one where it changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

# What a response says, as one digest per row: `row_key` identifies the row in both relations.
CONTENT_SQL = """
with answers as (
    select
        row_key,
        string_agg(
            item_id || '=' || coalesce(cast(raw_value as varchar), '') || ':' || coalesce(
                answer_status, case when raw_value is null then 'missing' else 'answered' end
            ),
            ',' order by item_id
        ) as answers
    from {items}
    group by row_key
)
select
    responses.row_key,
    md5(concat_ws('|',
        coalesce(responses.cohort_id, ''), coalesce(responses.wave_id, ''),
        coalesce(responses.participant_key, ''), coalesce(responses.participant_id_key, ''),
        coalesce(responses.sgic_status, ''), coalesce(answers.answers, '')
    )) as content
from {responses} as responses
left join answers using (row_key)
"""
PERSON = ["programme_id", "cohort_id", "wave_id", "person_key"]


@dataclass(frozen=True)
class Resolution:
    """Per candidate row: its exclusion reason (None = kept), and whether it is kept as an
    update of a response already in the warehouse."""

    reasons: pd.Series
    updates: pd.Series


def content_digests(con: duckdb.DuckDBPyConnection, responses: str, items: str) -> pd.DataFrame:
    """row_key, content for every row of the `responses` relation (which, like `items`,
    has a `row_key` column); relation names are Ripple's own, never input."""
    sql = CONTENT_SQL.format(responses=responses, items=items)
    return con.execute(sql).df()


def candidate_contents(responses: pd.DataFrame, items: pd.DataFrame) -> pd.Series:
    """Content digest of each candidate row. `responses` has a `row_key` column and the
    anonymised response fields; `items` has row_key, item_id, raw_value, answer_status."""
    with duckdb.connect() as con:
        columns = ["row_key", "cohort_id", "wave_id", "participant_key"]
        columns += ["participant_id_key", "sgic_status"]
        con.register("candidate_responses", responses.reindex(columns=columns))
        item_columns = ["row_key", "item_id", "raw_value", "answer_status"]
        # as text, like the landed rows they are compared with (a categorical would reach
        # DuckDB as an ENUM, which orders by position, not by text)
        text = {"item_id": "object", "answer_status": "object"}
        con.register("candidate_items", items.reindex(columns=item_columns).astype(text))
        found = content_digests(con, "candidate_responses", "candidate_items")
    return responses["row_key"].map(found.set_index("row_key")["content"])


def with_person_key(frame: pd.DataFrame) -> pd.DataFrame:
    """`person_key`: the platform participant id's digest where there is one, else the
    self-generated code's."""
    by_id = frame.get("participant_id_key")
    person = frame["participant_key"] if by_id is None else by_id.fillna(frame["participant_key"])
    return frame.assign(person_key=person.astype("object").where(person.notna(), None))


def _month(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce")


def resolve_duplicates(
    candidates: pd.DataFrame, landed: pd.DataFrame, policy: str = "latest"
) -> Resolution:
    """Exclusion reasons across a run's files and against the warehouse.

    1. The same response key more than once in the run: the latest submission (submitted_at,
       then source_order) is kept; the others are `duplicate_response` when their content
       equals the kept one's, else `superseded_response`.
    2. The kept one's key already in the warehouse: `already_loaded` when its content is the
       same (or unknown); when it changed, it replaces the landed response (an update), unless
       it was submitted in an earlier month than the landed one (`superseded_response`).
    3. One person (same programme, cohort, wave and participant-id or SGIC digest) answering a
       wave twice: `policy` latest keeps the latest submission, first the earliest, none
       neither; between equal or unknown times the one with more answered items
       (`n_answered`) wins, then file order; the others are `duplicate_submission`. A person
       whose answer for the wave is already in the warehouse (and not being updated) keeps it:
       a new one is `duplicate_submission`. Responses without a participant id or code are kept.

    Args:
        candidates: response_key, participant_key, (participant_id_key), programme_id,
            cohort_id, wave_id, submitted_at (ISO text), source_order, and optionally
            content, submitted_month and n_answered.
        landed: the warehouse's response_key, participant_key, (participant_id_key),
            programme_id, cohort_id, wave_id, and optionally content and submitted_month.
    """
    candidates, landed = with_person_key(candidates), with_person_key(landed)
    reasons = pd.Series(None, index=candidates.index, dtype="object")
    unknown = pd.Series(None, index=candidates.index, dtype="object")
    content = candidates.get("content", unknown)
    ordered = candidates.assign(_content=content).sort_values(
        ["submitted_at", "source_order"], na_position="first"
    )
    later = ordered.duplicated("response_key", keep="last")
    kept = ordered.loc[~later]
    winner = kept.set_index("response_key")["_content"]
    repeats = ordered.loc[later]
    same = _equal(repeats["_content"], repeats["response_key"].map(winner))
    reasons[repeats.index[same]] = "duplicate_response"
    reasons[repeats.index[~same]] = "superseded_response"

    updates = pd.Series(False, index=candidates.index)
    previous = landed.drop_duplicates("response_key").set_index("response_key")
    in_warehouse = kept[kept["response_key"].isin(previous.index)]
    if not in_warehouse.empty:
        before = previous.reindex(in_warehouse["response_key"])
        old_content = before["content"] if "content" in before else pd.Series(None, before.index)
        unchanged = _equal(in_warehouse["_content"], old_content.set_axis(in_warehouse.index))
        reasons[in_warehouse.index[unchanged]] = "already_loaded"
        changed = in_warehouse.loc[~unchanged]
        if "submitted_month" in changed and "submitted_month" in before:
            old_month = _month(before["submitted_month"]).set_axis(in_warehouse.index)
            older = (_month(changed["submitted_month"]) < old_month.loc[changed.index]).to_numpy()
        else:
            older = pd.Series(False, index=changed.index).to_numpy()
        reasons[changed.index[older]] = "superseded_response"
        updates[changed.index[~older]] = True

    replaced = set(candidates.loc[updates, "response_key"])
    open_rows = candidates[reasons.isna() & candidates["person_key"].notna()]
    taken = landed[~landed["response_key"].isin(replaced)].dropna(subset=["person_key"])
    taken = taken[PERSON].drop_duplicates()
    seen = open_rows.merge(taken.assign(_landed=True), on=PERSON, how="left")["_landed"]
    seen_before = pd.Series(seen.fillna(False).to_numpy(dtype=bool), index=open_rows.index)
    # equal (or unknown) times: the most complete submission wins, then the later in the files
    answered = open_rows.get("n_answered", pd.Series(0, index=open_rows.index))
    order = open_rows.assign(_answered=answered).sort_values(
        ["submitted_at", "_answered", "source_order"],
        ascending=[True, policy != "first", True],
        na_position="first",
    )
    if policy == "first":
        again = order.duplicated(subset=PERSON, keep="first")
    elif policy == "none":
        again = order.duplicated(subset=PERSON, keep=False)
    else:
        again = order.duplicated(subset=PERSON, keep="last")
    again = again.reindex(open_rows.index)
    dropped = open_rows.index[(seen_before | again).to_numpy()]
    reasons[dropped] = "duplicate_submission"
    updates[dropped] = False
    return Resolution(reasons.astype("object").where(reasons.notna(), None), updates)


def _equal(left: pd.Series, right: pd.Series) -> pd.Series:
    """Element-wise equality where an unknown (missing) content on either side counts as
    equal: without content digests, a repeated key is the same response."""
    a, b = left.to_numpy(dtype=object), right.to_numpy(dtype=object)
    unknown = pd.isna(a) | pd.isna(b)
    return pd.Series(unknown | (a == b), index=left.index)


def duplicate_reasons(
    candidates: pd.DataFrame, landed: pd.DataFrame, policy: str = "latest"
) -> pd.Series:
    """Exclusion reason per candidate row (see `resolve_duplicates`)."""
    return resolve_duplicates(candidates, landed, policy).reasons
