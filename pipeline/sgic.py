"""Self-generated identification codes (SGIC): normalising the answers a participant gives at
every wave ("first letter of your mother's first name", "month you were born", ...), so that
harmless differences (case, spaces, "3" vs "03" vs "March") do not break pre/post linkage.

Only keyed digests of the normalised code are ever stored (pipeline.anonymise); the answers
themselves are dropped before anything is written.
Reference: privacy-and-reliability.md section 2.3 (normalise each element: NFKC, case-fold,
strip whitespace and diacritics, month names to 01-12).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Literal

SgicStatus = Literal["ok", "missing", "invalid"]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def _plain(text: str) -> str:
    """NFKC, case-folded, diacritics removed, surrounding whitespace stripped."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.strip().casefold()


def normalise_element(value: str | None, kind: str) -> str | None:
    """Canonical form of one SGIC answer, or None when it is blank or unusable.

    - letter: the first character, which must be a letter a-z ("Kate" -> "k", "é" -> "e").
    - month: 1-12, "01"-"12" or an English month name or abbreviation -> "01".."12".
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
        if text.isdigit() and 1 <= int(text) <= 12:
            return f"{int(text):02d}"
        number = MONTHS.get(text.rstrip("."))
        return f"{number:02d}" if number else None
    if kind == "number":
        return str(int(text)) if text.isdigit() else None
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
