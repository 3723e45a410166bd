"""A small synthetic project for disclosure attacks: cohorts of chosen sizes, people linked
across waves by a two-element self-generated code, a gender attribute for breakdowns, RIBS
intended-behaviour items (scored 4-20), and exports written in batches so a test can publish
one release, add exports, and publish the next into the same output folder."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.config import load_config
from pipeline.keys import Key
from pipeline.publish import EXTRACT_NAME
from pipeline.run import run_project

INSTRUMENTS = Path(__file__).resolve().parents[2] / "instruments"
KEY = Key(b"d" * 32)
HEADER = ["rid", "t", "c", "a", "b", "g", "q5", "q6", "q7", "q8"]
WAVES = {"pre": 0, "post": 1, "followup": 90}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Person:
    """One participant: cohort, index within it (their code), gender and baseline level."""

    cohort: str
    index: int
    gender: str
    level: int

    @property
    def code(self) -> tuple[str, str]:
        return chr(65 + self.index % 25), MONTHS[(self.index // 25) % 12]  # never Z


@dataclass
class Project:
    """Cohorts (id -> (site, date)), and the export batches written so far."""

    root: Path
    cohorts: dict[str, tuple[str, str]]
    min_cell_size: int = 10
    seed: int = 7
    sources: list[dict] = field(default_factory=list)
    people: dict[str, list[Person]] = field(default_factory=dict)
    written: int = 0

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.rng = random.Random(self.seed)

    def enrol(self, cohort: str, count: int) -> list[Person]:
        """`count` new people in `cohort` (codes continue after the cohort's earlier ones)."""
        known = self.people.setdefault(cohort, [])
        start = len(known)
        new = [
            Person(cohort, start + i, self.rng.choice(["woman", "man"]), self.rng.randint(1, 3))
            for i in range(count)
        ]
        known.extend(new)
        return new

    def export(self, wave: str, people: list[Person], unlinked: int = 0, cohort: str = "") -> None:
        """One export file of `wave` answers by `people`, plus `unlinked` answers whose code
        matches nobody's (in `cohort`, default the first person's)."""
        self.written += 1
        name = f"{self.written:02d}_{wave}.csv"
        rows = [self._row(p, wave) for p in people]
        target = cohort or (people[0].cohort if people else next(iter(self.cohorts)))
        for i in range(unlinked):
            stranger = Person(target, 1000 + self.written * 20 + i, "woman", 2)
            rows.append(self._row(stranger, wave, code=("Z", MONTHS[i % 12])))
        with (self.root / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        self.sources.append({"path": name, "survey": "s", "programme": "p", "wave": wave})

    def _row(self, person: Person, wave: str, code: tuple[str, str] | None = None) -> list:
        site_date = dt.date.fromisoformat(self.cohorts[person.cohort][1])
        when = site_date + dt.timedelta(days=WAVES[wave])
        shift = {"pre": 0, "post": 1, "followup": 1}[wave]
        answers = [
            str(max(1, min(5, person.level + shift + self.rng.choice([-1, 0, 0, 1]))))
            for _ in range(4)
        ]
        initial, month = code or person.code
        rid = f"{wave}-{person.cohort}-{person.index}-{self.written}"
        return [
            rid,
            f"{when.isoformat()} 10:00:00",
            person.cohort,
            initial,
            month,
            person.gender,
            *answers,
        ]

    def config(self) -> Path:
        sites = sorted({site for site, _ in self.cohorts.values()})
        assert sites
        config = {
            "project": "disclosure attacks",
            "instruments_dir": str(INSTRUMENTS),
            "min_cell_size": self.min_cell_size,
            "waves": [
                {"id": "pre", "label": "Before"},
                {"id": "post", "label": "After"},
                {"id": "followup", "label": "Three months later"},
            ],
            "privacy": {"k_anonymity": 5},
            "programmes": [
                {
                    "id": "p",
                    "name": "Programme",
                    "approach": "contact-based",
                    "audience": "adults",
                    "instruments": ["ribs"],
                    "cohorts": [
                        {"id": c, "site": site, "date": date}
                        for c, (site, date) in self.cohorts.items()
                    ],
                }
            ],
            "surveys": {
                "s": {
                    "format": "csv",
                    "values": "codes",
                    "response_id": "rid",
                    "submitted_at": "t",
                    "timestamp_format": "%Y-%m-%d %H:%M:%S",
                    "cohort": "c",
                    "sgic": [
                        {"column": "a", "name": "initial", "kind": "letter"},
                        {"column": "b", "name": "month", "kind": "month"},
                    ],
                    "quasi_identifiers": [
                        {
                            "column": "g",
                            "name": "gender",
                            "kind": "category",
                            "groups": {"woman": "woman", "man": "man"},
                        }
                    ],
                    "items": {"q5": "ribs_05", "q6": "ribs_06", "q7": "ribs_07", "q8": "ribs_08"},
                }
            },
            "sources": self.sources,
        }
        path = self.root / "ripple.yml"
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        return path

    def publish(self, out: Path, rebuild: bool = False) -> Path:
        """Run the pipeline into `out` (a new release); returns a copy of the extract it
        published, kept by the test like an attacker keeping every release."""
        report = run_project(load_config(self.config()), KEY, out, rebuild=rebuild)
        assert report.ok, [f.error for f in report.files if f.error]
        kept = out.parent / f"{out.name}-release-{len(list(out.parent.glob('*-release-*')))}"
        kept.write_bytes((out / EXTRACT_NAME).resolve().read_bytes())
        return kept
