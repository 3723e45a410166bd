"""Anonymisation: from a coded export to rows that are safe to write.

What leaves this module is only: keyed pseudonyms (HMAC-SHA256 with the programme key,
truncated to 128 bits), cohort and wave ids, the submission month, the SGIC status and the
item codes. Response ids, SGIC answers and exact timestamps stay in memory and are dropped
here; columns the survey mapping does not name (identifiers, free text, device data) were
never read (pipeline.ingest.mapping). Reference: privacy-and-reliability.md sections 1 and 2.4.

Every digest is domain-separated by purpose and programme (pipeline.keys.domain):
- response_key: "v1|response|<programme>|<survey>|<response id>" (or "v1|row|..." + content);
- participant_key: "v1|sgic|<programme>|<normalised code>";
- link keys: "v1|sgic-loo|<i>|<programme>|<code with element i masked>[|covariates|...]",
  one per leave-one-element-out variant (pipeline.sgic.code_fields), for one-element linkage;
- participant_id_key: "v1|participant-id|<programme>|<namespace>|<platform id>".
Each distinct message is digested once (map_distinct), never row by row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.ingest.answers import map_distinct
from pipeline.ingest.mapping import CodedExport
from pipeline.keys import Key, domain
from pipeline.sgic import variant_columns

# Version tags inside every HMAC message: changing how a pseudonym is built changes the tag,
# so old and new pseudonyms can never be confused.
RESPONSE_TAG = "v1|response"
ROW_TAG = "v1|row"
PARTICIPANT_TAG = "v1|sgic"
PARTICIPANT_ID_TAG = "v1|participant-id"
LINK_KEY_PREFIX = "link_key_"  # responses' columns of leave-one-out digests, one per variant
LINK_KEY_COLUMNS = ["response_key", "variant", "element", "digest", "source_row_number"]


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

    no_id = frame["response_id"].isna()
    by_id = f"{RESPONSE_TAG}|{scope}|" + frame["response_id"].astype("object").fillna("")
    if not no_id.any():  # every response has its platform id: no content needed
        return digests(by_id, key)
    rows = frame[no_id]

    def text(column: str, blank: str) -> pd.Series:
        return rows[column].astype("object").fillna(blank).astype(str)

    # v1 content, as the first release built it (None printed as "None"), so that warehouses
    # built then recognise the same responses; fields that release did not have come last.
    content = text("submitted_at", "None") + "|" + text("cohort", "None")
    content = content + "|" + text("sgic_code", "None") + "|" + text(item_ids[0], "")
    for item_id in item_ids[1:]:
        content = content + "|" + text(item_id, "")
    for column in extra:
        content = content + "|" + text(column, "")
    messages = by_id.where(~no_id, (f"{ROW_TAG}|{scope}|" + content).reindex(frame.index))
    return digests(messages, key)


def participant_keys(codes: pd.Series, key: Key, programme_id: str) -> pd.Series:
    """Keyed digest of each normalised SGIC within the programme; None without a usable code.

    Pre/post linkage compares these digests, never the codes themselves."""
    return digests(domain("sgic", programme_id) + codes.where(codes.notna(), None), key)


def link_keys(frame: pd.DataFrame, key: Key, programme_id: str) -> pd.DataFrame:
    """Keyed digest of each leave-one-element-out variant of each row's code (the frame's
    `sgic_variant_<i>` columns): one `link_key_<i>` column per position i, None where the row
    has no such variant. Each position has its own domain ("v1|sgic-loo|<i>|..."), so two
    codes share a digest only when they agree on every element but the same one."""
    keys = pd.DataFrame(index=frame.index)
    for column in variant_columns(frame):
        position = column.rsplit("_", 1)[1]
        masked = frame[column].astype("object")
        messages = (domain(f"sgic-loo|{position}", programme_id) + masked).where(
            masked.notna(), None
        )
        keys[f"{LINK_KEY_PREFIX}{position}"] = digests(messages, key)
    return keys


def link_key_columns(responses: pd.DataFrame) -> list[str]:
    """The `link_key_<i>` columns of anonymised responses."""
    return [c for c in responses.columns if str(c).startswith(LINK_KEY_PREFIX)]


def link_key_rows(responses: pd.DataFrame, element_names: list[str]) -> pd.DataFrame:
    """landing.response_link_keys rows from anonymised responses (indexed by
    source_row_number, with `link_key_<i>` columns): one row per response x variant it has,
    with the variant's position and the name of the element it leaves out."""
    columns = link_key_columns(responses)
    if not columns or responses.empty:
        return pd.DataFrame(columns=LINK_KEY_COLUMNS)
    long = (
        responses[["response_key", *columns]]
        .rename_axis("source_row_number")
        .reset_index()
        .melt(
            id_vars=["source_row_number", "response_key"], var_name="variant", value_name="digest"
        )
        .dropna(subset=["digest"])
    )
    long["variant"] = long["variant"].str.removeprefix(LINK_KEY_PREFIX).astype("int16")
    names = dict(enumerate(element_names, start=1))
    long["element"] = long["variant"].map(names)
    return long[LINK_KEY_COLUMNS].reset_index(drop=True)


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


ANSWER_STATUSES = ["answered", "dont_know", "missing"]  # sorted: the categories' order


def item_rows(
    codes: pd.DataFrame, dont_know: pd.DataFrame, response_key: pd.Series
) -> pd.DataFrame:
    """One row per response x item, item by item (all responses of the first item, then the
    second...): source_row_number, response_key, item_id, raw_value (Int16, NULL when not
    answered or a don't-know scored as missing) and answer_status (answered, dont_know, or
    missing when there is no code and no don't-know).

    Built column by column with numpy (`np.tile` / `np.repeat` of codes), never as a melted
    frame of strings: the keys, item ids and statuses repeat across millions of rows, so
    they are categoricals (a small integer a row; about 10x less memory at 1M responses)."""
    n, items = len(codes), list(codes.columns)
    numeric = [
        pd.to_numeric(codes[item]).to_numpy(dtype="float64", na_value=np.nan) for item in items
    ]
    values = np.concatenate(numeric) if numeric else np.empty(0)
    raw = pd.array(values, dtype="Int16")
    unknown = dont_know[items].to_numpy(dtype=bool).ravel(order="F")
    status = np.where(unknown, 1, np.where(pd.isna(raw), 2, 0)).astype("int8")
    key_codes, keys = pd.factorize(response_key, sort=True)
    item_names = sorted(items)
    item_codes = np.array([item_names.index(item) for item in items], dtype="int32")
    return pd.DataFrame(
        {
            "source_row_number": np.tile(codes.index.to_numpy(), len(items)),
            "response_key": pd.Categorical.from_codes(np.tile(key_codes, len(items)), keys),
            "item_id": pd.Categorical.from_codes(np.repeat(item_codes, n), item_names),
            "raw_value": raw,
            "answer_status": pd.Categorical.from_codes(status, ANSWER_STATUSES),
        }
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
            submitted_month, submitted_at (ISO text, kept in memory only to order
            duplicate submissions; never written), and link_key_<i> (the leave-one-out
            digests, landed as rows of landing.response_link_keys by `link_key_rows`).
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
    responses = responses.join(link_keys(frame, key, programme_id))
    items = item_rows(frame[coded.item_ids], coded.dont_know.loc[rows], responses["response_key"])
    return responses, items
