"""The survey part of `ripple.yml`: how one survey's export maps onto Ripple's fields.

A survey mapping names, by stable column key (Qualtrics ImportId, REDCap field name,
SurveyMonkey API question id, otherwise the header text), the columns Ripple reads: the
response id, the participant id and/or self-generated code used for linkage, the submission
time, the cohort and wave (when they come from the data), and the instrument items. Columns not
named here are never loaded. Everything here is optional except `items`, so configs written
for the first release (format, values, response_id, submitted_at, cohort column, sgic, items)
stay valid unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from pipeline.instruments import IDENTIFIER, Strict, normalise_label

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
SgicKind = Literal["letter", "month", "number", "year", "text"]
SpecialAnswer = Literal["dont_know", "missing"]
OPTION_SEPARATOR = " | "  # between a question and an option in a derived column key


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
