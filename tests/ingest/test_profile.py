"""Column profiles for `ripple detect --columns`: counts, and examples only where safe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.ingest.detect import detect
from pipeline.ingest.profile import (
    CLOSED_MAX_DISTINCT,
    WITHHELD_IDENTIFIER,
    WITHHELD_OPEN,
    WITHHELD_RARE,
    column_profiles,
)
from pipeline.ingest.readers import RawExport, read_export


def export(columns: dict[str, list[str]], fmt: str, path: Path) -> RawExport:
    """A RawExport of the given columns, read from a CSV written for the purpose."""
    frame = pd.DataFrame(columns)
    target = path / "t.csv"
    frame.to_csv(target, index=False)
    raw = read_export(target, format=fmt)
    assert raw.detection.format == fmt
    return raw


def test_profile_fields_and_examples(tmp_path: Path) -> None:
    raw = export(
        {
            "Email Address": ["a@example.org", "b@example.org", "a@example.org", ""],
            "Which session?": ["Leeds", "Leeds", "York", " "],
            "Comments": ["x" * 61, "fine", "", ""],
        },
        "google_forms",
        tmp_path,
    )
    email, session, comments = column_profiles(raw)
    assert email == {
        "position": 1,
        "key": "Email Address",
        "header": "Email Address",
        "label": "Email Address",
        "identifying": "Google Forms identifying field (an email address)",
        "n_distinct": 2,
        "blank": 1,
        "examples": [],
        "examples_withheld": WITHHELD_IDENTIFIER,
    }
    assert (session["n_distinct"], session["blank"]) == (2, 1)
    # "York" was given by one response only, so it is not shown
    assert session["examples"] == ["Leeds"]
    assert session["examples_withheld"] is None
    assert comments["examples"] == []
    assert comments["examples_withheld"] == WITHHELD_OPEN


def test_many_distinct_values_are_withheld(tmp_path: Path) -> None:
    values = [str(i) for i in range(CLOSED_MAX_DISTINCT + 1)]
    (profile,) = column_profiles(export({"Age": values}, "csv", tmp_path))
    assert (profile["n_distinct"], profile["examples"]) == (CLOSED_MAX_DISTINCT + 1, [])
    assert profile["examples_withheld"] == WITHHELD_OPEN


def test_max_values_and_ties(tmp_path: Path) -> None:
    raw = export({"Q1": ["3", "1", "2", "3", "2", "4"]}, "csv", tmp_path)
    assert column_profiles(raw, max_values=3)[0]["examples"] == ["2", "3", "1"]
    assert column_profiles(raw, max_values=0)[0]["examples"] == []


def test_qualtrics_labels_and_identifiers(fixtures: Path) -> None:
    profiles = column_profiles(read_export(fixtures / "real/sample.csv"))
    by_key = {p["key"]: p for p in profiles}
    assert by_key["ipAddress"]["examples_withheld"] == WITHHELD_IDENTIFIER
    assert by_key["QID1"]["label"] == "This is a multiple choice question."
    assert by_key["QID1"]["examples"] == ["2"]
    assert by_key["_recordId"]["identifying"]  # a response id: a code unique to a person


def test_legacy_qualtrics_is_judged_by_its_label_row(fixtures: Path) -> None:
    profiles = column_profiles(read_export(fixtures / "real/sample_legacy.csv"))
    assert profiles[2]["key"] == "V3" and profiles[2]["label"] == "Name"
    assert profiles[2]["examples_withheld"] == WITHHELD_IDENTIFIER


def test_surveymonkey_profile_uses_question_and_sub_header(fixtures: Path) -> None:
    profiles = column_profiles(read_export(fixtures / "surveymonkey_expanded.csv"))
    agree = profiles[10]
    assert agree["label"] == agree["key"]
    assert agree["key"].endswith("| I would talk to a friend")
    assert agree["examples"] == []  # each answer given once: withheld
    assert agree["examples_withheld"] == WITHHELD_RARE
    assert profiles[4]["examples_withheld"] == WITHHELD_IDENTIFIER  # IP Address


def test_empty_export_profiles(fixtures: Path) -> None:
    profiles = column_profiles(read_export(fixtures / "header_only.csv"))
    assert [p["n_distinct"] for p in profiles] == [0, 0, 0]
    assert all(p["examples"] == [] for p in profiles)


def test_profiles_of_a_workbook_and_parquet(fixtures: Path) -> None:
    for name in ("kobo.xlsx", "responses.parquet"):
        raw = read_export(fixtures / name)
        profiles = column_profiles(raw)
        assert [p["position"] for p in profiles] == list(range(1, len(raw.keys) + 1))
        assert detect(fixtures / name).columns == len(profiles)
    kobo = {p["key"]: p for p in column_profiles(read_export(fixtures / "kobo.xlsx"))}
    assert kobo["deviceid"]["examples_withheld"] == WITHHELD_IDENTIFIER
    assert kobo["location/_gps_latitude"]["examples_withheld"] == WITHHELD_IDENTIFIER
    assert kobo["stigma/q1"]["examples"] == ["4"]  # a short code; "3,5" was given once


def test_profile_is_fast_on_a_large_export(tmp_path: Path) -> None:
    import time

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"Q{i}": rng.integers(1, 6, 50_000).astype(str) for i in range(40)})
    frame.to_csv(tmp_path / "big.csv", index=False)
    raw = read_export(tmp_path / "big.csv")
    start = time.perf_counter()
    profiles = column_profiles(raw)
    assert time.perf_counter() - start < 5  # per column, vectorised: well under a second
    assert all(p["n_distinct"] == 5 for p in profiles)


def test_free_text_in_a_tiny_file_is_never_shown(tmp_path: Path) -> None:
    raw = export({"Anything else?": ["Rex barked", "Tibbles"], "Code": ["2", "5"]}, "csv", tmp_path)
    pet, code = column_profiles(raw)
    assert pet["examples"] == [] and pet["examples_withheld"] == WITHHELD_RARE
    assert code["examples"] == ["2", "5"]  # short numbers are codes, safe to show
