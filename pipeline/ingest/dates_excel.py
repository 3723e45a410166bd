"""The vectorised arithmetic behind `dates`: Excel serial numbers, and date/time parts (as
pyarrow's regex extraction returns them) turned into datetime64[us] with numpy, no per-row Python.

Excel serial dates (45306, 45306.4375, as a date column reads after a spreadsheet round trip)
count days from an epoch, with the time of day as the fraction:

- **1900 system** (Windows default): serial 1 = 1900-01-01. Excel copies the Lotus 1-2-3 bug
  that treats 1900 as a leap year, so serial 60 is the fictitious 1900-02-29 (invalid here),
  serials 1-59 count from 1899-12-31 and serials from 61 on from 1899-12-30
  (45306 -> 2024-01-15).
- **1904 system** (old Mac workbooks): serial 0 = 1904-01-01 (43844 -> 2024-01-15).

The fraction is rounded to the millisecond (binary floating point rarely lands on whole
seconds). Any date outside MIN_YEAR-MAX_YEAR, impossible day (31 April, 29 Feb 2023) or time
(25:00, 13 PM) is invalid.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

UNIT = "us"  # every parsed value is datetime64[us] (pandas' default unit for parsed text)
DTYPE = f"datetime64[{UNIT}]"
NAT = np.datetime64("NaT")
MIN_YEAR, MAX_YEAR = 1900, 2199
PIVOT = 30  # two-digit years below this are 20xx, the rest 19xx (Excel's rule)
EPOCHS = {1900: np.datetime64("1899-12-30", "D"), 1904: np.datetime64("1904-01-01", "D")}
LOTUS_LEAP_DAY = 60
MS_PER_DAY = 86_400_000
MONTHS = pa.array(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)
FULL_MONTHS = (
    "sept january february march april june july august september october november december"
)
MONTH_WORDS = pa.concat_arrays([MONTHS, pa.array(FULL_MONTHS.split())])
ZONE_NAMES = (  # trailing time-zone abbreviations dropped (with a warning) rather than failed
    "UTC GMT UT WET WEST BST IST CET CEST EET EEST MSK TRT GST PKT AST ADT EST EDT CST CDT MST "
    "MDT PST PDT AKST AKDT HST NST NDT BRT ART CLT COT PET WIB SGT HKT PHT KST JST AEST AEDT "
    "ACST ACDT AWST NZST NZDT SAST WAT EAT CAT"
)
ZONES = pa.array(ZONE_NAMES.split())


def serial_datetimes(numbers: pa.Array, epoch: int) -> tuple[np.ndarray, np.ndarray]:
    """(datetime64[us], ok) for serial-number text ('45306', '45306.4375', '45306,5') in the
    1900 or 1904 date system (see the module docstring); invalid serials are NaT, ok False."""
    serial = to_numpy(pc.cast(pc.replace_substring(numbers, ",", "."), pa.float64()))
    days = np.floor(serial).astype(np.int64)
    millis = np.rint((serial - days) * MS_PER_DAY).astype(np.int64)
    if epoch == 1904:
        ok = days >= 0
    else:
        ok = (days >= 1) & (days != LOTUS_LEAP_DAY)
        days = np.where(days < LOTUS_LEAP_DAY, days + 1, days)  # before the phantom 29 Feb
    days = np.where(ok, days, 0)
    out = (EPOCHS[epoch] + days.astype("timedelta64[D]")).astype(DTYPE)
    out = out + millis.astype("timedelta64[ms]")
    ok &= out.astype("datetime64[Y]").astype(np.int64) + 1970 <= MAX_YEAR
    out[~ok] = NAT
    return out, ok


def to_numpy(arr: pa.Array) -> np.ndarray:
    """A numpy copy of an arrow array."""
    return arr.to_numpy(zero_copy_only=False)


def group(x: pa.StructArray, name: str) -> pa.Array:
    """One captured group, '' where the group did not take part or the pattern has none."""
    if x.type.get_field_index(name) < 0:
        return pc.fill_null(pa.nulls(len(x), pa.string()), "")
    return pc.fill_null(pc.struct_field(x, name), "")


def used(text: pa.Array) -> bool:
    """Whether any value has this (optional) group."""
    return len(text) > 0 and pc.max(pc.utf8_length(text)).as_py() > 0


def ints(digits: pa.Array) -> np.ndarray:
    """int64 of digit text, 0 for '' or null."""
    return to_numpy(pc.cast(pc.utf8_lpad(pc.fill_null(digits, ""), 1, "0"), pa.int64()))


def month_numbers(words: pa.Array) -> np.ndarray:
    """1-12 for an English month name or abbreviation (any case), 0 for any other word."""
    words = pc.utf8_lower(words)
    number = to_numpy(pc.fill_null(pc.index_in(pc.utf8_slice_codeunits(words, 0, 3), MONTHS), -1))
    return np.where(to_numpy(pc.is_in(words, MONTH_WORDS)), number + 1, 0)


def years(text: pa.Array) -> tuple[np.ndarray, int]:
    """(years, how many had two digits): four digits as written, two pivoted at PIVOT."""
    year = ints(text)
    two = to_numpy(pc.equal(pc.utf8_length(text), 2))
    return np.where(two, year + np.where(year < PIVOT, 2000, 1900), year), int(two.sum())


def clock(x: pa.StructArray, seen: dict) -> tuple[np.ndarray, np.ndarray]:
    """(microseconds after midnight with any UTC offset taken off, ok) from the groups H, M, S,
    f (fraction), p (AM/PM), off (Z, +02, +0200, -05:30) and zone (an abbreviation, dropped when
    known); counts offsets and dropped zones in `seen`. Absent groups cost nothing."""
    hour, minute, second = ints(group(x, "H")), ints(group(x, "M")), ints(group(x, "S"))
    ok = (minute <= 59) & (second <= 59)
    micros = np.zeros(len(x), dtype=np.int64)
    if used(fraction := group(x, "f")):
        micros = ints(pc.utf8_rpad(pc.utf8_slice_codeunits(fraction, 0, 6), 6, "0"))
    twelve = np.zeros(len(x), dtype=bool)
    if used(meridiem := pc.utf8_lower(group(x, "p"))):
        twelve, pm = to_numpy(pc.not_equal(meridiem, "")), to_numpy(pc.starts_with(meridiem, "p"))
        ok &= ~twelve | ((hour >= 1) & (hour <= 12))
        hour = np.where(twelve, hour % 12 + 12 * pm, hour)
    ok &= twelve | (hour <= 23)
    minutes, offsets = hour * 60 + minute, 0
    if used(offset := pc.replace_substring(group(x, "off"), ":", "")):
        off_h = ints(pc.utf8_slice_codeunits(offset, 1, 3))
        off_m = ints(pc.utf8_slice_codeunits(offset, 3, 5))
        ok &= (off_h <= 14) & (off_m <= 59)
        minutes -= np.where(to_numpy(pc.starts_with(offset, "-")), -1, 1) * (off_h * 60 + off_m)
        offsets = int(to_numpy(pc.not_equal(offset, "")).sum())
    seen["offset"], seen["naive"] = seen["offset"] + offsets, seen["naive"] + len(x) - offsets
    if used(zone := pc.utf8_upper(group(x, "zone"))):
        zoned, known = to_numpy(pc.not_equal(zone, "")), to_numpy(pc.is_in(zone, ZONES))
        ok &= ~zoned | known
        seen["zoned"] += int((zoned & known).sum())
        seen["zones"].update(pc.unique(zone.filter(zoned & known)).to_pylist())
    return (minutes * 60 + second) * 1_000_000 + micros, ok


def assemble(year, month, day, micros, ok) -> tuple[np.ndarray, np.ndarray]:
    """(datetime64[us], ok) from int64 parts; impossible dates and years out of range fail."""
    ok = ok & (year >= MIN_YEAR) & (year <= MAX_YEAR) & (month >= 1) & (month <= 12) & (day >= 1)
    year, month, day = np.where(ok, year, 2000), np.where(ok, month, 1), np.where(ok, day, 1)
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    ok &= day <= ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    out = (first + (day - 1).astype("timedelta64[D]")).astype(DTYPE)
    out = out + micros.astype(f"timedelta64[{UNIT}]")
    out[~ok] = NAT
    return out, ok
