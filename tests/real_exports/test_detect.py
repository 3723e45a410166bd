"""`ripple detect --json` on every real file: format, file type, encoding, delimiter, header
rows, rows and columns, and the quirks the provenance notes describe."""

from __future__ import annotations

import json

import pytest

from tests.real_exports.files import (
    CODEC,
    CS50,
    DETECT,
    OSMI_2014_DMY,
    OSMI_2014_EN_US,
    OSMI_2014_ZH_CN,
    OSMI_2016,
    QUALTRICS_LEGACY,
    SIMPLE,
    SM_BULK,
    SM_DETAILS,
    assert_no_crash,
    ripple,
)
from tests.real_exports.reading import records, table


def test_every_real_file_is_covered(real_data, detected):
    on_disk = {
        p.relative_to(real_data).as_posix()
        for p in real_data.rglob("*")
        if p.is_file() and p.name != "PROVENANCE.md"
    }
    assert on_disk == set(DETECT), "a real file was added or removed: describe it in DETECT"
    assert set(detected) == on_disk
    assert all(d["ok"] for d in detected.values())


@pytest.mark.parametrize("name", sorted(n for n, v in DETECT.items() if v[1] == "csv"))
def test_detect_describes_each_real_csv(real_data, detected, name):
    fmt, file_type, encodings, delimiter, header_rows = DETECT[name]
    found = detected[name]
    header, data = table(real_data / name, CODEC.get(name, "utf-8"), header_rows)
    assert (found["format"], found["file_type"]) == (fmt, file_type)
    assert found["encoding"] in encodings
    assert (found["delimiter"], found["header_rows"]) == (delimiter, header_rows)
    assert (found["rows"], found["columns"]) == (len(data), len(header))


def test_detect_says_the_gbk_file_is_a_guess(real_data, detected):
    raw = (real_data / OSMI_2014_ZH_CN).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    raw.decode("gbk")  # the file really is GBK
    found = detected[OSMI_2014_ZH_CN]
    assert found["encoding_guessed"] is True and found["encoding_confidence"] < 1
    assert any(w.startswith("encoding_guessed:") for w in found["warnings"])


def test_detect_reports_the_layout_quirks(real_data, detected):
    # the day-first re-save's blank first header cell, and the legacy trailing empty column
    assert any("blank_header" in w and "_blank_1" in w for w in detected[OSMI_2014_DMY]["warnings"])
    header, _ = table(real_data / QUALTRICS_LEGACY, "utf-8-sig")
    assert header[-1] == ""
    assert any("_blank_16" in w for w in detected[QUALTRICS_LEGACY]["warnings"])
    # OSMI 2016 repeats "Why or why not?"
    header, _ = table(real_data / OSMI_2016)
    repeated = [n for n, h in enumerate(header, start=1) if header.count(h) > 1]
    warning = next(w for w in detected[OSMI_2016]["warnings"] if w.startswith("repeated_header"))
    assert f"column(s) {', '.join(str(n) for n in repeated)} share" in warning
    # REDCapR simple: addresses and comments with line breaks inside quoted cells
    rows = records(real_data / SIMPLE)[1:]
    multiline = sum(any("\n" in cell for cell in row) for row in rows)
    assert multiline and detected[SIMPLE]["multiline_records"] == multiline
    # CRLF where the provenance notes say so
    for name in (OSMI_2016, CS50, OSMI_2014_EN_US):
        assert b"\r\n" in (real_data / name).read_bytes()
        assert detected[name]["line_endings"] == "crlf"


def test_detect_describes_the_surveymonkey_json(real_data, detected):
    bulk = json.loads((real_data / SM_BULK).read_text(encoding="utf-8"))
    found = detected[SM_BULK]
    assert (found["format"], found["file_type"], found["variant"]) == (
        "surveymonkey_api",
        "json",
        "responses",
    )
    assert found["rows"] == len(bulk["data"]) == bulk["total"]
    questions = {q["id"] for r in bulk["data"] for p in r["pages"] for q in p["questions"]}
    assert found["columns"] >= len(questions) + 1  # the questions and at least the id
    details = detected[SM_DETAILS]
    assert (details["format"], details["file_type"], details["variant"]) == (
        "surveymonkey_api",
        "json",
        "details",
    )
    assert details["rows"] == 0
    assert any("details" in w for w in details["warnings"])


def test_repeated_headers_are_keyed_by_occurrence(real_data):
    result = ripple("detect", "--columns", "--json", str(real_data / OSMI_2016))
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    columns = json.loads(result.stdout)[0]["columns"]
    header, _ = table(real_data / OSMI_2016)
    positions = [n for n, h in enumerate(header, start=1) if h == "Why or why not?"]
    assert len(positions) == 2
    keys = {c["position"]: c["key"] for c in columns}
    assert [keys[p] for p in positions] == ["Why or why not? [1]", "Why or why not? [2]"]
    assert "Why or why not?" not in keys.values()
