"""Seeded generator of Ripple's sample data: three fictional programmes, nine survey exports.

    python data/sample/generate.py [OUT_DIR]      # or: make sample (OUT_DIR defaults to here)

Writes `exports/*.csv` (Qualtrics and Google Forms exports, pre / post / 3-month follow-up),
`ripple.yml` (the project config that maps them) and `manifest.json` (what the pipeline should
find). Every person, organisation, school, e-mail address, IP address and comment is invented.

How it works:

1. plan: cohorts, participants and their SGIC answers, who responds at which wave, and the mess
   (Qualtrics previews, incomplete responses, duplicate submissions, out-of-range codes, unknown
   labels, an unknown cohort, SGIC typos, skipped items, "Don't know" answers).
2. simulate answers: latent person trait + wave shift + individual response + state noise +
   item noise, cut into the instrument's codes (reverse keys applied), all read from
   `instruments/*.yml` at run time, so nothing about an instrument is written down twice.
3. classify every row with the pipeline's published rules (the same order, `pipeline.sgic` for
   linkage: exact codes first, then codes one element apart that are unique on both sides) to
   find the linked pre/post and pre/follow-up pairs, then calibrate each wave shift by
   bisection so the paired d_z on the scored scales of those pairs hits its target.
4. write the files, read them back, classify and score them again, check that every row got the
   outcome it was planned to get and that every realised d_z is within TOLERANCE of its target,
   and write the manifest from that re-read.

One numpy Generator is seeded once (SEED) and spawns one child per programme, so the output is
byte-identical on every run (for a given numpy version and the same instrument files).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from pipeline.config import (
    LoadedConfig,
    Programme,
    ProjectConfig,
    Quality,
    Survey,
    check_against_instruments,
    load_config,
)
from pipeline.instruments import Instrument, Scale, load_instruments, normalise_label
from pipeline.sgic import masked_codes, normalise_code

SEED = 20250114
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
INSTRUMENTS_DIR = REPO / "instruments"
TOLERANCE = 0.1  # realised d_z must be within this of its target
CONFIG_NAME = "ripple.yml"
MANIFEST_NAME = "manifest.json"
EXPORTS = "exports"

# ---------------------------------------------------------------------------------------------
# The sample's design: waves, sites, programmes, cohorts, effect targets
# ---------------------------------------------------------------------------------------------

WAVES = {
    "pre": "Before the session",
    "post": "Straight after the session",
    "followup": "Three-month follow-up",
}
BASELINE, POST, FOLLOWUP = WAVES
SITES = {  # site -> (cohort-id code, latitude, longitude of the city centre)
    "Leeds": ("LEE", 53.7997, -1.5492),
    "Bristol": ("BRI", 51.4545, -2.5879),
    "Glasgow": ("GLA", 55.8642, -4.2518),
    "Cardiff": ("CAR", 51.4816, -3.1791),
    "Belfast": ("BEL", 54.5973, -5.9301),
}

# Latent model (standard deviations on the latent scale; item cut points span LATENT_SPAN).
LATENT_SPAN = 6.0
SD_TRAIT = 0.9  # stable person level
TRAIT_SHARED = 0.45  # share of trait variance common to all of a person's scales
SD_STATE = 0.55  # occasion-specific noise of one response
STATE_SHARED = 0.4
SD_ITEM = 0.75  # item-level noise of a 6-item scale; shorter scales have more reliable items
SD_DRIFT = 0.15  # extra occasion noise three months on, so pre-followup r < pre-post r
SD_DIFFICULTY = 0.25  # item intercepts
SD_RESPONSE = 0.3  # person-specific response to the session
RESPONSE_SHARED = 0.5
DONT_KNOW_RATE = {BASELINE: 0.06, POST: 0.03, FOLLOWUP: 0.05}  # labels exports with an alias

# Mess (rates per wave file unless stated)
TYPO_RATE = 0.065  # of post and follow-up responses: one SGIC element changed
VARIANT_RATE = 0.15  # harmless SGIC variations (case, spaces, "03"/"3"/"March")
INCOMPLETE_RATE = 0.03  # Qualtrics only
DUPLICATE_RATE = 0.015
SKIP_ONE_RATE = 0.08  # Google Forms: one grid item left blank (not an error)
SKIP_GRID_RATE = 0.015  # Google Forms: a whole grid left blank (no score for that scale)
PREVIEWS = (2, 4)  # Qualtrics previews per file, inclusive range
OUT_OF_RANGE = (1, 3)  # Qualtrics rows per file with a code outside the instrument's range
UNKNOWN_LABEL = (2, 3)  # Google Forms rows per file with an answer label nobody configured
COMMENT_RATE = {BASELINE: 0.12, POST: 0.3, FOLLOWUP: 0.2}


@dataclass(frozen=True)
class CohortSpec:
    """One workshop session: where, when, who hosted it, what time it started; `size` fixes
    the number of participants (otherwise drawn from the programme's range)."""

    site: str
    date: dt.date
    venue: str
    start: dt.time
    size: int | None = None


@dataclass(frozen=True)
class ProgrammeSpec:
    """A fictional programme and the parameters of its simulated data.

    `location` is where the average pre answer sits on each instrument's item range (0 = lowest
    code, 1 = highest, in the scored direction). `targets` gives the paired d_z (wave - pre, on
    the scored scale) for every scale of every instrument: {instrument: {scale: (post, followup)}}.
    """

    id: str
    prefix: str
    name: str
    approach: str
    audience: str
    export: str
    instruments: tuple[str, ...]
    cohorts: tuple[CohortSpec, ...]
    size: tuple[int, int]
    session_minutes: int
    post_attrition: float
    followup_attrition: float
    location: dict[str, float]
    targets: dict[str, dict[str, tuple[float, float]]]
    email_share: float = 1.0
    email_domain: str = "example.org"
    ipv4_blocks: tuple[str, ...] = ()
    ipv6_prefix: str = ""
    unknown_cohort: str | None = None
    typing_minutes: float = 5.0


def words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of `text` (compact lists of names and weights)."""
    return tuple(text.split())


def _c(site: str, date: str, venue: str, start: str, size: int | None = None) -> CohortSpec:
    """Shorthand for a cohort row of the schedules below."""
    return CohortSpec(site, dt.date.fromisoformat(date), venue, dt.time.fromisoformat(start), size)


PROGRAMMES = (
    ProgrammeSpec(
        id="workplace",
        prefix="WP",
        name="Open Conversations at Work",
        approach="contact-based",
        audience="employees (adults) at partner employers",
        export="qualtrics",
        instruments=("cami12", "maks", "ribs"),
        cohorts=(
            _c("Leeds", "2025-01-21", "Northgate Logistics", "09:30"),
            _c("Bristol", "2025-03-18", "Severnside Housing Trust", "13:30"),
            _c("Glasgow", "2025-06-10", "Clydeside Civil Engineering", "09:30"),
            _c("Cardiff", "2025-09-16", "Taff Valley Council", "10:00"),
            _c("Belfast", "2025-11-11", "Lagan Software", "09:30"),
            _c("Leeds", "2026-02-24", "Aire Valley Insurance", "13:00"),
            _c("Bristol", "2026-05-19", "Avon Gorge Hotels", "10:00"),
        ),
        size=(70, 106),
        session_minutes=150,
        post_attrition=0.07,
        followup_attrition=0.42,
        location={"cami12": 0.68, "maks": 0.62, "ribs": 0.80},
        targets={
            "cami12": {"prejudice_exclusion": (0.45, 0.20), "tolerance_support": (0.40, 0.17)},
            "maks": {"knowledge": (0.60, 0.40)},
            "ribs": {"intended_behaviour": (0.30, 0.15)},
        },
        email_share=0.85,
        ipv4_blocks=("192.0.2", "198.51.100"),
        ipv6_prefix="2001:db8:1",
        unknown_cohort="WP-TEST",
        typing_minutes=5.0,
    ),
    ProgrammeSpec(
        id="schools",
        prefix="SC",
        name="Mind Matters in Schools",
        approach="education-only",
        audience="secondary-school pupils (ages 13-16)",
        export="google_forms",
        instruments=("cami12", "maks", "ribs"),
        cohorts=(
            _c("Leeds", "2025-01-14", "Park View School", "10:15"),
            _c("Bristol", "2025-04-29", "Harbourside Academy", "11:00"),
            _c("Cardiff", "2025-06-24", "Ysgol Bryn Derw", "09:10"),
            _c("Glasgow", "2025-10-07", "Riverside Academy", "13:40"),
            _c("Belfast", "2026-01-20", "Lagan View College", "10:30"),
            _c("Leeds", "2026-03-10", "Moorfield High School", "11:20"),
            _c("Cardiff", "2026-06-16", "Cathays Park School", "09:00"),
        ),
        size=(80, 116),
        session_minutes=60,
        post_attrition=0.06,
        followup_attrition=0.25,
        location={"cami12": 0.62, "maks": 0.55, "ribs": 0.76},
        targets={
            "cami12": {"prejudice_exclusion": (0.25, 0.10), "tolerance_support": (0.22, 0.10)},
            "maks": {"knowledge": (0.70, 0.45)},
            "ribs": {"intended_behaviour": (0.22, 0.10)},
        },
        unknown_cohort="Test session - please ignore",
        typing_minutes=7.0,
    ),
    ProgrammeSpec(
        id="peer_support",
        prefix="PS",
        name="Common Ground peer-support groups",
        approach="peer support",
        audience="adults with lived experience of mental illness",
        export="qualtrics",
        instruments=("gbs", "ucla3"),
        cohorts=(
            _c("Glasgow", "2025-02-05", "Southside Community Hub", "18:00"),
            _c("Belfast", "2025-05-14", "Lagan Lodge Community Centre", "18:30"),
            _c("Cardiff", "2025-08-13", "Roath Wellbeing Centre", "18:00"),
            _c("Leeds", "2025-12-03", "Kirkgate Community Rooms", "18:00"),
            _c("Bristol", "2026-03-25", "Harbourside Peer Hub", "18:30"),
            # a small pilot group: fewer than 10 linked pairs, so the dashboard must hide it
            _c("Cardiff", "2026-06-17", "Llandaff Peer Hub (pilot)", "18:00", size=11),
            _c("Glasgow", "2026-08-05", "Merchant City Peer Hub", "18:00"),
        ),
        size=(26, 41),
        session_minutes=120,
        post_attrition=0.07,
        followup_attrition=0.42,
        location={"gbs": 0.47, "ucla3": 0.55},
        targets={
            "gbs": {
                "total": (0.45, 0.25),
                "acceptance_inclusion": (0.40, 0.22),
                "rejection_exclusion": (0.38, 0.21),
            },
            "ucla3": {"loneliness": (-0.35, -0.20)},
        },
        email_share=0.7,
        email_domain="example.net",
        ipv4_blocks=("203.0.113",),
        ipv6_prefix="2001:db8:3",
        typing_minutes=6.0,
    ),
)

# ---------------------------------------------------------------------------------------------
# Survey layout: SGIC questions, Qualtrics columns, Google Forms headers, comments, names
# ---------------------------------------------------------------------------------------------

SGIC = (  # name, kind, question text
    ("mother_initial", "letter", "What is the first letter of your mother's first name?"),
    ("birth_month", "month", "In which month were you born?"),
    ("street_initial", "letter", "What is the first letter of the street you grew up on?"),
    ("older_siblings", "number", "How many older brothers or sisters do you have?"),
)
SGIC_KINDS = tuple(kind for _, kind, _ in SGIC)
MONTH_NAMES = tuple(dt.date(2000, m, 1).strftime("%B") for m in range(1, 13))
INITIAL_WEIGHTS = dict(  # rough frequency of first letters of UK first names and street names
    zip(
        string.ascii_uppercase,
        map(float, words("8 3 7 6 5 2 3 3 2 9 6 7 10 3 1 4 .3 4 10 4 .3 2 1 .1 1 1")),
        strict=True,
    )
)
SIBLING_WEIGHTS = (0.4, 0.34, 0.16, 0.07, 0.03)

QUALTRICS_META = (  # column name, English question text, ImportId (as in the real export)
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
)
QUALTRICS_TIME = "%Y-%m-%d %H:%M:%S"
FORMS_TIME = "%m/%d/%Y %H:%M:%S"  # what strptime needs for Forms' unpadded M/D/YYYY H:MM:SS
COMMENT_QID = 9
COHORT_FIELD = "cohort"  # Qualtrics embedded data
FORMS_SESSION = "Which session did you attend?"
FORMS_COMMENT = "Is there anything else you would like to tell us?"
QUALTRICS_COMMENT = "Is there anything else you would like to tell us?"
GRID_PROMPT = "How much do you agree or disagree with each statement?"
FREQUENCY_PROMPT = "How often do you feel this way?"

FIRST_NAMES = words(
    "Amara Ben Chloe Darius Eilidh Farah Gareth Hana Isla Jamal Kerry Liam Maya Niamh Oluwaseun "
    "Priya Rhys Siân Tomasz Uzma Vikram Wen Yusuf Zara Aled Bethan Callum Declan Ewa Fiona Grace "
    "Hamish Imran Jess Kieran Lowri Mohammed Nia Owen Poppy Rory Saoirse Tariq Ursula Will Xin "
    "Yasmin Zofia Aoife Bronwen Ciarán Dylan Efua Freya Gethin Harvey Ines Jakub Keira Leon"
)
LAST_NAMES = (
    *words(
        "Hughes Okafor Patel Campbell MacLeod O'Neill Jones Williams Kowalski Begum Davies Murphy "
        "Thompson Ahmed Evans Kaur Robertson Nguyen Walsh Bennett Fraser Hussain Price Quinn Reid "
        "Singh Taylor Wilson Zhang Byrne Clarke Doherty Edwards Fletcher Gallagher Harris Iqbal "
        "Jenkins Kelly Lewis Morgan Nowak Osei Parry Rahman Stewart Tran Vaughan Watson Young "
        "Mensah"
    ),
    "Ó Briain",
)
FACILITATORS = ("Dev", "Marisol", "Callum Reid", "Joanne", "Sam Achebe", "Mr Daniels", "Ms Harper")
COMMENTS = {
    "workplace": {
        BASELINE: (
            "Looking forward to it.",
            "My manager asked me to come.",
            "Not sure what to expect, to be honest.",
            "Had a rough year, hoping this helps me support my team.",
            "Can we get the slides afterwards? Send them to {email}",
        ),
        POST: (
            "Hearing {facilitator}'s story made it real for me. Thank you.",
            "Really useful - would like a follow-up session for line managers.",
            "Too short, we only scratched the surface.",
            "Good session. Could HR send the slides to me at {email}?",
            "The speaker was brave and honest, I'll remember it.",
            "I didn't think I needed this but I was wrong.",
            "Room was too hot, otherwise great.",
            "Please can someone contact me about the champions scheme? {phone}",
            "Two things:\n1. more time for questions\n2. something on menopause and mental health",
            'Best "training" I\'ve been sent on in years.',
        ),
        FOLLOWUP: (
            "I've had two conversations with colleagues since the workshop.",
            "Honestly I've forgotten most of it.",
            "The wellbeing champions network is working well at our site.",
            "Still think about what {facilitator} said.",
            "Used the signposting card when a colleague was struggling.",
        ),
    },
    "schools": {
        BASELINE: ("dunno", "is this going to be on a test", "ok", "why do we have to do this"),
        POST: (
            "it was good",
            "more videos please",
            "{facilitator} was funny",
            "can we do this again",
            "I liked the bit about how to talk to a friend",
            "my email is {email} if you need to ask me anything",
            "it was a bit boring tbh",
            "I didn't know anxiety was that common",
        ),
        FOLLOWUP: (
            "I remember the bit about talking to someone",
            "we should have more lessons like this",
            "I told my mum about it",
            "no",
        ),
    },
    "peer_support": {
        BASELINE: (
            "Nervous about coming but here now.",
            "A friend told me about the group.",
            "My care coordinator suggested it.",
        ),
        POST: (
            "Felt understood for the first time in ages.",
            "Thanks to {facilitator}, the facilitator, for making it feel safe.",
            "Would be good to have the group closer to the bus station.",
            "Can someone text me about next week? {phone}",
            "I came close to not coming tonight.\nGlad I did.",
            "Café afterwards was a nice touch - diolch!",
        ),
        FOLLOWUP: (
            "Still in touch with two people from the group.",
            "Things have been hard again lately.",
            "Met up with {facilitator} for coffee, that helped.",
            "Please email me at {email} about the next group.",
        ),
    },
}

# ---------------------------------------------------------------------------------------------
# Plan: people, rows and the mess
# ---------------------------------------------------------------------------------------------


@dataclass
class Person:
    """One fictional participant: cohort, true SGIC answers and contact details."""

    pid: int
    cohort: int
    sgic: tuple[str, int, str, int]
    month_style: str
    first: str = ""
    last: str = ""
    email: str = ""
    reference: str = ""
    channel: str = "anonymous"


@dataclass
class Row:
    """One planned export row. `kind` is the outcome the pipeline's rules must give it."""

    rid: int
    person: int | None
    cohort: int
    wave: str
    kind: str = "response"
    sgic: tuple[str, ...] = ()
    started: dt.datetime = dt.datetime(2000, 1, 1)
    submitted: dt.datetime = dt.datetime(2000, 1, 1)
    progress: int = 100
    bad_item: str | None = None
    bad_value: str = ""
    skipped: frozenset[str] = frozenset()
    dont_know: frozenset[str] = frozenset()
    comment: str = ""
    response_id: str = ""
    ip: str = ""
    latitude: str = ""
    longitude: str = ""
    typo: bool = False
    twin_of: int | None = None
    values: tuple[str, int, str, int] | None = None


EXPECTED_OUTCOME = {  # row kind -> (status, reason) under the pipeline's rules
    "response": ("loaded", None),
    "preview": ("excluded", "preview"),
    "incomplete": ("excluded", "incomplete"),
    "duplicate": ("excluded", "duplicate_submission"),
    "out_of_range": ("quarantined", "out_of_range"),
    "unknown_label": ("quarantined", "unknown_label"),
    "unknown_cohort": ("quarantined", "unknown_cohort"),
}


def cohort_id(spec: ProgrammeSpec, cohort: CohortSpec) -> str:
    """`WP-LEE-2501`: programme prefix, site code, year and month of the session."""
    return f"{spec.prefix}-{SITES[cohort.site][0]}-{cohort.date:%y%m}"


def cohort_label(cohort: CohortSpec) -> str:
    """The answer a Google Form's "Which session did you attend?" offers for a cohort."""
    return f"{cohort.site} - {cohort.venue}, {cohort.date.day} {cohort.date:%b %Y}"


def canonical_code(values: Sequence[str]) -> str:
    """The pipeline's normalised SGIC code of typed answers (must be a valid code)."""
    code, status = normalise_code(list(values), SGIC_KINDS)
    if status != "ok" or code is None:
        raise ValueError(f"generated an unusable SGIC {values!r} ({status})")
    return code


def draw_sgic(rng: np.random.Generator) -> tuple[str, int, str, int]:
    """A person's true SGIC answers: two initials, a birth month, a number of older siblings."""
    letters = list(INITIAL_WEIGHTS)
    weights = np.array(list(INITIAL_WEIGHTS.values()))
    mother, street = rng.choice(letters, size=2, p=weights / weights.sum())
    month = int(rng.integers(1, 13))
    siblings = int(rng.choice(len(SIBLING_WEIGHTS), p=SIBLING_WEIGHTS))
    return str(mother), month, str(street), siblings


def type_month(month: int, style: str) -> str:
    """How a person writes their birth month: "3", "03", "March", "march" or "Mar" (a Google
    Forms drop-down always gives "March")."""
    return {
        "dropdown": MONTH_NAMES[month - 1],
        "number": str(month),
        "padded": f"{month:02d}",
        "name": MONTH_NAMES[month - 1],
        "lower": MONTH_NAMES[month - 1].lower(),
        "short": MONTH_NAMES[month - 1][:3],
    }[style]


def typed_sgic(
    values: tuple[str, int, str, int], style: str, variant: int | None, rng: np.random.Generator
) -> tuple[str, str, str, str]:
    """The SGIC answers as typed, optionally with a harmless variation of element `variant`."""
    typed = [values[0], type_month(values[1], style), values[2], str(values[3])]
    if variant is None:
        return tuple(typed)  # type: ignore[return-value]
    if SGIC_KINDS[variant] == "letter":
        options = [typed[variant].lower(), f" {typed[variant]}", f"{typed[variant]}."]
        typed[variant] = options[int(rng.integers(len(options)))]
    elif SGIC_KINDS[variant] == "month":
        if style == "dropdown":  # no variation possible: vary the number of siblings instead
            typed[3] = f"0{typed[3]}"
        else:
            others = [s for s in ("number", "padded", "name", "lower", "short") if s != style]
            typed[variant] = type_month(values[1], others[int(rng.integers(len(others)))])
    else:
        typed[variant] = [f"0{typed[variant]}", f" {typed[variant]}", f"{typed[variant]} "][
            int(rng.integers(3))
        ]
    return tuple(typed)  # type: ignore[return-value]


def typo_sgic(
    values: tuple[str, int, str, int], rng: np.random.Generator
) -> tuple[str, int, str, int]:
    """A real mistake: one element answered differently (a neighbouring letter, month, count)."""
    element = int(rng.integers(4))
    changed = list(values)
    step = int(rng.choice([-1, 1]))
    if SGIC_KINDS[element] == "letter":
        changed[element] = string.ascii_uppercase[(ord(values[element]) - 65 + step) % 26]
    elif SGIC_KINDS[element] == "month":
        changed[element] = (values[element] - 1 + step) % 12 + 1
    else:
        changed[element] = values[element] + 1 if values[element] == 0 else values[element] + step
    return tuple(changed)  # type: ignore[return-value]


def make_people(
    spec: ProgrammeSpec, sizes: Sequence[int], rng: np.random.Generator
) -> list[Person]:
    """Participants of every cohort, SGIC codes unique within the cohort, contacts invented."""
    people: list[Person] = []
    styles = ("dropdown",) if spec.export == "google_forms" else ("number", "padded", "name")
    style_p = None if spec.export == "google_forms" else (0.6, 0.15, 0.25)
    used_emails: set[str] = set()
    for c, size in enumerate(sizes):
        codes: set[str] = set()
        while len(codes) < size:
            values = draw_sgic(rng)
            code = canonical_code((values[0], str(values[1]), values[2], str(values[3])))
            if code in codes:
                continue
            codes.add(code)
            style = str(rng.choice(styles, p=style_p))
            person = Person(pid=len(people), cohort=c, sgic=values, month_style=style)
            add_contact(person, spec, spec.cohorts[c], used_emails, rng)
            people.append(person)
    return people


def ascii_name(text: str) -> str:
    """Lower-case ASCII form of a name for an e-mail address ("Siân O'Neill" -> "sianoneill")."""
    table = str.maketrans("âáéíóú", "aaeiou")
    return re.sub(r"[^a-z]", "", text.lower().translate(table))


def add_contact(
    person: Person,
    spec: ProgrammeSpec,
    cohort: CohortSpec,
    used: set[str],
    rng: np.random.Generator,
) -> None:
    """Invent a name, e-mail and reference; e-mail addresses are unique and at example domains."""
    person.first = str(rng.choice(FIRST_NAMES))
    person.last = str(rng.choice(LAST_NAMES))
    venue = re.sub(r"[^a-z]+", "-", cohort.venue.lower()).strip("-")
    if spec.export == "google_forms":
        local = f"{person.first[0]}{person.last}{int(rng.integers(10, 99))}"
        domain = f"{venue}.example.org"
    elif spec.id == "workplace":
        local = f"{person.first}.{person.last}"
        domain = f"{venue}.example.com"
    else:
        local = f"{person.first}{person.last}{int(rng.integers(1, 999))}"
        domain = spec.email_domain
    base = ascii_name(local) if spec.export == "google_forms" else local
    base = ".".join(ascii_name(part) for part in base.split("."))
    email, n = f"{base}@{domain}", 1
    while email in used:
        n += 1
        email = f"{base}{n}@{domain}"
    used.add(email)
    person.email = email
    if spec.export == "qualtrics" and rng.random() < spec.email_share:
        person.channel = "email"
        person.reference = f"{'E' if spec.id == 'workplace' else 'M'}{100000 + 7 * person.pid:06d}"


def pick(rng: np.random.Generator, rows: Sequence[Row], n: int) -> list[Row]:
    """n distinct rows, in their original order."""
    n = min(n, len(rows))
    chosen = sorted(rng.choice(len(rows), size=n, replace=False).tolist()) if n else []
    return [rows[i] for i in chosen]


def count_between(rng: np.random.Generator, bounds: tuple[int, int]) -> int:
    """An integer in the inclusive range `bounds`."""
    return int(rng.integers(bounds[0], bounds[1] + 1))


def session_times(
    spec: ProgrammeSpec, cohort: CohortSpec, wave: str, rng: np.random.Generator
) -> dt.datetime:
    """When a participant starts the survey of `wave` (follow-ups about 13 weeks later)."""
    start = dt.datetime.combine(cohort.date, cohort.start)
    if wave == BASELINE:
        return start + dt.timedelta(minutes=float(rng.uniform(-10, 8)))
    if wave == POST:
        return start + dt.timedelta(minutes=spec.session_minutes + float(rng.uniform(0, 12)))
    day = cohort.date + dt.timedelta(days=90 + int(rng.integers(-14, 15)))
    return dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(
        minutes=float(rng.uniform(0, 14 * 60))
    )


def school_followup_day(cohort: CohortSpec, rng: np.random.Generator) -> dt.date:
    """A school re-surveys a whole class in one lesson, 11 to 15 weeks after the session."""
    return cohort.date + dt.timedelta(weeks=13 + int(rng.integers(-2, 3)))


def plan_rows(
    spec: ProgrammeSpec,
    people: list[Person],
    general: np.ndarray,
    instruments: dict[str, Instrument],
    rng: np.random.Generator,
) -> list[Row]:
    """Every export row of a programme, with its timing, SGIC as typed and its planned defect."""
    rows: list[Row] = []
    followup_days = {c: school_followup_day(co, rng) for c, co in enumerate(spec.cohorts)}

    def add(person: Person | None, cohort: int, wave: str, kind: str = "response") -> Row:
        row = Row(
            rid=len(rows),
            person=None if person is None else person.pid,
            cohort=cohort,
            wave=wave,
            kind=kind,
        )
        rows.append(row)
        return row

    for person in people:
        keep_followup = 1 - spec.followup_attrition + 0.08 * general[person.pid]
        waves = [BASELINE]
        if rng.random() >= spec.post_attrition:
            waves.append(POST)
        if rng.random() < keep_followup:
            waves.append(FOLLOWUP)
        for wave in waves:
            row = add(person, person.cohort, wave)
            cohort = spec.cohorts[person.cohort]
            if wave == FOLLOWUP and spec.export == "google_forms":
                lesson = dt.datetime.combine(followup_days[person.cohort], cohort.start)
                row.started = lesson + dt.timedelta(minutes=float(rng.uniform(0, 10)))
            else:
                row.started = session_times(spec, cohort, wave, rng)
            row.submitted = row.started + dt.timedelta(
                seconds=float(rng.lognormal(np.log(spec.typing_minutes * 60), 0.35))
            )
    plan_mess(spec, people, rows, add, instruments, rng)
    taken = [{true_code(p) for p in people if p.cohort == c} for c in range(len(spec.cohorts))]
    for row in sorted(rows, key=lambda r: r.twin_of is not None):  # twins after their originals
        finish_sgic(row, rows, people, taken, rng)
    return rows


def plan_mess(
    spec: ProgrammeSpec,
    people: list[Person],
    rows: list[Row],
    add: Callable[..., Row],
    instruments: dict[str, Instrument],
    rng: np.random.Generator,
) -> None:
    """Turn some rows into defects (one per row) and add previews and duplicate submissions."""
    items = [(ins, item.id) for ins in map(instruments.get, spec.instruments) for item in ins.items]
    qualtrics = spec.export == "qualtrics"
    for wave in WAVES:
        clean = [r for r in rows if r.wave == wave and r.kind == "response"]
        if qualtrics:
            for row in pick(rng, clean, round(INCOMPLETE_RATE * len(clean))):
                row.kind = "incomplete"
                row.progress = int(rng.choice([12, 24, 35, 47, 59, 71, 82, 94]))
                row.submitted = row.started + dt.timedelta(weeks=1)
        clean = [r for r in clean if r.kind == "response"]
        bounds = OUT_OF_RANGE if qualtrics else UNKNOWN_LABEL
        for row in pick(rng, clean, count_between(rng, bounds)):
            instrument, item_id = items[int(rng.integers(len(items)))]
            row.bad_item = item_id
            row.kind = "out_of_range" if qualtrics else "unknown_label"
            row.bad_value = bad_answer(instrument, qualtrics, rng)
        clean = [r for r in clean if r.kind == "response"]
        if wave == BASELINE and spec.unknown_cohort:
            pick(rng, clean, 1)[0].kind = "unknown_cohort"
            clean = [r for r in clean if r.kind == "response"]
        for row in pick(rng, clean, max(1, round(DUPLICATE_RATE * len(clean)))):
            twin = add(people[row.person], row.cohort, wave, "duplicate")
            twin.twin_of = row.rid
            twin.submitted = row.submitted - dt.timedelta(minutes=float(rng.uniform(2, 40)))
            twin.started = twin.submitted - (row.submitted - row.started)
        if wave != BASELINE:
            for row in pick(rng, clean, round(TYPO_RATE * len(clean))):
                row.typo = True
        if qualtrics:
            first = min(r.started for r in rows if r.wave == wave)
            for _ in range(count_between(rng, PREVIEWS)):
                c = int(rng.integers(len(spec.cohorts)))
                preview = add(None, c, wave, "preview")
                day = spec.cohorts[c].date if wave != FOLLOWUP else first.date()
                preview.started = dt.datetime.combine(
                    day - dt.timedelta(days=int(rng.integers(1, 7))), dt.time(9)
                ) + dt.timedelta(minutes=float(rng.uniform(0, 480)))
                preview.submitted = preview.started + dt.timedelta(
                    seconds=float(rng.uniform(60, 200))
                )
        else:
            for row in clean:
                skip_items(row, spec, instruments, rng)


def bad_answer(instrument: Instrument, codes: bool, rng: np.random.Generator) -> str:
    """A value the instrument does not allow: a code outside min..max (6, 0 or 99 in a 1-5
    item), or an answer label edited mid-programme ("Agree strongly" for "Strongly agree")."""
    rs = instrument.response_scale
    if codes:
        return str([rs.max + 1, rs.min - 1, 99][int(rng.integers(3))])
    top = rs.labels[rs.max]
    candidates = [
        " ".join(reversed(top.split())).capitalize(),
        re.sub(r"(?i)strongly", "completely", top),
        f"{top} (edited)",
    ]
    valid = rs.label_codes()
    return next(c for c in candidates if normalise_label(c) not in valid)


def skip_items(
    row: Row, spec: ProgrammeSpec, instruments: dict[str, Instrument], rng: np.random.Generator
) -> None:
    """Google Forms: some pupils leave a grid row, or a whole grid, blank (allowed)."""
    u = rng.random()
    if u < SKIP_GRID_RATE:
        instrument = instruments[spec.instruments[int(rng.integers(len(spec.instruments)))]]
        row.skipped = frozenset(instrument.item_ids)
    elif u < SKIP_GRID_RATE + SKIP_ONE_RATE:
        all_items = [i for name in spec.instruments for i in instruments[name].item_ids]
        row.skipped = frozenset({all_items[int(rng.integers(len(all_items)))]})


def finish_sgic(
    row: Row,
    rows: list[Row],
    people: list[Person],
    taken: list[set[str]],
    rng: np.random.Generator,
) -> None:
    """Type the row's SGIC answers: harmless variations, or a typo that breaks linkage.

    A duplicate submission repeats its original's answers (typo included), perhaps typed a
    little differently, so it normalises to the same code.
    """
    style = "number"
    if row.twin_of is not None:
        values, style = rows[row.twin_of].values, people[row.person].month_style
    elif row.person is None:
        values = draw_sgic(rng)
    else:
        person = people[row.person]
        values, style = person.sgic, person.month_style
        if row.typo:
            values = unique_typo(person, taken[person.cohort], rng)
    row.values = values
    variant = int(rng.integers(4)) if rng.random() < VARIANT_RATE else None
    row.sgic = typed_sgic(values, style, variant, rng)


def true_code(person: Person) -> str:
    """The normalised code of a person's true SGIC answers."""
    values = person.sgic
    return canonical_code((values[0], str(values[1]), values[2], str(values[3])))


def unique_typo(
    person: Person, taken: set[str], rng: np.random.Generator
) -> tuple[str, int, str, int]:
    """A typo'd SGIC that is nobody's code in the cohort (true or typo'd), so it can neither
    link to a stranger nor look like a stranger's duplicate submission. Adds it to `taken`."""
    while True:
        values = typo_sgic(person.sgic, rng)
        code = canonical_code((values[0], str(values[1]), values[2], str(values[3])))
        if code not in taken:
            taken.add(code)
            return values


# ---------------------------------------------------------------------------------------------
# Latent model and answers
# ---------------------------------------------------------------------------------------------


def leaf_scales(instrument: Instrument) -> list[Scale]:
    """Scales that contain no other scale (GBS subscales, not its total). Each gets a dimension."""
    sets = {s.id: set(s.items) for s in instrument.scales}
    return [
        s
        for s in instrument.scales
        if not any(o < sets[s.id] for k, o in sets.items() if k != s.id)
    ]


@dataclass
class Model:
    """A programme's latent answers before the wave shifts: one row per export row.

    `base[r, j]` is the latent position of row r on item j, and `dim[j]` the dimension (leaf
    scale) whose wave shift moves item j. Codes are the count of cut points below base + shift.
    """

    items: list[tuple[Instrument, str]]
    dims: list[tuple[str, str]]
    dim: np.ndarray
    base: np.ndarray
    cuts: list[np.ndarray]
    wave: np.ndarray
    reverse: np.ndarray
    blank: np.ndarray | None = None
    fixed: np.ndarray | None = None
    shifts: dict[tuple[int, str], float] = field(default_factory=dict)


def build_model(
    spec: ProgrammeSpec,
    instruments: dict[str, Instrument],
    people: list[Person],
    rows: list[Row],
    general: np.ndarray,
    rng: np.random.Generator,
) -> Model:
    """Draw every random part of the latent answers once, so calibration only moves shifts."""
    items, dims, dim_of_item, location, cuts, item_sd = [], [], [], [], [], []
    for name in spec.instruments:
        instrument = instruments[name]
        leaves = leaf_scales(instrument)
        first = len(dims)
        dims += [(name, s.id) for s in leaves]
        k = instrument.response_scale.max - instrument.response_scale.min + 1
        cut = -LATENT_SPAN / 2 + LATENT_SPAN * np.arange(1, k) / k
        for item in instrument.items:
            owner = next((n for n, s in enumerate(leaves) if item.id in s.items), 0)
            items.append((instrument, item.id))
            dim_of_item.append(first + owner)
            location.append(LATENT_SPAN * (spec.location[name] - 0.5))
            cuts.append(cut)
            item_sd.append(SD_ITEM * min(1.0, np.sqrt(len(leaves[owner].items) / 6)))
    n_p, n_d, n_r, n_i = len(people), len(dims), len(rows), len(items)
    dim = np.array(dim_of_item)
    trait = SD_TRAIT * (
        np.sqrt(TRAIT_SHARED) * general[:, None]
        + np.sqrt(1 - TRAIT_SHARED) * rng.standard_normal((n_p, n_d))
    )
    response = SD_RESPONSE * (
        np.sqrt(RESPONSE_SHARED) * rng.standard_normal((n_p, 1))
        + np.sqrt(1 - RESPONSE_SHARED) * rng.standard_normal((n_p, n_d))
    )
    state = SD_STATE * (
        np.sqrt(STATE_SHARED) * rng.standard_normal((n_r, 1))
        + np.sqrt(1 - STATE_SHARED) * rng.standard_normal((n_r, n_d))
    )
    drift = SD_DRIFT * (
        np.sqrt(STATE_SHARED) * rng.standard_normal((n_r, 1))
        + np.sqrt(1 - STATE_SHARED) * rng.standard_normal((n_r, n_d))
    )
    later = np.array([r.wave == FOLLOWUP for r in rows])[:, None]
    state = state + later * drift
    difficulty = SD_DIFFICULTY * rng.standard_normal(n_i)
    noise = np.array(item_sd) * rng.standard_normal((n_r, n_i))
    person = np.array([-1 if r.person is None else r.person for r in rows])
    has = person >= 0
    idx = np.where(has, person, 0)
    after = np.array([r.wave != BASELINE for r in rows])
    level = np.where(has[:, None], trait[idx] + after[:, None] * response[idx], 0.0)
    base = np.array(location) + difficulty + level[:, dim] + state[:, dim] + noise
    reverse = np.array([next(i.reverse for i in ins.items if i.id == item) for ins, item in items])
    return Model(items, dims, dim, base, cuts, np.array([r.wave for r in rows]), reverse)


def item_codes(model: Model, rids: np.ndarray, shifts: dict[tuple[int, str], float]) -> np.ndarray:
    """Observed codes (reverse keys applied) of rows `rids` on every item, given wave shifts."""
    waves = model.wave[rids]
    shift = np.zeros((len(rids), len(model.items)))
    for (d, wave), value in shifts.items():
        shift[np.ix_(waves == wave, model.dim == d)] = value
    latent = model.base[rids] + shift
    codes = np.empty(latent.shape, dtype=int)
    for j, (instrument, _) in enumerate(model.items):
        rs = instrument.response_scale
        positive = rs.min + (latent[:, j, None] > model.cuts[j]).sum(axis=1)
        codes[:, j] = rs.min + rs.max - positive if model.reverse[j] else positive
    return codes


def answered_codes(
    model: Model, rows: list[Row], rids: np.ndarray, shifts: dict[tuple[int, str], float]
) -> np.ndarray:
    """Codes as the pipeline will score them: skipped items blank, "Don't know" as its alias."""
    if model.blank is None or model.fixed is None:
        model.blank, model.fixed = answer_masks(model, rows)
    codes = item_codes(model, rids, shifts).astype(float)
    fixed = model.fixed[rids]
    codes = np.where(np.isnan(fixed), codes, fixed)
    return np.where(model.blank[rids], np.nan, codes)


def answer_masks(model: Model, rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    """Which answers are blank (skipped, or after an incomplete response's progress), and the
    code of each "Don't know" answer (NaN elsewhere)."""
    blank = np.zeros(model.base.shape, dtype=bool)
    fixed = np.full(model.base.shape, np.nan)
    for row in rows:
        for j, (instrument, item_id) in enumerate(model.items):
            if item_id in row.skipped or hidden_by_progress(row, j, len(model.items)):
                blank[row.rid, j] = True
            elif item_id in row.dont_know:
                fixed[row.rid, j] = dont_know(instrument)[1]  # type: ignore[index]
    return blank, fixed


def hidden_by_progress(row: Row, position: int, n_items: int) -> bool:
    """An incomplete response has answers only up to its progress."""
    return row.kind == "incomplete" and position >= int(n_items * row.progress / 100)


def dont_know(instrument: Instrument) -> tuple[str, int] | None:
    """The instrument's "Don't know" answer and the code it is scored as (MAKS and RIBS score
    it as 3), or None when the scale has no such option or scores it as missing."""
    option = instrument.response_scale.dont_know
    if option is None or option.score_as is None:
        return None
    return option.labels[0], option.score_as


def label_and_dont_know_codes(instrument: Instrument) -> dict[str, int]:
    """Normalised label -> code, the "Don't know" option included (as the pipeline scores it)."""
    codes = dict(instrument.response_scale.label_codes())
    option = dont_know(instrument)
    if option:
        codes[normalise_label(option[0])] = option[1]
    return codes


def plan_dont_know(
    spec: ProgrammeSpec, model: Model, rows: list[Row], rng: np.random.Generator
) -> None:
    """Labels exports: where the grid offers "Don't know", some answers are "Don't know"."""
    if spec.export != "google_forms":
        return
    offered = [j for j, (ins, _) in enumerate(model.items) if dont_know(ins)]
    draws = rng.random((len(rows), len(offered)))
    for row in rows:
        chosen = draws[row.rid] < DONT_KNOW_RATE[row.wave]
        row.dont_know = frozenset(
            model.items[j][1] for j, hit in zip(offered, chosen, strict=True) if hit
        )


# ---------------------------------------------------------------------------------------------
# Scoring and effect sizes (the pipeline's scoring rules, read from the instrument)
# ---------------------------------------------------------------------------------------------


def score_scale(codes: np.ndarray, instrument: Instrument, scale: Scale) -> np.ndarray:
    """Scale scores of raw codes (rows x scale items, NaN = blank): reverse keys, rescaling,
    the missing-item rule, then a mean or a prorated sum. NaN where too few items answered."""
    rs = instrument.response_scale
    reverse = np.array(
        [next(i.reverse for i in instrument.items if i.id == s) for s in scale.items]
    )
    keyed = np.where(reverse, rs.min + rs.max - codes, codes)
    if rs.score_range:
        low, high = rs.score_range
        keyed = low + (keyed - rs.min) * (high - low) / (rs.max - rs.min)
    answered = (~np.isnan(keyed)).sum(axis=1)
    mean = np.nansum(keyed, axis=1) / np.maximum(answered, 1)
    value = mean if scale.aggregation == "mean" else mean * len(scale.items)
    return np.where(answered >= scale.min_items, value, np.nan)


def dz_of(pre: np.ndarray, post: np.ndarray) -> float:
    """Paired d_z of complete pairs: mean(change) / SD(change)."""
    change = (post - pre)[~np.isnan(pre) & ~np.isnan(post)]
    return float(change.mean() / change.std(ddof=1))


def paired_stats(pre: np.ndarray, post: np.ndarray) -> dict[str, float]:
    """d_z = mean(change) / SD(change), the pre-post correlation, n and means of complete pairs."""
    ok = ~np.isnan(pre) & ~np.isnan(post)
    a, b = pre[ok], post[ok]
    change = b - a
    return {
        "n_pairs": int(ok.sum()),
        "dz": float(change.mean() / change.std(ddof=1)),
        "r": float(np.corrcoef(a, b)[0, 1]),
        "mean_pre": float(a.mean()),
        "mean_wave": float(b.mean()),
        "mean_change": float(change.mean()),
        "sd_pre": float(a.std(ddof=1)),
        "sd_wave": float(b.std(ddof=1)),
        "sd_change": float(change.std(ddof=1)),
    }


def columns_of(model: Model, scale: Scale) -> list[int]:
    """Positions in `model.items` of a scale's items."""
    ids = [item_id for _, item_id in model.items]
    return [ids.index(item_id) for item_id in scale.items]


def calibrate(
    spec: ProgrammeSpec,
    model: Model,
    rows: list[Row],
    pairs: dict[str, list[tuple[int, int]]],
    instruments: dict[str, Instrument],
) -> dict[tuple[str, str, str], dict[str, float]]:
    """Bisect each dimension's wave shift so the linked pairs' d_z hits its target.

    Returns the in-memory realised statistics of every scale and comparison.
    """
    shifts = {(d, w): 0.0 for d in range(len(model.dims)) for w in (POST, FOLLOWUP)}
    realised = {}
    for wave in (POST, FOLLOWUP):
        pre_ids = np.array([a for a, _ in pairs[wave]])
        wave_ids = np.array([b for _, b in pairs[wave]])
        pre_codes = answered_codes(model, rows, pre_ids, shifts)
        for d, (name, scale_id) in enumerate(model.dims):
            instrument = instruments[name]
            scale = next(s for s in instrument.scales if s.id == scale_id)
            cols = columns_of(model, scale)
            pre = score_scale(pre_codes[:, cols], instrument, scale)
            target = target_of(spec, name, scale_id, wave)

            def gap(
                shift: float,
                key=(d, wave),
                cols=cols,
                ins=instrument,
                scale=scale,
                pre=pre,
                ids=wave_ids,
                target=target,
            ) -> float:
                codes = answered_codes(model, rows, ids, {**shifts, key: shift})[:, cols]
                return dz_of(pre, score_scale(codes, ins, scale)) - target

            shifts[(d, wave)] = bisect(gap)
        wave_codes = answered_codes(model, rows, wave_ids, shifts)
        for name in spec.instruments:
            instrument = instruments[name]
            for scale in instrument.scales:
                cols = columns_of(model, scale)
                realised[(name, scale.id, wave)] = paired_stats(
                    score_scale(pre_codes[:, cols], instrument, scale),
                    score_scale(wave_codes[:, cols], instrument, scale),
                )
    model.shifts = shifts
    return realised


def bisect(f: Callable[[float], float], low: float = -4.0, high: float = 4.0) -> float:
    """The root of a non-decreasing step function on [low, high] (to 1e-6)."""
    if f(low) > 0 or f(high) < 0:
        raise ValueError("target d_z out of reach of the latent model")
    while high - low > 1e-6:
        mid = (low + high) / 2
        low, high = (mid, high) if f(mid) < 0 else (low, mid)
    return (low + high) / 2


def target_of(spec: ProgrammeSpec, instrument: str, scale: str, wave: str) -> float:
    """The d_z target of a scale and comparison; a clear error if the instruments changed."""
    try:
        post, followup = spec.targets[instrument][scale]
    except KeyError:
        raise SystemExit(
            f"generate.py: no d_z target for {spec.id} / {instrument}.{scale}; the instrument "
            "files define scales the generator does not know: add targets to PROGRAMMES"
        ) from None
    return post if wave == POST else followup


# ---------------------------------------------------------------------------------------------
# Rendering the exports
# ---------------------------------------------------------------------------------------------


def survey_name(spec: ProgrammeSpec) -> str:
    """Name of the programme's survey mapping in ripple.yml."""
    return f"{spec.id}_{spec.export}"


def export_path(spec: ProgrammeSpec, wave: str) -> str:
    """Path of an export, relative to the sample folder."""
    return f"{EXPORTS}/{spec.id}_{wave}.csv"


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


def qualtrics_columns(
    spec: ProgrammeSpec, instruments: dict[str, Instrument]
) -> list[tuple[str, str, str]]:
    """(column name, question text, ImportId) of a Qualtrics export, in export order."""
    columns = list(QUALTRICS_META)
    for n, (_, _, text) in enumerate(SGIC, start=1):
        columns.append((f"Q{n}", text, f"QID{n}_TEXT"))
    for block, name in enumerate(spec.instruments, start=len(SGIC) + 1):
        if block >= COMMENT_QID:
            raise ValueError("too many instruments for the question numbering")
        instrument = instruments[name]
        for k in range(len(instrument.items)):
            text = (
                f"Section {block - len(SGIC)}. {prompt_of(instrument)} - {item_text(instrument, k)}"
            )
            columns.append((f"Q{block}_{k + 1}", text, f"QID{block}_{k + 1}"))
    columns.append((f"Q{COMMENT_QID}", QUALTRICS_COMMENT, f"QID{COMMENT_QID}_TEXT"))
    columns.append((COHORT_FIELD, COHORT_FIELD, COHORT_FIELD))
    return columns


def forms_columns(spec: ProgrammeSpec, instruments: dict[str, Instrument]) -> list[str]:
    """Header of a Google Forms export: Timestamp, e-mail, then question text per column."""
    header = ["Timestamp", "Email Address", FORMS_SESSION, *(text for _, _, text in SGIC)]
    for part, name in enumerate(spec.instruments, start=1):
        instrument = instruments[name]
        for k in range(len(instrument.items)):
            header.append(f"Part {part}: {prompt_of(instrument)} [{item_text(instrument, k)}]")
    header.append(FORMS_COMMENT)
    return header


def item_keys(spec: ProgrammeSpec, instruments: dict[str, Instrument]) -> dict[str, str]:
    """Column key (ImportId or header) -> item id, the `items` mapping of ripple.yml."""
    if spec.export == "qualtrics":
        cols = [c for c in qualtrics_columns(spec, instruments) if re.fullmatch(r"Q\d+_\d+", c[0])]
        keys = [import_id for _, _, import_id in cols]
    else:
        keys = [h for h in forms_columns(spec, instruments) if h.startswith("Part ")]
    ids = [i for name in spec.instruments for i in instruments[name].item_ids]
    return dict(zip(keys, ids, strict=True))


def forms_time(moment: dt.datetime) -> str:
    """Google Forms' US-locale timestamp: `1/14/2025 9:03:45`."""
    return f"{moment.month}/{moment.day}/{moment.year} {moment.hour}:{moment:%M:%S}"


def comment_for(
    spec: ProgrammeSpec, row: Row, people: list[Person], rng: np.random.Generator
) -> str:
    """A free-text comment (most rows have none); some name a facilitator, e-mail or phone."""
    if row.person is None or row.kind == "incomplete" or rng.random() >= COMMENT_RATE[row.wave]:
        return ""
    options = COMMENTS[spec.id][row.wave]
    text = options[int(rng.integers(len(options)))]
    return text.format(
        email=people[row.person].email,
        facilitator=FACILITATORS[int(rng.integers(len(FACILITATORS)))],
        phone=f"07700 900{int(rng.integers(0, 1000)):03d}",
    )


def fake_network(
    spec: ProgrammeSpec, rows: list[Row], seen: set[str], rng: np.random.Generator
) -> None:
    """Qualtrics ResponseIds, IP addresses (documentation ranges only) and IP geolocations,
    unique per response across the sample (`seen` holds the values already used)."""
    alphabet = np.array(list(string.ascii_letters + string.digits))
    ipv4 = [f"{block}.{host}" for block in spec.ipv4_blocks for host in range(1, 255)]
    pool = iter(rng.permutation(ipv4).tolist())
    for row in rows:
        while not row.response_id or row.response_id in seen:
            row.response_id = "R_" + "".join(rng.choice(alphabet, 15))
        seen.add(row.response_id)
        use_v4 = rng.random() < 0.28
        row.ip = next(pool, "") if use_v4 else ""
        while not row.ip or row.ip in seen:
            groups = rng.integers(0, 65536, size=5)
            row.ip = f"{spec.ipv6_prefix}:" + ":".join(f"{g:x}" for g in groups)
        seen.add(row.ip)
        _, lat, lon = SITES[spec.cohorts[row.cohort].site]
        while not row.latitude or {row.latitude, row.longitude} & seen:
            row.latitude = f"{float(np.float32(lat + rng.uniform(-0.09, 0.09))):.14g}"
            row.longitude = f"{float(np.float32(lon + rng.uniform(-0.12, 0.12))):.14g}"
        seen.update((row.latitude, row.longitude))


def answer_cells(
    model: Model, rows: list[Row], codes: np.ndarray, as_labels: bool
) -> list[list[str]]:
    """Item cells of every row: codes or labels, blanks, "Don't know", the planned bad value."""
    cells = []
    for row in rows:
        line = []
        for j, (instrument, item_id) in enumerate(model.items):
            code = int(codes[row.rid, j])
            rs = instrument.response_scale
            if item_id == row.bad_item:
                value = row.bad_value
            elif item_id in row.skipped or hidden_by_progress(row, j, len(model.items)):
                value = ""
            elif item_id in row.dont_know:
                value = dont_know(instrument)[0]  # type: ignore[index]
            else:
                value = rs.labels[code] if as_labels else str(code)
            line.append(value)
        cells.append(line)
    return cells


def cohort_cell(spec: ProgrammeSpec, row: Row) -> str:
    """The cohort answer: an embedded-data id (Qualtrics) or the session label (Forms)."""
    if row.kind == "unknown_cohort":
        return spec.unknown_cohort or ""
    cohort = spec.cohorts[row.cohort]
    return cohort_label(cohort) if spec.export == "google_forms" else cohort_id(spec, cohort)


def render_export(
    spec: ProgrammeSpec,
    wave: str,
    instruments: dict[str, Instrument],
    model: Model,
    rows: list[Row],
    people: list[Person],
    codes: np.ndarray,
) -> tuple[bytes, list[Row]]:
    """The bytes of one export file and its rows in file order (by submission time)."""
    ordered = sorted((r for r in rows if r.wave == wave), key=lambda r: (r.submitted, r.rid))
    answers = answer_cells(model, ordered, codes, spec.export == "google_forms")
    buffer = io.StringIO(newline="")
    if spec.export == "qualtrics":
        writer = csv.writer(buffer, lineterminator="\n")
        columns = qualtrics_columns(spec, instruments)
        writer.writerow([c[0] for c in columns])
        writer.writerow([c[1] for c in columns])
        writer.writerow([json.dumps({"ImportId": c[2]}, separators=(",", ":")) for c in columns])
        for row, cells in zip(ordered, answers, strict=True):
            writer.writerow(
                qualtrics_row(spec, row, people)
                + row.sgic
                + tuple(cells)
                + (row.comment, cohort_cell(spec, row))
            )
    else:
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(forms_columns(spec, instruments))
        for row, cells in zip(ordered, answers, strict=True):
            person = people[row.person] if row.person is not None else None
            writer.writerow(
                [
                    forms_time(row.submitted),
                    person.email if person else "",
                    cohort_cell(spec, row),
                    *row.sgic,
                    *cells,
                    row.comment,
                ]
            )
    return buffer.getvalue().encode("utf-8"), ordered


def qualtrics_row(spec: ProgrammeSpec, row: Row, people: list[Person]) -> tuple[str, ...]:
    """The 17 metadata cells of a Qualtrics response."""
    person = people[row.person] if row.person is not None else None
    preview = row.kind == "preview"
    contact = person is not None and person.channel == "email" and not preview
    channel = "preview" if preview else (person.channel if person else "anonymous")
    finished = row.kind != "incomplete"
    return (
        f"{row.started:{QUALTRICS_TIME}}",
        f"{row.submitted:{QUALTRICS_TIME}}",
        "1" if preview else "0",
        row.ip,
        str(row.progress),
        str(round((row.submitted - row.started).total_seconds())),
        "1" if finished else "0",
        f"{row.submitted:{QUALTRICS_TIME}}",
        row.response_id,
        person.last if contact else "",
        person.first if contact else "",
        person.email if contact else "",
        person.reference if contact else "",
        row.latitude,
        row.longitude,
        channel,
        "EN-GB",
    )


# ---------------------------------------------------------------------------------------------
# The project config
# ---------------------------------------------------------------------------------------------


def config_dict(instruments: dict[str, Instrument]) -> dict:
    """ripple.yml as a mapping: waves, programmes with cohorts, survey mappings, sources."""
    programmes, surveys, sources = [], {}, []
    for spec in PROGRAMMES:
        cohorts = []
        for cohort in spec.cohorts:
            entry = {"id": cohort_id(spec, cohort), "site": cohort.site, "date": cohort.date}
            if spec.export == "google_forms":
                entry["labels"] = [cohort_label(cohort)]
            cohorts.append(entry)
        programmes.append(
            {
                "id": spec.id,
                "name": spec.name,
                "approach": spec.approach,
                "audience": spec.audience,
                "instruments": list(spec.instruments),
                "cohorts": cohorts,
            }
        )
        surveys[survey_name(spec)] = survey_mapping(spec, instruments)
        for wave in WAVES:
            sources.append(
                {
                    "path": export_path(spec, wave),
                    "survey": survey_name(spec),
                    "programme": spec.id,
                    "wave": wave,
                }
            )
    return {
        "project": "Ripple sample data (fictional programmes, generated by generate.py)",
        "instruments_dir": "../../instruments",
        "out_dir": "../../out/sample",
        "min_cell_size": 10,
        "waves": [{"id": w, "label": label} for w, label in WAVES.items()],
        "quality": {"exclude_unfinished": True, "min_progress": 100},
        "programmes": programmes,
        "surveys": surveys,
        "sources": sources,
    }


def survey_mapping(spec: ProgrammeSpec, instruments: dict[str, Instrument]) -> dict:
    """The `surveys.<name>` entry: stable column keys for ids, times, cohort, SGIC and items."""
    if spec.export == "qualtrics":
        sgic_cols = [f"QID{n}_TEXT" for n in range(1, len(SGIC) + 1)]
        head = {
            "format": "qualtrics",
            "values": "codes",
            "response_id": "_recordId",
            "submitted_at": "recordedDate",
            "timestamp_format": QUALTRICS_TIME,
            "cohort": COHORT_FIELD,
        }
    else:
        sgic_cols = [text for _, _, text in SGIC]
        head = {
            "format": "google_forms",
            "values": "labels",
            "submitted_at": "Timestamp",
            "timestamp_format": FORMS_TIME,
            "cohort": FORMS_SESSION,
        }
    sgic = [
        {"column": col, "name": name, "kind": kind}
        for col, (name, kind, _) in zip(sgic_cols, SGIC, strict=True)
    ]
    return {**head, "sgic": sgic, "items": item_keys(spec, instruments)}


def config_text(instruments: dict[str, Instrument]) -> str:
    """ripple.yml, with a header saying where it came from."""
    body = yaml.safe_dump(config_dict(instruments), sort_keys=False, allow_unicode=True, width=100)
    return (
        "# Ripple's sample project: three fictional programmes, nine exports.\n"
        "# Generated by data/sample/generate.py (`make sample`); edit the generator, not this.\n"
        + body
    )


# ---------------------------------------------------------------------------------------------
# Reading exports back and applying the pipeline's rules
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What the pipeline does with one data row, and what it keeps of a loaded one."""

    status: str
    reason: str | None = None
    cohort: str | None = None
    code: str | None = None
    submitted: dt.datetime | None = None
    codes: tuple[float, ...] = ()
    variants: tuple[tuple[int, str], ...] = ()  # leave-one-element-out variants (pipeline.sgic)


def parse_export(data: bytes, fmt: str) -> list[dict[str, str]]:
    """Data rows keyed by stable column key: Qualtrics ImportId (row 3) or the header text."""
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if fmt == "qualtrics":
        keys, body = [json.loads(cell)["ImportId"] for cell in table[2]], table[3:]
    else:
        keys, body = table[0], table[1:]
    return [dict(zip(keys, line, strict=True)) for line in body]


def first_rules(record: dict[str, str], fmt: str, quality: Quality) -> str | None:
    """Rules 1-2: previews, tests and spam, then unfinished responses (Qualtrics only)."""
    if fmt != "qualtrics":
        return None
    status = record.get("status", "").strip()
    if status == "1" or record.get("distributionChannel", "").strip() == "preview":
        return "preview"
    if status in ("2", "8"):
        return {"2": "test", "8": "spam"}[status]
    progress = record.get("progress", "").strip()
    unfinished = quality.exclude_unfinished and record.get("finished", "").strip() == "0"
    if unfinished or (progress.isdigit() and int(progress) < quality.min_progress):
        return "incomplete"
    return None


def validate(
    record: dict[str, str],
    survey: Survey,
    cohorts: dict[str, str],
    scales: dict[str, Instrument],
    label_maps: dict[str, dict[str, int]],
) -> tuple[str | None, str | None, dt.datetime | None, tuple[float, ...]]:
    """Rule 4: the quarantine reason (or None), cohort id, submission time and item codes."""
    value = record[survey.cohort_rule.column].strip()
    cohort = cohorts.get(value)
    reason = None if cohort else ("unknown_cohort" if value else "missing_cohort")
    try:
        submitted = dt.datetime.strptime(
            record[survey.submitted_at].strip(), survey.timestamp_format
        )
    except ValueError:
        submitted, reason = None, reason or "invalid_timestamp"
    codes = []
    for column, item_id in survey.items.items():
        rs = scales[item_id].response_scale
        text = record[column].strip()
        if not text:
            codes.append(np.nan)
        elif survey.values == "codes":
            ok = re.fullmatch(r"-?\d+", text) and rs.min <= int(text) <= rs.max
            codes.append(float(text) if ok else np.nan)
            reason = reason or (None if ok else "out_of_range")
        else:
            code = label_maps[item_id].get(normalise_label(text))
            codes.append(np.nan if code is None else float(code))
            reason = reason or (None if code is not None else "unknown_label")
    return reason, cohort, submitted, tuple(codes)


def classify(
    records: list[dict[str, str]],
    survey: Survey,
    programme: Programme,
    instruments: dict[str, Instrument],
    quality: Quality,
) -> list[Outcome]:
    """Apply the pipeline's five rules in order; every row gets exactly one outcome."""
    cohorts = {c.id: c.id for c in programme.cohorts}
    cohorts.update({label: c.id for c in programme.cohorts for label in c.labels})
    owner = {i: ins for ins in instruments.values() for i in ins.item_ids}
    label_maps = {i: label_and_dont_know_codes(ins) for i, ins in owner.items()}
    outcomes: list[Outcome | None] = [None] * len(records)
    last_seen = {}
    if survey.response_id:
        last_seen = {r[survey.response_id]: n for n, r in enumerate(records)}
    candidates = []
    for n, record in enumerate(records):
        reason = first_rules(record, survey.format, quality)
        if reason:
            outcomes[n] = Outcome("excluded", reason)
            continue
        if survey.response_id and last_seen[record[survey.response_id]] != n:
            outcomes[n] = Outcome("excluded", "duplicate_response")
            continue
        reason, cohort, submitted, codes = validate(record, survey, cohorts, owner, label_maps)
        if reason:
            outcomes[n] = Outcome("quarantined", reason)
            continue
        answers = [record[e.column] for e in survey.sgic]
        code, status = normalise_code(answers, survey.sgic)
        covariates = [record[c.column] for c in survey.sgic_covariates]
        variants = masked_codes(answers, survey.sgic, covariates, survey.sgic_covariates)
        outcomes[n] = Outcome(
            "loaded",
            None,
            cohort,
            code if status == "ok" else None,
            submitted,
            codes,
            tuple(sorted(variants.items())),
        )
        candidates.append(n)
    latest: dict[tuple[str, str], int] = {}
    for n in candidates:
        o = outcomes[n]
        if o.code is None:
            continue
        key = (o.cohort, o.code)
        if key in latest and outcomes[latest[key]].submitted == o.submitted:
            raise ValueError(f"tied submission times for {key}: the sample must avoid ties")
        if key not in latest or outcomes[latest[key]].submitted < o.submitted:
            latest[key] = n
    for n in candidates:
        o = outcomes[n]
        if o.code is not None and latest[(o.cohort, o.code)] != n:
            outcomes[n] = Outcome("excluded", "duplicate_submission")
    return outcomes  # type: ignore[return-value]


def links(outcomes: dict[str, list[Outcome]]) -> dict[str, list[tuple[int, int, str]]]:
    """Per later wave, (baseline row, wave row, match type) of every pair the pipeline's
    published linkage rules link (README "Linkage"), in baseline order. Loaded responses of
    the same cohort, one to one: first the same normalised SGIC code ("exact"); then, among
    the rows still unlinked, codes sharing exactly one leave-one-element-out variant
    ("one_element"), unless the wave row's exact code is held at another later wave by a row
    linked to another baseline row (or the baseline row is linked there to another row). At
    each stage only pairs that are each other's only candidate link."""
    pre = {n: o for n, o in enumerate(outcomes[BASELINE]) if o.status == "loaded"}
    later = {
        w: {n: o for n, o in enumerate(rows) if o.status == "loaded"}
        for w, rows in outcomes.items()
        if w != BASELINE
    }
    exact = {
        w: unique_pairs(
            {
                (a, b): 1
                for a, x in pre.items()
                for b, y in rows.items()
                if x.code and x.cohort == y.cohort and x.code == y.code
            }
        )
        for w, rows in later.items()
    }
    found = {w: [(a, b, "exact") for a, b in pairs] for w, pairs in exact.items()}
    for w, rows in later.items():
        linked_a, linked_b = {a for a, _ in exact[w]}, {b for _, b in exact[w]}
        by_variant: dict[tuple, list[int]] = {}
        for b, y in rows.items():
            if b not in linked_b:
                for variant in y.variants:
                    by_variant.setdefault((y.cohort, variant), []).append(b)
        shared: Counter = Counter()
        for a, x in pre.items():
            if a not in linked_a:
                for variant in x.variants:
                    for b in by_variant.get((x.cohort, variant), []):
                        shared[(a, b)] += 1
        found[w] += [
            (a, b, "one_element")
            for a, b in unique_pairs(shared)
            if shared[(a, b)] == 1 and not held_elsewhere(a, rows[b], w, later, exact)
        ]
    return {w: sorted(pairs) for w, pairs in found.items()}


def held_elsewhere(
    a: int,
    row: Outcome,
    wave: str,
    later: dict[str, dict[int, Outcome]],
    exact: dict[str, list[tuple[int, int]]],
) -> bool:
    """True when a row with the same code at another later wave is linked to another baseline
    row, or baseline row `a` is linked at that wave to another row: the code is someone
    else's, not a typo of `a`'s."""
    for other, rows in later.items():
        if other == wave or not row.code:
            continue
        twins = [t for t, o in rows.items() if o.cohort == row.cohort and o.code == row.code]
        for twin in twins:
            for x, t in exact[other]:
                if (x == a and t != twin) or (t == twin and x != a):
                    return True
    return False


def unique_pairs(candidates: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """Candidate pairs whose two rows have no other candidate."""
    from_a = Counter(a for a, _ in candidates)
    from_b = Counter(b for _, b in candidates)
    return [(a, b) for a, b in candidates if from_a[a] == 1 and from_b[b] == 1]


def file_counts(outcomes: list[Outcome]) -> dict:
    """The manifest's per-file counts."""

    def by_reason(status: str) -> dict[str, int]:
        return dict(sorted(Counter(o.reason for o in outcomes if o.status == status).items()))

    return {
        "rows_in": len(outcomes),
        "rows_loaded": sum(o.status == "loaded" for o in outcomes),
        "rows_excluded": by_reason("excluded"),
        "rows_quarantined": by_reason("quarantined"),
    }


# ---------------------------------------------------------------------------------------------
# Orchestration
# ---------------------------------------------------------------------------------------------


@dataclass
class Built:
    """A programme's plan, model and rendered exports."""

    spec: ProgrammeSpec
    people: list[Person]
    rows: list[Row]
    model: Model
    exports: dict[str, bytes] = field(default_factory=dict)
    order: dict[str, list[Row]] = field(default_factory=dict)
    realised: dict = field(default_factory=dict)


def build_programme(
    spec: ProgrammeSpec,
    instruments: dict[str, Instrument],
    loaded: LoadedConfig,
    seen: set[str],
    rng: np.random.Generator,
) -> Built:
    """Plan, simulate, link, calibrate and render one programme's three exports. `seen` holds
    the network identifiers other programmes already use."""
    sizes = [
        cohort.size or count_between(rng, (spec.size[0], spec.size[1] - 1))
        for cohort in spec.cohorts
    ]
    people = make_people(spec, sizes, rng)
    general = rng.standard_normal(len(people))
    rows = plan_rows(spec, people, general, instruments, rng)
    if spec.export == "qualtrics":
        fake_network(spec, rows, seen, rng)
    model = build_model(spec, instruments, people, rows, general, rng)
    plan_dont_know(spec, model, rows, rng)
    for row in rows:
        row.comment = comment_for(spec, row, people, rng)
    built = Built(spec, people, rows, model)
    outcomes = render_all(built, instruments, loaded, {})
    check_planned(built, outcomes)
    typed = links(outcomes)
    pairs = {
        w: [(built.order[BASELINE][a].rid, built.order[w][b].rid) for a, b, _ in typed[w]]
        for w in (POST, FOLLOWUP)
    }
    built.realised = calibrate(spec, model, rows, pairs, instruments)
    render_all(built, instruments, loaded, model.shifts)
    return built


def render_all(
    built: Built,
    instruments: dict[str, Instrument],
    loaded: LoadedConfig,
    shifts: dict[tuple[int, str], float],
) -> dict[str, list[Outcome]]:
    """Render the programme's exports with the given shifts and classify them."""
    codes = item_codes(built.model, np.arange(len(built.rows)), shifts)
    outcomes = {}
    for wave in WAVES:
        data, order = render_export(
            built.spec, wave, instruments, built.model, built.rows, built.people, codes
        )
        built.exports[export_path(built.spec, wave)] = data
        built.order[wave] = order
        outcomes[wave] = classify_source(loaded, export_path(built.spec, wave), data, instruments)
    return outcomes


def classify_source(
    loaded: LoadedConfig, path: str, data: bytes, instruments: dict[str, Instrument]
) -> list[Outcome]:
    """Classify the bytes of the export listed in the config at `path`."""
    config = loaded.config
    source = next(s for s in config.sources if s.path.as_posix() == path)
    survey = config.surveys[source.survey]
    records = parse_export(data, survey.format)
    return classify(
        records, survey, config.programme(source.programme), instruments, config.quality
    )


def check_planned(built: Built, outcomes: dict[str, list[Outcome]]) -> None:
    """Every row got exactly the outcome planned for it (one defect per messy row)."""
    for wave, rows in built.order.items():
        for row, outcome in zip(rows, outcomes[wave], strict=True):
            if (outcome.status, outcome.reason) != EXPECTED_OUTCOME[row.kind]:
                raise AssertionError(
                    f"{built.spec.id}/{wave} row {row.rid} ({row.kind}): pipeline rules give "
                    f"{outcome.status}/{outcome.reason}"
                )


def audit(
    out_dir: Path, instruments: dict[str, Instrument], loaded: LoadedConfig
) -> tuple[dict, dict, dict]:
    """Read the written exports back and derive the manifest's file, programme and effect parts."""
    config = loaded.config
    files, programmes, effects = {}, {}, {}
    for programme in config.programmes:
        outcomes = {}
        for source in (s for s in config.sources if s.programme == programme.id):
            path = source.path.as_posix()
            outcomes[source.wave] = classify_source(
                loaded, path, (out_dir / path).read_bytes(), instruments
            )
            files[path] = file_counts(outcomes[source.wave])
        typed = links(outcomes)
        pairs = {w: [(a, b) for a, b, _ in typed[w]] for w in (POST, FOLLOWUP)}
        programmes[programme.id] = {"pairs": pairs, "typed": typed, "outcomes": outcomes}
        effects[programme.id] = scored_effects(programme, instruments, config, outcomes, pairs)
    return files, programmes, effects


def scored_effects(
    programme: Programme,
    instruments: dict[str, Instrument],
    config: ProjectConfig,
    outcomes: dict[str, list[Outcome]],
    pairs: dict[str, list[tuple[int, int]]],
) -> dict:
    """Realised paired statistics of every scale and comparison, from the re-read exports."""
    survey = config.surveys[next(s.survey for s in config.sources if s.programme == programme.id)]
    item_ids = list(survey.items.values())
    result: dict = {}
    for wave, wave_pairs in pairs.items():
        pre = np.array([outcomes[BASELINE][a].codes for a, _ in wave_pairs])
        post = np.array([outcomes[wave][b].codes for _, b in wave_pairs])
        for name in programme.instruments:
            instrument = instruments[name]
            for scale in instrument.scales:
                cols = [item_ids.index(i) for i in scale.items]
                stats = paired_stats(
                    score_scale(pre[:, cols], instrument, scale),
                    score_scale(post[:, cols], instrument, scale),
                )
                result.setdefault(name, {}).setdefault(scale.id, {})[wave] = stats
    return result


def rounded(value: float, places: int = 4) -> float:
    """Round for the manifest (and turn -0.0 into 0.0)."""
    return round(value, places) + 0.0


def manifest(
    built: list[Built],
    files: dict,
    programmes: dict,
    effects: dict,
    instruments: dict[str, Instrument],
) -> dict:
    """The manifest: per-file counts, per-programme people and links, effect targets vs realised."""
    progs, eff = {}, {}
    for b in built:
        spec, audit_ = b.spec, programmes[b.spec.id]
        progs[spec.id] = programme_summary(b, audit_)
        eff[spec.id] = {}
        for name in spec.instruments:
            leaves = {s.id for s in leaf_scales(instruments[name])}
            for scale in instruments[name].scales:
                entry = {"calibrated": scale.id in leaves}
                for wave in (POST, FOLLOWUP):
                    stats = effects[spec.id][name][scale.id][wave]
                    target = target_of(spec, name, scale.id, wave)
                    memory = b.realised[(name, scale.id, wave)]
                    if (
                        abs(memory["dz"] - stats["dz"]) > 1e-9
                        or memory["n_pairs"] != stats["n_pairs"]
                    ):
                        raise AssertionError(f"{spec.id} {name}.{scale.id} {wave}: re-read differs")
                    if abs(stats["dz"] - target) > TOLERANCE:
                        raise AssertionError(
                            f"{spec.id} {name}.{scale.id} {wave}: realised d_z {stats['dz']:.3f} "
                            f"is not within {TOLERANCE} of the target {target}"
                        )
                    entry[wave] = {
                        "target_dz": target,
                        "realised_dz": rounded(stats["dz"]),
                        "realised_r": rounded(stats["r"]),
                        **{
                            k: (v if k == "n_pairs" else rounded(v))
                            for k, v in stats.items()
                            if k not in ("dz", "r")
                        },
                    }
                eff[spec.id].setdefault(name, {})[scale.id] = entry
    return {
        "about": (
            "What the pipeline should find in the sample exports. Generated by generate.py from "
            "a re-read of the exports with the pipeline's published row rules; all people are "
            "fictional."
        ),
        "seed": SEED,
        "definitions": DEFINITIONS,
        "tolerance_dz": TOLERANCE,
        "files": files,
        "programmes": progs,
        "effects": eff,
    }


DEFINITIONS = {
    "rows_in": "data rows of the file (header rows not counted); rows_in = rows_loaded + "
    "sum(rows_excluded) + sum(rows_quarantined)",
    "participants": "fictional people who attended a cohort's session (each was asked to "
    "complete every wave)",
    "loaded": "loaded responses per wave",
    "linked_pairs": "pre responses linked to a post / followup response by the pipeline's "
    "linkage rules: both loaded, same programme and cohort, one to one; an identical normalised "
    "SGIC code (pipeline.sgic.normalise_code), else, among the rows still unlinked, codes that "
    "differ in exactly one element when the pair is the only candidate on both sides",
    "linked_by_match_type": "linked_pairs split by match type: exact (identical code) and "
    "one_element (codes one element apart, unique on both sides)",
    "false_links": "linked pairs whose two responses belong to different fictional people "
    "(the generator knows who answered each row); 0 means linkage precision 1.0",
    "distinct_codes_loaded": "distinct (cohort, normalised SGIC) among loaded responses of all "
    "waves; SGIC typos make one person count twice",
    "realised_dz": "mean(wave score - pre score) / SD(change) over linked pairs where both scale "
    "scores exist, scored as the pipeline does (reverse keys, rescaling, missing-item rule); "
    "signed on the scale's own direction (ucla3: negative = less lonely)",
    "realised_r": "Pearson correlation of pre and wave scale scores over the same pairs",
    "attrition": "share of participants with no response at all (not even an incomplete one) "
    "at the wave",
    "typo_pairs": "people whose pre and wave responses are both loaded but whose wave SGIC "
    "has one element answered differently, so exact linkage misses them",
    "typo_unlinked": "of typo_pairs, people the linkage rules still do not link (another "
    "unlinked code in the cohort is one element away too, so the pair is ambiguous)",
    "calibrated": "true: the generator tunes this scale's wave shift to the target; false: a "
    "composite scale whose d_z follows from its subscales and is only checked",
}


def programme_summary(b: Built, audit_: dict) -> dict:
    """Participants, cohorts, loaded responses, linked pairs and attrition, also by cohort."""
    spec, outcomes, pairs = b.spec, audit_["outcomes"], audit_["pairs"]
    ids = [cohort_id(spec, c) for c in spec.cohorts]
    loaded = {w: [o for o in outcomes[w] if o.status == "loaded"] for w in WAVES}
    codes = {(o.cohort, o.code) for w in WAVES for o in loaded[w] if o.code}
    by_cohort = {}
    for c, cid in enumerate(ids):
        by_cohort[cid] = {
            "site": spec.cohorts[c].site,
            "date": spec.cohorts[c].date.isoformat(),
            "participants": sum(p.cohort == c for p in b.people),
            "loaded": {w: sum(o.cohort == cid for o in loaded[w]) for w in WAVES},
            "linked_pairs": {
                w: sum(outcomes[BASELINE][a].cohort == cid for a, _ in pairs[w]) for w in pairs
            },
        }
    responded = {
        w: {r.person for r in b.rows if r.wave == w and r.person is not None}
        for w in (POST, FOLLOWUP)
    }
    typed = audit_["typed"]
    typos = {w: typo_people(b, outcomes, w) for w in (POST, FOLLOWUP)}
    linked_people = {w: linked_persons(b, w, pairs[w]) for w in pairs}
    return {
        "participants": len(b.people),
        "cohorts": len(spec.cohorts),
        "loaded": {w: len(loaded[w]) for w in WAVES},
        "linked_pairs": {w: len(p) for w, p in pairs.items()},
        "linked_by_match_type": {
            w: {m: sum(kind == m for *_, kind in typed[w]) for m in ("exact", "one_element")}
            for w in typed
        },
        "false_links": {w: false_links(b, w, pairs[w]) for w in pairs},
        "distinct_codes_loaded": len(codes),
        "typo_pairs": {w: len(typos[w]) for w in typos},
        "typo_unlinked": {w: len(typos[w] - linked_people[w]) for w in typos},
        "attrition": {w: rounded(1 - len(responded[w]) / len(b.people), 3) for w in responded},
        "by_cohort": by_cohort,
    }


def linked_persons(b: Built, wave: str, pairs: list[tuple[int, int]]) -> set[int | None]:
    """The people of the `wave` rows of correctly linked pairs."""
    return {
        b.order[wave][w].person
        for a, w in pairs
        if b.order[BASELINE][a].person == b.order[wave][w].person
    }


def false_links(b: Built, wave: str, pairs: list[tuple[int, int]]) -> int:
    """Linked pairs whose rows belong to two different people (or to nobody: previews)."""
    return sum(
        b.order[BASELINE][a].person is None
        or b.order[BASELINE][a].person != b.order[wave][w].person
        for a, w in pairs
    )


def typo_people(b: Built, outcomes: dict[str, list[Outcome]], wave: str) -> set[int]:
    """People whose pre and `wave` responses are both loaded but whose `wave` SGIC has a typo
    (one element differs), so exact matching cannot link them."""

    def loaded_people(w: str, typo: bool) -> set[int]:
        return {
            row.person
            for row, o in zip(b.order[w], outcomes[w], strict=True)
            if o.status == "loaded" and row.typo == typo and row.person is not None
        }

    return loaded_people(BASELINE, False) & loaded_people(wave, True)


def build_all(instruments: dict[str, Instrument], loaded: LoadedConfig) -> list[Built]:
    """Every programme, built in memory from the one seeded Generator."""
    rng = np.random.default_rng(SEED)
    seen: set[str] = set()
    return [
        build_programme(spec, instruments, loaded, seen, child)
        for spec, child in zip(PROGRAMMES, rng.spawn(len(PROGRAMMES)), strict=True)
    ]


def row_truth(config_path: Path = HERE / CONFIG_NAME) -> dict[str, list[tuple[str | None, bool]]]:
    """Who answered each data row of each export, in file order, and whether the row's SGIC
    was mistyped: (programme:person or None for a preview, typo). The known truth that
    linkage precision and recall are measured against (tests/linkage); rebuilt in memory,
    writing nothing."""
    instruments = load_instruments(INSTRUMENTS_DIR)
    built = build_all(instruments, load_config(config_path))
    return {
        export_path(b.spec, wave): [
            (None if row.person is None else f"{b.spec.id}:{row.person}", row.typo)
            for row in b.order[wave]
        ]
        for b in built
        for wave in WAVES
    }


def generate(out_dir: Path) -> dict:
    """Write ripple.yml, the exports and manifest.json into `out_dir`; return the manifest."""
    instruments = load_instruments(INSTRUMENTS_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / EXPORTS).mkdir(exist_ok=True)
    config_path = out_dir / CONFIG_NAME
    config_path.write_bytes(config_text(instruments).encode("utf-8"))
    loaded = load_config(config_path)
    check_against_instruments(loaded, instruments)
    built = build_all(instruments, loaded)
    for b in built:
        for path, data in b.exports.items():
            (out_dir / path).write_bytes(data)
    files, programmes, effects = audit(out_dir, instruments, loaded)
    result = manifest(built, files, programmes, effects, instruments)
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    (out_dir / MANIFEST_NAME).write_bytes(text.encode("utf-8"))
    return result


def summary(result: dict) -> str:
    """A plain-text table of the files and the effect targets vs realised values."""
    lines = [f"{'file':34} {'in':>5} {'loaded':>6}  excluded / quarantined"]
    for path, c in result["files"].items():
        other = {**c["rows_excluded"], **c["rows_quarantined"]}
        lines.append(f"{path:34} {c['rows_in']:5d} {c['rows_loaded']:6d}  {other}")
    lines.append(
        f"\n{'programme / scale':48} {'wave':8} {'target':>6} {'d_z':>6} {'r':>5} {'n':>4}"
    )
    for prog, instruments in result["effects"].items():
        for name, scales in instruments.items():
            for scale, entry in scales.items():
                for wave in (POST, FOLLOWUP):
                    e = entry[wave]
                    lines.append(
                        f"{prog + ' ' + name + '.' + scale:48} {wave:8} {e['target_dz']:6.2f} "
                        f"{e['realised_dz']:6.3f} {e['realised_r']:5.2f} {e['n_pairs']:4d}"
                    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: `generate.py [OUT_DIR]`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=HERE,
        help="where to write ripple.yml, exports/ and manifest.json (default: data/sample)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")
    args = parser.parse_args(argv)
    result = generate(args.out_dir)
    if not args.quiet:
        print(summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
