"""Damage a decoded export can carry and still be read: mojibake (text garbled before the export)
and a few stray NUL bytes; too many NUL bytes make it a binary file, which fails."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.ingest.decoded import line_of
from pipeline.ingest.errors import IngestError

MOJIBAKE = re.compile("[ÂÃ][\u0080-\u00bf]|â€")
# NUL bytes in a file that is not UTF-16: a few are damage and kept as data; a line holding more
# than this many control bytes (NUL, other C0 codes but tab and line breaks, DEL), or more NULs
# than MAX_NULS and this share of the bytes, make it a binary file.
MAX_CONTROL_PER_LINE = 3
MAX_NULS = 16
MAX_NUL_SHARE = 0.001
CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])


def mojibake_count(text: str) -> int:
    """How many sequences like 'Ã©' or 'â€™' (UTF-8 once read as cp1252) the text holds."""
    if "Ã" not in text and "Â" not in text and "â€" not in text:
        return 0
    return len(MOJIBAKE.findall(text))


def mojibake_warnings(text: str, found: int | None = None) -> tuple[str, ...]:
    """A warning when the text holds sequences like 'Ã©' or 'â€™' (UTF-8 read as cp1252);
    `found` gives the count instead, for text read in pieces."""
    found = mojibake_count(text) if found is None else found
    if not found:
        return ()
    return (
        f"mojibake_suspected: {found} character sequence(s) like 'Ã©' or 'â€™' suggest text "
        "that was already garbled (UTF-8 read as Windows-1252) before this export; check "
        "free-text and label columns",
    )


def stray_nul_warnings(data: bytes, path: Path) -> tuple[str, ...]:
    """A warning for a few NUL bytes in a text file (kept as data: a mapped cell holding one
    fails validation and its row is quarantined); a file with many, or a line with many, is
    binary and fails `unexpected_file_type`."""
    count = data.count(0)
    first = line_of(data, data.index(0))
    busiest = max(
        len(line) - len(line.translate(None, CONTROL_BYTES))
        for line in data.splitlines()
        if 0 in line
    )
    if count > max(MAX_NULS, len(data) * MAX_NUL_SHARE) or busiest > MAX_CONTROL_PER_LINE:
        raise IngestError(
            path,
            "unexpected_file_type",
            f"line {first} holds NUL bytes ({count:,} in the file), so this is a binary file, "
            "not a CSV export; export the responses again as CSV",
        )
    return (
        f"nul_bytes: {count} NUL byte(s), the first on line {first}, were kept as data (a "
        "file damaged in copying?); a mapped cell holding one fails validation, so its row is "
        "quarantined",
    )
