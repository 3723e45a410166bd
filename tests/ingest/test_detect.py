"""Format, encoding, delimiter and layout detection, on real exports and synthetic quirks."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import DataError
from pipeline.ingest import Detection, IngestError, detect
from pipeline.ingest.layout import GOOGLE_FORMS_TIMESTAMP
from pipeline.ingest.qualtrics import import_id_key, parse_import_id

REAL_COPIES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "real"
QUALTRICS_SAMPLE = REAL_COPIES / "sample.csv"
QUALTRICS_LEGACY = REAL_COPIES / "sample_legacy.csv"


def shape(d: Detection) -> tuple:
    return (d.format, d.encoding, d.delimiter, d.header_rows, d.rows, d.columns)


def fails(path: Path, code: str, **kwargs) -> IngestError:
    """Assert detect() rejects the file with `code`, a message starting with path and code."""
    with pytest.raises(IngestError) as caught:
        detect(path, **kwargs)
    error = caught.value
    assert isinstance(error, DataError)
    assert error.code == code
    assert str(error).startswith(f"{path}: {code}: ")
    return error


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
EXCEL_XML_NS = b"urn:schemas-microsoft-com:office:spreadsheet"
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


# --- Synthetic fixtures -------------------------------------------------------------------------


def test_utf8_bom(fixtures: Path) -> None:
    d = detect(fixtures / "bom_utf8.csv")
    assert shape(d) == ("google_forms", "utf-8-sig", ",", 1, 2, 3)
    assert d.encoding_source == "bom"


def test_cp1252(fixtures: Path) -> None:
    d = detect(fixtures / "cp1252.csv")
    assert shape(d) == ("google_forms", "cp1252", ",", 1, 2, 3)
    assert d.encoding_source == "detected"


def test_utf16_tab_separated(fixtures: Path) -> None:
    d = detect(fixtures / "utf16_tab.tsv")
    assert shape(d) == ("csv", "utf-16", "\t", 1, 3, 3)
    assert d.line_endings == "crlf"


def test_qualtrics_tsv_in_utf16(fixtures: Path) -> None:
    d = detect(fixtures / "qualtrics_utf16.tsv")
    assert shape(d) == ("qualtrics", "utf-16", "\t", 3, 2, 11)
    assert d.multiline_records == 1


def test_semicolon(fixtures: Path) -> None:
    assert shape(detect(fixtures / "semicolon.csv")) == ("csv", "utf-8", ";", 1, 3, 3)


def test_ragged_rows_are_counted_not_fatal(fixtures: Path) -> None:
    d = detect(fixtures / "ragged.csv")
    assert shape(d) == ("csv", "utf-8", ",", 1, 5, 4)
    assert d.problem_rows == 2


def test_empty_file(fixtures: Path) -> None:
    error = fails(fixtures / "empty.csv", "empty_file")
    assert str(error) == f"{fixtures / 'empty.csv'}: empty_file: the file is empty (0 bytes)"


def test_header_only(fixtures: Path) -> None:
    d = detect(fixtures / "header_only.csv")
    assert shape(d) == ("google_forms", "utf-8", ",", 1, 0, 3)
    assert d.first_data_row is None
    assert any(w.startswith("header_only:") for w in d.warnings)


def test_xlsx_renamed_to_csv(fixtures: Path) -> None:
    error = fails(fixtures / "xlsx_renamed.csv", "unexpected_file_type")
    assert "Excel workbook" in str(error)
    assert "CSV" in str(error)


def test_duplicate_header_is_a_warning_for_detect(fixtures: Path) -> None:
    d = detect(fixtures / "duplicate_header.csv")
    assert any(w.startswith("repeated_header: column(s) 2, 4 ") for w in d.warnings)


def test_multiline_cells_are_one_record(fixtures: Path) -> None:
    d = detect(fixtures / "multiline.csv")
    assert shape(d) == ("csv", "utf-8", ",", 1, 4, 3)
    assert d.multiline_records == 2
    assert d.line_endings == "lf"  # the CRLF inside a quoted cell is data, not a row break


def test_crlf(fixtures: Path) -> None:
    d = detect(fixtures / "crlf.csv")
    assert shape(d) == ("google_forms", "utf-8", ",", 1, 2, 3)
    assert d.line_endings == "crlf"


def test_truncated_quote(fixtures: Path) -> None:
    error = fails(fixtures / "truncated_quote.csv", "truncated_file")
    assert error.row == 3
    assert ": row 3: " in str(error)


# --- File types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100, "Excel 97-2003"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "gzip"),
        (b"<!DOCTYPE html>\n<html><body>Sign in</body></html>\n", "HTML"),
        (b"\xef\xbb\xbf  <html><head></head></html>", "HTML"),
        (b'<?xml version="1.0"?>\n<Workbook xmlns="' + EXCEL_XML_NS + b'">', "Excel 2003 XML"),
        (b'{"data": [{"id": "1"}], "total": 1}', "JSON"),
        (b"Timestamp,Q1\n2024-01-01,\x00\x00\x01\x02\n", "binary"),
    ],
)
def test_not_a_csv(write, content: bytes, words: str) -> None:
    error = fails(write("export.csv", content), "unexpected_file_type")
    assert words in str(error)


def test_zip_holding_a_csv(write) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Survey_pre.csv", "Timestamp,Q1\n")
    error = fails(write("qualtrics_download.csv", buffer.getvalue()), "unexpected_file_type")
    assert "extract" in str(error)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    fails(tmp_path / "nope.csv", "file_not_found")
    fails(tmp_path, "not_a_file")


def test_size_limit(write) -> None:
    fails(write("big.csv", "a,b\n1,2\n"), "file_too_large", max_bytes=4)


@pytest.mark.parametrize("content", [b"\n\r\n\n", b"\xef\xbb\xbf", b"   \n \n"])
def test_blank_content_is_empty(write, content: bytes) -> None:
    fails(write("blank.csv", content), "empty_file")


# --- Encodings ----------------------------------------------------------------------------------


def test_utf16_big_endian_and_without_bom(write) -> None:
    text = "Name\tComment\r\nA\tSchön\r\n"
    assert detect(write("be.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be"))).encoding == (
        "utf-16"
    )
    d = detect(write("nobom.txt", text.encode("utf-16-le")))
    assert (d.encoding, d.encoding_source, d.delimiter) == ("utf-16-le", "utf-16-pattern", "\t")


def test_cp1250_central_european(write) -> None:
    d = detect(write("pl.csv", "Imię,Komentarz\nŁukasz,Zażółć gęślą jaźń\n".encode("cp1250")))
    assert d.encoding == "cp1250"


def test_small_gbk_file(write) -> None:
    d = detect(write("zh.csv", "姓名,评论\n张伟,非常好的研讨会\n".encode("gbk")))
    assert d.encoding == "gb18030"


def test_mostly_utf8_with_a_stray_byte_fails(write) -> None:
    content = "a,b\néé,ü\nöä,x\n".encode() + b"\x92 oops\n"
    error = fails(write("mixed.csv", content), "invalid_utf8")
    assert "line 4" in str(error)


def test_undecodable_bytes_fail(write) -> None:
    noise = b"a,b\n" + bytes(range(0x80, 0x100)) * 3 + b"\n"
    fails(write("noise.csv", noise), "encoding_undetermined")


def test_bad_bytes_after_a_bom_fail(write) -> None:
    error = fails(write("bom.csv", codecs.BOM_UTF8 + b"a,b\n1,\xff\n"), "invalid_encoding")
    assert "line 2" in str(error)


def test_encoding_override(write) -> None:
    path = write("tr.csv", "Ad,Yorum\nŞükrü,Çok güzel\n".encode("cp1254"))
    assert detect(path, encoding="cp1254").encoding == "cp1254"
    assert detect(path, encoding="cp1254").encoding_source == "override"
    fails(write("x.csv", b"a,b\n\xff,1\n"), "invalid_encoding", encoding="utf-8")


def test_mojibake_is_flagged(write) -> None:
    d = detect(write("moji.csv", "id,comment\n1,CafÃ© itâ€™s fine\n"))
    assert any(w.startswith("mojibake_suspected:") for w in d.warnings)


# --- Delimiters and line endings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter", "columns"),
    [
        ("a|b|c\n1|x, y|3\n", "|", 3),
        ("Name;Age, in years;Score\nA;30;3,5\nB;40;4,5\n", ";", 3),
        ("Timestamp,Pick one | or more,Age\n1,a|b,3\n2,c,4\n", ",", 3),
        ("only\n1\n2\n", ",", 1),
        ('id,comment\n1,"semi; colon; here"\n2,"x;y"\n', ",", 2),
    ],
)
def test_delimiter_sniffing(write, text: str, delimiter: str, columns: int) -> None:
    d = detect(write("t.csv", text))
    assert (d.delimiter, d.columns) == (delimiter, columns)


def test_ambiguous_delimiter_fails(write) -> None:
    error = fails(write("t.csv", "Q1,Q2;Q3\n1,2;3\n4,5;6\n"), "ambiguous_delimiter")
    assert "comma" in str(error)
    assert "semicolon" in str(error)


def test_delimiter_override(write) -> None:
    path = write("t.csv", "Q1,Q2;Q3\n1,2;3\n")
    assert detect(path, delimiter=";").columns == 2
    fails(path, "unsupported_delimiter", delimiter=":")


def test_excel_sep_directive(write) -> None:
    d = detect(write("t.csv", "sep=;\r\nQ1;Q2\r\n1,5;2\r\n"))
    assert (d.delimiter, d.columns, d.rows, d.first_data_row) == (";", 2, 1, 2)
    assert any(w.startswith("sep_directive:") for w in d.warnings)


@pytest.mark.parametrize(
    ("text", "endings"),
    [("a,b\r1,2\r3,4\r", "cr"), ("a,b\r\n1,2\n3,4\r\n", "mixed"), ("a,b", "none")],
)
def test_line_endings(write, text: str, endings: str) -> None:
    d = detect(write("t.csv", text))
    assert d.line_endings == endings
    assert d.rows == text.count("\n") + text.count("\r") - text.count("\r\n") - 1 or d.rows == 0


# --- Layouts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first",
    [
        "Timestamp",
        "Marca temporal",
        "Horodateur",
        "Zeitstempel",
        "Carimbo de data/hora",
        "Informazioni cronologiche",
        "timestamp ",
    ],
)
def test_google_forms_timestamp_headers(write, first: str) -> None:
    assert detect(write("t.csv", f"{first},Q1\n2024-01-01,3\n")).format == "google_forms"


def test_google_forms_names_are_casefolded() -> None:
    assert "marca temporal" in GOOGLE_FORMS_TIMESTAMP


def test_qualtrics_with_label_row_deleted(write) -> None:
    text = 'StartDate,Q1\n"{""ImportId"":""startDate""}","{""ImportId"":""QID1""}"\n2024,3\n'
    d = detect(write("t.csv", text))
    assert (d.format, d.header_rows, d.rows, d.first_data_row) == ("qualtrics", 2, 1, 3)
    assert any(w.startswith("qualtrics_header_rows_changed:") for w in d.warnings)


def test_qualtrics_names_without_import_ids_warn(write) -> None:
    names = "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,Q1"
    d = detect(write("t.csv", f"{names}\n" + ",".join("1" * 8) + "\n"))
    assert d.format == "csv"
    assert any(w.startswith("qualtrics_header_rows_missing:") for w in d.warnings)


def test_header_rows_of_different_width_fail(write) -> None:
    text = 'A,B,C\nLabel A,Label B\n"{""ImportId"":""a""}","{""ImportId"":""b""}",x\n1,2,3\n'
    error = fails(write("t.csv", text), "header_field_count")
    assert error.row == 2


def test_runaway_quote_is_too_large(write) -> None:
    error = fails(write("t.csv", 'a,b\n1,"' + "x" * 140_000 + '"\n2,3\n'), "field_too_large")
    assert error.row == 2


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('{"ImportId":"QID5_1"}', {"ImportId": "QID5_1"}),
        (
            '{"ImportId":"startDate","timeZone":"Pacific/Auckland"}',
            {"ImportId": "startDate", "timeZone": "Pacific/Auckland"},
        ),
        ("{'ImportId': 'QID1'}", {"ImportId": "QID1"}),
        ("QID1", None),
        ("{}", None),
        ('{"ImportId":""}', None),
        ("{not json", None),
    ],
)
def test_parse_import_id(cell: str, expected: dict | None) -> None:
    assert parse_import_id(cell) == expected


def test_choice_id_key() -> None:
    assert import_id_key({"ImportId": "QID4", "choiceId": "2"}) == "QID4_2"
    assert import_id_key({"ImportId": "QID4_TEXT"}) == "QID4_TEXT"


def test_delimiter_by_name(write) -> None:
    path = write("t.csv", "Q1,Q2;Q3\n1,2;3\n")
    assert detect(path, delimiter="semicolon").delimiter == ";"
    assert detect(path, delimiter="tab").columns == 1
