"""Exclusions decided before validation, from platform metadata, durations and response ids.

Every row gets at most one reason, and the first matching rule wins, in this order:
preview / test / spam, incomplete, other_wave, speeder (only when the policy excludes speeders),
then duplicate_response / superseded_response among the rows still kept.
"""

from __future__ import annotations

import pandas as pd

from pipeline.config import Quality
from pipeline.quality.speeders import speeder_rules

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
# Fields of a coded export that are not part of what a respondent answered: two records with
# the same response id that differ only in these are the same response.
NOT_CONTENT = {
    "response_id",
    "submitted_at",
    "submitted_month",
    "sgic_status",
    "other_wave",
    "duration_seconds",
    "source_row",
}


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


def content_hash(frame: pd.DataFrame) -> pd.Series:
    """A hash of what each record answered (items, cohort, wave, code, participant id): equal
    for two records that differ only in their response id, time or metadata."""
    columns = [c for c in frame.columns if c not in NOT_CONTENT and not c.startswith("meta_")]
    if not columns:
        return pd.Series(0, index=frame.index, dtype="uint64")
    return pd.util.hash_pandas_object(frame[columns].astype("object"), index=False)


def repeated_response_reasons(frame: pd.DataFrame, open_rows: pd.Series) -> pd.Series:
    """duplicate_response / superseded_response / None per row, for rows of `open_rows` that
    share a response id: the latest submission (by submitted_at, then file order) is kept;
    an earlier record with the same content is `duplicate_response`, with different content
    `superseded_response`."""
    reasons = pd.Series(None, index=frame.index, dtype="object")
    ids = frame["response_id"]
    candidates = frame.index[(open_rows & ids.notna()).to_numpy()]
    if candidates.empty or not ids.loc[candidates].duplicated().any():
        return reasons
    rows = pd.DataFrame(
        {
            "id": ids.loc[candidates],
            "at": frame.get("submitted_at", pd.Series(None, index=frame.index)).loc[candidates],
            "position": range(len(candidates)),
            "content": content_hash(frame.loc[candidates]),
        },
        index=candidates,
    ).sort_values(["at", "position"], na_position="first")
    later = rows.duplicated("id", keep="last")
    kept = rows.loc[~later].set_index("id")["content"]
    repeats = rows.loc[later]
    same = repeats["content"].to_numpy() == repeats["id"].map(kept).to_numpy()
    reasons[repeats.index[same]] = "duplicate_response"
    reasons[repeats.index[~same]] = "superseded_response"
    return reasons


def pre_validation_exclusions(
    frame: pd.DataFrame, quality: Quality, n_items: int | None = None
) -> pd.Series:
    """Exclusion reason per row (None = kept) from platform metadata, durations and ids.

    Args:
        frame: a coded export (`CodedExport.frame`), indexed by source_row_number; an optional
            `duration_seconds` column times each response for the speeder rule.
        quality: the config's exclusion policy.
        n_items: items the survey maps (for the per-item speeder floor); default: unknown.
    """
    reasons = status_reasons(frame["meta_status"].astype(str), frame["meta_channel"].astype(str))
    incomplete = incomplete_mask(
        frame["meta_finished"].astype(str), frame["meta_progress"].astype(str), quality
    )
    reasons = reasons.where(reasons.notna() | ~incomplete, "incomplete")
    other_wave = frame["other_wave"].astype(bool) if "other_wave" in frame else False
    reasons = reasons.where(reasons.notna() | ~other_wave, "other_wave")
    if quality.speeders.action == "exclude" and "duration_seconds" in frame:
        rules = speeder_rules(
            frame["duration_seconds"], reasons.isna(), n_items or 0, quality.speeders
        )
        reasons = reasons.where(reasons.notna() | ~rules.speeder, "speeder")
    repeated = repeated_response_reasons(frame, reasons.isna())
    reasons = reasons.where(reasons.notna(), repeated).astype("object")
    return reasons.where(reasons.notna(), None)
