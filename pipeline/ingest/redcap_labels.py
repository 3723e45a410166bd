"""REDCap label exports: which raw column each label header stands for, and label -> code maps.

A label export ("CSV (labels)") writes field labels as headers and choice labels as values. Labels
are not unique: "Complete?" appears once per form, "Survey Timestamp" once per survey, and two
fields may share a label ("Height (cm)" on two forms). REDCap always writes columns in dictionary
order, so headers are matched to the dictionary's column sequence as an order-preserving
assignment. The earliest and the latest such assignment bound every possible one: where they
agree the column is certain, where they differ it is ambiguous and is reported, never guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.ingest.redcap_dictionary import RedcapDictionary, normalise_text

SINGLE_CHOICE_TYPES = frozenset({"radio", "dropdown", "yesno", "truefalse"})
CHECKBOX_STATES = {"checked": "1", "unchecked": "0"}
COMPLETE_STATES = {"incomplete": "0", "unverified": "1", "complete": "2"}
Mapper = Callable[[str], str | None]
EVENT_WITH_ARM = re.compile(r"^(.*?)\s*\(arm (\d+)(?::.*)?\)$")


@dataclass(frozen=True)
class Resolution:
    """One key per header: the raw column, or the header as written when it matched nothing.
    `unknown` and `ambiguous` hold 1-based column numbers."""

    keys: list[str]
    unknown: list[int]
    ambiguous: list[int]


def label_positions(dictionary: RedcapDictionary) -> tuple[list[str], dict[str, list[int]]]:
    """The export's column sequence, and normalised header text -> positions in it."""
    columns: list[str] = []
    positions: dict[str, list[int]] = {}
    for index, (column, headers) in enumerate(dictionary.layout()):
        columns.append(column)
        for text in {normalise_text(h) for h in headers}:
            positions.setdefault(text, []).append(index)
    return columns, positions


def header_kind(headers: list[str], dictionary: RedcapDictionary) -> str:
    """'raw' (field names), 'label' (field labels) or 'unknown' (neither: wrong dictionary?).
    A field named like its label ("bmi" / "BMI") counts for both, so raw wins ties."""
    raw_names = set(dictionary.raw_columns())
    _, positions = label_positions(dictionary)
    raw_hits = sum(h in raw_names for h in headers)
    label_hits = sum(normalise_text(h) in positions for h in headers)
    if raw_hits == 0 and label_hits == 0:
        return "unknown"
    return "label" if label_hits > raw_hits else "raw"


def embed(known: list[int], norm: list[str], positions: dict[str, list[int]], end: int):
    """(earliest, latest) order-preserving assignments of the known headers, or None when the
    headers cannot be placed in dictionary order."""
    earliest: dict[int, int] = {}
    previous = -1
    for i in known:
        spots = positions[norm[i]]
        j = bisect_right(spots, previous)
        if j == len(spots):
            return None
        earliest[i] = previous = spots[j]
    latest: dict[int, int] = {}
    following = end
    for i in reversed(known):
        spots = positions[norm[i]]
        j = bisect_left(spots, following) - 1
        if j < 0:  # pragma: no cover - impossible once the forward pass succeeded
            return None
        latest[i] = following = spots[j]
    return earliest, latest


def resolve_labels(headers: list[str], dictionary: RedcapDictionary) -> Resolution:
    """Map label headers to raw columns (see the module docstring)."""
    columns, positions = label_positions(dictionary)
    norm = [normalise_text(h) for h in headers]
    known = [i for i, text in enumerate(norm) if text in positions]
    keys = list(headers)
    unknown = [i + 1 for i, text in enumerate(norm) if text not in positions]
    ambiguous: list[int] = []
    placed = embed(known, norm, positions, len(columns))
    for i in known:
        if placed is not None:
            first, last = placed[0][i], placed[1][i]
            spot = first if first == last else None
        else:  # out of dictionary order: only labels naming a single column can be trusted
            spots = positions[norm[i]]
            spot = spots[0] if len(spots) == 1 else None
        if spot is None:
            ambiguous.append(i + 1)
        else:
            keys[i] = columns[spot]
    seen: dict[str, int] = {}
    for i in known:
        if i + 1 in ambiguous:
            continue
        if keys[i] in seen:  # the same label twice where the dictionary has it once
            ambiguous += [seen[keys[i]], i + 1]
        seen.setdefault(keys[i], i + 1)
    return Resolution(keys, unknown, sorted(set(ambiguous)))


def choice_map(dictionary: RedcapDictionary, name: str) -> tuple[dict[str, str], list[str]]:
    """Normalised choice label -> code for one single-choice field, and labels shared by two
    codes (left out, so their values stay as written and validation quarantines them)."""
    out: dict[str, str] = {}
    clashes: list[str] = []
    for code, label in dictionary.field(name).choices.items():
        text = normalise_text(label)
        if text in out and out[text] != code:
            clashes.append(label)
        out.setdefault(text, code)
    for label in clashes:
        out.pop(normalise_text(label), None)
    return out, clashes


def event_lookup(events: list[dict] | None) -> dict[str, str]:
    """Normalised label-export event text -> unique event name. Label exports write the event
    name, with "(Arm n: arm name)" in projects with several arms; the arm name is not in the
    event list, so the arm number decides."""
    if not events:
        return {}
    out: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    for event in events:
        unique = event["unique_event_name"]
        name = normalise_text(event["event_name"])
        out[normalise_text(unique)] = unique
        out[f"{name}\x00{event['arm_num']}"] = unique
        by_name.setdefault(name, set()).add(unique)
    for name, uniques in by_name.items():
        if len(uniques) == 1:  # an event name used in one arm only needs no arm to decide
            out[name] = next(iter(uniques))
    return out


def map_event(text: str, lookup: dict[str, str]) -> str | None:
    """The unique event name for a normalised label-export event value, or None."""
    if text in lookup:
        return lookup[text]
    match = EVENT_WITH_ARM.match(text)
    return lookup.get(f"{match.group(1)}\x00{match.group(2)}") if match else None


def form_slug(text: str) -> str:
    """A form's display name as REDCap derives the unique form name from it."""
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def coded_column(key: str, dictionary: RedcapDictionary) -> tuple[Mapper, frozenset[str]] | None:
    """(normalised label -> code, the valid codes) for a choice-coded column: `<form>_complete`,
    a checkbox's `field___code`, a radio/dropdown/yesno/truefalse field; else None."""
    if key.endswith("_complete") and key.removesuffix("_complete") in dictionary.forms:
        return COMPLETE_STATES.get, frozenset(COMPLETE_STATES.values())
    name = key.partition("___")[0]
    if name not in dictionary.by_name:
        return None
    field = dictionary.field(name)
    if field.type == "checkbox":
        for code, column in zip(field.choices, dictionary.export_columns(name), strict=True):
            if column == key:
                # exportCheckboxLabel writes the choice label for a ticked box, not "Checked".
                states = {**CHECKBOX_STATES, normalise_text(field.choices[code]): "1"}
                return states.get, frozenset(CHECKBOX_STATES.values())
    if field.type in SINGLE_CHOICE_TYPES and key == name:
        return choice_map(dictionary, name)[0].get, frozenset(field.choices)
    return None


def value_mapper(key: str, dictionary: RedcapDictionary, events: dict[str, str]) -> Mapper | None:
    """A function from normalised value to code (None: no match) for one column, or None if
    the column's values are not coded (text, numbers, dates, calc)."""
    if key == "redcap_repeat_instrument":
        forms = set(dictionary.forms)
        return lambda text: form_slug(text) if form_slug(text) in forms else None
    if key == "redcap_event_name":
        return (lambda text: map_event(text, events)) if events else None
    coded = coded_column(key, dictionary)
    return coded[0] if coded else None


def convert_column(values: np.ndarray, mapper: Mapper) -> tuple[np.ndarray, int]:
    """Labels -> codes for one column, and how many non-empty values matched no label.
    Works on the distinct values (pd.factorize), so the cost per row is one array lookup."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    if len(uniques) == 0:
        return values, 0
    mapped = [mapper(normalise_text(u)) if u else None for u in uniques]
    table = np.array(
        [u if m is None else m for u, m in zip(uniques, mapped, strict=True)], dtype=object
    )
    misses = np.array([bool(u) and m is None for u, m in zip(uniques, mapped, strict=True)])
    return table[codes], int(misses[codes].sum())


def label_value_share(frame: pd.DataFrame, keys: list[str], dictionary: RedcapDictionary) -> bool:
    """True when the coded columns hold more distinct choice labels than distinct codes (a
    value that is both, like "1" in "1, 1 | 2, 2", counts for neither)."""
    labels = codes = 0
    for position, key in enumerate(keys):
        coded = coded_column(key, dictionary)
        if coded is None:
            continue
        mapper, valid = coded
        for value in pd.unique(frame.iloc[:, position].to_numpy(dtype=object)):
            if not value:
                continue
            is_code = value in valid
            is_label = mapper(normalise_text(value)) is not None
            labels += is_label and not is_code
            codes += is_code and not is_label
    return labels > codes
