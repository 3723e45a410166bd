"""Reading the real files independently of Ripple: CSV records, the answer options as the
exports write them, and the accounting (exclusions, quarantines) of one file."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from collections import Counter
from pathlib import Path


def records(path: Path, codec: str = "utf-8") -> list[list[str]]:
    """Every CSV record (quoted line breaks kept inside their cell); empty lines dropped."""
    with path.open(newline="", encoding=codec) as handle:
        return [row for row in csv.reader(handle) if row]


def table(path: Path, codec: str = "utf-8", header_rows: int = 1) -> tuple[list[str], list]:
    """(header row 1, data records)."""
    rows = records(path, codec)
    return rows[0], rows[header_rows:]


def dict_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if any(row.values())]


def norm(text: str) -> str:
    """An answer as a person reads it: NFKC, straight quotes, single spaces, any case."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold()


UNKNOWN = "unknown"


def answer(value: str, codes: dict[str, int | None], missing: tuple[str, ...] = ()) -> object:
    """A label answer's code; None for blank, missing or don't know (none of them scored);
    UNKNOWN for an answer that is none of the labels."""
    text = norm(value)
    if not text or text in missing:
        return None
    return codes.get(text, UNKNOWN)


# The answer options as the exports write them, with the test instruments' codes
# (tests/real_exports/instruments/*.yml); None = don't know or missing, not scored.
FREQUENCY = {"never": 1, "rarely": 2, "sometimes": 3, "often": 4}
LEAVE = {
    "very difficult": 1,
    "somewhat difficult": 2,
    "somewhat easy": 3,
    "very easy": 4,
    "don't know": None,
}
YNM = {"no": 1, "maybe": 2, "yes": 3, "don't know": None, "i don't know": None}
GENRES = {
    norm(g): n
    for n, g in enumerate(
        sorted(
            [
                "Action",
                "Adventure",
                "Animation",
                "Biography",
                "Comedy",
                "Crime",
                "Documentary",
                "Drama",
                "Family",
                "Fantasy",
                "Game-Show",
                "History",
                "Horror",
                "Music",
                "Musical",
                "Mystery",
                "News",
                "Reality-TV",
                "Romance",
                "Sci-Fi",
                "Short",
                "Sport",
                "Sports",
                "Talk-Show",
                "Thriller",
                "War",
                "Western",
            ]
        ),
        start=1,
    )
}


class Expected:
    """Independently computed accounting of one file: per-row quarantine reasons and
    exclusion reasons."""

    def __init__(self, rows_in: int) -> None:
        self.rows_in = rows_in
        self.excluded: Counter[str] = Counter()
        self.quarantined: dict[int, set[str]] = {}

    def quarantine(self, row: int, reason: str) -> None:
        self.quarantined.setdefault(row, set()).add(reason)

    def quarantined_by_reason(self) -> dict[str, int]:
        return dict(Counter(r for reasons in self.quarantined.values() for r in reasons))

    def same_person_again(self, people: list[tuple]) -> None:
        """The same person, cohort and wave again: all but the latest are
        duplicate_submission."""
        repeats = len(people) - len(set(people))
        if repeats:
            self.excluded["duplicate_submission"] += repeats


def timestamp(text: str, fmt: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text.strip(), fmt)
    except ValueError:
        return None
