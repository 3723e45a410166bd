"""Quoted fields in the raw text of a record, read as the lenient `csv` reader reads them: the
field whose quote is still open at the end, and whether every quote closes cleanly (a runaway
quote is what `scan` looks for)."""

from __future__ import annotations

import re

QUOTED_FIELD = re.compile(r'"[^"]*+(?:""[^"]*+)*+"')


def open_quote_field(raw: str, delimiter: str) -> int | None:
    """The 0-based field whose quote is still open at the end of `raw` (the start of a record),
    or None when every quote in it is closed.

    Mirrors the lenient `csv` reader: a quote opens a quoted field only at a field's start;
    after the closing quote (or inside an unquoted field) quotes are ordinary characters.
    """
    rest_of_field = re.compile(f"[^{re.escape(delimiter)}\\r\\n]*")
    position, end, index = 0, len(raw), 0
    while position < end:
        if raw[position] == '"':
            quoted = QUOTED_FIELD.match(raw, position)
            if quoted is None:
                return index
            position = quoted.end()
        position = rest_of_field.match(raw, position).end()
        if position < end and raw[position] == delimiter:
            position += 1
            index += 1
            continue
        return None
    return None


def closes_cleanly(raw: str, delimiter: str) -> bool:
    """True when every quoted field of the record `raw` (with its line break) closes, each
    closing quote followed by the delimiter or a line break (a quote that never closes, one
    that closes in the middle of a cell, or one closed by the last character of the file is
    what a runaway quote leaves)."""
    rest_of_field = re.compile(f"[^{re.escape(delimiter)}\\r\\n]*")
    position, end = 0, len(raw)
    while position < end:
        if raw[position] == '"':
            quoted = QUOTED_FIELD.match(raw, position)
            if quoted is None:
                return False
            position = quoted.end()
            if position == end or raw[position] not in (delimiter, "\r", "\n"):
                return False
        position = rest_of_field.match(raw, position).end()
        if position < end and raw[position] == delimiter:
            position += 1
            continue
        return True
    return True


def ends_in_open_quote(raw: str, delimiter: str) -> bool:
    """True when the record starting at `raw[0]` has a quoted field still open at the end."""
    return open_quote_field(raw, delimiter) is not None
