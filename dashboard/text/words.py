"""The names of things as a funder reads them: outcomes with their range, surveys,
comparisons, groups; and the small helpers every sentence uses (rows as dicts, Markdown
escaping)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from dashboard import filters, fmt, suppress

#: Display names and reading order of the constructs the instruments measure.
CONSTRUCT_LABELS = {
    "stigma": "Attitudes (stigma)",
    "knowledge": "Knowledge",
    "intended_behaviour": "Intended behaviour",
    "self_stigma": "Self-stigma",
    "social_distance": "Social distance",
    "belonging": "Belonging",
    "sense_of_community": "Sense of community",
    "loneliness": "Loneliness",
    "wellbeing": "Wellbeing",
}

#: How special attribute values read.
ATTRIBUTE_VALUES = {
    "(suppressed)": "not kept (too few people shared the answer)",
    "(not answered)": "did not answer",
    "(not asked)": "not asked",
}

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|$~])")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts, with pandas' missing markers turned into None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def md_escape(text: Any) -> str:
    """Escape Markdown (and Streamlit's $...$ LaTeX) so names from the config show as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def instrument_abbreviation(instrument_name: str, instrument_id: str) -> str:
    """The short name in the instrument name's last brackets ('... (CAMI-12)' -> 'CAMI-12'),
    or the upper-cased instrument id when there is none."""
    match = re.search(r"\(([^()]{1,20})\)\s*$", instrument_name or "")
    return match.group(1) if match else instrument_id.upper()


def outcome_name(scale: Mapping[str, Any]) -> str:
    """'Tolerance and support (CAMI-12)': the scale and its instrument."""
    abbr = instrument_abbreviation(scale["instrument_name"], scale["instrument_id"])
    return f"{scale['scale_name']} ({abbr})"


def outcome_with_range(scale: Mapping[str, Any]) -> str:
    """'Tolerance and support (CAMI-12, 0–100)': the name with the scale's range."""
    abbr = instrument_abbreviation(scale["instrument_name"], scale["instrument_id"])
    return (
        f"{scale['scale_name']} ({abbr}, {fmt.score_range(scale['score_min'], scale['score_max'])})"
    )


def construct_label(construct: str) -> str:
    """Display name of a construct, e.g. 'intended_behaviour' -> 'Intended behaviour'."""
    return CONSTRUCT_LABELS.get(construct, construct.replace("_", " ").capitalize())


def direction_words(higher_is_better: bool) -> str:
    """'higher is better' or 'lower is better'."""
    return "higher is better" if higher_is_better else "lower is better"


def scale_note(scale: Mapping[str, Any]) -> str:
    """'scale 0–100, higher is better': the range and direction beside a score."""
    range_ = fmt.score_range(scale["score_min"], scale["score_max"])
    return f"scale {range_}, {direction_words(bool(scale['higher_is_better']))}"


def wave_label(wave_id: str, labels: Mapping[str, str]) -> str:
    """A wave's display label (its id when unknown)."""
    return str(labels.get(wave_id, wave_id))


def comparison_label(from_wave: str, to_wave: str, labels: Mapping[str, str]) -> str:
    """'Before → Straight after': a comparison for charts and tables."""
    return f"{wave_label(from_wave, labels)} → {wave_label(to_wave, labels)}"


def comparison_phrase(from_wave: str, to_wave: str, labels: Mapping[str, str]) -> str:
    """'“Before” and “Straight after”': when the people in a comparison answered."""
    return f"“{wave_label(from_wave, labels)}” and “{wave_label(to_wave, labels)}”"


def programme_summary(programme: Mapping[str, Any]) -> str:
    """'Contact-based programme for adults at work.'"""
    approach = str(programme["approach"])
    return f"{approach[:1].upper()}{approach[1:]} programme for {programme['audience']}."


def attribute_value_label(value: Any) -> str:
    """A breakdown value as read: '(not answered)' -> 'did not answer'."""
    return ATTRIBUTE_VALUES.get(str(value), str(value))


def group_label(
    row: Mapping[str, Any], programme_names: Mapping[str, str] | None = None, short: bool = False
) -> str:
    """The group of a levelled row: the programme's name, 'Site Leeds', 'Cohort WP-01
    (21 Jan 2025, Leeds)' (short: 'WP-01, 21 Jan 2025') or 'Gender: woman'."""
    level = row.get("level")
    if level == "site":
        return f"Site {row['site']}"
    if level == "cohort" and short:
        return f"{row['cohort_id']}, {fmt.date(row.get('cohort_date'))}"
    if level == "cohort":
        return f"Cohort {row['cohort_id']} ({fmt.date(row.get('cohort_date'))}, {row['site']})"
    if level == "attribute":
        value = attribute_value_label(row["attribute_value"])
        return f"{filters.attribute_label(str(row['attribute']))}: {value}"
    names = programme_names or {}
    return str(names.get(row.get("programme_id"), row.get("programme_id")))


def held_suffix(row: Mapping[str, Any]) -> str:
    """' (as of an earlier update)' for held values, else ''."""
    return f" ({suppress.HELD_LABEL})" if row.get("held") else ""


def join_nonempty(parts: Iterable[str | None], sep: str = " ") -> str:
    """Parts joined, skipping empty ones."""
    return sep.join(part for part in parts if part)
