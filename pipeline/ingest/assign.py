"""Which cohort and which wave each response belongs to.

A file may fix both (one workshop's post-session export), or the rows carry them: a cohort
column ("Which session did you attend?"), the submission date (the nearest session), a wave
column ("avant"/"apres", REDCap's `redcap_event_name`). A value that cannot be assigned keeps a
token that is not a cohort or wave id, so validation quarantines the row and names the column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import Programme, Source
from pipeline.ingest.answers import blank_to_none, map_distinct
from pipeline.instruments import normalise_label
from pipeline.survey_config import NearestSession, Survey, WaveRule

AMBIGUOUS_COHORT = "(two sessions equally near)"
NO_SESSION_NEAR = "(no session within the window)"


def cohorts_from_column(values: pd.Series, programme: Programme) -> pd.Series:
    """Cohort id for each answer that matches a cohort's id or label (ignoring case, spaces
    and curly quotes); other answers stay as written so validation reports them; None where
    blank."""
    lookup = {}
    for cohort in programme.cohorts:
        for name in (cohort.id, *cohort.labels):
            lookup[normalise_label(name)] = cohort.id
    return map_distinct(blank_to_none(values), lambda text: lookup.get(normalise_label(text), text))


def cohorts_by_date(
    submitted: pd.Series, waves: pd.Series, programme: Programme, rule: NearestSession
) -> pd.Series:
    """The cohort whose session date is nearest to each submission date (minus the wave's
    offset), within `rule.window_days`; a tie between two sessions is ambiguous.

    Args:
        submitted: submission times (datetime64, NaT where unknown).
        waves: each row's wave id (for the per-wave offset).
        programme: whose cohorts are candidates.
        rule: the window and offsets.
    """
    offsets = waves.map(rule.offset_days).fillna(0).astype("int64").to_numpy()
    days = submitted.dt.normalize().to_numpy(dtype="datetime64[D]").astype("int64") - offsets
    sessions = np.array(
        [np.datetime64(c.date, "D").astype("int64") for c in programme.cohorts], dtype="int64"
    )
    distance = np.abs(days[:, None] - sessions[None, :])  # rows x cohorts, cohorts are few
    nearest = distance.min(axis=1)
    ties = (distance == nearest[:, None]).sum(axis=1) > 1
    ids = np.array([c.id for c in programme.cohorts], dtype=object)[distance.argmin(axis=1)]
    known = submitted.notna().to_numpy()
    result = np.where(nearest > rule.window_days, NO_SESSION_NEAR, ids)
    result = np.where(ties, AMBIGUOUS_COHORT, result)
    return pd.Series(np.where(known, result, None), index=submitted.index, dtype="object")


def fill_by_participant(cohorts: pd.Series, participants: pd.Series) -> pd.Series:
    """Blank cohorts taken from the same participant's other rows in the file, when those
    agree on one cohort (REDCap keeps the cohort on the enrolment event's row only)."""
    known = pd.DataFrame({"p": participants, "c": cohorts}).dropna()
    single = known.groupby("p")["c"].nunique()
    usable = known[known["p"].isin(single.index[single == 1])].drop_duplicates("p")
    filled = participants.map(usable.set_index("p")["c"])
    return cohorts.where(cohorts.notna(), filled).astype("object").where(lambda s: s.notna(), None)


def assign_waves(values: pd.Series, rule: WaveRule) -> tuple[pd.Series, pd.Series]:
    """(wave, other) per row: the wave id a value maps to, the value itself when it maps to
    none (validation quarantines it, unless `other`), None where blank; `other` is True
    where the value is not listed and the rule excludes such rows."""
    lookup = {normalise_label(value): wave for value, wave in rule.values.items()}
    text = blank_to_none(values)
    waves = map_distinct(text, lambda v: lookup.get(normalise_label(v), f"value:{v}"))
    unlisted = waves.notna() & waves.str.startswith("value:", na=False)
    other = unlisted & (rule.other == "exclude")
    return waves, other


def fixed(value: str | None, index: pd.Index) -> pd.Series:
    """A column holding one value for every row."""
    return pd.Series(value, index=index, dtype="object")


def waves_for(source: Source, survey: Survey, frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(wave, other) for every row of `frame` (columns by key): the file's wave when the
    source fixes it, else from the survey's wave column."""
    if source.wave is not None or survey.wave is None:
        return fixed(source.wave, frame.index), pd.Series(False, index=frame.index)
    return assign_waves(frame[survey.wave.column], survey.wave)


def cohorts_for(
    src: pd.DataFrame,
    survey: Survey,
    source: Source,
    programme: Programme,
    submitted: pd.Series,
    frame: pd.DataFrame,
) -> pd.Series:
    """Each row's cohort: the file's, from a column, or the nearest session by date; blanks
    filled from the same participant's other rows when there is a participant id.

    Args:
        src: the export's columns by key.
        submitted: submission times (datetime64, NaT where unknown).
        frame: the rows' `wave` and `participant_id` so far.
    """
    rule = survey.cohort_rule
    if source.cohort is not None or rule is None:
        return fixed(source.cohort, src.index)
    if rule.column:
        cohorts = cohorts_from_column(src[rule.column], programme)
    else:
        cohorts = cohorts_by_date(submitted, frame["wave"], programme, rule.nearest_session)
    if survey.participant_id:
        cohorts = fill_by_participant(cohorts, frame["participant_id"])
    return cohorts
