"""Answer labels compared as people mean them: one normal form for case, spaces, curly quotes
and dashes, used wherever an export's labels meet an instrument's.
"""

from __future__ import annotations

import re
import unicodedata


def normalise_label(label: str) -> str:
    """Case-, space- and quote-insensitive form of an answer label, so that "Don’t  know"
    matches "don't know"."""
    text = unicodedata.normalize("NFKC", label)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", text).strip().casefold()
