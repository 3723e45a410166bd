"""A REDCap project's data dictionary as read (`redcap_dictionary`): its fields in dictionary
order, and the columns a raw export of the project holds, each with the headers a label export
writes for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


def checkbox_suffix(code: str) -> str:
    """The `___<suffix>` REDCap writes for a checkbox code: lower-cased, with '-' and '.' as '_'
    (a code of -1 gives `field____1`; the '-' rule is from REDCap's behaviour as remembered,
    not a published spec)."""
    return code.strip().lower().replace("-", "_").replace(".", "_")


@dataclass(frozen=True)
class RedcapField:
    """One dictionary row. `choices` maps code -> label in the dictionary's order."""

    name: str
    form: str
    type: str
    label: str
    choices: dict[str, str] = field(default_factory=dict, hash=False)
    identifier: bool = False
    validation: str = ""
    row: int = 0  # the dictionary record it came from (1-based, header = row 1)


@dataclass(frozen=True)
class RedcapDictionary:
    """A project's data dictionary. Fields are in dictionary order; the first is the record id."""

    path: Path
    fields: tuple[RedcapField, ...]
    spelling: str  # "ui" (download from the Dictionary page) or "api" (metadata export)
    warnings: tuple[str, ...] = ()

    @cached_property
    def by_name(self) -> dict[str, RedcapField]:
        """Field name -> field."""
        return {f.name: f for f in self.fields}

    def field(self, name: str) -> RedcapField:
        """The field called `name`; KeyError naming it when the dictionary has none."""
        try:
            return self.by_name[name]
        except KeyError:
            raise KeyError(f"the REDCap dictionary {self.path} has no field '{name}'") from None

    @property
    def record_id(self) -> str:
        """The record id field (REDCap makes the first field the record id)."""
        return self.fields[0].name

    @property
    def forms(self) -> tuple[str, ...]:
        """Form (instrument) names in dictionary order."""
        return tuple(dict.fromkeys(f.form for f in self.fields))

    def identifier_fields(self) -> frozenset[str]:
        """Fields tagged `Identifier? = y`: personal data the anonymiser must drop."""
        return frozenset(f.name for f in self.fields if f.identifier)

    def number_fields(self) -> frozenset[str]:
        """Text fields validated as numbers (`number*`, `integer`): where decimal commas occur."""
        return frozenset(
            f.name
            for f in self.fields
            if f.type == "text" and f.validation.startswith(("number", "integer"))
        )

    def export_columns(self, name: str) -> list[str]:
        """The raw export columns of one field: `field___code` per checkbox choice (in choice
        order), none for a descriptive field (REDCap exports no column for it), else [field]."""
        f = self.field(name)
        if f.type == "checkbox":
            return [f"{f.name}___{checkbox_suffix(code)}" for code in f.choices]
        return [] if f.type == "descriptive" else [f.name]

    def form_complete_columns(self) -> list[str]:
        """`<form>_complete` for every form, in form order."""
        return [f"{form}_complete" for form in self.forms]

    def layout(self) -> list[tuple[str, tuple[str, ...]]]:
        """Every column a full export can hold, in REDCap's export order, each with the header
        texts a label export writes for it (REDCap-spelt; see `redcap_labels` for matching).

        Order: record id, the event/repeat/DAG/survey-identifier columns, then per form its
        survey timestamp, its fields and `<form>_complete` (the record id's own form starts
        after the record id). Columns a project lacks are simply absent from its exports.
        """
        rid = self.fields[0]
        out: list[tuple[str, tuple[str, ...]]] = [(rid.name, (rid.label, "Record ID"))]
        out += [
            ("redcap_event_name", ("Event Name",)),
            ("redcap_repeat_instrument", ("Repeat Instrument",)),
            ("redcap_repeat_instance", ("Repeat Instance",)),
            ("redcap_data_access_group", ("Data Access Group",)),
            ("redcap_survey_identifier", ("Survey Identifier",)),
        ]
        for form in self.forms:
            out.append((f"{form}_timestamp", ("Survey Timestamp",)))
            for f in self.fields[1:]:
                if f.form != form:
                    continue
                if f.type == "checkbox":
                    # REDCap has written both spellings over the years.
                    for choice, column in zip(
                        f.choices.values(), self.export_columns(f.name), strict=True
                    ):
                        headers = (f"{f.label} (choice={choice})", f"{f.label} (choice='{choice}')")
                        out.append((column, headers))
                elif f.type != "descriptive":
                    out.append((f.name, (f.label,)))
            out.append((f"{form}_complete", ("Complete?",)))
        return out

    def raw_columns(self) -> list[str]:
        """Every column name a full raw export of this project can hold, in export order."""
        return [column for column, _ in self.layout()]

    def label_to_field(self) -> dict[str, tuple[str, ...]]:
        """Label-export header -> the raw column(s) it can stand for, in export order.

        Most labels name one column. Some name several ("Complete?" once per form, "Survey
        Timestamp", two fields with the same label): `redcap.to_raw` resolves those by
        position, and refuses when position cannot decide.
        """
        out: dict[str, tuple[str, ...]] = {}
        for column, headers in self.layout():
            for header in dict.fromkeys(headers):
                out[header] = (*out.get(header, ()), column)
        return out
