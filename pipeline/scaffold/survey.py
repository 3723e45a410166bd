"""One survey's mapping, scaffolded from the exports that share its columns.

Roles are decided in a fixed order, so that a column is claimed once: the platform's own
response id and submission time, the platform participant id, the self-generated code's
questions, the wave and cohort columns, then identifiers (dropped), then instrument items
(pipeline.scaffold.blocks); whatever is left is listed as not read, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.ingest.identifiers import identifying_reason
from pipeline.ingest.readers import RawExport
from pipeline.instruments import Instrument
from pipeline.scaffold import guess
from pipeline.scaffold.blocks import Column, match_blocks

MAX_DISTINCT_FOR_CHOICE = 60
EXAMPLE_ROWS = 5000  # answers looked at per column: enough to see every option


@dataclass
class SurveyDraft:
    """What the scaffold decided for one survey, and why (for the comments it writes)."""

    name: str
    format: str
    mapping: dict = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    cohort_values: pd.Series | None = None  # answers of the cohort column, for the cohorts
    wave_values: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def columns_of(raws: list[RawExport]) -> list[Column]:
    """Every column of the survey's exports with its question text and distinct answers."""
    first = raws[0]
    labels = first.labels or first.names or first.keys
    out = []
    for key, text in zip(first.keys, labels, strict=False):
        answers = pd.concat([r.frame[key].head(EXAMPLE_ROWS) for r in raws if key in r.frame])
        answers = answers.astype(str).str.strip()
        out.append(Column(key, str(text or key), answers[answers != ""]))
    return out


def draft_survey(
    name: str, raws: list[RawExport], instruments: dict[str, Instrument]
) -> SurveyDraft:
    """The survey mapping for exports of one format that share their columns."""
    fmt = raws[0].detection.format
    draft = SurveyDraft(name, fmt, {"format": fmt})
    columns = columns_of(raws)
    remaining = {c.key: c for c in columns}

    def claim(role: str, key: str | None) -> None:
        if key and key in remaining:
            draft.mapping[role] = key
            del remaining[key]

    response_id, submitted = guess.FORMAT_COLUMNS.get(fmt, (None, None))
    if fmt == "google_forms":
        submitted = columns[0].key
    if fmt == "redcap":
        claim("participant_id", columns[0].key)
        stamps = [c.key for c in columns if c.key.endswith("_timestamp") and len(c.values)]
        submitted = stamps[0] if stamps else None
    claim("response_id", response_id or _first(columns, remaining, guess.is_id_header))
    claim("submitted_at", submitted or _first(columns, remaining, guess.is_time_header))
    if "participant_id" not in draft.mapping:
        claim("participant_id", _first(columns, remaining, guess.is_participant_header, True))
    _sgic(draft, remaining)
    _wave(draft, remaining, fmt)
    _cohort(draft, remaining)
    if fmt == "redcap" and "participant_id" in draft.mapping:
        ids = [draft.mapping["participant_id"], *_present(remaining, "redcap_event_name")]
        ids += _present(remaining, "redcap_repeat_instrument", "redcap_repeat_instance")
        draft.mapping["response_id"] = ids if len(ids) > 1 else ids[0]
    dropped = _identifiers(remaining, fmt)
    items, outcomes = match_blocks(list(remaining.values()), instruments)
    draft.mapping["items"] = items
    for key in items:
        del remaining[key]
    draft.instruments = sorted({m.instrument for m in outcomes if m.instrument})
    if items:
        item_values = pd.concat([c.values for c in columns if c.key in items])
        numeric = pd.to_numeric(item_values, errors="coerce").notna().mean()
        draft.mapping["values"] = "codes" if numeric > 0.5 else "labels"
    else:
        draft.problems.append(
            f"surveys.{name}.items: no column matched an instrument; map columns to instrument "
            "item ids by hand (`ripple detect --columns FILE` lists the columns)"
        )
    _comments(draft, dropped, outcomes, remaining)
    return draft


def _first(columns, remaining, test, key_only: bool = False) -> str | None:
    for c in columns:
        if c.key in remaining and (test(c.key) or (not key_only and test(c.text))):
            return c.key
    return None


def _present(remaining: dict[str, Column], *keys: str) -> list[str]:
    found = [k for k in keys if k in remaining]
    for k in found:
        del remaining[k]
    return found


def _sgic(draft: SurveyDraft, remaining: dict[str, Column]) -> None:
    elements = []
    for key, column in list(remaining.items()):
        found = guess.sgic_element(column.text)
        if found and found[0] not in {e["name"] for e in elements}:
            elements.append({"column": key, "name": found[0], "kind": found[1]})
    if len(elements) >= 2:
        draft.mapping["sgic"] = elements
        for e in elements:
            del remaining[e["column"]]


def _wave(draft: SurveyDraft, remaining: dict[str, Column], fmt: str) -> None:
    for key, column in list(remaining.items()):
        if not (guess.is_wave_header(key) or guess.is_wave_header(column.text)):
            continue
        values = list(column.values.unique())
        if not values or len(values) > 12:
            continue
        waves = {v: guess.wave_of(v) for v in values}
        if fmt == "redcap" and not any(waves.values()):
            waves = {
                v: ("pre" if n == 0 else "post" if n == 1 else None) for n, v in enumerate(values)
            }
        rule: dict = {"column": key, "values": {v: w for v, w in waves.items() if w}}
        if not rule["values"]:
            continue
        if len(rule["values"]) < len(values):
            rule["other"] = "exclude"
            left = [v for v, w in waves.items() if not w]
            draft.comments.append(f"wave: values left out (rows excluded): {', '.join(left)}")
        draft.mapping["wave"] = rule
        draft.wave_values = sorted(set(rule["values"].values()))
        del remaining[key]
        return


def _cohort(draft: SurveyDraft, remaining: dict[str, Column]) -> None:
    for key, column in list(remaining.items()):
        named = guess.is_cohort_header(column.text) or guess.is_cohort_header(key)
        if named and 0 < column.values.nunique() <= MAX_DISTINCT_FOR_CHOICE:
            draft.mapping["cohort"] = key
            draft.cohort_values = column.values
            del remaining[key]
            return


def _identifiers(remaining: dict[str, Column], fmt: str) -> list[tuple[str, str]]:
    dropped = []
    for key, column in list(remaining.items()):
        reason = identifying_reason(key, column.text, fmt)
        if reason:
            dropped.append((key, reason))
            del remaining[key]
    return dropped


def _comments(draft, dropped, outcomes, remaining: dict[str, Column]) -> None:
    for key, reason in dropped:
        draft.comments.append(f"not read, possible identifier ({reason}): {key}")
    for match in outcomes:
        keys = (
            f"{match.columns[0].key}..{match.columns[-1].key}"
            if len(match.columns) > 1
            else match.columns[0].key
        )
        if match.instrument:
            draft.comments.append(f"items {keys}: {match.instrument} ({match.reason})")
        elif any(c.key in remaining for c in match.columns):
            kind = _why_unread(match.columns)
            draft.comments.append(f"not read: {keys}: {kind}; {match.reason}")


def _why_unread(columns: list[Column]) -> str:
    distinct = max(c.values.nunique() for c in columns)
    if distinct > MAX_DISTINCT_FOR_CHOICE:
        return "free text or many distinct answers"
    if distinct == 0:
        return "always blank"
    return "closed answers"
