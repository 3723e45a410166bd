"""Guesses `ripple init` makes from file names and column headers.

Each guess is a plain function of text, so it is easy to test and to explain in the comment
the scaffold writes beside it. Nothing here reads cell values except to count distinct ones.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.instruments import normalise_label

# File-name and column-value tokens for each standard wave, in wave order.
WAVE_TOKENS: dict[str, tuple[str, ...]] = {
    "pre": ("pre", "baseline", "before", "t0", "pretest", "avant", "antes", "vorher", "intake"),
    "post": ("post", "after", "t1", "posttest", "apres", "après", "despues", "nachher", "exit"),
    "followup": ("followup", "follow", "fu", "t2", "3m", "3month", "6m", "12m", "later", "suivi"),
}
WAVE_LABELS = {"pre": "Before the session", "post": "After the session", "followup": "Follow-up"}
TEST_WORDS = re.compile(r"\b(test|testing|ignore|dummy|demo|preview|example)\b", re.IGNORECASE)
COHORT_HEADER = re.compile(
    r"\b(session|cohort|workshop|group|class|course|event|training)\b", re.IGNORECASE
)
WAVE_HEADER = re.compile(r"\b(wave|time ?point|phase|moment|occasion)\b", re.IGNORECASE)
PARTICIPANT_HEADER = re.compile(
    r"^(record_id|participant_id|participant id|panel_id|panel id|pid|study_id|subject_id)$|"
    r"custom_variables\.",
    re.IGNORECASE,
)
SGIC_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"first letter.*mother", re.I), "mother_initial", "letter"),
    (re.compile(r"first letter.*father", re.I), "father_initial", "letter"),
    (re.compile(r"first letter.*street", re.I), "street_initial", "letter"),
    (re.compile(r"first letter.*(town|city|place).*born", re.I), "birthplace_initial", "letter"),
    (re.compile(r"month.*(born|birth)", re.I), "birth_month", "month"),
    (re.compile(r"(day|date) of the month.*(born|birth)", re.I), "birth_day", "number"),
    (re.compile(r"how many older (brothers|sisters|siblings)", re.I), "older_siblings", "number"),
    (re.compile(r"how many (brothers|sisters|siblings)", re.I), "siblings", "number"),
)
# Per format: (response id column, submission time column), by stable key.
FORMAT_COLUMNS: dict[str, tuple[str | None, str | None]] = {
    "qualtrics": ("_recordId", "recordedDate"),
    "qualtrics_legacy": ("V1", "V9"),
    "surveymonkey": ("Respondent ID", "End Date"),
    "surveymonkey_api": ("id", "date_modified"),
    "google_forms": (None, None),  # the first column is the timestamp, in the owner's language
    "kobo": ("_uuid", "_submission_time"),
    "redcap": (None, None),
    "csv": (None, None),
}
TIME_HEADER = re.compile(r"^(timestamp|submitted|submission ?(time|date)|end ?date|date)$", re.I)
ID_HEADER = re.compile(r"^(response ?id|responseid|respondent ?id|submission ?id|uuid)$", re.I)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of a file name or value ("Workplace_Post-2025" -> [...])."""
    return [t for t in re.split(r"[^0-9a-zà-ÿ]+", text.casefold()) if t]


def wave_of(text: str) -> str | None:
    """The standard wave a file name or answer value names, or None ("..._pre.csv" -> pre)."""
    found = {wave for wave, words in WAVE_TOKENS.items() for t in tokens(text) if t in words}
    if "follow" in text.casefold().replace("-", "").replace(" ", ""):
        found = (found - {"post"}) | {"followup"}
    return found.pop() if len(found) == 1 else None


def programme_of(path: Path) -> str:
    """A programme id from a file name with its wave and platform words removed."""
    noise = {w for words in WAVE_TOKENS.values() for w in words}
    noise |= {"export", "responses", "data", "survey", "qualtrics", "csv", "xlsx", "raw"}
    noise |= {"labels", "surveymonkey", "redcap", "kobo", "forms", "google"}
    kept = [t for t in tokens(path.stem) if t not in noise and not t.isdigit()]
    return identifier("_".join(kept) or "programme")


def identifier(text: str) -> str:
    """A config id (`^[a-z][a-z0-9_]*$`) made from any text."""
    slug = re.sub(r"[^a-z0-9]+", "_", normalise_label(text)).strip("_")
    return slug if slug[:1].isalpha() else f"x_{slug}" if slug else "x"


def sgic_element(question: str) -> tuple[str, str] | None:
    """(name, kind) when a question asks for one element of a self-generated code."""
    for pattern, name, kind in SGIC_PATTERNS:
        if pattern.search(question):
            return name, kind
    return None


def looks_like_test(value: str) -> bool:
    """A cohort value that names a test or preview session, not a real one."""
    return bool(TEST_WORDS.search(value))


def is_cohort_header(text: str) -> bool:
    return bool(COHORT_HEADER.search(text))


def is_wave_header(text: str) -> bool:
    return bool(WAVE_HEADER.search(text)) or text == "redcap_event_name"


def is_participant_header(key: str) -> bool:
    return bool(PARTICIPANT_HEADER.search(key.strip()))


def is_time_header(text: str) -> bool:
    return bool(TIME_HEADER.match(text.strip()))


def is_id_header(text: str) -> bool:
    return bool(ID_HEADER.match(text.strip()))
