"""The fictional participants: their true SGIC answers (unique within a cohort), how each
types them (harmless variations, real typos), and invented names and e-mail addresses.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.sgic import normalise_code

from .programmes import CohortSpec, ProgrammeSpec, words
from .questions import MONTH_NAMES, SGIC_KINDS

INITIAL_WEIGHTS = dict(  # rough frequency of first letters of UK first names and street names
    zip(
        string.ascii_uppercase,
        map(float, words("8 3 7 6 5 2 3 3 2 9 6 7 10 3 1 4 .3 4 10 4 .3 2 1 .1 1 1")),
        strict=True,
    )
)
SIBLING_WEIGHTS = (0.4, 0.34, 0.16, 0.07, 0.03)

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
