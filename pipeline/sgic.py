"""Self-generated identification codes (SGIC): normalising the answers a participant gives at
every wave ("first letter of your mother's first name", "month you were born", ...), so that
harmless differences (case, spaces, "3" vs "03" vs "March") do not break pre/post linkage.

Only keyed digests of the normalised code are ever stored (pipeline.anonymise); the answers
themselves are dropped before anything is written.
Reference: privacy-and-reliability.md section 2.3 (normalise each element: NFKC, case-fold,
strip whitespace and diacritics, month names to 01-12).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

ASCII_DIGITS = re.compile(r"[0-9]+")
SgicStatus = Literal["ok", "missing", "invalid"]

# Month names and abbreviations (diacritics removed, as _plain removes them) in the languages
# surveys are most often run in here: English, French, Spanish, German, Italian, Portuguese,
# Dutch and Welsh. No name means two different months in two languages.
MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    (
        "january",
        "jan",
        "janvier",
        "janv",
        "enero",
        "ene",
        "januar",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
        "ionawr",
    ),
    (
        "february",
        "feb",
        "fevrier",
        "fevr",
        "febrero",
        "februar",
        "febbraio",
        "fevereiro",
        "fev",
        "februari",
        "chwefror",
    ),
    ("march", "mar", "mars", "marzo", "marz", "maerz", "marco", "maart", "mawrth"),
    ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "ebrill"),
    ("may", "mai", "mayo", "maggio", "mag", "maio", "mei"),
    ("june", "jun", "juin", "junio", "juni", "giugno", "giu", "junho", "mehefin"),
    ("july", "jul", "juillet", "juil", "julio", "juli", "luglio", "lug", "julho", "gorffennaf"),
    ("august", "aug", "aout", "agosto", "ago", "augustus", "awst"),
    ("september", "sep", "sept", "septembre", "septiembre", "settembre", "set", "setembro", "medi"),
    (
        "october",
        "oct",
        "octobre",
        "octubre",
        "oktober",
        "okt",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "hydref",
    ),
    ("november", "nov", "novembre", "noviembre", "novembro", "tachwedd"),
    (
        "december",
        "dec",
        "decembre",
        "diciembre",
        "dic",
        "dezember",
        "dez",
        "dicembre",
        "dezembro",
        "rhagfyr",
    ),
)
MONTHS = {name: number for number, names in enumerate(MONTH_NAMES, start=1) for name in names}
assert len(MONTHS) == sum(len(names) for names in MONTH_NAMES), "a month name is listed twice"


def _plain(text: str) -> str:
    """NFKC, case-folded, diacritics removed, surrounding whitespace stripped."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.strip().casefold()


def normalise_element(value: str | None, kind: str) -> str | None:
    """Canonical form of one SGIC answer, or None when it is blank or unusable.

    - letter: the first character, which must be a letter a-z ("Kate" -> "k", "é" -> "e").
    - month: 1-12, "01"-"12" or a month name or abbreviation (MONTH_NAMES) -> "01".."12".
    - number: a whole number >= 0 ("02" -> "2").

    Returns "" for a blank answer and None for an invalid one, so callers can tell them apart.
    """
    text = _plain(value or "")
    if not text:
        return ""
    if kind == "letter":
        first = text[0]
        return first if "a" <= first <= "z" else None
    if kind == "month":
        if ASCII_DIGITS.fullmatch(text) and 1 <= int(text) <= 12:
            return f"{int(text):02d}"
        number = MONTHS.get(text.rstrip("."))
        return f"{number:02d}" if number else None
    if kind == "number":
        # only ASCII digits: str.isdigit() accepts digits such as U+1369 that int() rejects
        return str(int(text)) if ASCII_DIGITS.fullmatch(text) else None
    raise ValueError(f"unknown SGIC element kind: {kind}")


def normalise_code(
    values: Sequence[str | None], kinds: Sequence[str]
) -> tuple[str | None, SgicStatus]:
    """The normalised code ("k|03|p|2") and its status.

    The status is "missing" when any element is blank and "invalid" when any element is
    unusable; only an "ok" code is returned, because a partial code would link strangers.
    """
    parts = [normalise_element(v, k) for v, k in zip(values, kinds, strict=True)]
    if any(part is None for part in parts):
        return None, "invalid"
    if any(part == "" for part in parts):
        return None, "missing"
    return "|".join(parts), "ok"  # type: ignore[arg-type]


def normalise_elements(
    columns: Sequence[pd.Series], kinds: Sequence[str], index: pd.Index
) -> tuple[pd.Series, pd.Series]:
    """(code, status) per row for whole columns of SGIC answers, vectorised: each distinct
    answer of each element is normalised once, then the elements are combined column-wise.
    The same rules as `normalise_code`; with no SGIC configured, every code is None and every
    status "missing"."""
    from pipeline.ingest.answers import map_distinct  # local: ingest imports this module

    if not columns:
        none = pd.Series(None, index=index, dtype="object")
        return none, pd.Series("missing", index=index, dtype="object")
    parts = [
        map_distinct(
            column.astype("object").where(column.notna(), ""), lambda v, k=kind: _part(v, k)
        )
        for column, kind in zip(columns, kinds, strict=True)
    ]
    invalid = np.logical_or.reduce([p.isna().to_numpy() for p in parts])
    blank = np.logical_or.reduce([(p == "").to_numpy() for p in parts])
    code = parts[0].fillna("").astype(str)
    for part in parts[1:]:
        code = code + "|" + part.fillna("").astype(str)
    status = np.where(invalid, "invalid", np.where(blank, "missing", "ok"))
    ok = status == "ok"
    return (
        pd.Series(np.where(ok, code.to_numpy(dtype=object), None), index=index, dtype="object"),
        pd.Series(status, index=index, dtype="object"),
    )


def _part(value: str, kind: str) -> str | None:
    return normalise_element(value, kind)
