"""A Google Forms export's layout: its one header row of question texts and US-locale
timestamps.
"""

from __future__ import annotations

import datetime as dt

from pipeline.instruments import Instrument

from .programmes import ProgrammeSpec
from .questions import SGIC, item_text, prompt_of

FORMS_TIME = "%m/%d/%Y %H:%M:%S"  # what strptime needs for Forms' unpadded M/D/YYYY H:MM:SS
FORMS_SESSION = "Which session did you attend?"
FORMS_COMMENT = "Is there anything else you would like to tell us?"


def forms_columns(spec: ProgrammeSpec, instruments: dict[str, Instrument]) -> list[str]:
    """Header of a Google Forms export: Timestamp, e-mail, then question text per column."""
    header = ["Timestamp", "Email Address", FORMS_SESSION, *(text for _, _, text in SGIC)]
    for part, name in enumerate(spec.instruments, start=1):
        instrument = instruments[name]
        for k in range(len(instrument.items)):
            header.append(f"Part {part}: {prompt_of(instrument)} [{item_text(instrument, k)}]")
    header.append(FORMS_COMMENT)
    return header


def forms_time(moment: dt.datetime) -> str:
    """Google Forms' US-locale timestamp: `1/14/2025 9:03:45`."""
    return f"{moment.month}/{moment.day}/{moment.year} {moment.hour}:{moment:%M:%S}"
