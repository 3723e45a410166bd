"""What every export asks: the four SGIC questions and the grid questions of each instrument
(real wording only where it may be shipped, else placeholders).
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.instruments import Instrument

SGIC = (  # name, kind, question text
    ("mother_initial", "letter", "What is the first letter of your mother's first name?"),
    ("birth_month", "month", "In which month were you born?"),
    ("street_initial", "letter", "What is the first letter of the street you grew up on?"),
    ("older_siblings", "number", "How many older brothers or sisters do you have?"),
)
SGIC_KINDS = tuple(kind for _, kind, _ in SGIC)
MONTH_NAMES = tuple(dt.date(2000, m, 1).strftime("%B") for m in range(1, 13))
GRID_PROMPT = "How much do you agree or disagree with each statement?"
FREQUENCY_PROMPT = "How often do you feel this way?"


def item_text(instrument: Instrument, position: int) -> str:
    """Row text of a grid item: the real wording if it may be shipped, else a placeholder."""
    item = instrument.items[position]
    if instrument.wording_shipped and item.text:
        return item.text
    return f"Statement {position + 1}"


def prompt_of(instrument: Instrument) -> str:
    """A neutral grid question (licensed instructions are supplied by the licensee), titled
    with the instrument's short name as survey designers title their blocks."""
    prompt = FREQUENCY_PROMPT if instrument.wording_shipped else GRID_PROMPT
    return f"{short_name(instrument)}: {prompt}"


def short_name(instrument: Instrument) -> str:
    """The abbreviation in the instrument's name ("CAMI-12"), else its name."""
    found = re.search(r"\(([^()]+)\)", instrument.name)
    return found.group(1) if found else instrument.name
