"""The three fictional programmes: their cohorts (where, when, who hosted), instruments, export
format, attrition and the paired d_z each scale must reach, and the names derived from them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .settings import EXPORTS, POST, SITES


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


def cohort_id(spec: ProgrammeSpec, cohort: CohortSpec) -> str:
    """`WP-LEE-2501`: programme prefix, site code, year and month of the session."""
    return f"{spec.prefix}-{SITES[cohort.site][0]}-{cohort.date:%y%m}"


def cohort_label(cohort: CohortSpec) -> str:
    """The answer a Google Form's "Which session did you attend?" offers for a cohort."""
    return f"{cohort.site} - {cohort.venue}, {cohort.date.day} {cohort.date:%b %Y}"


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


def survey_name(spec: ProgrammeSpec) -> str:
    """Name of the programme's survey mapping in ripple.yml."""
    return f"{spec.id}_{spec.export}"


def export_path(spec: ProgrammeSpec, wave: str) -> str:
    """Path of an export, relative to the sample folder."""
    return f"{EXPORTS}/{spec.id}_{wave}.csv"
