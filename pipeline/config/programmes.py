"""The programmes of `ripple.yml`, their workshop cohorts, and the survey waves."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from pipeline.instruments import IDENTIFIER, Strict


class Wave(Strict):
    """A survey wave. The first wave in the list is the baseline that every later wave is
    compared with."""

    id: str = Field(pattern=IDENTIFIER)
    label: str


class Cohort(Strict):
    """One workshop or group session: where and when it ran.

    The survey's cohort column may hold the `id` or any of the `labels` (as a Google Form's
    "Which session did you attend?" answer would).
    """

    id: str = Field(min_length=1)
    site: str
    date: dt.date
    labels: list[str] = Field(default_factory=list)


class Programme(Strict):
    """An initiative: its approach, audience, instruments and cohorts."""

    id: str = Field(pattern=IDENTIFIER)
    name: str
    approach: str
    audience: str
    instruments: list[str] = Field(min_length=1)
    cohorts: list[Cohort] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_cohorts(self) -> Programme:
        ids = [cohort.id for cohort in self.cohorts]
        if len(set(ids)) != len(ids):
            raise ValueError(f"programme '{self.id}' lists a cohort id twice")
        return self
