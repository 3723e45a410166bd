"""Free text, opted in: redacted before it is kept, and marked "redacted, not anonymous".

Free-text answers are never loaded unless a survey names the column under `free_text`. Even
then, pattern redaction cannot promise anonymity (a comment can describe a person in words no
pattern knows), so every kept answer carries that warning. Patterns replace e-mail addresses,
URLs, IP addresses, phone numbers, UK postcodes and US ZIP codes, national identifiers (NHS,
National Insurance, US SSN) and the names in a user-supplied list with a bracketed tag. The
regular expressions run over the whole column at once (pandas `str.replace`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.errors import ConfigError
from pipeline.ingest.answers import blank_to_none

REDACTION_NOTE = "redacted, not anonymous"
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "[email]"),
    (r"\b(?:https?://|www\.)\S+", "[url]"),
    (r"\b(?:\d{1,3}\.){3}\d{1,3}\b", "[ip]"),
    (r"\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){4,7}\b", "[ip]"),
    # a 10-digit number in 3-3-4 groups is an NHS number or a phone number: either identifies
    (r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b", "[number]"),
    (r"\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", "[id]"),
    (r"\b\d{3}-\d{2}-\d{4}\b", "[id]"),
    (r"(?:\+|\b00)\d[\d ()-]{7,}\d", "[phone]"),
    (r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b", "[phone]"),
    (r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", "[postcode]"),
    (r"\b\d{5}-\d{4}\b", "[postcode]"),
    (r"\b\d{8,}\b", "[number]"),  # account, member or phone numbers written without spaces
)
COMPILED = tuple((re.compile(pattern, re.IGNORECASE), tag) for pattern, tag in PATTERNS)


def load_names(path: Path | None) -> list[str]:
    """Names to redact, one per line (blank lines and `#` comments skipped)."""
    if path is None:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the list of names to redact: {exc}") from exc
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def names_pattern(names: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive whole-word pattern for every listed name, longest first."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def redact(values: pd.Series, names: list[str] | None = None) -> pd.Series:
    """Each answer with identifying patterns and listed names replaced by tags; None where
    blank. The e-mail pattern runs first so an address's parts are not tagged piecemeal."""
    text = blank_to_none(values).astype("object")
    present = text.notna()
    redacted = text[present].astype(str)
    for pattern, tag in COMPILED:
        redacted = redacted.str.replace(pattern, tag, regex=True)
    by_name = names_pattern(names or [])
    if by_name is not None:
        redacted = redacted.str.replace(by_name, "[name]", regex=True)
    out = np.full(len(values), None, dtype=object)
    out[present.to_numpy()] = redacted.to_numpy(dtype=object)
    return pd.Series(out, index=values.index, dtype="object")
