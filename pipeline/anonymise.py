"""Anonymisation: from a coded export to rows that are safe to write.

What leaves this module is only: keyed pseudonyms (HMAC-SHA256 with the programme key,
truncated to 128 bits), cohort and wave ids, the submission month, the SGIC status and the
item codes. Response ids, SGIC answers and exact timestamps stay in memory and are dropped
here; columns the survey mapping does not name (identifiers, free text, device data) were
never read (pipeline.ingest.mapping). Reference: privacy-and-reliability.md sections 1 and 2.4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.ingest.answers import map_distinct
from pipeline.ingest.mapping import CodedExport
from pipeline.keys import Key

# Version tags inside every HMAC message: changing how a pseudonym is built changes the tag,
# so old and new pseudonyms can never be confused.
RESPONSE_TAG = "v1|response"
ROW_TAG = "v1|row"
PARTICIPANT_TAG = "v1|sgic"
PARTICIPANT_ID_TAG = "v1|participant-id"


def digests(messages: pd.Series, key: Key) -> pd.Series:
    """Keyed digest of each distinct message (None stays None)."""
    return map_distinct(messages, key.digest)


def response_keys(
    frame: pd.DataFrame, key: Key, scope: str, item_ids: list[str], extra: tuple[str, ...] = ()
) -> pd.Series:
    """Pseudonym of each response: HMAC of its platform response id within `scope`
    (programme and survey), or, for exports without response ids (Google Forms), HMAC of its
    content (submission time, cohort, code, answers, and the `extra` fields: the wave and
    participant id when they come from columns), so that the same response in two
    overlapping exports gets the same key and is loaded once."""

    def text(column: str, blank: str) -> pd.Series:
        return frame[column].astype("object").fillna(blank).astype(str)

    # v1 content, as the first release built it (None printed as "None"), so that warehouses
    # built then recognise the same responses; fields that release did not have come last.
    content = text("submitted_at", "None") + "|" + text("cohort", "None")
    content = content + "|" + text("sgic_code", "None") + "|" + text(item_ids[0], "")
    for item_id in item_ids[1:]:
        content = content + "|" + text(item_id, "")
    for column in extra:
        content = content + "|" + text(column, "")
    by_id = f"{RESPONSE_TAG}|{scope}|" + frame["response_id"].astype("object").fillna("")
    messages = by_id.where(frame["response_id"].notna(), f"{ROW_TAG}|{scope}|" + content)
    return digests(messages, key)


def participant_keys(codes: pd.Series, key: Key, programme_id: str) -> pd.Series:
    """Keyed digest of each normalised SGIC within the programme; None without a usable code.

    Pre/post linkage compares these digests, never the codes themselves."""
    return digests(f"{PARTICIPANT_TAG}|{programme_id}|" + codes.where(codes.notna(), None), key)


def participant_id_keys(
    ids: pd.Series, key: Key, programme_id: str, namespace: str | None = None
) -> pd.Series:
    """Keyed digest of each platform participant id (REDCap record id, panel id) within the
    programme and the survey's id namespace (none: programme-wide); None where the row has
    none. Domain-separated from the SGIC digests."""
    ids = ids.astype("object")
    prefix = f"{PARTICIPANT_ID_TAG}|{programme_id}|{namespace or ''}|"
    return digests((prefix + ids).where(ids.notna(), None), key)


def submission_months(iso_times: pd.Series) -> pd.Series:
    """First day of the submission month: exact times are quasi-identifying, months are not."""
    return pd.to_datetime(iso_times).dt.to_period("M").dt.start_time.dt.date


def answer_status(raw_values: pd.Series, dont_know: pd.Series) -> pd.Series:
    """answered, dont_know or missing, per item answer."""
    status = np.where(dont_know.to_numpy(dtype=bool), "dont_know", "answered")
    return pd.Series(
        np.where(raw_values.isna().to_numpy() & (status == "answered"), "missing", status),
        index=raw_values.index,
    )


def anonymise(
    coded: CodedExport,
    rows: pd.Index,
    key: Key,
    programme_id: str,
    survey_name: str,
    id_namespace: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Safe response rows and item rows for the given (valid) rows of a coded export.

    Returns:
        responses: indexed by source_row_number; response_key, participant_key (SGIC),
            participant_id_key (platform id), sgic_status, cohort_id, wave_id,
            submitted_month, and submitted_at (ISO text, kept in memory only to order
            duplicate submissions; never written).
        items: one row per response x mapped item: response_key, item_id, raw_value (the
            answer code, NULL when unanswered or a don't-know scored as missing),
            answer_status, source_row_number.
    """
    frame = coded.frame.loc[rows]
    scope = f"{programme_id}|{survey_name}"
    responses = pd.DataFrame(index=frame.index)
    responses["response_key"] = response_keys(frame, key, scope, coded.item_ids, coded.row_identity)
    responses["participant_key"] = participant_keys(frame["sgic_code"], key, programme_id)
    responses["participant_id_key"] = participant_id_keys(
        frame["participant_id"], key, programme_id, id_namespace
    )
    responses["sgic_status"] = frame["sgic_status"]
    responses["cohort_id"] = frame["cohort"]
    responses["wave_id"] = frame["wave"]
    responses["submitted_at"] = frame["submitted_at"]
    responses["submitted_month"] = frame["submitted_month"]
    long = (
        frame[coded.item_ids]
        .assign(response_key=responses["response_key"])
        .reset_index()
        .melt(
            id_vars=["source_row_number", "response_key"],
            var_name="item_id",
            value_name="raw_value",
        )
    )
    dont_know = coded.dont_know.loc[rows, coded.item_ids].melt(value_name="dk")["dk"]
    long["raw_value"] = pd.to_numeric(long["raw_value"]).astype("Int16")
    long["answer_status"] = answer_status(long["raw_value"], dont_know.set_axis(long.index))
    return responses, long
