"""SurveyMonkey API v3 JSON: the real bulk + details pair, every question family, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.ingest.detect import Detection
from pipeline.ingest.errors import IngestError
from pipeline.ingest.surveymonkey_api import looks_like_surveymonkey_api, read_surveymonkey_api

Write = Callable[[str, bytes | str], Path]
REAL = "surveymonkey-api/"
BULK = REAL + "api.surveymonkey.net__v3__surveys__318754279__responses__bulk-eda25e.json"
DETAILS = REAL + "api.surveymonkey.com__v3__surveys__318754279__details.json"
META = ["id", "collector_id", "date_created", "date_modified", "response_status", "ip_address"]


def choices(*pairs: tuple[str, str]) -> list[dict]:
    return [{"id": i, "text": t, "position": n} for n, (i, t) in enumerate(pairs, start=1)]


def question(qid: str, family: str, heading: str, subtype: str = "", **answers) -> dict:
    return {
        "id": qid,
        "family": family,
        "subtype": subtype,
        "headings": [{"heading": heading}],
        "answers": answers,
    }


SURVEY = {
    "id": "9",
    "title": "Workshop",
    "custom_variables": {"cohort": "Cohort"},
    "pages": [
        {
            "id": "p1",
            "questions": [
                question(
                    "10", "single_choice", "<b>Agree?</b>", "vertical",
                    choices=choices(("101", "No"), ("102", "Yes, a lot")),
                    other={"id": "109", "text": "Other (please specify)"},
                ),
                question(
                    "20", "multiple_choice", "Which apply?", "vertical",
                    choices=choices(("201", "A"), ("202", "B"), ("203", "C")),
                    other={"id": "209", "text": "Something else"},
                ),
                question(
                    "30", "matrix", "Rate", "rating",
                    rows=choices(("301", "Row one"), ("302", "Row two")),
                    choices=choices(("311", "Low"), ("312", "High")),
                ),
                question(
                    "40", "matrix", "Menus", "menu",
                    rows=choices(("401", "R")),
                    cols=[{"id": "41", "text": "Col", "choices": choices(("411", "x"))}],
                ),
                question(
                    "50", "matrix", "Pick per row", "multi",
                    rows=choices(("501", "R1")),
                    choices=choices(("511", "m"), ("512", "n")),
                ),
            ],
        },
        {
            "id": "p2",
            "questions": [
                question("60", "open_ended", "Why?", "essay"),
                question("70", "open_ended", "Numbers", "multi",
                         rows=choices(("701", "Age"), ("702", "Years"))),
                question("80", "demographic", "About you", "international",
                         rows=choices(("801", "City"))),
                question("90", "datetime", "When?", "date_only", rows=choices(("901", "Date"))),
                question("95", "presentation", "Thanks", "descriptive_text"),
            ],
        },
    ],
}  # fmt: skip

RESPONSE_1 = {
    "id": "r1",
    "survey_id": "9",
    "collector_id": "c1",
    "date_created": "2024-01-01T10:00:00+00:00",
    "date_modified": "2024-01-01T10:05:00+00:00",
    "response_status": "completed",
    "ip_address": "10.0.0.1",
    "first_name": "Never",
    "email_address": "never@read.example",
    "custom_variables": {"cohort": "A", "extra": 7},
    "pages": [
        {
            "id": "p1",
            "questions": [
                {"id": "10", "answers": [{"choice_id": "102"}]},
                {
                    "id": "20",
                    "answers": [
                        {"choice_id": "201"},
                        {"choice_id": "203"},
                        {"other_id": "209", "text": "Mine"},
                    ],
                },
                {
                    "id": "30",
                    "answers": [
                        {"row_id": "301", "choice_id": "312"},
                        {"row_id": "302", "choice_id": "311"},
                    ],
                },
                {"id": "40", "answers": [{"row_id": "401", "col_id": "41", "choice_id": "411"}]},
                {
                    "id": "50",
                    "answers": [
                        {"row_id": "501", "choice_id": "511"},
                        {"row_id": "501", "choice_id": "512"},
                    ],
                },
            ],
        },
        {
            "id": "p2",
            "questions": [
                {"id": "60", "answers": [{"text": "Because,\nreasons"}]},
                {"id": "70", "answers": [{"row_id": "702", "text": "3"}]},
                {"id": "80", "answers": [{"row_id": "801", "text": "Leeds"}]},
                {"id": "90", "answers": [{"row_id": "901", "text": "01/02/2024"}]},
            ],
        },
    ],
}
RESPONSE_2 = {
    "id": "r2",
    "survey_id": "9",
    "collector_id": "c1",
    "response_status": "partial",
    "ip_address": None,
    "custom_variables": {},
    "pages": [
        {"id": "p1", "questions": [{"id": "10", "answers": [{"other_id": "109", "text": ""}]}]},
        {"id": "p2", "questions": []},
    ],
}


def write_json(write: Write, name: str, doc) -> Path:
    return write(name, json.dumps(doc))


@pytest.fixture
def pair(write: Write) -> tuple[Path, Path]:
    bulk = write_json(write, "bulk.json", {"data": [RESPONSE_1, RESPONSE_2], "total": 2})
    return bulk, write_json(write, "details.json", SURVEY)


# --- the real recorded API responses ------------------------------------------------------------


def test_real_bulk_with_details(real_data: Path) -> None:
    raw = read_surveymonkey_api(real_data / BULK, real_data / DETAILS)
    assert raw.keys == [*META, "769893650", "769893903"]
    assert raw.labels[-2:] == ["How many pets do you have?", "What are the names of your pets?"]
    assert raw.frame.index.tolist() == [2, 3] and raw.frame.index.name == "source_row_number"
    first, second = raw.frame.loc[2], raw.frame.loc[3]
    # Both respondents chose choice 5096103935, whose text in the details is "3".
    assert first["769893650"] == second["769893650"] == "3"
    assert first["769893903"] == "Donut, Mango, Phil"
    assert second["769893903"] == "Phil, Mango, Donut"
    assert first["id"] == "13376313674" and second["collector_id"] == "415837773"
    assert first["date_created"] == "2022-03-05T18:05:46+00:00"
    assert first["response_status"] == "completed" and first["ip_address"] == "100.34.161.38"
    assert raw.column_meta[-2] == {"question_id": "769893650", "family": "single_choice"}
    assert all(isinstance(v, str) for v in raw.frame.to_numpy().ravel())
    d = raw.detection
    assert (d.format, d.encoding, d.delimiter, d.header_rows, d.rows, d.columns) == (
        "surveymonkey_api",
        "utf-8",
        "",
        1,
        2,
        8,
    )
    assert d.sha256 == "d9eb21a96c940fb955668b4b060519974989b0236eeeac9f0254e8db29bcd242"
    assert getattr(d, "file_type", "json") == "json"
    assert raw.problems == [] and raw.warnings == ()


def test_real_bulk_without_details_keeps_choice_ids(real_data: Path) -> None:
    raw = read_surveymonkey_api(real_data / BULK)
    assert raw.frame["769893650"].tolist() == ["5096103935", "5096103935"]
    assert raw.keys[-2:] == ["769893650", "769893903"]
    assert any(w.startswith("surveymonkey_no_details") for w in raw.warnings)


def test_real_sniffing(real_data: Path) -> None:
    assert looks_like_surveymonkey_api((real_data / BULK).read_bytes()) == "bulk"
    assert looks_like_surveymonkey_api((real_data / DETAILS).read_bytes()) == "details"
    assert looks_like_surveymonkey_api(b"id,name\n1,2\n") is None
    assert looks_like_surveymonkey_api(b'{"a": 1}') is None


# --- every question family ----------------------------------------------------------------------


def test_every_family_is_laid_out(pair: tuple[Path, Path]) -> None:
    raw = read_surveymonkey_api(*pair)
    expected = [
        *META,
        "custom_variables.cohort",
        "10",
        "10_other",
        "20_201",
        "20_202",
        "20_203",
        "20_other",
        "30_301",
        "30_302",
        "40_401_41",
        "50_501_511",
        "50_501_512",
        "60",
        "70_701",
        "70_702",
        "80_801",
        "90_901",
        "custom_variables.extra",  # not declared in the details: appended
    ]
    assert raw.keys == expected and raw.detection.columns == len(expected)
    one, two = (raw.frame.loc[n].to_dict() for n in (2, 3))
    assert one["10"] == "Yes, a lot" and one["10_other"] == ""
    assert (one["20_201"], one["20_202"], one["20_203"], one["20_other"]) == ("A", "", "C", "Mine")
    assert (one["30_301"], one["30_302"]) == ("High", "Low")
    assert one["40_401_41"] == "x"
    assert (one["50_501_511"], one["50_501_512"]) == ("m", "n")
    assert one["60"] == "Because,\nreasons"  # text kept exactly as written
    assert (one["70_701"], one["70_702"], one["80_801"]) == ("", "3", "Leeds")
    assert one["custom_variables.cohort"] == "A" and one["custom_variables.extra"] == "7"
    assert two["10"] == "" and two["10_other"] == "Other (please specify)"
    assert two["ip_address"] == "" and two["date_created"] == ""
    assert "Never" not in raw.frame.to_numpy() and "first_name" not in raw.keys
    labels = dict(zip(raw.keys, raw.labels, strict=True))
    assert labels["10"] == "Agree?"  # HTML removed
    assert labels["30_302"] == "Rate | Row two"
    assert labels["20_203"] == "Which apply? | C"
    assert labels["50_501_512"] == "Pick per row | R1 | n"
    assert raw.column_meta[raw.keys.index("30_301")]["row_id"] == "301"


def test_without_details_multi_choice_needs_them(pair: tuple[Path, Path], write: Write) -> None:
    with pytest.raises(IngestError, match=r"bulk\.json: details_required: row 2: question 20"):
        read_surveymonkey_api(pair[0])
    single = {"data": [{**RESPONSE_1, "pages": RESPONSE_1["pages"][1:]}, RESPONSE_2]}
    raw = read_surveymonkey_api(write_json(write, "b.json", single))
    assert raw.keys == [*META, "custom_variables.cohort", "custom_variables.extra", "60",
                        "70_702", "80_801", "90_901", "10_other"]  # fmt: skip
    assert raw.frame.loc[3, "10_other"] == "109"  # the other option's id: no details to name it


def test_pages_concatenated_or_in_an_array(write: Write) -> None:
    page = {"data": [RESPONSE_2], "total": 3}
    path = write("pages.json", json.dumps(page) + "\n" + json.dumps(page))
    raw = read_surveymonkey_api(path, write_json(write, "d.json", SURVEY))
    assert raw.frame.index.tolist() == [2, 3] and raw.detection.rows == 2
    assert any(w.startswith("surveymonkey_pages") for w in raw.warnings)
    assert any("reported 3 responses" in w for w in raw.warnings)
    array = read_surveymonkey_api(write_json(write, "a.json", [page, page]))
    assert array.frame.index.tolist() == [2, 3]


def test_empty_bulk_and_bom(write: Write) -> None:
    raw = read_surveymonkey_api(write("e.json", b'\xef\xbb\xbf{"data": []}\r\n'))
    assert raw.frame.empty and raw.keys == META and raw.detection.rows == 0
    assert raw.detection.encoding == "utf-8-sig" and raw.detection.first_data_row is None


# --- errors -------------------------------------------------------------------------------------


def test_errors(pair: tuple[Path, Path], write: Write) -> None:
    bulk, details = pair
    cases = [
        (write("bad.json", '{"data": [}'), None, "malformed_json: invalid JSON at line 1"),
        (write("deep.json", "[" * 200_000 + "]" * 200_000), None, "json_too_deep"),
        (write("csv.json", "a,b\n1,2\n"), None, "malformed_json"),
        (write_json(write, "x.json", {"hello": 1}), None, "not_surveymonkey"),
        (details, None, "not_surveymonkey: .*pass it as details"),
        (bulk, bulk, "not_surveymonkey_details: .*responses/bulk"),
        (write("latin.json", b'{"data": ["\xe9"]}'), None, "invalid_utf8"),
        (write("empty.json", b""), None, "empty_file"),
        (write("ws.json", b" \n"), None, "empty_file"),
        (write_json(write, "s.json", {"data": ["x"]}), None, "not_surveymonkey: row 2"),
    ]
    for path, det, message in cases:
        with pytest.raises(IngestError, match=message):
            read_surveymonkey_api(path, det)


def test_ids_missing_from_the_details_are_refused(write: Write) -> None:
    details = write_json(write, "d.json", SURVEY)

    def bulk_with(answers: list[dict], qid: str = "10") -> Path:
        response = {"id": "r", "pages": [{"questions": [{"id": qid, "answers": answers}]}]}
        return write_json(write, "b.json", {"data": [RESPONSE_2, response]})

    with pytest.raises(IngestError, match=r"unknown_choice: row 3: question 10 .* id 999"):
        read_surveymonkey_api(bulk_with([{"choice_id": "999"}]), details)
    with pytest.raises(IngestError, match="unknown_choice: row 3: question 30 has the row id 9"):
        read_surveymonkey_api(bulk_with([{"row_id": "9", "choice_id": "311"}], "30"), details)
    with pytest.raises(IngestError, match="unknown_question: row 3: question 77"):
        read_surveymonkey_api(bulk_with([{"text": "t"}], "77"), details)
    with pytest.raises(IngestError, match="repeated_answer: row 3: question 10"):
        read_surveymonkey_api(bulk_with([{"choice_id": "101"}, {"choice_id": "102"}]), details)
    with pytest.raises(IngestError, match="unsupported_answer: row 3: question 10"):
        read_surveymonkey_api(bulk_with([{"tag_data": []}]), details)
    other = write_json(write, "o.json", {"data": [{**RESPONSE_2, "survey_id": "8"}]})
    with pytest.raises(IngestError, match="survey_mismatch: row 2"):
        read_surveymonkey_api(other, details)


def test_detection_fields_match_the_dataclass(pair: tuple[Path, Path]) -> None:
    d = read_surveymonkey_api(*pair).detection
    assert isinstance(d, Detection) and d.first_data_row == 2 and d.problem_rows == 0
    assert d.size_bytes == pair[0].stat().st_size


def test_sparse_details_and_size_limit(write: Write) -> None:
    details = {
        "id": "9",
        "pages": [
            {"questions": [{"id": "1", "headings": {"heading": "odd"}}, {"id": "2"}]},
            "not a page",
        ],
    }
    response = {"id": "r", "pages": [{"questions": [{"id": "1", "answers": [{"text": "t"}]}]}]}
    bulk = write_json(write, "b.json", {"data": [response]})
    raw = read_surveymonkey_api(bulk, write_json(write, "d.json", details))
    assert raw.keys == [*META, "1", "2"] and raw.labels[-2:] == ["1", "2"]
    assert raw.frame.loc[2, "1"] == "t"
    other = {"id": "r", "pages": [{"questions": [{"id": "2", "answers": [{"other_id": "5"}]}]}]}
    with pytest.raises(IngestError, match=r"unknown_choice: row 2: question 2 .*other option id 5"):
        read_surveymonkey_api(write_json(write, "o.json", {"data": [other]}),
                              write_json(write, "d.json", details))  # fmt: skip
    with pytest.raises(IngestError, match="file_too_large"):
        read_surveymonkey_api(bulk, max_bytes=10)


def test_detection_gets_file_type_once_the_field_exists(
    pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another change adds `file_type` and `encoding_confidence` to Detection; both are set
    when they exist and left out while they do not."""
    import dataclasses

    from pipeline.ingest import surveymonkey_api

    @dataclasses.dataclass(frozen=True)
    class Extended(Detection):
        file_type: str = "csv"
        encoding_confidence: float | None = None

    monkeypatch.setattr(surveymonkey_api, "Detection", Extended)
    d = read_surveymonkey_api(*pair).detection
    assert (d.file_type, d.encoding_confidence) == ("json", 1.0)
