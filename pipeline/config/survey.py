"""The survey part of `ripple.yml`: how one survey's export maps onto Ripple's fields.

A survey mapping names, by stable column key (Qualtrics ImportId, REDCap field name,
SurveyMonkey API question id, otherwise the header text), the columns Ripple reads: the
response id, the participant id and/or self-generated code used for linkage, the submission
time, the cohort and wave (when they come from the data), and the instrument items. Columns not
named here are never loaded. Everything here is optional except `items`, so configs written
for the first release (format, values, response_id, submitted_at, cohort column, sgic, items)
stay valid unchanged.

The parts of a mapping are models of their own: `assignment` (cohort, wave, completion),
`answers` (special codes, checkboxes), `linkage` (the self-generated code) and `privacy`
(free text, quasi-identifiers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.config.answers import OPTION_SEPARATOR, Checkbox, CodeLists, SpecialAnswer
from pipeline.config.assignment import CohortRule, Completion, WaveRule
from pipeline.config.linkage import SgicElement
from pipeline.config.privacy import FreeText, QuasiIdentifier
from pipeline.instruments import Strict

ExportFormat = Literal[
    "qualtrics",
    "qualtrics_legacy",
    "surveymonkey",
    "surveymonkey_api",
    "google_forms",
    "redcap",
    "kobo",
    "csv",
]
DateOrder = Literal["dmy", "mdy", "ymd"]


class Survey(Strict):
    """How one survey's export maps onto Ripple's fields (see the module docstring).

    Linkage: by `participant_id` (a platform id such as REDCap's record_id, a panel id or a
    SurveyMonkey custom variable), by the self-generated code `sgic`, or both (the platform id
    first, then the code for responses the id did not link). At least one is required.
    Platform ids link across every survey of the programme (a panel id asked in a
    SurveyMonkey pre survey and a Qualtrics post survey); give surveys whose ids are numbered
    independently (two REDCap projects both starting at record 1) different
    `participant_id_namespace` values so their ids never meet.
    Dates: `submitted_at` is optional where a format has none; the month then comes from
    `month_from` (another date field) or the cohort's session date. `duration` (seconds) or
    `started_at` (with `submitted_at` as the end) times each response for the speeder rule;
    Qualtrics' own `duration` column is used without mapping it.
    Multi-select answers joined in one cell are split by `checkboxes`; an item whose answer
    is spread over one column per option (SurveyMonkey's expanded layout) is read as one
    answer, detected from the option sub-headers or declared in `option_columns`.
    """

    format: ExportFormat
    values: Literal["codes", "labels"] = "codes"
    response_id: str | list[str] | None = None
    participant_id: str | None = None
    participant_id_namespace: str | None = None
    submitted_at: str | None = None
    started_at: str | None = None
    duration: str | None = None
    timestamp_format: str | None = None
    date_order: DateOrder | None = None
    month_from: str | None = None
    cohort: str | CohortRule | None = None
    wave: WaveRule | None = None
    completion: Completion | None = None
    sgic: list[SgicElement] = Field(default_factory=list)
    sgic_covariates: list[SgicElement] = Field(default_factory=list)
    items: dict[str, str] = Field(min_length=1)
    codes: CodeLists = CodeLists()
    item_codes: dict[str, CodeLists] = Field(default_factory=dict)
    labels: dict[str, dict[str, int | SpecialAnswer]] = Field(default_factory=dict)
    free_text: list[FreeText] = Field(default_factory=list)
    quasi_identifiers: list[QuasiIdentifier] = Field(default_factory=list)
    dictionary: Path | None = None
    details: Path | None = None
    checkboxes: dict[str, Checkbox] = Field(default_factory=dict)
    option_columns: list[str] = Field(default_factory=list)

    @field_validator("cohort", mode="before")
    @classmethod
    def _cohort_column(cls, value: object) -> object:
        return {"column": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Survey:
        if not self.sgic and not self.participant_id:
            raise ValueError(
                "give 'participant_id' (a platform id) or 'sgic' (a self-generated code), "
                "or both, so that waves can be linked"
            )
        if len(self.sgic) == 1:
            raise ValueError("sgic: a self-generated code needs at least 2 elements")
        dupes = sorted({c for c in self.used_columns() if self.used_columns().count(c) > 1})
        if dupes:
            raise ValueError(f"columns mapped more than once: {dupes}")
        names = [e.name for e in (*self.sgic, *self.sgic_covariates)]
        if len(set(names)) != len(names):
            raise ValueError("sgic element and covariate names must be unique")
        if self.sgic_covariates and not self.sgic:
            raise ValueError("sgic_covariates needs 'sgic' (the code they back up)")
        items = list(self.items.values())
        if len(set(items)) != len(items):
            raise ValueError("an item is mapped from two columns")
        rule = self.cohort_rule
        if rule and rule.nearest_session and not self.submitted_at:
            raise ValueError("cohort.nearest_session needs 'submitted_at' (a date column)")
        if self.format == "redcap" and self.values == "labels" and not self.dictionary:
            raise ValueError("a REDCap label export needs 'dictionary' (its data dictionary)")
        if self.format == "surveymonkey_api" and not self.details:
            raise ValueError("a SurveyMonkey API export needs 'details' (the survey details)")
        if set(self.option_columns) - set(self.items):
            raise ValueError("option_columns lists only keys of 'items'")
        self._check_option_keys()
        return self

    def _check_option_keys(self) -> None:
        """A key `<checkbox question> | X` must name one of that question's options."""
        for question, box in self.checkboxes.items():
            prefix, known = question + OPTION_SEPARATOR, box.option_keys(question)
            for key in self.used_columns():
                if key.startswith(prefix) and key not in known:
                    raise ValueError(f"'{key}' is not one of the options of checkbox '{question}'")

    def used_columns(self) -> list[str]:
        """Every export column this mapping reads (an identifier column appears once)."""
        used = [*(e.column for e in (*self.sgic, *self.sgic_covariates)), *self.items]
        ids = self.response_id_columns()
        used += [c for c in ids if c != self.participant_id]
        dates = (self.submitted_at, self.started_at, self.duration, self.month_from)
        for column in (*dates, self.participant_id):
            if column:
                used.append(column)
        if isinstance(self.cohort, CohortRule) and self.cohort.column:
            used.append(self.cohort.column)
        if self.wave and self.wave.column not in ids:
            used.append(self.wave.column)
        if self.completion:
            used.append(self.completion.column)
        used += [f.column for f in self.free_text] + [q.column for q in self.quasi_identifiers]
        return used + list(self.checkboxes)

    def response_id_columns(self) -> list[str]:
        """The response id's columns: one, several (joined, e.g. REDCap record + event +
        repeat instance), or none."""
        if self.response_id is None:
            return []
        return [self.response_id] if isinstance(self.response_id, str) else self.response_id

    @property
    def cohort_rule(self) -> CohortRule | None:
        return self.cohort if isinstance(self.cohort, CohortRule) else None

    def codes_for(self, item_id: str, instrument_id: str) -> CodeLists:
        """The special answer codes of one item: survey-wide, then the instrument's, then the
        item's own lists, added together."""
        lists = [self.codes, self.item_codes.get(instrument_id), self.item_codes.get(item_id)]
        present = [c for c in lists if c is not None]
        return CodeLists(
            missing=sorted({v for c in present for v in c.missing}),
            dont_know=sorted({v for c in present for v in c.dont_know}),
        )

    def labels_for(self, item_id: str, instrument_id: str) -> dict[str, int | SpecialAnswer]:
        """The survey's own answer labels for one item (instrument-wide, then item-specific)."""
        return {**self.labels.get(instrument_id, {}), **self.labels.get(item_id, {})}


class Source(Strict):
    """One export file: which survey mapping reads it, for which programme, and (unless the
    survey takes them from columns) which wave and cohort all its rows belong to. The other
    keys override what detection finds."""

    path: Path
    survey: str
    programme: str
    wave: str | None = None
    cohort: str | None = None
    format: ExportFormat | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_rows: int | None = Field(default=None, ge=1, le=10)
    sheet: str | None = None
    date_format: str | None = None
    date_order: DateOrder | None = None
    excel_epoch: Literal[1900, 1904] | None = None
