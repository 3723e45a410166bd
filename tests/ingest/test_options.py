"""ReadOptions, limits, encoding confidence, Detection fields and JSON files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, DataError
from pipeline.ingest.detect import detect
from pipeline.ingest.filetype import surveymonkey_json_kind
from pipeline.ingest.options import ReadOptions, resolve_options
from pipeline.ingest.readers import read_export

SM_API = "surveymonkey-api"


def code_of(path: Path, **kwargs) -> str:
    with pytest.raises(DataError) as caught:
        read_export(path, **kwargs)
    assert str(caught.value).startswith(f"{path}: {caught.value.code}: ")
    return caught.value.code


# --- ReadOptions --------------------------------------------------------------------------------


def test_defaults_detect_everything() -> None:
    options = ReadOptions()
    assert options.given() == ()
    assert (options.max_bytes, options.max_rows, options.max_columns) == (
        1024**3, 5_000_000, 5_000,
    )  # fmt: skip


@pytest.mark.parametrize(
    "kwargs",
    [{"format": "spss"}, {"header_rows": 0}, {"header_rows": 11}, {"max_rows": 0}],
)
def test_invalid_options_are_config_errors(kwargs: dict) -> None:
    with pytest.raises(ConfigError):
        ReadOptions(**kwargs)


def test_keywords_apply_on_top_of_options() -> None:
    base = ReadOptions(format="csv", encoding="cp1252")
    merged = resolve_options(base, {"encoding": "utf-8", "delimiter": None})
    assert (merged.format, merged.encoding, merged.delimiter) == ("csv", "utf-8", None)
    assert resolve_options(None, {}) == ReadOptions()
    with pytest.raises(TypeError, match="unknown read option"):
        resolve_options(None, {"encodnig": "utf-8"})


def test_details_path_is_a_path() -> None:
    assert ReadOptions(details="x/details.json").details == Path("x/details.json")


def test_old_keyword_arguments_still_work(write) -> None:
    path = write("t.csv", "Q1,Q2;Q3\n1,2;3\n")
    assert read_export(path, delimiter=";").detection.columns == 2
    assert read_export(path, ReadOptions(delimiter=";")).detection.overridden == ("delimiter",)


def test_options_that_do_not_apply_are_reported(write) -> None:
    d = detect(write("t.csv", "a,b\n1,2\n"), ReadOptions(sheet="Data"))
    assert any(w.startswith("sheet_ignored:") for w in d.warnings)
    assert d.overridden == ()


# --- Limits -------------------------------------------------------------------------------------


def test_csv_limits(write) -> None:
    path = write("t.csv", "a,b,c\n1,2,3\n4,5,6\n7,8,9\n")
    assert code_of(path, max_rows=2) == "too_many_rows"
    assert code_of(path, max_columns=2) == "too_many_columns"
    assert code_of(path, max_bytes=10) == "file_too_large"
    assert read_export(path, max_rows=3, max_columns=3).detection.rows == 3
    unlimited = ReadOptions(max_rows=None, max_columns=None, max_bytes=None)
    assert read_export(path, unlimited).detection.rows == 3


def test_limit_messages_say_how_to_raise_them(write) -> None:
    with pytest.raises(DataError) as caught:
        read_export(write("t.csv", "a,b\n1,2\n3,4\n"), max_rows=1)
    assert "above the limit of 1" in str(caught.value)
    assert "limits.max_rows" in str(caught.value)


# --- Encoding confidence ------------------------------------------------------------------------


def test_utf8_is_certain(fixtures: Path) -> None:
    d = detect(fixtures / "crlf.csv")
    assert (d.encoding_confidence, d.encoding_guessed) == (1.0, False)
    assert not any(w.startswith("encoding_guessed:") for w in d.warnings)


def test_bom_and_override_are_certain(fixtures: Path) -> None:
    assert detect(fixtures / "bom_utf8.csv").encoding_confidence == 1.0
    d = detect(fixtures / "cp1252.csv", encoding="cp1252")
    assert (d.encoding_source, d.encoding_confidence, d.encoding_guessed) == (
        "override",
        1.0,
        False,
    )
    assert d.overridden == ("encoding",)


def test_a_guessed_encoding_says_so_and_how_to_declare_it(fixtures: Path) -> None:
    d = detect(fixtures / "cp1252.csv")
    assert d.encoding_guessed
    assert 0 < d.encoding_confidence < 1
    warning = next(w for w in d.warnings if w.startswith("encoding_guessed:"))
    assert "decoded as cp1252" in warning
    assert "`encoding: cp1252`" in warning


def test_as_dict_has_the_new_fields(fixtures: Path) -> None:
    out = detect(fixtures / "cp1252.csv").as_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["file_type"] == "csv"
    assert out["encoding_guessed"] is True
    assert isinstance(out["encoding_confidence"], float)
    for key in ("sheet", "variant", "overridden"):
        assert key in out


# --- JSON ---------------------------------------------------------------------------------------


def test_deeply_nested_json_is_not_a_crash(write) -> None:
    for name in ("deep.json", "deep.csv"):
        assert code_of(write(name, "[" * 100_000)) == "unexpected_file_type"
    assert code_of(write("deep2.csv", '{"a":' * 50_000 + "1" + "}" * 50_000)) in (
        "unexpected_file_type",
    )


def test_other_json_is_refused(write) -> None:
    assert code_of(write("x.json", '{"rows": [1, 2]}')) == "unexpected_file_type"


def test_csv_header_starting_with_a_bracket_is_a_table(write) -> None:
    raw = read_export(write("t.csv", "[Q1] How are you?,Score\nfine,3\n"))
    assert raw.keys == ["[Q1] How are you?", "Score"]


def test_surveymonkey_json_kind() -> None:
    bulk = b'{"data": [{"id": "1", "response_status": "completed", "pages": []}], "page": 1}'
    details = b'{"title": "t", "question_count": 2, "id": "31", "pages": [{"questions": []}]}'
    assert surveymonkey_json_kind(bulk) == "responses"
    assert surveymonkey_json_kind(details) == "details"
    assert surveymonkey_json_kind(b'{"data": [1]}') is None
    assert surveymonkey_json_kind(b"Respondent ID,Collector ID\n") is None


def test_surveymonkey_api_responses_are_read_with_details(real_data: Path, well_formed) -> None:
    pytest.importorskip("pipeline.ingest.surveymonkey_api")
    folder = real_data / SM_API
    details = next(folder.glob("*details.json"))
    raw = read_export(next(folder.glob("*bulk*.json")), ReadOptions(details=details))
    well_formed(raw)
    d = raw.detection
    assert (d.format, d.file_type, d.variant, d.rows) == (
        "surveymonkey_api",
        "json",
        "responses",
        2,
    )


def test_a_details_document_is_not_responses(real_data: Path) -> None:
    details = next((real_data / SM_API).glob("*details.json"))
    assert code_of(details) == "no_responses"


def test_surveymonkey_api_format_on_a_csv_fails(fixtures: Path) -> None:
    assert code_of(fixtures / "crlf.csv", format="surveymonkey_api") == "unexpected_file_type"
    assert code_of(fixtures / "kobo.xlsx", format="surveymonkey_api") == "unexpected_file_type"


def test_without_the_surveymonkey_api_module_json_fails_clearly(
    real_data: Path, monkeypatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pipeline.ingest.surveymonkey_api", None)
    responses = next((real_data / SM_API).glob("*bulk*.json"))
    with pytest.raises(DataError) as caught:
        read_export(responses)
    assert caught.value.code == "unexpected_file_type"
    assert "export the responses as CSV or XLSX" in str(caught.value)
