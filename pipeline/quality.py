"""Exclusions: responses that are not real answers by a participant (previews, tests, spam),
unfinished ones, and duplicates. Excluded rows are counted with their reason, never lost.

Every row gets at most one exclusion reason, and the first matching rule wins, in this order:
preview / test / spam, incomplete, other_wave (a row of a wave the mapping
excludes, such as a REDCap event that is not a survey wave), duplicate_response (before
validation); then, after
validation and anonymisation, duplicate_submission and already_loaded (see `duplicate_reasons`).
"""

from __future__ import annotations

import pandas as pd

from pipeline.config import Quality

# Qualtrics "Status" in numeric and choice-text exports (privacy-and-reliability.md 1.7).
STATUS_REASONS = {
    "1": "preview",
    "9": "preview",
    "17": "preview",
    "survey preview": "preview",
    "survey preview spam": "preview",
    "offline survey preview": "preview",
    "2": "test",
    "survey test": "test",
    "8": "spam",
    "12": "spam",
    "spam": "spam",
    "imported spam": "spam",
}
CHANNEL_REASONS = {"preview": "preview", "test": "test"}
UNFINISHED = {"0", "false", "0.0"}


def status_reasons(status: pd.Series, channel: pd.Series) -> pd.Series:
    """preview / test / spam from Qualtrics Status, else from DistributionChannel, else None."""
    by_status = status.str.strip().str.casefold().map(STATUS_REASONS)
    by_channel = channel.str.strip().str.casefold().map(CHANNEL_REASONS)
    return by_status.fillna(by_channel).astype("object").where(lambda s: s.notna(), None)


def incomplete_mask(finished: pd.Series, progress: pd.Series, quality: Quality) -> pd.Series:
    """True where progress is below the policy's minimum or, when the policy excludes
    unfinished responses, where the platform marks the response as not finished."""
    unfinished = finished.str.strip().str.casefold().isin(UNFINISHED)
    percent = pd.to_numeric(progress.str.strip(), errors="coerce")
    too_little = percent.notna() & (percent < quality.min_progress)
    return (unfinished & quality.exclude_unfinished) | too_little


def repeated_response_mask(response_id: pd.Series) -> pd.Series:
    """True for every occurrence of a response id except its last one in the file."""
    present = response_id.notna()
    return present & response_id.duplicated(keep="last")


def pre_validation_exclusions(frame: pd.DataFrame, quality: Quality) -> pd.Series:
    """Exclusion reason per row (None = kept) from platform metadata and repeated ids.

    Args:
        frame: a coded export (`CodedExport.frame`), indexed by source_row_number.
        quality: the config's exclusion policy.
    """
    reasons = status_reasons(frame["meta_status"].astype(str), frame["meta_channel"].astype(str))
    incomplete = incomplete_mask(
        frame["meta_finished"].astype(str), frame["meta_progress"].astype(str), quality
    )
    reasons = reasons.where(reasons.notna() | ~incomplete, "incomplete")
    other_wave = frame["other_wave"].astype(bool) if "other_wave" in frame else False
    reasons = reasons.where(reasons.notna() | ~other_wave, "other_wave")
    repeated = repeated_response_mask(frame["response_id"])
    return reasons.where(reasons.notna() | ~repeated, "duplicate_response")


def with_person_key(frame: pd.DataFrame) -> pd.DataFrame:
    """`person_key`: the platform participant id's digest where there is one, else the
    self-generated code's."""
    by_id = frame.get("participant_id_key")
    person = frame["participant_key"] if by_id is None else by_id.fillna(frame["participant_key"])
    return frame.assign(person_key=person.astype("object").where(person.notna(), None))


def duplicate_reasons(candidates: pd.DataFrame, landed: pd.DataFrame) -> pd.Series:
    """Exclusion reason per candidate row: already_loaded or duplicate_submission, else None.

    A response whose key is already in the warehouse was loaded by an earlier run (an
    overlapping export): `already_loaded`. A response found in two of this run's files keeps
    its last occurrence; the others are `duplicate_response`. Among the rest, one person (same
    programme, cohort, wave and participant-id or SGIC digest) answering a wave twice keeps
    only the latest submission; the earlier ones, and any new one when the person's answer for
    that wave is already in the warehouse, are `duplicate_submission`. Responses without a
    usable participant id or code cannot be matched and are kept.

    Args:
        candidates: rows with response_key, participant_key, programme_id, cohort_id, wave_id,
            submitted_at (ISO text) and source_order (position across this run's files).
        landed: the warehouse's response_key, participant_key, programme_id, cohort_id, wave_id.
    """
    candidates, landed = with_person_key(candidates), with_person_key(landed)
    reasons = pd.Series(None, index=candidates.index, dtype="object")
    reasons[candidates["response_key"].isin(set(landed["response_key"]))] = "already_loaded"
    repeated = candidates["response_key"].duplicated(keep="last") & reasons.isna()
    reasons[repeated] = "duplicate_response"
    person = ["programme_id", "cohort_id", "wave_id", "person_key"]
    open_rows = candidates[reasons.isna() & candidates["person_key"].notna()]
    taken = landed.dropna(subset=["person_key"])[person].drop_duplicates()
    seen = open_rows.merge(taken.assign(_landed=True), on=person, how="left")["_landed"]
    seen_before = pd.Series(seen.fillna(False).to_numpy(dtype=bool), index=open_rows.index)
    ordered = open_rows.sort_values(["submitted_at", "source_order"])
    superseded = ordered.duplicated(subset=person, keep="last").reindex(open_rows.index)
    reasons[open_rows.index[(seen_before | superseded).to_numpy()]] = "duplicate_submission"
    return reasons.astype("object").where(reasons.notna(), None)
