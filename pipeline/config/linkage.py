"""How one person's responses are linked across waves: the project's `linkage` key and the
elements of a survey's self-generated code (`sgic`, `sgic_covariates`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.instruments import IDENTIFIER, Strict

SgicKind = Literal["letter", "month", "number", "year", "text"]


class SgicElement(Strict):
    """One question of the self-generated identification code, e.g. "first letter of your
    mother's first name" (`letter`), "month you were born" (`month`), "number of older
    siblings" (`number`); or a stable covariate that a one-element link must agree on
    (`sgic_covariates`: a birth-year band as `year` with `band`, a gender answer as `text`).

    Normalisation (pipeline.sgic.normalise_element): case, spaces, diacritics, "3"/"03"/"March",
    "2"/"two" never matter; blank and "don't know" answers are missing. Options: `letters`
    (letter: how many leading letters to keep, default 1), `band` (year: width of the band in
    years), `missing` (more answers that mean no answer, e.g. ["x", "none of your business"]),
    `values` (answers to read as another answer first, e.g. {f: female, woman: female}).
    """

    column: str
    name: str = Field(pattern=IDENTIFIER)
    kind: SgicKind
    letters: int = Field(default=1, ge=1, le=5)
    band: int | None = Field(default=None, ge=1, le=50)
    missing: list[str] = Field(default_factory=list)
    values: dict[str, str] = Field(default_factory=dict)

    @field_validator("missing", mode="before")
    @classmethod
    def _missing_as_text(cls, values: object) -> object:
        return [str(v) for v in values] if isinstance(values, list) else values

    @field_validator("values", mode="before")
    @classmethod
    def _values_as_text(cls, values: object) -> object:
        if isinstance(values, dict):
            return {str(k): str(v) for k, v in values.items()}
        return values

    @model_validator(mode="after")
    def _options_fit_the_kind(self) -> SgicElement:
        if self.letters != 1 and self.kind != "letter":
            raise ValueError("'letters' applies to kind letter only")
        if self.band is not None and self.kind != "year":
            raise ValueError("'band' applies to kind year only")
        return self


class Linkage(Strict):
    """How responses of one person are linked across waves (README "Linkage").

    Every link is one to one within a programme: first by the platform participant id, then
    by the exact self-generated code, then (with `fuzzy`) by a code that differs in one
    element, only when that pair is the only candidate on both sides and agrees on the
    survey's `sgic_covariates` (match_type `one_element`). Codes link within the same cohort,
    or with `cohort_window_days` also across the programme's cohorts whose session dates are
    at most that many days apart. `fuzzy: false` restricts every analysis to exact matches.
    """

    fuzzy: bool = True
    cohort_window_days: int | None = Field(default=None, ge=0, le=366)
