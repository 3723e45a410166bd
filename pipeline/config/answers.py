"""How a survey's answers are read: values that are not scale codes (`codes`, `item_codes`),
what a survey's own answer labels may mean (`labels`), and multi-select questions written as
one cell (`checkboxes`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.instruments import Strict, normalise_label

SpecialAnswer = Literal["dont_know", "missing"]

OPTION_SEPARATOR = " | "  # between a question and an option in a derived column key


class CodeLists(Strict):
    """Answer values that are not scale codes: `missing` (e.g. -99, 99, "NA") is treated as no
    answer, `dont_know` (e.g. 9) is kept as "don't know" (scored as the instrument says, and
    flagged in `item_responses`). An empty cell is always missing. Values are compared as
    text after trimming, and as numbers when both are numbers ("9" matches "9.0")."""

    missing: list[str] = Field(default_factory=list)
    dont_know: list[str] = Field(default_factory=list)

    @field_validator("missing", "dont_know", mode="before")
    @classmethod
    def _as_text(cls, values: object) -> object:
        if isinstance(values, list):
            return [str(v) for v in values]
        return values

    @model_validator(mode="after")
    def _disjoint(self) -> CodeLists:
        both = sorted(set(self.missing) & set(self.dont_know))
        if both:
            raise ValueError(f"values listed as both missing and dont_know: {both}")
        return self


class Checkbox(Strict):
    """A multi-select question written as one cell, its ticked options joined by `separator`
    (Google Forms: "Friend or family member, Myself"). The cell is split only against
    `options`, longest first, so an option that contains the separator stays whole. Each
    option becomes a column `<question> | <option>` holding 1 (ticked), 0 (answered, not
    ticked) or blank (not answered), mapped like REDCap's `field___code` columns. An answer
    that is none of the options quarantines the row's option items, or with `other: true`
    ticks `<question> | Other` (Google Forms' "Other:" text, which is never read)."""

    options: list[str] = Field(min_length=1)
    separator: str = Field(default=", ", min_length=1)
    other: bool = False

    @model_validator(mode="after")
    def _distinct(self) -> Checkbox:
        names = [normalise_label(o) for o in (*self.options, *(["Other"] * self.other))]
        if "" in names or len(set(names)) != len(names):
            raise ValueError("options must be distinct and not blank (with `other`, not Other)")
        return self

    def option_keys(self, question: str) -> dict[str, str]:
        """Derived column key -> option, `Other` last when `other` is set."""
        options = [*self.options, *(["Other"] * self.other)]
        return {f"{question}{OPTION_SEPARATOR}{option}": option for option in options}
