"""Quasi-identifiers kept only coarsened and k-anonymous; free text only opted in and redacted;
platform identifiers never mappable as anything kept."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from pipeline.config import load_config
from pipeline.ingest.free_text import redact
from pipeline.ingest.quasi import (
    SUPPRESSED,
    age_bands,
    coarse_dates,
    grouped,
    suppress_small_groups,
)
from pipeline.keys import Key
from pipeline.run import run_project, validate_project

KEY = Key(b"q" * 32)
INSTRUMENTS = Path(__file__).resolve().parents[2] / "instruments"


def test_ages_fall_in_bands_and_implausible_ages_are_dropped():
    ages = pd.Series(["17", "18", "24", "25", "64", "65", "99", "323", "3.5", "", "forty"])
    assert age_bands(ages, [18, 25, 35, 45, 55, 65]).tolist() == [
        "<18", "18-24", "18-24", "25-34", "55-64", "65+", "65+", None, None, None, None,
    ]  # fmt: skip


def test_answers_fall_in_declared_groups_and_the_rest_is_other():
    groups = {"Female": "woman", "F": "woman", "Male": "man", "M": "man"}
    values = pd.Series(["female", " F ", "male", "agender", ""])
    assert grouped(values, groups).tolist() == ["woman", "woman", "man", "other", None]


def test_dates_are_cut_to_their_week_or_month():
    values = pd.Series(["2025-03-14T10:00:00", "2025-03-16", ""])
    assert coarse_dates(values, "month").tolist() == ["2025-03-01", "2025-03-01", None]
    assert coarse_dates(values, "week").tolist() == ["2025-03-10", "2025-03-10", None]


def test_combinations_shared_by_fewer_than_k_rows_are_suppressed():
    attributes = pd.DataFrame(
        {"age": ["25-34"] * 6 + ["65+"] * 2, "gender": ["woman"] * 5 + ["man"] + ["woman"] * 2}
    )
    kept, suppressed = suppress_small_groups(attributes, 5)
    assert suppressed == 3
    assert kept["age"].tolist() == ["25-34"] * 5 + [SUPPRESSED] * 3
    assert (kept.loc[5] == SUPPRESSED).all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jane.doe@example.org", "write to [email]"),
        ("call me on 07700 900123", "call me on [phone]"),
        ("my NHS number 943 476 5919", "my NHS number [number]"),
        ("NI number AB123456C", "NI number [id]"),
        ("see https://example.org/x?y=1", "see [url]"),
        ("from 192.168.0.12", "from [ip]"),
        ("I live in SW1A 1AA", "I live in [postcode]"),
        ("thanks to Priya", "thanks to [name]"),
        ("nothing to hide", "nothing to hide"),
    ],
)
def test_free_text_patterns_and_listed_names_are_redacted(text, expected):
    assert redact(pd.Series([text]), ["Priya"]).tolist() == [expected]


HEADER = ["Timestamp", "Email Address", "Session", "Initial", "Month", "Age", "Gender",
          "Comments", "R5", "R6"]  # fmt: skip


def project(tmp_path, rows, **survey_changes):
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    (tmp_path / "pre.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "names.txt").write_text("# people to redact\nPriya\n", encoding="utf-8")
    survey = {
        "format": "google_forms",
        "values": "codes",
        "submitted_at": "Timestamp",
        "cohort": "Session",
        "sgic": [
            {"column": "Initial", "name": "initial", "kind": "letter"},
            {"column": "Month", "name": "month", "kind": "month"},
        ],
        "items": {"R5": "ribs_05", "R6": "ribs_06"},
        "quasi_identifiers": [
            {"column": "Age", "name": "age_band", "kind": "age"},
            {
                "column": "Gender",
                "name": "gender",
                "kind": "category",
                "groups": {"woman": "woman", "man": "man"},
            },
        ],
        "free_text": [{"column": "Comments", "name": "comments"}],
    } | survey_changes
    config = {
        "project": "privacy test",
        "instruments_dir": str(INSTRUMENTS),
        "waves": [{"id": "pre", "label": "Before"}, {"id": "post", "label": "After"}],
        "privacy": {"k_anonymity": 5, "redact_names_file": "names.txt"},
        "programmes": [
            {
                "id": "p",
                "name": "P",
                "approach": "a",
                "audience": "b",
                "instruments": ["ribs"],
                "cohorts": [{"id": "C1", "site": "Leeds", "date": "2025-01-14"}],
            }
        ],
        "surveys": {"forms": survey},
        "sources": [{"path": "pre.csv", "survey": "forms", "programme": "p", "wave": "pre"}],
    }
    path = tmp_path / "ripple.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return load_config(path)


def rows(n_common=6):
    out = []
    for i in range(n_common):
        comment = "Priya said mail me at x@example.org" if i == 0 else ""
        out.append([f"2025-01-14 10:0{i}:00", f"p{i}@example.org", "C1", "abcdefgh"[i], "3",
                    "30", "woman", comment, "4", "5"])  # fmt: skip
    out.append(["2025-01-14 11:00:00", "odd@example.org", "C1", "z", "4", "71", "man",
                "", "2", "2"])  # fmt: skip
    return out


def test_attributes_and_free_text_land_coarsened_redacted_and_k_anonymous(tmp_path):
    loaded = project(tmp_path, rows())
    report = run_project(loaded, KEY, tmp_path / "out")
    assert report.ok
    (f,) = report.files
    assert f.rows_attributes_suppressed == 1
    assert any(w.startswith("attributes_suppressed: 1 ") for w in f.warnings)
    with duckdb.connect(str(tmp_path / "out" / "ripple.duckdb"), read_only=True) as con:
        values = con.execute(
            "select attribute, value, count(*) from respondent_attributes group by all order by all"
        ).fetchall()
        texts = con.execute("select text, note from landing.free_text").fetchall()
        everything = " ".join(
            str(v)
            for table in ("landing.respondent_attributes", "landing.free_text", "responses")
            for row in con.execute(f"select * from {table}").fetchall()
            for v in row
        )
    assert values == [
        ("age_band", "(suppressed)", 1), ("age_band", "25-34", 6),
        ("gender", "(suppressed)", 1), ("gender", "woman", 6),
    ]  # fmt: skip
    assert texts == [("[name] said mail me at [email]", "redacted, not anonymous")]
    for canary in ("Priya", "x@example.org", "p0@example.org"):
        assert canary not in everything


def test_a_platform_identifier_can_only_be_a_pseudonymised_id(tmp_path):
    loaded = project(tmp_path, rows(), free_text=[{"column": "Email Address", "name": "mail"}])
    report = validate_project(loaded, KEY, tmp_path / "out")
    (f,) = report.files
    assert f.status == "failed" and "identifier_mapped: column 'Email Address'" in f.error
    assert "@" not in f.error.replace("'Email Address'", "")
