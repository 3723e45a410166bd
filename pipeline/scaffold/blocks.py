"""Which columns are an instrument's items: `ripple init`'s matching of question blocks.

A block is a run of adjacent columns that share a question stem: a Qualtrics matrix
(`QID5_1`, `QID5_2`, ...), a Google Forms grid (`Question [Row]`), a SurveyMonkey matrix
(`Question | Row`), a Kobo group (`group/question`), REDCap fields with a common prefix
(`cami_1`, `cami_2`). A block is matched to an instrument by, in order of weight:

1. the instrument named in the block's question text (its id, its abbreviation such as
   "CAMI-12", or its full name);
2. its answers: labels found among the instrument's answer labels, or codes inside its range;
3. its size: as many columns as the instrument has items.

Public-domain item wording (UCLA-3) also matches single questions by text. A block that fits
several instruments equally well is left unmapped, with the candidates named, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipeline.instruments import Instrument, normalise_label

STEM_SEPARATORS = re.compile(r"\s+\[|\s+\|\s+|\s+-\s+(?=[^-]*$)|/(?=[^/]*$)")
NUMBERED = re.compile(r"^(.*?)[_.\- ]?(\d+)$")
MIN_LABEL_FIT = 0.8


@dataclass(frozen=True)
class Column:
    """One export column as the scaffold sees it: key, question text and its answers."""

    key: str
    text: str
    values: pd.Series  # non-blank answers, as text (a sample of rows, repeats kept)


@dataclass(frozen=True)
class Match:
    """A block mapped to an instrument (items in order), or left out with the reason."""

    columns: list[Column]
    instrument: str | None
    reason: str


def stem(column: Column) -> str:
    """The question stem a column shares with the rest of its block."""
    parts = STEM_SEPARATORS.split(column.text, maxsplit=1)
    if len(parts) > 1 and parts[0].strip():
        return "text:" + parts[0].strip()
    numbered = NUMBERED.match(column.key)
    return "key:" + numbered.group(1) if numbered and numbered.group(1) else "key:" + column.key


def blocks(columns: list[Column]) -> list[list[Column]]:
    """Adjacent columns with the same stem, in export order."""
    grouped: list[list[Column]] = []
    for column in columns:
        if grouped and stem(grouped[-1][-1]) == stem(column):
            grouped[-1].append(column)
        else:
            grouped.append([column])
    return grouped


def compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", normalise_label(text))


def names_of(instrument: Instrument) -> set[str]:
    """Compact forms of the instrument's id, abbreviations (in brackets) and name."""
    found = {compact(instrument.id), compact(instrument.name)}
    found |= {compact(a) for a in re.findall(r"\(([^()]+)\)", instrument.name)}
    return {name for name in found if len(name) >= 3}


def named(block: list[Column], instrument: Instrument) -> bool:
    heading = compact(block[0].text)
    return any(name in heading for name in names_of(instrument))


def value_fit(block: list[Column], instrument: Instrument) -> float:
    """Share of the block's answers that the instrument can read: its labels (and don't-know
    option) for text answers, its code range for numbers; -1 when numbers mostly fall outside
    its range, or when the answers use less than half of its codes (a 1-7 scale is not read
    from answers that only ever use 1-3). Shares count answers, so a few mistyped codes do
    not rule an instrument out."""
    values = pd.concat([c.values for c in block])
    if values.empty:
        return 0.0
    scale = instrument.response_scale
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().mean() > 0.5:
        numbers = numbers.dropna()
        inside = numbers.between(scale.min, scale.max)
        used = numbers[inside].nunique() / (scale.max - scale.min + 1)
        share = float(inside.mean())
        return share if share >= MIN_LABEL_FIT and used >= 0.5 else -1.0
    known = set(scale.label_codes()) | scale.dont_know_labels()
    distinct = values.value_counts()
    readable = distinct.index.map(normalise_label).isin(known)
    return float(distinct[readable].sum() / distinct.sum())


def score(block: list[Column], instrument: Instrument) -> float:
    """How well a block fits an instrument; below 0 when it cannot be that instrument."""
    fit = value_fit(block, instrument)
    if fit < 0 or (fit < MIN_LABEL_FIT and not named(block, instrument)):
        return -1.0
    size = 1.0 if len(block) == len(instrument.items) else 0.0
    if not size and not named(block, instrument):
        return -1.0
    return 10.0 * named(block, instrument) + 2.0 * fit + size


def by_item_text(column: Column, instruments: dict[str, Instrument]) -> str | None:
    """The item whose public wording the question text contains (only shipped wording)."""
    text = normalise_label(column.text)
    for instrument in instruments.values():
        for item in instrument.items:
            if item.text and normalise_label(item.text) in text:
                return item.id
    return None


def match_blocks(
    columns: list[Column], instruments: dict[str, Instrument]
) -> tuple[dict[str, str], list[Match]]:
    """(column key -> item id, every block's outcome) for one survey's candidate columns."""
    mapping: dict[str, str] = {}
    outcomes: list[Match] = []
    used: set[str] = set()
    for block in blocks(columns):
        by_text = {c.key: by_item_text(c, instruments) for c in block}
        if all(by_text.values()):
            mapping |= by_text  # type: ignore[arg-type]
            owner = by_text[block[0].key].rsplit("_", 1)[0]
            outcomes.append(Match(block, owner, "matched by the item wording"))
            continue
        fits = {i: score(block, ins) for i, ins in instruments.items() if i not in used}
        best = max(fits.values(), default=-1.0)
        winners = [i for i, s in fits.items() if s == best and s >= 0]
        if len(winners) != 1:
            why = (
                f"fits {', '.join(sorted(winners))} equally well: map it by hand"
                if winners
                else "matches no instrument (answers, size or name)"
            )
            outcomes.append(Match(block, None, why))
            continue
        instrument = instruments[winners[0]]
        if len(block) != len(instrument.items):
            outcomes.append(
                Match(
                    block,
                    None,
                    f"names {instrument.id} but has {len(block)} columns for its "
                    f"{len(instrument.items)} items: map them by hand",
                )
            )
            continue
        used.add(instrument.id)
        mapping |= {c.key: item.id for c, item in zip(block, instrument.items, strict=True)}
        how = "named in the question" if named(block, instrument) else "answers and size"
        outcomes.append(Match(block, instrument.id, how))
    return mapping, outcomes
