"""Disclosure settings of `ripple.yml`: the project's `privacy` key, and the free text and
respondent attributes (quasi-identifiers) a survey opts in to loading."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from pipeline.instruments import IDENTIFIER, Strict


class Privacy(Strict):
    """Disclosure settings for respondent attributes and free text: the k of the k-anonymity
    check over each survey's quasi-identifiers (never below 5), and an optional file of names
    (one per line) that free-text redaction replaces."""

    k_anonymity: int = Field(default=5, ge=5)
    redact_names_file: Path | None = None


class FreeText(Strict):
    """A free-text question opted in to loading: kept only after redaction (emails, phone
    numbers, URLs, IPs, postcodes, national ids, listed names) and marked "redacted, not
    anonymous". Free text not named here is never read."""

    column: str
    name: str = Field(pattern=IDENTIFIER)


class QuasiIdentifier(Strict):
    """A respondent attribute (age, gender, role, a date) kept only coarsened and only where
    at least k responses share the combination of all declared attributes.

    `age`: whole-number ages to bands between `bands` edges (default 18, 25, 35, 45, 55, 65);
    `category`: answers to declared `groups` (answer -> group; any other answer is "other");
    `date`: to the first day of its `date_unit` (week or month).
    """

    column: str
    name: str = Field(pattern=IDENTIFIER)
    kind: Literal["age", "category", "date"]
    bands: list[int] = Field(default_factory=lambda: [18, 25, 35, 45, 55, 65])
    groups: dict[str, str] = Field(default_factory=dict)
    date_unit: Literal["week", "month"] = "month"

    @model_validator(mode="after")
    def _usable(self) -> QuasiIdentifier:
        if self.kind == "age" and (not self.bands or self.bands != sorted(set(self.bands))):
            raise ValueError("bands must be increasing whole-number ages")
        if self.kind == "category" and not self.groups:
            raise ValueError("a category needs `groups` (answer -> group)")
        return self
