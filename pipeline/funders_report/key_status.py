"""Whether each instrument's scoring key was checked against its published manual.

Every instrument file declares `key_status` (verified, partly_verified, unverified; see
instruments/*.yml). The report states it in its method section so that a funder knows which
scores rest on a key nobody has yet checked against the manual.

The status is read from the extract when the extract carries it (a `key_status` column in its
`instruments` or `scales` reference table). Extract version 2 does not, so until it does the
status comes from the instrument files installed with this Ripple (the built-in library), and
the report says so; an instrument not in that library reads "not recorded".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

#: Reference tables that may carry the status, with the fixed statement that reads it.
STATEMENTS = {
    "instruments": "select distinct instrument_id, key_status from instruments",
    "scales": "select distinct instrument_id, key_status from scales",
}

WORDS = {
    "verified": "scoring key checked against the published manual",
    "partly_verified": "scored with a key only partly checked against the manual",
    "unverified": "scored with a key not yet checked against the manual",
}
NOT_RECORDED = "whether its scoring key was checked is not recorded"

SOURCE_WORDS = {
    "extract": "as recorded in the extract",
    "library": (
        "from the instrument files installed with this Ripple: the extract does not record it"
    ),
    "none": "not recorded in the extract",
}


@dataclass(frozen=True)
class KeyStatus:
    """instrument_id -> verified / partly_verified / unverified, and where that came from."""

    statuses: dict[str, str]
    source: str  # extract, library or none

    def words(self, instrument_id: str) -> str:
        """The status of one instrument's key in words."""
        return WORDS.get(self.statuses.get(instrument_id, ""), NOT_RECORDED)

    def is_checked(self, instrument_id: str) -> bool:
        return self.statuses.get(instrument_id) == "verified"


def read_key_status(release: Path) -> KeyStatus:
    """The key status of every instrument, from the extract at `release` when it records
    it, else from the built-in instrument library."""
    con = duckdb.connect(str(release), read_only=True, config={"enable_external_access": False})
    try:
        found = con.execute(
            "select table_name from information_schema.columns "
            "where column_name = 'key_status' and table_name in (?, ?) order by table_name",
            list(STATEMENTS),
        ).fetchall()
        if found:
            rows = con.execute(STATEMENTS[found[0][0]]).fetchall()
            return KeyStatus({str(i): str(s) for i, s in rows if s is not None}, "extract")
    finally:
        con.close()
    return library_key_status()


def library_key_status() -> KeyStatus:
    """The key status declared by each built-in instrument file."""
    from pipeline.errors import ConfigError
    from pipeline.instruments import BUILT_IN_DIR, load_instruments

    try:
        library = load_instruments(BUILT_IN_DIR)
    except ConfigError:  # an unreadable library must not stop the report: "not recorded"
        return KeyStatus({}, "none")
    return KeyStatus({i: ins.key_status for i, ins in library.items()}, "library")
