"""Reading an export back and applying the pipeline's published row rules, in the same order,
so every row gets exactly one outcome.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass

import numpy as np

from pipeline.config import Programme, Quality, Survey
from pipeline.instruments import Instrument, normalise_label
from pipeline.sgic import masked_codes, normalise_code

from .model import label_and_dont_know_codes


@dataclass(frozen=True)
class Outcome:
    """What the pipeline does with one data row, and what it keeps of a loaded one."""

    status: str
    reason: str | None = None
    cohort: str | None = None
    code: str | None = None
    submitted: dt.datetime | None = None
    codes: tuple[float, ...] = ()
    variants: tuple[tuple[int, str], ...] = ()  # leave-one-element-out variants (pipeline.sgic)


def parse_export(data: bytes, fmt: str) -> list[dict[str, str]]:
    """Data rows keyed by stable column key: Qualtrics ImportId (row 3) or the header text."""
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if fmt == "qualtrics":
        keys, body = [json.loads(cell)["ImportId"] for cell in table[2]], table[3:]
    else:
        keys, body = table[0], table[1:]
    return [dict(zip(keys, line, strict=True)) for line in body]


def first_rules(record: dict[str, str], fmt: str, quality: Quality) -> str | None:
    """Rules 1-2: previews, tests and spam, then unfinished responses (Qualtrics only)."""
    if fmt != "qualtrics":
        return None
    status = record.get("status", "").strip()
    if status == "1" or record.get("distributionChannel", "").strip() == "preview":
        return "preview"
    if status in ("2", "8"):
        return {"2": "test", "8": "spam"}[status]
    progress = record.get("progress", "").strip()
    unfinished = quality.exclude_unfinished and record.get("finished", "").strip() == "0"
    if unfinished or (progress.isdigit() and int(progress) < quality.min_progress):
        return "incomplete"
    return None


def validate(
    record: dict[str, str],
    survey: Survey,
    cohorts: dict[str, str],
    scales: dict[str, Instrument],
    label_maps: dict[str, dict[str, int]],
) -> tuple[str | None, str | None, dt.datetime | None, tuple[float, ...]]:
    """Rule 4: the quarantine reason (or None), cohort id, submission time and item codes."""
    value = record[survey.cohort_rule.column].strip()
    cohort = cohorts.get(value)
    reason = None if cohort else ("unknown_cohort" if value else "missing_cohort")
    try:
        submitted = dt.datetime.strptime(
            record[survey.submitted_at].strip(), survey.timestamp_format
        )
    except ValueError:
        submitted, reason = None, reason or "invalid_timestamp"
    codes = []
    for column, item_id in survey.items.items():
        rs = scales[item_id].response_scale
        text = record[column].strip()
        if not text:
            codes.append(np.nan)
        elif survey.values == "codes":
            ok = re.fullmatch(r"-?\d+", text) and rs.min <= int(text) <= rs.max
            codes.append(float(text) if ok else np.nan)
            reason = reason or (None if ok else "out_of_range")
        else:
            code = label_maps[item_id].get(normalise_label(text))
            codes.append(np.nan if code is None else float(code))
            reason = reason or (None if code is not None else "unknown_label")
    return reason, cohort, submitted, tuple(codes)


def classify(
    records: list[dict[str, str]],
    survey: Survey,
    programme: Programme,
    instruments: dict[str, Instrument],
    quality: Quality,
) -> list[Outcome]:
    """Apply the pipeline's five rules in order; every row gets exactly one outcome."""
    cohorts = {c.id: c.id for c in programme.cohorts}
    cohorts.update({label: c.id for c in programme.cohorts for label in c.labels})
    owner = {i: ins for ins in instruments.values() for i in ins.item_ids}
    label_maps = {i: label_and_dont_know_codes(ins) for i, ins in owner.items()}
    outcomes: list[Outcome | None] = [None] * len(records)
    last_seen = {}
    if survey.response_id:
        last_seen = {r[survey.response_id]: n for n, r in enumerate(records)}
    candidates = []
    for n, record in enumerate(records):
        reason = first_rules(record, survey.format, quality)
        if reason:
            outcomes[n] = Outcome("excluded", reason)
            continue
        if survey.response_id and last_seen[record[survey.response_id]] != n:
            outcomes[n] = Outcome("excluded", "duplicate_response")
            continue
        reason, cohort, submitted, codes = validate(record, survey, cohorts, owner, label_maps)
        if reason:
            outcomes[n] = Outcome("quarantined", reason)
            continue
        answers = [record[e.column] for e in survey.sgic]
        code, status = normalise_code(answers, survey.sgic)
        covariates = [record[c.column] for c in survey.sgic_covariates]
        variants = masked_codes(answers, survey.sgic, covariates, survey.sgic_covariates)
        outcomes[n] = Outcome(
            "loaded",
            None,
            cohort,
            code if status == "ok" else None,
            submitted,
            codes,
            tuple(sorted(variants.items())),
        )
        candidates.append(n)
    latest: dict[tuple[str, str], int] = {}
    for n in candidates:
        o = outcomes[n]
        if o.code is None:
            continue
        key = (o.cohort, o.code)
        if key in latest and outcomes[latest[key]].submitted == o.submitted:
            raise ValueError(f"tied submission times for {key}: the sample must avoid ties")
        if key not in latest or outcomes[latest[key]].submitted < o.submitted:
            latest[key] = n
    for n in candidates:
        o = outcomes[n]
        if o.code is not None and latest[(o.cohort, o.code)] != n:
            outcomes[n] = Outcome("excluded", "duplicate_submission")
    return outcomes  # type: ignore[return-value]
