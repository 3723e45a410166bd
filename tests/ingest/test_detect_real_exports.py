"""Detection on real exports: the Qualtrics copies in tests/fixtures/ingest/real, and those in
../shared/data/real (skipped where that folder is absent)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.ingest import detect
from tests.ingest.detection_checks import shape

REAL_COPIES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "real"
QUALTRICS_SAMPLE = REAL_COPIES / "sample.csv"
QUALTRICS_LEGACY = REAL_COPIES / "sample_legacy.csv"


# --- Real Qualtrics exports (MIT, copied into tests/fixtures/ingest/real) -----------------------


def test_modern_qualtrics_export() -> None:
    d = detect(QUALTRICS_SAMPLE)
    assert shape(d) == ("qualtrics", "utf-8", ",", 3, 1, 20)
    assert d.first_data_row == 4
    assert d.size_bytes == 1497
    assert d.sha256 == hashlib.sha256(QUALTRICS_SAMPLE.read_bytes()).hexdigest()
    assert d.sha256 == "3f55357fe3768d0f539dc8a47f39707f77344824ce40c675e941f2531ae2aaea"
    assert d.line_endings == "lf"
    assert d.problem_rows == 0
    assert d.warnings == ()


def test_legacy_qualtrics_export() -> None:
    d = detect(QUALTRICS_LEGACY)
    assert shape(d) == ("qualtrics_legacy", "utf-8-sig", ",", 2, 1, 16)
    assert d.encoding_source == "bom"
    assert d.first_data_row == 3
    assert d.problem_rows == 0  # the trailing comma is on every line: consistent, not ragged
    assert any(w.startswith("blank_header:") for w in d.warnings)


def test_as_dict_is_json_safe() -> None:
    out = detect(QUALTRICS_SAMPLE).as_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["path"] == str(QUALTRICS_SAMPLE)
    for key in ("format", "encoding", "delimiter", "header_rows", "rows", "columns", "sha256"):
        assert key in out


# --- Real exports from ../shared/data/real (skipped where that folder is absent) ----------------


OSMI = "osmi-mental-health-in-tech/"
REAL_EXPECTED = {
    "qualtRics/sample.csv": ("qualtrics", "utf-8", ",", 3, 1, 20),
    "qualtRics/sample_legacy.csv": ("qualtrics_legacy", "utf-8-sig", ",", 2, 1, 16),
    "google-forms-cs50/favorites.csv": ("google_forms", "utf-8", ",", 1, 490, 3),
    OSMI + "osmi_2016_mental-heath-in-tech-2016_20161114.csv": ("csv", "utf-8", ",", 1, 1433, 63),
    OSMI + "osmi_2014_survey__excel_en-US_roundtrip.csv": (
        "google_forms",
        "utf-8",
        ",",
        1,
        1259,
        27,
    ),
    OSMI + "osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv": (
        ("google_forms", "gb18030", ",", 1, 1259, 27)
    ),
    OSMI + "osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv": ("csv", "utf-8", ",", 1, 1259, 27),
    "REDCapR/longitudinal__data.csv": ("redcap", "utf-8", ",", 1, 18, 125),
    "REDCapR/simple__data.csv": ("redcap", "utf-8", ",", 1, 5, 24),
    "REDCapR/survey__data.csv": ("redcap", "utf-8", ",", 1, 2, 33),
    "REDCapR/checkboxes-1__data.csv": ("redcap", "utf-8", ",", 1, 4, 13),
    "redcapAPI/TestRedcapAPI_Records.csv": ("redcap", "utf-8", ",", 1, 40, 78),
}


@pytest.mark.parametrize("name", sorted(REAL_EXPECTED))
def test_real_exports(real_data: Path, name: str) -> None:
    d = detect(real_data / name)
    assert shape(d) == REAL_EXPECTED[name]
    assert d.problem_rows == 0


def test_real_quirks(real_data: Path) -> None:
    favorites = detect(real_data / "google-forms-cs50/favorites.csv")
    assert favorites.line_endings == "crlf"
    simple = detect(real_data / "REDCapR/simple__data.csv")
    assert simple.multiline_records == 5  # quoted multi-line addresses: 16 lines, 6 records
    records = detect(real_data / "redcapAPI/TestRedcapAPI_Records.csv")
    assert records.blank_lines == 1  # the trailing empty line is not a record
    mangled = detect(real_data / OSMI / "osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv")
    assert any(w.startswith("blank_header: column(s) 1 ") for w in mangled.warnings)
    osmi_2016 = detect(real_data / OSMI / "osmi_2016_mental-heath-in-tech-2016_20161114.csv")
    assert any(w.startswith("repeated_header: column(s) 38, 40 ") for w in osmi_2016.warnings)


def test_real_gbk_file_is_detected(real_data: Path) -> None:
    d = detect(real_data / OSMI / "osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv")
    assert d.encoding == "gb18030"
    assert d.encoding_source == "detected"
    assert d.line_endings == "crlf"


def test_surveymonkey_api_json_is_recognised(real_data: Path) -> None:
    responses = detect(next((real_data / "surveymonkey-api").glob("*responses*.json")))
    assert (responses.format, responses.file_type, responses.variant) == (
        "surveymonkey_api", "json", "responses",
    )  # fmt: skip
    assert responses.rows == 2
    details = detect(next((real_data / "surveymonkey-api").glob("*details.json")))
    assert (details.format, details.file_type, details.variant) == (
        "surveymonkey_api", "json", "details",
    )  # fmt: skip
    assert any(w.startswith("surveymonkey_details:") for w in details.warnings)
