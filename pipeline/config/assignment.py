"""Where a response's cohort and wave come from when its file does not fix them, and which of
a survey's rows are complete (a survey's `cohort`, `wave` and `completion`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.instruments import Strict


class NearestSession(Strict):
    """Cohort from the submission date: the programme's cohort whose session date is nearest
    to the submission date minus the wave's `offset_days` (e.g. 90 for a three-month
    follow-up), if it is within `window_days`. Two sessions equally near are ambiguous and
    the response is quarantined rather than guessed."""

    window_days: int = Field(ge=0, le=366)
    offset_days: dict[str, int] = Field(default_factory=dict)


class CohortRule(Strict):
    """Where a response's cohort comes from when the file does not fix it: a `column` (its
    answer is a cohort id or one of the cohort's labels) or the `nearest_session` to the
    submission date. With a participant id, a blank cohort cell is filled from the same
    participant's other rows in the file (REDCap keeps it on the enrolment event only)."""

    column: str | None = None
    nearest_session: NearestSession | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> CohortRule:
        if (self.column is None) == (self.nearest_session is None):
            raise ValueError("give exactly one of 'column' or 'nearest_session'")
        return self


class WaveRule(Strict):
    """The wave from a column: each answer value (e.g. "avant"/"apres", or REDCap's
    `redcap_event_name` values) maps to a wave id. Values are matched ignoring case,
    surrounding spaces and curly quotes. A row whose value is not listed is quarantined
    (`unknown_wave`), or excluded as `other_wave` with `other: exclude` (REDCap events that
    are not survey waves, such as a dosing visit)."""

    column: str
    values: dict[str, str] = Field(min_length=1)
    other: Literal["quarantine", "exclude"] = "quarantine"


class Completion(Strict):
    """Which rows are complete responses, for formats without Qualtrics' Finished/Progress:
    the `column` (e.g. SurveyMonkey's `response_status`, REDCap's `<form>_complete`) and the
    values that mean complete; other non-blank values are excluded as `incomplete` when the
    quality policy excludes unfinished responses."""

    column: str
    complete: list[str] = Field(min_length=1)

    @field_validator("complete", mode="before")
    @classmethod
    def _as_text(cls, values: object) -> object:
        return [str(v) for v in values] if isinstance(values, list) else values
