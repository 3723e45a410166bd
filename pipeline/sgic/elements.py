"""Normalising one SGIC answer (an element, or a stable covariate) by its kind: a letter, a
month, a number, a year or a text, with "don't know" and blank answers told apart from unusable
ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.sgic.vocabulary import DONT_KNOW, MONTHS, NUMBER_WORDS

ASCII_DIGITS = re.compile(r"[0-9]+")
WHOLE_NUMBER = re.compile(r"([0-9]+)(?:\.0*)?")  # "2" or "2.0" (a spreadsheet's number)
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass(frozen=True)
class ElementRule:
    """How one element (or stable covariate) is normalised: its kind and options.

    - kind: `letter` (the first `letters` letters of the answer), `month` (01-12 from a number
      or a month name), `number` (a whole number >= 0, digits or words), `year` (a four-digit
      year, optionally cut to a `band` of years: 1987 with band 5 -> 1985), `text` (the whole
      answer, letters and digits only: "Non-binary" -> "nonbinary").
    - missing: more answers that mean "no answer" (besides DONT_KNOW and a blank).
    - values: answers to read as another answer first ({"f": "female", "w": "female"}).
    """

    kind: str
    letters: int = 1
    band: int | None = None
    missing: frozenset[str] = frozenset()
    values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, spec: Any) -> ElementRule:
        """The rule of a kind name ("letter") or of a config element (pipeline.config's
        SgicElement: kind, letters, band, missing, values)."""
        if isinstance(spec, ElementRule):
            return spec
        if isinstance(spec, str):
            return cls(spec)
        return cls(
            kind=spec.kind,
            letters=getattr(spec, "letters", 1) or 1,
            band=getattr(spec, "band", None),
            missing=frozenset(answer_key(_plain(m)) for m in getattr(spec, "missing", ())),
            values={
                answer_key(_plain(k)): v for k, v in (getattr(spec, "values", None) or {}).items()
            },
        )


def _plain(text: str) -> str:
    """NFKC, case-folded, diacritics removed, surrounding whitespace stripped."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.strip().casefold()


def answer_key(plain: str) -> str:
    """A plain answer as compared with "don't know" phrases and `values`: apostrophes and a
    trailing full stop dropped, runs of whitespace made one space."""
    text = re.sub(r"['\u2019\u2018`\u00b4]", "", plain)
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip()


def _whole(text: str) -> int | None:
    match = WHOLE_NUMBER.fullmatch(text)
    return int(match.group(1)) if match else None


def normalise_element(value: Any, kind: Any) -> str | None:
    """Canonical form of one SGIC answer: "" when it is blank or means "don't know", None when
    it is unusable. `kind` is a kind name or a config element with options (ElementRule.of).

    - letter: the first `letters` letters (default 1) once spaces and punctuation are dropped,
      each a-z after diacritics are removed ("Kate" -> "k", "É" -> "e", "O'Neill" -> "on"
      with 2 letters); a digit or another script is invalid.
    - month: 1-12, "01"-"12" or a month name or abbreviation (MONTH_NAMES) -> "01".."12".
    - number: a whole number >= 0, as digits or a word ("02", "two", "deux", "none" -> "2",
      "2", "2", "0").
    - year: a year 1900-2100 ("1987"), cut to its band when one is set.
    - text: the answer's letters and digits ("Non-binary" -> "nonbinary").

    Returns "" for a blank answer and None for an invalid one, so callers can tell them apart.
    """
    rule = ElementRule.of(kind)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = _plain(value if isinstance(value, str) else str(value))
    key = answer_key(text)
    if not key or key in DONT_KNOW or key in rule.missing:
        return ""
    if key in rule.values:
        text = _plain(rule.values[key])
        key = answer_key(text)
        if not key:
            return ""
    return _by_kind(text, key, rule)


def _by_kind(text: str, key: str, rule: ElementRule) -> str | None:
    if rule.kind == "letter":
        chars = [ch for ch in text if ch.isalnum()][: rule.letters]
        ok = chars and all("a" <= ch <= "z" for ch in chars)
        return "".join(chars) if ok else None
    if rule.kind == "month":
        number = _whole(key)
        if number is not None:
            return f"{number:02d}" if 1 <= number <= 12 else None
        month = MONTHS.get(key)
        return f"{month:02d}" if month else None
    if rule.kind == "number":
        # only ASCII digits: str.isdigit() accepts digits such as U+1369 that int() rejects
        number = _whole(key)
        if number is None:
            number = NUMBER_WORDS.get(key)
        return None if number is None else str(number)
    if rule.kind == "year":
        year = _whole(key)
        if year is None or len(key.split(".")[0]) != 4 or not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        return str(year - year % rule.band) if rule.band else str(year)
    if rule.kind == "text":
        kept = "".join(ch for ch in text if ch.isalnum())
        return kept or None
    raise ValueError(f"unknown SGIC element kind: {rule.kind}")
