"""A table as shown and as downloaded (`View`), and the one loop that builds every table:
`build` turns each suppressed extract row into one output row with a `Row` builder."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard import fmt, suppress, text

NA = "n/a"


@dataclass(frozen=True)
class View:
    """A table as shown (`shown`, text) and as downloaded (`data`, rounded numbers)."""

    name: str
    shown: pd.DataFrame
    data: pd.DataFrame

    @property
    def empty(self) -> bool:
        """True when the table has no rows."""
        return self.shown.empty


class Row:
    """Builds one output row in both forms from one suppressed extract row."""

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.row = row
        self.shown: dict[str, Any] = {}
        self.data: dict[str, Any] = {}

    @property
    def hidden(self) -> str | None:
        return str(self.row.get("hidden_label")) if self.row.get("hidden") else None

    def both(self, name: str, value: Any) -> Row:
        """The same cell on screen and in the CSV."""
        self.shown[name] = self.data[name] = value
        return self

    def text(self, name: str, value: Any) -> Row:
        """A label column (never hidden)."""
        return self.both(name, "" if fmt.is_missing(value) else value)

    def number(
        self, name: str, value: Any, kind: str, plus: bool = False, hideable: bool = True
    ) -> Row:
        """A statistic: rounded once (`fmt.DIGITS[kind]`, counts to whole numbers)."""
        if hideable and self.hidden:
            return self.both(name, self.hidden)
        if kind == "count":
            number = fmt.number_or_none(value)
            self.data[name] = NA if number is None else round(number)
            self.shown[name] = fmt.count(number, missing=NA)
            return self
        digits = fmt.DIGITS[kind]
        number = fmt.rounded(value, digits)
        self.data[name] = NA if number is None else number
        show = fmt.signed if plus else fmt.num
        self.shown[name] = show(number, digits, missing=NA)
        return self

    def percent(
        self, name: str, value: Any, hideable: bool = True, label: str | None = None
    ) -> Row:
        """A whole percentage; `value` is already a whole number of percent, or None."""
        if hideable and self.hidden:
            return self.both(name, self.hidden)
        if value is None:
            return self.both(name, NA if label is None else label)
        self.data[name] = int(value)
        self.shown[name] = f"{int(value)}%"
        return self

    def interval(self, name: str, low: Any, high: Any, kind: str, plus: bool = False) -> Row:
        """A 95% CI: 'a to b' on screen, two columns ('... low', '... high') in the CSV."""
        if self.hidden:
            self.shown[name] = self.data[f"{name} low"] = self.data[f"{name} high"] = self.hidden
            return self
        digits = fmt.DIGITS[kind]
        lo, hi = fmt.rounded(low, digits), fmt.rounded(high, digits)
        self.data[f"{name} low"] = NA if lo is None else lo
        self.data[f"{name} high"] = NA if hi is None else hi
        self.shown[name] = fmt.interval(lo, hi, digits, plus=plus)
        return self

    def words(self, name: str, value: str) -> Row:
        """A wording column (a hidden row says why)."""
        return self.both(name, self.hidden or value)

    def yes_no(self, name: str, value: Any) -> Row:
        """'yes', 'no' or 'n/a' for a flag (a hidden row says why)."""
        return self.words(name, {True: "yes", False: "no"}.get(value, NA))

    def note(self) -> Row:
        """'as of an earlier update' for held values."""
        return self.both("Note", suppress.HELD_LABEL if self.row.get("held") else "")


def from_rows(name: str, built: list[Row]) -> View:
    """A View from built rows (columns in first-seen order)."""
    return View(
        name,
        pd.DataFrame([r.shown for r in built]).astype(object),
        pd.DataFrame([r.data for r in built]).astype(object),
    )


def drop_empty_notes(view: View) -> View:
    """Drop the Note column when no row has a note."""
    if "Note" in view.shown.columns and not view.shown["Note"].astype(bool).any():
        return View(view.name, view.shown.drop(columns="Note"), view.data.drop(columns="Note"))
    return view


def build(
    name: str,
    frame: pd.DataFrame,
    fill: Callable[[Row, dict[str, Any]], object],
    suppressed: bool = True,
    notes: bool = True,
) -> View:
    """One output row per extract row: `fill(out, row)` adds the columns. Result rows
    (`suppressed`) must have passed through `suppress.apply`; with `notes`, a last column
    says which values are held from an earlier update, dropped when none are."""
    rows = text.records(suppress.require(frame) if suppressed else frame)
    built = []
    for row in rows:
        out = Row(row)
        fill(out, row)
        if notes:
            out.note()
        built.append(out)
    view = from_rows(name, built)
    return drop_empty_notes(view) if notes else view


Scales = Mapping[tuple[str, str], Mapping[str, Any]]


def scale_lookup(scales: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """(instrument_id, scale_id) -> scales row."""
    return {(r["instrument_id"], r["scale_id"]): r for r in text.records(scales)}


def scale_of(row: Mapping[str, Any], scales: Scales) -> Mapping[str, Any]:
    """The scales row of an extract row."""
    return scales[(row["instrument_id"], row["scale_id"])]


def outcome_and_survey(
    out: Row,
    row: Mapping[str, Any],
    scales: Scales,
    labels: Mapping[str, str],
    wave_column: str = "wave_id",
    title: str = "Survey",
) -> Row:
    """The two leading columns of a per-scale result: the outcome (with its range) and the
    survey the row is about."""
    out.text("Outcome", text.outcome_with_range(scale_of(row, scales)))
    return out.text(title, text.wave_label(row[wave_column], labels))
