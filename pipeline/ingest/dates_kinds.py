"""The kinds of date and timestamp text `dates` reads, as RE2 patterns for pyarrow.

Each kind is a (match, extract) pair: `match` tells which values are of the kind (cheaply; for
day/month numbers only with the same separator twice), `extract` names their parts (y, m, d,
mon, H, M, S, f, p, off, zone), which `dates` turns into numbers and `dates_excel` assembles.
"""

from __future__ import annotations

import re

_CLOCK = (  # RE2 syntax; simple repeats (\d\d?, +) keep pyarrow's extraction fast
    r"(?:(?:T|,?\s+)(?P<H>\d\d?):(?P<M>\d\d)(?::(?P<S>\d\d)(?:[.,](?P<f>\d+))?)?"
    r"(?:\s*(?P<p>[AaPp]\.?[Mm]\.?))?(?:\s*(?P<off>[Zz]|[+-]\d\d(?::?\d\d)?))?"
    r"(?:\s+(?P<zone>[A-Za-z]+))?)?$"
)
_DAY, _MON, _WEEKDAY = (
    r"(?P<d>\d\d?)(?:st|nd|rd|th)?",
    r"(?P<mon>[A-Za-z]+)\.?",
    r"^(?:[A-Za-z]+,?\s+)?",
)
_YMD, _NUM = (
    r"(?P<y>\d{4})~(?P<m>\d\d?)~(?P<d>\d\d?)",
    r"(?P<a>\d\d?)~(?P<b>\d\d?)~(?P<y>\d{4}|\d\d)",
)


def _kind(head: str) -> tuple[str, str]:
    """(match, extract) patterns for a date head whose two separators (~) must be the same."""
    bare = re.sub(r"\?P<\w+>", "?:", head)
    same = "|".join(bare.replace("~", sep) for sep in ("/", "-", r"\."))
    return f"^(?:{same})" + _CLOCK, "^" + head.replace("~", "[-/.]") + _CLOCK


KINDS = {  # tried in this order, each on the values no earlier kind matched: (match, extract)
    "serial": (r"^(?P<n>\d{1,7}(?:[.,]\d{1,12})?)$",) * 2,
    "ymd": _kind(_YMD),
    "num": _kind(_NUM),
    "dmon": (_WEEKDAY + _DAY + r"[-\s/.]*" + _MON + r",?[-\s/.]*(?P<y>\d{4}|\d\d)" + _CLOCK,) * 2,
    "mond": (_WEEKDAY + _MON + r"[-\s/.]*" + _DAY + r",?[-\s/.]*(?P<y>\d{4})" + _CLOCK,) * 2,
}  # fmt: skip
MONTH_KINDS = {  # parse_month also reads a year and month alone
    "ym": (r"^(?P<y>\d{4})[-/.](?P<m>\d\d?)$",) * 2,
    "my": (r"^(?P<m>\d\d?)[-/.](?P<y>\d{4})$",) * 2,
    "mony": (r"^" + _MON + r"[-\s/.,]*(?P<y>\d{4})$",) * 2,
}
HOW = {"dmon": "dates with English month names", "mond": "dates with English month names"}
HOW |= dict.fromkeys(MONTH_KINDS, "year and month")
