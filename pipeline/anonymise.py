"""Anonymisation: from a coded export to rows that are safe to write.

What leaves this module is only: keyed pseudonyms (HMAC-SHA256 with the programme key,
truncated to 128 bits), cohort and wave ids, the submission month, the SGIC status and the
item codes. Response ids, SGIC answers and exact timestamps stay in memory and are dropped
here; columns the survey mapping does not name (identifiers, free text, device data) were
never read (pipeline.ingest.mapping). Reference: privacy-and-reliability.md sections 1 and 2.4.
"""

from __future__ import annotations

import pandas as pd

from pipeline.ingest.mapping import CodedExport
from pipeline.keys import Key

# Version tags inside every HMAC message: changing how a pseudonym is built changes the tag,
# so old and new pseudonyms can never be confused.
RESPONSE_TAG = "v1|response"
ROW_TAG = "v1|row"
PARTICIPANT_TAG = "v1|sgic"


def response_keys(frame: pd.DataFrame, key: Key, scope: str, item_ids: list[str]) -> pd.Series:
    """Pseudonym of each response: HMAC of its platform response id within `scope`
    (programme and survey), or, for exports without response ids (Google Forms), HMAC of its
    content (submission time, cohort, code and answers), so that the same response in two
    overlapping exports gets the same key and is loaded once."""

    def one(row: pd.Series) -> str:
        if pd.notna(row["response_id"]):
            return key.digest(f"{RESPONSE_TAG}|{scope}|{row['response_id']}")
        answers = "|".join(str(row[i]) if pd.notna(row[i]) else "" for i in item_ids)
        content = f"{row['submitted_at']}|{row['cohort']}|{row['sgic_code']}|{answers}"
        return key.digest(f"{ROW_TAG}|{scope}|{content}")

    columns = ["response_id", "submitted_at", "cohort", "sgic_code", *item_ids]
    return frame[columns].astype("object").apply(one, axis=1)


def participant_keys(codes: pd.Series, key: Key, programme_id: str) -> pd.Series:
    """Keyed digest of each normalised SGIC within the programme; None without a usable code.

    Pre/post linkage compares these digests, never the codes themselves."""
    return (
        codes.map(
            lambda code: key.digest(f"{PARTICIPANT_TAG}|{programme_id}|{code}"), na_action="ignore"
        )
        .astype("object")
        .where(codes.notna(), None)
    )


def submission_months(iso_times: pd.Series) -> pd.Series:
    """First day of the submission month: exact times are quasi-identifying, months are not."""
    return pd.to_datetime(iso_times).dt.to_period("M").dt.start_time.dt.date


def anonymise(
    coded: CodedExport, rows: pd.Index, key: Key, programme_id: str, survey_name: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Safe response rows and item rows for the given (valid) rows of a coded export.

    Returns:
        responses: indexed by source_row_number; response_key, participant_key, sgic_status,
            cohort_id, submitted_month, and submitted_at (ISO text, kept in memory only to
            order duplicate submissions; never written).
        items: one row per response x mapped item: response_key, item_id, raw_value (the
            answer code, NULL when unanswered), source_row_number.
    """
    frame = coded.frame.loc[rows]
    scope = f"{programme_id}|{survey_name}"
    responses = pd.DataFrame(index=frame.index)
    responses["response_key"] = response_keys(frame, key, scope, coded.item_ids)
    responses["participant_key"] = participant_keys(frame["sgic_code"], key, programme_id)
    responses["sgic_status"] = frame["sgic_status"]
    responses["cohort_id"] = frame["cohort"]
    responses["submitted_at"] = frame["submitted_at"]
    responses["submitted_month"] = submission_months(frame["submitted_at"])
    items = (
        frame[coded.item_ids]
        .assign(response_key=responses["response_key"])
        .reset_index()
        .melt(
            id_vars=["source_row_number", "response_key"],
            var_name="item_id",
            value_name="raw_value",
        )
    )
    items["raw_value"] = pd.to_numeric(items["raw_value"]).astype("Int16")
    return responses, items
