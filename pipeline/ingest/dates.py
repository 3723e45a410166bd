"""Dates and timestamps in survey exports, parsed vectorised and never guessed.

`parse_datetimes` reads a column of date or timestamp text as survey tools and spreadsheet
round trips write it (shared/reference/instruments-and-formats.md, section d):

- **ISO 8601** (2025-01-14, 2025-01-14 10:32:05, 2025-01-14T10:32:05.25Z, +02:00 offsets) and
  other **year-first** dates (2014/8/27 11:29) need no order. A value with a UTC offset is
  converted to UTC and returned naive; a value without one is kept as written.
- **Day/month numbers** (8/27/2014, 27-08-2014 11:29, 27.08.2014, 1/2/25, with seconds or a
  fraction, a 12-hour clock with AM/PM) are read in ONE order for the whole column, decided
  FROM THE FILE: a value whose first number is above 12 (and second a month) can only be
  day-first, one whose second number is above 12 can only be month-first. One kind settles the
  column; both kinds raise `DateOrderError`; neither falls back to the declared `order`, and with
  none declared `AmbiguousDateError` says what to declare. Day and month are never silently
  read the wrong way round.
- **English month names**: 27-Aug-2014, 27 August 2014, Aug 27, 2014, Tue, 14 Jan 2025 10:00.
- A trailing **time-zone abbreviation** (Google Forms' "2022/06/22 11:07:29 AM AST") is dropped
  when it is a known one, with a warning: abbreviations are ambiguous (AST is Atlantic or
  Arabia), so the time is kept as written. Any other trailing word makes the value invalid.
- **Two-digit years** pivot as Excel does: 00-29 -> 2000-2029, 30-99 -> 1930-1999. (Python's and
  pandas' %y pivot at 69 instead; we follow Excel, which wrote these files.)
- **Excel serial numbers** (45306, 45306.4375; 1900 or 1904 date system, see `dates_excel`).
  Serials and text dates mixed in one column are each parsed by their kind, with a warning.
- A year outside 1900-2199, an impossible date (31/04/2024, 25:00), a date without a year
  (25-Jun) or anything else is invalid: the caller quarantines the row.

Results are datetime64[us]. Once the order is settled over the whole column, values are parsed
in chunks: each kind is recognised by one pyarrow (RE2) regex match over the values no earlier
kind took, its parts extracted once and assembled with numpy: no per-row Python.
(pd.to_datetime with an explicit non-ISO format takes ~1.2 s per million values, and pyarrow's
strptime rolls 30 Feb over to 2 March, hence this design.) Messages name rows by index label
and never quote values, which may be personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ingest import dates_excel as arith
from pipeline.ingest.dates_excel import DTYPE, MAX_YEAR, MIN_YEAR, NAT, group, ints, to_numpy
from pipeline.ingest.dates_kinds import HOW, KINDS, MONTH_KINDS

# DateOrderError and AmbiguousDateError are raised while settling the order; callers
# (survey_dates, the tests) import them from here
from pipeline.ingest.dates_order import AmbiguousDateError, DateOrderError, settle_order  # noqa: F401
from pipeline.ingest.errors import short_name

Order = Literal["dmy", "mdy", "ymd"]
CHUNK = 1 << 17  # values parsed at a time
EARLY = np.datetime64("1920-01-01")  # Excel serials before this are flagged (a year? an age?)


@dataclass(frozen=True)
class ParsedDates:
    """`values` datetime64[us] (NaT where blank or invalid); `invalid` True where a non-blank
    value could not be read (quarantine the row, naming the column); `order_used` 'dmy'/'mdy'
    for day/month numbers, 'ymd' when only year-first values (or as a declared format has
    them), else None; `how` a short sentence per kind of value found (or "declared format
    %d/%m/%Y"); `warnings` what the caller should log, prefixed with source and column."""

    values: pd.Series
    invalid: pd.Series
    order_used: str | None
    how: str
    warnings: tuple[str, ...] = ()


def parse_datetimes(
    values: pd.Series,
    *,
    fmt: str | None = None,
    order: Order | None = None,
    excel_epoch: Literal[1900, 1904] | None = None,
    column: str = "",
    label: str = "",
) -> ParsedDates:
    """Parse submission timestamps or date fields ('' or None = blank) by the module's rules.

    `fmt` (strftime, or pandas' "ISO8601"): used exactly, through pd.to_datetime; offsets are
    converted to UTC. `order`: the source's declared locale order, used only when no value
    settles day/month order (year-first values never need it; "ymd" settles nothing else).
    `excel_epoch`: the workbook date system of serial numbers (1900 when None, with a warning
    when serials are seen). `column` and `label` (the source) prefix messages and warnings.
    Raises DateOrderError when values contradict each other on day/month order (naming rows by
    index label) and AmbiguousDateError when no value settles it and none is declared (saying
    what to declare, e.g. "declare date_format: '%d/%m/%Y' or date_order: dmy on this source").
    """
    return _parse(values, KINDS, fmt, order, excel_epoch, _where(column, label))


def parse_month(
    values: pd.Series,
    *,
    fmt: str | None = None,
    order: Order | None = None,
    excel_epoch: Literal[1900, 1904] | None = None,
    column: str = "",
    label: str = "",
) -> ParsedDates:
    """The first day (00:00) of the month each value names ('' or None = blank).

    Reads a year and month alone (2025-03, 2025/3, 03/2025, 3.2025, Mar 2025, March-2025) and
    anything `parse_datetimes` reads (full dates, timestamps, serials), cut to their month. The
    same arguments, rules and exceptions apply: a full date such as 01/02/2025 still needs its
    day/month order settled by the file or declared.
    """
    parsed = _parse(values, MONTH_KINDS | KINDS, fmt, order, excel_epoch, _where(column, label))
    months = parsed.values.to_numpy(dtype="datetime64[M]").astype(DTYPE)
    return replace(parsed, values=pd.Series(months, index=values.index, name=values.name))


def _parse(values, kinds, fmt, order, excel_epoch, where) -> ParsedDates:
    """Settle the day/month order over the whole column, then parse it in chunks (which keeps
    the working memory small): each chunk's values are matched against `kinds` in turn."""
    if order not in (None, "dmy", "mdy", "ymd") or excel_epoch not in (None, 1900, 1904):
        raise ValueError(f"order must be dmy/mdy/ymd (not {order}), excel_epoch 1900/1904")
    text = _clean(values)
    if fmt:
        return _declared(values, text, fmt)
    settled, said, warned = settle_order(text, values.index, order, where)
    out, ok = np.full(len(text), NAT, dtype=DTYPE), np.zeros(len(text), dtype=bool)
    how: dict[str, str] = {}
    seen = {"offset": 0, "naive": 0, "zoned": 0, "zones": set(), "two_digit": 0, "early": 0}
    for start in range(0, len(text), CHUNK):
        rest = text.slice(start, CHUNK)
        todo = start + np.flatnonzero(to_numpy(pc.is_valid(rest)))
        rest = rest.drop_null()
        for kind, (match, extract) in kinds.items():
            hit = to_numpy(pc.match_substring_regex(rest, match))
            if not hit.any():  # a failed match costs far less than a failed extraction
                continue
            matched, rest = (rest, rest[:0]) if hit.all() else (rest.filter(hit), rest.filter(~hit))
            x, pos, todo = pc.extract_regex(matched, extract), todo[hit], todo[~hit]
            if kind == "serial":
                out[pos], ok[pos] = arith.serial_datetimes(group(x, "n"), excel_epoch or 1900)
                how[kind] = f"Excel serial dates ({excel_epoch or 1900} system)"
                seen["early"] += int((out[pos] < EARLY).sum())
                continue
            if kind == "num":
                a, b = ints(group(x, "a")), ints(group(x, "b"))
                day, month = (b, a) if settled == "mdy" else (a, b)
                how[kind] = said
            else:
                day = ints(group(x, "d")) if "<d>" in extract else np.ones(len(pos), np.int64)
                named = "<mon>" in extract
                month = arith.month_numbers(group(x, "mon")) if named else ints(group(x, "m"))
                how[kind] = HOW.get(kind, "ISO 8601")
            if kind == "ymd" and not pc.all(pc.match_substring_regex(matched, r"^\d{4}-")).as_py():
                seen["slashed"] = True
            micros, clock_ok = arith.clock(x, seen)
            year, two_digit = arith.years(group(x, "y"))
            seen["two_digit"] += two_digit
            out[pos], ok[pos] = arith.assemble(year, month, day, micros, clock_ok)
    if "ymd" in how and seen.get("slashed"):
        how["ymd"] = "year-first dates (year/month/day)"
    order_used = settled or ("ymd" if "ymd" in how else None)
    said = "; ".join(dict.fromkeys(how[kind] for kind in kinds if kind in how))
    notes = warned + _warnings(seen, how, excel_epoch)
    return _result(values, text, out, ok, order_used, said, [where + n for n in notes])


def _where(column: str, label: str) -> str:
    """The message prefix naming the source and column, e.g. "pre.csv: column 'Timestamp': "."""
    parts = [label] if label else []
    parts += [f"column '{short_name(column)}'"] if column else []
    return "".join(f"{part}: " for part in parts)


def _clean(values: pd.Series) -> pa.Array:
    """The values as an arrow string array, trimmed, with null for blank ('', None, NaN)."""
    try:
        text = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python types
        text = pa.array(values.astype("string[pyarrow]"))
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        text = pc.cast(text, pa.string())
    text = pc.utf8_trim_whitespace(text)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)


def _warnings(seen: dict, how: dict[str, str], excel_epoch: int | None) -> list[str]:
    """What the caller should log about a column parsed without a declared format."""
    notes = []
    if seen["zoned"]:
        notes.append(f"dropped the time-zone abbreviation ({', '.join(sorted(seen['zones']))}) "
                     f"from {seen['zoned']} value(s); their times are kept as written")  # fmt: skip
    if seen["offset"] and seen["naive"]:
        notes.append(f"{seen['offset']} value(s) had a UTC offset and were converted to UTC; "
                     f"{seen['naive']} had none and are kept as written")  # fmt: skip
    if seen["two_digit"]:
        notes.append(
            f"{seen['two_digit']} value(s) have a two-digit year (00-29 -> 20xx, 30-99 -> 19xx)"
        )
    serials = "serial" in how
    if serials and excel_epoch is None:
        notes.append("Excel serial numbers read in the 1900 date system (the Windows default); "
                     "declare excel_epoch: 1904 for old Mac workbooks")  # fmt: skip
    if seen["early"]:
        notes.append(
            f"{seen['early']} Excel serial number(s) fall before 1920; check the column holds dates"
        )
    if serials and len(how) > 1:
        notes.append("the column mixes Excel serial numbers and text dates; each kind was parsed")
    return notes


def _declared(values: pd.Series, text: pa.Array, fmt: str) -> ParsedDates:
    """Parse with exactly the declared strftime format (UTC offsets converted to UTC)."""
    raw = pd.Series(text.to_numpy(zero_copy_only=False), index=values.index, dtype=object)
    parsed = pd.to_datetime(raw, format=fmt, errors="coerce", utc=True).dt.tz_localize(None)
    out = parsed.to_numpy(dtype=DTYPE, copy=True)
    years = out.astype("datetime64[Y]").astype(np.int64) + 1970
    ok = ~np.isnat(out) & (years >= MIN_YEAR) & (years <= MAX_YEAR)
    out[~ok] = NAT
    spots = {"d": fmt.find("%d"), "m": max(fmt.find(c) for c in ("%m", "%b", "%B"))}
    spots["y"] = max(fmt.find("%Y"), fmt.find("%y"))
    order = "".join(sorted(spots, key=spots.get)) if min(spots.values()) >= 0 else None
    order = "ymd" if fmt.upper() == "ISO8601" else order
    return _result(values, text, out, ok, order, f"declared format {fmt}", [])


def _result(values, text, out, ok, order_used, how, warnings) -> ParsedDates:
    filled = to_numpy(pc.is_valid(text))
    return ParsedDates(
        values=pd.Series(out, index=values.index, name=values.name),
        invalid=pd.Series(filled & ~ok, index=values.index, name=values.name),
        order_used=order_used,
        how=how or "no values",
        warnings=tuple(warnings),
    )
