"""The fictional project behind every good export (programme `p1`, three cohorts, waves pre /
post / followup, RIBS items 5-8 and CAMI-12) and its made-up, seeded respondents.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]  # this file is tests/catalogue/parts/respondents.py
INSTRUMENTS_DIR = REPO / "instruments"
TEST_KEY = "3c" * 32
FIXED_TIME = dt.datetime(2025, 9, 1, 12, 0, 0)

COHORTS = (
    ("C1", "Leeds", dt.date(2025, 1, 21), "Leeds, 21 January 2025"),
    ("C2", "Bristol", dt.date(2025, 3, 18), "Bristol, 18 March 2025"),
    ("C3", "Cardiff", dt.date(2025, 6, 10), "Cardiff, 10 June 2025"),
)
WAVES = (("pre", "Before the session"), ("post", "After it"), ("followup", "Three months on"))
RIBS_ITEMS = ("ribs_05", "ribs_06", "ribs_07", "ribs_08")
RIBS_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
CAMI_ITEMS = tuple(f"cami12_{n:02d}" for n in range(1, 13))
CAMI_REVERSED = frozenset(f"cami12_{n:02d}" for n in (1, 2, 4, 5, 6, 11))
LETTERS = "ABCDEFGHJKLMNPRSTVW"
COMMENTS = (
    "",
    "Really helpful, thank you",
    "Good session; the speaker was great",
    'She said "it gets better" and I believe it',
    "Two thoughts:\nmore time for questions\nand a break",
    "",
    "Not sure, maybe",
    "Très utile – merci à l’équipe",
)


@dataclass(frozen=True)
class Person:
    """One made-up response: ids, when, the self-generated code, answers and a comment."""

    n: int
    rid: str
    when: dt.datetime
    letter: str
    month: int
    codes: tuple[int, ...]  # ribs_05..08
    cami: tuple[int, ...]  # cami12_01..12 as a consistent respondent would answer
    comment: str
    cohort: str = "C1"
    duration: int = 300


def people(
    n: int = 12, seed: int = 7, start: dt.datetime | None = None, cohort: str = "C1"
) -> list[Person]:
    """`n` made-up responses, submitted a few minutes apart on the cohort's session day."""
    rng = random.Random(seed)
    date = next(c[2] for c in COHORTS if c[0] == cohort)
    start = start or dt.datetime.combine(date, dt.time(10, 0))
    out = []
    for i in range(n):
        attitude = rng.choice((2, 3, 4, 5))
        codes = tuple(max(1, min(5, attitude + rng.choice((-1, 0, 0, 1)))) for _ in RIBS_ITEMS)
        cami = tuple(
            max(1, min(5, (6 - attitude if item in CAMI_REVERSED else attitude) + rng.choice(
                (-1, 0, 1))))
            for item in CAMI_ITEMS
        )  # fmt: skip
        out.append(
            Person(
                n=i + 1,
                rid="R_" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGH23456789")
                                   for _ in range(15)),
                when=start + dt.timedelta(minutes=7 * i + rng.randint(0, 5),
                                          seconds=rng.randint(0, 59)),
                letter=LETTERS[(i * 7 + seed) % len(LETTERS)],
                month=(i * 5 + seed) % 12 + 1,
                codes=codes,
                cami=cami,
                comment=COMMENTS[i % len(COMMENTS)],
                cohort=cohort,
                duration=280 + rng.randint(0, 120),
            )
        )  # fmt: skip
    return out
