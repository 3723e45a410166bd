"""Fixtures of the quality tests. `qp` gives the helpers of a tiny CSV project: one
programme, CAMI-12 (reverse-keyed and plain items), a response id, a submission time, a cohort
column, a two-element code and a duration column. Rows are dicts; `row()` fills what a test
does not care about."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.config import LoadedConfig, load_config
from pipeline.keys import Key

REPO = Path(__file__).resolve().parents[2]
KEY = Key(b"q" * 32)
ITEMS = [f"cami12_{n:02d}" for n in range(1, 13)]
HEADER = ["rid", "t", "c", "a", "b", "secs", *[f"q{n}" for n in range(1, 13)]]
SESSION = "2025-03-10"
# a plausible answer pattern: disagree with the reverse-keyed items, agree with the others
ANSWERS = [2, 1, 4, 2, 1, 2, 5, 4, 4, 5, 2, 4]


def row(rid: str, **fields) -> dict:
    """One response: id, time on the session day, cohort C1, a code from the id, 300 s."""
    answers = fields.pop("answers", ANSWERS)
    base = {
        "rid": rid,
        "t": "2025-03-10 10:00:00",
        "c": "C1",
        "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[sum(map(ord, rid)) % 26],
        "b": str(sum(map(ord, rid)) % 12 + 1),
        "secs": "300",
    }
    base |= {f"q{n}": str(code) for n, code in enumerate(answers, start=1)}
    return base | {k: str(v) for k, v in fields.items()}


def many(prefix: str, n: int, **fields) -> list[dict]:
    """n responses with distinct ids and codes (the code's letter and month vary)."""
    rows = []
    for i in range(n):
        r = row(f"{prefix}{i}", **fields)
        r["a"], r["b"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 26], str(i // 26 % 12 + 1)
        rows.append(r)
    return rows


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=[*HEADER, *(k for k in rows[0] if k not in HEADER)]
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def project(
    folder: Path,
    sources: list[dict],
    quality: dict | None = None,
    survey: dict | None = None,
) -> LoadedConfig:
    """Write ripple.yml for `sources` (path relative to `folder`, wave; programme and survey
    filled in) and load it."""
    config = {
        "project": "Quality tests",
        "instruments_dir": str(REPO / "instruments"),
        "waves": [
            {"id": "pre", "label": "Before"},
            {"id": "post", "label": "After"},
        ],
        "programmes": [
            {
                "id": "p1",
                "name": "Programme",
                "approach": "contact-based",
                "audience": "adults",
                "instruments": ["cami12"],
                "cohorts": [{"id": "C1", "site": "Leeds", "date": SESSION}],
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
                "duration": "secs",
                "sgic": [
                    {"column": "a", "name": "a", "kind": "letter"},
                    {"column": "b", "name": "b", "kind": "month"},
                ],
                "items": {f"q{n}": item for n, item in enumerate(ITEMS, start=1)},
            }
            | (survey or {})
        },
        "sources": [{"survey": "s", "programme": "p1", **s} for s in sources],
    }
    if quality is not None:
        config["quality"] = quality
    path = folder / "ripple.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return load_config(path)


@pytest.fixture
def qp():
    """This module's helpers (row, many, write_csv, project, KEY, ...)."""
    return sys.modules[__name__]
