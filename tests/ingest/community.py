"""The one-cohort community programme that the multi-choice layout tests (Google Forms
checkboxes, SurveyMonkey's option columns) code their exports for."""

from __future__ import annotations

from pipeline.config import Cohort, Programme, Source

COHORT = "CM-LEE-2503"


def community_programme(instrument: str) -> Programme:
    """Programme `community` asking `instrument`, with one cohort, in Leeds."""
    return Programme(
        id="community",
        name="C",
        approach="contact-based",
        audience="public",
        instruments=[instrument],
        cohorts=[Cohort(id=COHORT, site="Leeds", date="2025-03-14")],
    )


def community_source(path: str, survey: str, wave: str) -> Source:
    """The export at `path`, read with `survey`, as one wave of the community cohort."""
    return Source(path=path, survey=survey, programme="community", wave=wave, cohort=COHORT)
