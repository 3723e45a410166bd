"""Find the delimiter of a delimited-text export among `, ; <tab> |`.

Each candidate is tried on a sample of records with a real CSV parser (so quoted commas and
line breaks inside cells do not count). A candidate must split the header row into at least two
fields; among several, the one whose records agree with the header's field count wins, then the
one giving more columns. A genuine tie fails with `ambiguous_delimiter` rather than guessing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.errors import IngestError

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
DELIMITER_ALIASES = {name: char for char, name in DELIMITER_NAMES.items()} | {"\\t": "\t"}
SAMPLE_CHARS = 64 * 1024
SAMPLE_RECORDS = 200
MIN_SAMPLE_RECORDS = 5
PLAUSIBLE = 0.8
SEP_DIRECTIVE = re.compile(r"sep=(.)(\r\n|\n|\r)")


@dataclass(frozen=True)
class Fit:
    """How well one delimiter fits a sample: header width and how many records agree with it."""

    delimiter: str
    header_fields: int
    records: int
    matching: int
    mismatched_rows: tuple[tuple[int, int], ...]  # (row number, field count), first few

    @property
    def consistency(self) -> float:
        return self.matching / self.records if self.records else 0.0


def normalise_delimiter(delimiter: str | None) -> str | None:
    """A delimiter given by name ('tab', 'semicolon', '\\t') as the character itself."""
    if delimiter is None:
        return None
    return DELIMITER_ALIASES.get(delimiter.strip().lower(), delimiter)


def sep_directive(text: str) -> tuple[str | None, int]:
    """The delimiter named by an Excel `sep=;` first line and where the table starts after it."""
    match = SEP_DIRECTIVE.match(text)
    if match is None:
        return None, 0
    return match.group(1), match.end()


def sample_text(text: str, chars: int) -> tuple[str, bool]:
    """The first `chars` characters cut at a line break, and whether that is the whole text."""
    if len(text) <= chars:
        return text, True
    head = text[:chars]
    cut = max(head.rfind("\n"), head.rfind("\r"))
    return (head[: cut + 1] if cut > 0 else head), False


def sample_records(sample: str, delimiter: str, complete: bool) -> list[tuple[int, list[str]]]:
    """(row number, record) for the sample's non-blank records; a possibly cut last one dropped."""
    out: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        for row, record in enumerate(reader, start=1):
            if record:
                out.append((row, record))
            if len(out) > SAMPLE_RECORDS:
                return out[:SAMPLE_RECORDS]
    except csv.Error:
        pass  # a huge runaway field: the full scan reports it with its row
    return out if complete else out[:-1]


def fit(records: list[tuple[int, list[str]]], delimiter: str) -> Fit:
    """Score one delimiter on its parsed sample records."""
    if not records:
        return Fit(delimiter, 0, 0, 0, ())
    width = len(records[0][1])
    mismatched = [(row, len(rec)) for row, rec in records if len(rec) != width]
    return Fit(delimiter, width, len(records), len(records) - len(mismatched), tuple(mismatched))


def fits_for(text: str) -> list[Fit]:
    """A Fit per candidate delimiter, growing the sample until it holds enough records."""
    chars = SAMPLE_CHARS
    while True:
        sample, complete = sample_text(text, chars)
        parsed = {d: sample_records(sample, d, complete) for d in DELIMITERS}
        enough = min(len(records) for records in parsed.values()) >= MIN_SAMPLE_RECORDS
        if complete or enough:
            return [fit(parsed[d], d) for d in DELIMITERS]
        chars *= 4


def describe(f: Fit) -> str:
    """'tab: 12 columns, 40 of 41 sampled rows agree'."""
    return (
        f"{DELIMITER_NAMES[f.delimiter]}: {f.header_fields} columns, "
        f"{f.matching} of {f.records} sampled rows agree"
    )


def choose(fits: list[Fit], path: Path) -> str:
    """Pick the delimiter from the candidates' fits (see the module docstring)."""
    wide = [f for f in fits if f.header_fields > 1]
    if not wide:
        return ","  # a one-column table: every candidate reads it the same way
    if len(wide) == 1:
        return wide[0].delimiter
    pool = [f for f in wide if f.matching == f.records] or [
        f for f in wide if f.consistency >= PLAUSIBLE
    ]
    if not pool:
        raise IngestError(
            path,
            "ambiguous_delimiter",
            "no delimiter gives rows with a consistent number of fields ("
            + "; ".join(describe(f) for f in wide)
            + "); re-export the file as CSV, or name the delimiter explicitly",
        )
    pool.sort(key=lambda f: (f.consistency, f.header_fields), reverse=True)
    if len(pool) > 1 and (pool[0].consistency, pool[0].header_fields) == (
        pool[1].consistency,
        pool[1].header_fields,
    ):
        raise IngestError(
            path,
            "ambiguous_delimiter",
            "the file reads equally well with several delimiters ("
            + "; ".join(describe(f) for f in pool[:2])
            + "); name the delimiter explicitly",
        )
    return pool[0].delimiter


def sniff_delimiter(text: str, path: Path) -> str:
    """The delimiter of `text` (a table without any `sep=` line), or an error saying why not."""
    return choose(fits_for(text), path)
