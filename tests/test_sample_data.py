"""The committed sample data (data/sample): reproducible, valid, consistent and calibrated.

`data/sample/generate.py` is seeded, so regenerating it must reproduce the committed exports,
config and manifest byte for byte; the manifest's counts must add up and agree with the files;
the realised effect sizes must be within tolerance of their targets; and nothing in the exports
may be real (documentation IP ranges, example.* e-mail domains) or licensed (item wording).
"""

from __future__ import annotations

import csv
import datetime as dt
import ipaddress
import json
import re
from pathlib import Path

import numpy as np
import pytest

from pipeline.config import check_against_instruments, load_config
from pipeline.instruments import load_instruments
from tests.loading import load_module

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
GENERATED = ("ripple.yml", "manifest.json")
DOC_NETS = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]


@pytest.fixture(scope="module")
def gen():
    """The generator script, imported as a module (data/sample is not a package)."""
    return load_module("ripple_sample_generate", SAMPLE / "generate.py")


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded():
    return load_config(SAMPLE / "ripple.yml")


def read_table(path: Path) -> list[list[str]]:
    """All CSV records of an export, header rows included."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def qualtrics_exports() -> list[Path]:
    return [p for p in sorted((SAMPLE / "exports").glob("*.csv")) if not p.name.startswith("sch")]


def test_regenerating_reproduces_the_committed_files(gen, tmp_path):
    gen.main([str(tmp_path), "--quiet"])
    committed = sorted(p.relative_to(SAMPLE) for p in (SAMPLE / "exports").glob("*.csv"))
    fresh = sorted(p.relative_to(tmp_path) for p in (tmp_path / "exports").glob("*.csv"))
    assert fresh == committed
    for relative in [*map(Path, GENERATED), *committed]:
        same = (tmp_path / relative).read_bytes() == (SAMPLE / relative).read_bytes()
        assert same, f"{relative} differs from a fresh run: run `make sample` and commit"


def test_config_loads_and_matches_the_instruments(loaded, repo_root):
    config = loaded.config
    instruments = load_instruments(loaded.resolve(config.instruments_dir))
    check_against_instruments(loaded, instruments)
    assert loaded.resolve(config.instruments_dir) == (repo_root / "instruments").resolve()
    assert loaded.resolve(config.out_dir) == (repo_root / "out" / "sample").resolve()
    assert [w.id for w in config.waves] == ["pre", "post", "followup"]
    assert len(config.sources) == 9
    for source in config.sources:
        assert loaded.resolve(source.path).is_file(), source.path
    assert {p.id for p in config.programmes} == {"workplace", "schools", "peer_support"}


def test_cohorts_span_sites_and_time(loaded):
    cohorts = [c for p in loaded.config.programmes for c in p.cohorts]
    assert len(cohorts) >= 12
    assert len({c.site for c in cohorts}) >= 4
    first, last = min(c.date for c in cohorts), max(c.date for c in cohorts)
    assert (last.year - first.year) * 12 + last.month - first.month >= 18
    assert last + dt.timedelta(days=104) < dt.date(2026, 11, 24)  # every follow-up is past
    for programme in loaded.config.programmes:
        survey = next(
            loaded.config.surveys[s.survey]
            for s in loaded.config.sources
            if s.programme == programme.id
        )
        if survey.format == "google_forms":
            assert all(c.labels for c in programme.cohorts), programme.id


def test_manifest_counts_add_up_and_match_the_files(manifest, loaded):
    assert set(manifest["files"]) == {s.path.as_posix() for s in loaded.config.sources}
    for path, counts in manifest["files"].items():
        out = sum(counts["rows_excluded"].values()) + sum(counts["rows_quarantined"].values())
        assert counts["rows_in"] == counts["rows_loaded"] + out, path
        table = read_table(SAMPLE / path)
        header_rows = 3 if table[0][0] == "StartDate" else 1
        assert counts["rows_in"] == len(table) - header_rows, path


def test_qualtrics_exclusions_agree_with_the_metadata_columns(manifest):
    for path in qualtrics_exports():
        table = read_table(path)
        assert [json.loads(c)["ImportId"] for c in table[2][:3]] == [
            "startDate",
            "endDate",
            "status",
        ]
        rows = [dict(zip(table[0], r, strict=True)) for r in table[3:]]
        previews = sum(r["Status"] == "1" or r["DistributionChannel"] == "preview" for r in rows)
        unfinished = sum(r["Finished"] == "0" and r["Status"] == "0" for r in rows)
        excluded = manifest["files"][f"exports/{path.name}"]["rows_excluded"]
        assert excluded.get("preview", 0) == previews > 0
        assert excluded.get("incomplete", 0) == unfinished > 0


def test_every_kind_of_mess_is_present(manifest):
    reasons = set()
    for counts in manifest["files"].values():
        reasons |= set(counts["rows_excluded"]) | set(counts["rows_quarantined"])
    expected = {"preview", "incomplete", "duplicate_submission", "out_of_range"}
    assert expected | {"unknown_label", "unknown_cohort"} <= reasons
    unknown = sum(
        c["rows_quarantined"].get("unknown_cohort", 0) for c in manifest["files"].values()
    )
    assert 1 <= unknown <= 2


def test_people_attrition_and_linkage(manifest):
    programmes = manifest["programmes"]
    assert 1300 <= sum(p["participants"] for p in programmes.values()) <= 1700
    for name, p in programmes.items():
        assert 0.05 <= p["attrition"]["post"] <= 0.10, name
        assert 0.20 <= p["attrition"]["followup"] <= 0.50, name
        assert 0 < p["linked_pairs"]["followup"] < p["linked_pairs"]["post"] < p["loaded"]["pre"]
        assert p["typo_pairs"]["post"] > 0
        assert p["linked_by_match_type"]["post"]["one_element"] > 0
        for wave, n in p["linked_pairs"].items():
            assert n == sum(p["linked_by_match_type"][wave].values())
        assert p["false_links"] == {"post": 0, "followup": 0}
        assert sum(c["participants"] for c in p["by_cohort"].values()) == p["participants"]
    typos = sum(n for p in programmes.values() for n in p["typo_pairs"].values())
    missed = sum(n for p in programmes.values() for n in p["typo_unlinked"].values())
    assert missed <= 0.1 * typos  # one-element linkage recovers at least 90% of the typos


def test_realised_effects_are_within_tolerance_of_their_targets(manifest):
    tolerance = manifest["tolerance_dz"]
    for programme, instruments in manifest["effects"].items():
        for instrument, scales in instruments.items():
            for scale, entry in scales.items():
                for wave in ("post", "followup"):
                    e = entry[wave]
                    where = f"{programme} {instrument}.{scale} {wave}"
                    assert abs(e["realised_dz"] - e["target_dz"]) <= tolerance, where
                    assert 0.5 <= e["realised_r"] <= 0.7, where
                    assert e["n_pairs"] >= 80, where


def test_effects_tell_the_published_story(manifest):
    effects = manifest["effects"]
    for scale in ("prejudice_exclusion", "tolerance_support"):
        contact = effects["workplace"]["cami12"][scale]
        education = effects["schools"]["cami12"][scale]
        assert contact["post"]["realised_dz"] >= education["post"]["realised_dz"] + 0.1
        for entry in (contact, education):
            assert entry["followup"]["realised_dz"] < entry["post"]["realised_dz"]
    for programme in ("workplace", "schools"):
        knowledge = effects[programme]["maks"]["knowledge"]["post"]["realised_dz"]
        assert 0.4 <= knowledge <= 0.8
        ribs = effects[programme]["ribs"]["intended_behaviour"]["post"]
        assert 0.15 <= ribs["realised_dz"] <= 0.35
        assert ribs["mean_pre"] >= 15  # near the ceiling of 20
    peer = effects["peer_support"]
    assert 0.35 <= peer["gbs"]["total"]["post"]["realised_dz"] <= 0.55
    assert peer["ucla3"]["loneliness"]["post"]["realised_dz"] < 0  # less lonely


def test_sgic_codes_are_unique_within_each_cohort(gen):
    spec = gen.PROGRAMMES[0]
    people = gen.make_people(spec, [150] * len(spec.cohorts), np.random.default_rng(7))
    for cohort in range(len(spec.cohorts)):
        codes = [gen.true_code(p) for p in people if p.cohort == cohort]
        assert len(codes) == len(set(codes)) == 150


def test_identifiers_are_fake_and_unique_per_response():
    seen: set[str] = set()
    for path in qualtrics_exports():
        table = read_table(path)
        for row in (dict(zip(table[0], r, strict=True)) for r in table[3:]):
            address = ipaddress.ip_address(row["IPAddress"])
            assert any(address in net for net in DOC_NETS), row["IPAddress"]
            for column in ("IPAddress", "LocationLatitude", "ResponseId"):
                assert row[column] not in seen, (path.name, column, row[column])
                seen.add(row[column])
            if row["RecipientEmail"]:
                assert re.search(r"@([a-z-]+\.)?example\.(com|org|net)$", row["RecipientEmail"])
    forms = read_table(SAMPLE / "exports" / "schools_pre.csv")
    assert all(r[1].endswith(".example.org") for r in forms[1:])


def test_no_licensed_item_wording_is_shipped(loaded):
    instruments = load_instruments(loaded.resolve(loaded.config.instruments_dir))
    owner = {i: ins for ins in instruments.values() for i in ins.item_ids}
    for source in loaded.config.sources:
        survey = loaded.config.surveys[source.survey]
        table = read_table(loaded.resolve(source.path))
        if survey.format == "qualtrics":
            text = {
                json.loads(key)["ImportId"]: t for key, t in zip(table[2], table[1], strict=True)
            }
        else:
            text = {h: h for h in table[0]}
        for column, item_id in survey.items.items():
            if not owner[item_id].wording_shipped:
                assert re.search(r"Statement \d+\]?$", text[column]), text[column]
