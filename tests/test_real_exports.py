"""Every real third-party export in ../shared/data/real/ through the real `ripple` command
(issue 5, item 7): `ripple detect --json` reports each file's format, encoding, delimiter,
header rows, rows and columns, and `ripple validate` accepts one project config holding every
export (tests/real_exports/ripple.yml, with test-only instruments), accounting for every
record with the exclusion and quarantine reasons the data call for.

Every expected number is computed here from the files themselves (Python's csv and json
modules, and this module's own label tables), never copied from Ripple's output. What each
mapping reads and why is explained in tests/real_exports/README.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import duckdb
import pytest
import yaml

KEY = "3c" * 32
HERE = Path(__file__).resolve().parent / "real_exports"

OSMI = "osmi-mental-health-in-tech"
OSMI_2014_EN_US = f"{OSMI}/osmi_2014_survey__excel_en-US_roundtrip.csv"
OSMI_2014_ZH_CN = f"{OSMI}/osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv"
OSMI_2014_DMY = f"{OSMI}/osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv"
OSMI_2016 = f"{OSMI}/osmi_2016_mental-heath-in-tech-2016_20161114.csv"
CS50 = "google-forms-cs50/favorites.csv"
QUALTRICS = "qualtRics/sample.csv"
QUALTRICS_LEGACY = "qualtRics/sample_legacy.csv"
LONGITUDINAL = "REDCapR/longitudinal__data.csv"
SIMPLE = "REDCapR/simple__data.csv"
SURVEY = "REDCapR/survey__data.csv"
CHECKBOXES = "REDCapR/checkboxes-1__data.csv"
REDCAPAPI = "redcapAPI/TestRedcapAPI_Records.csv"
SM_BULK = (
    "surveymonkey-api/api.surveymonkey.net__v3__surveys__318754279__responses__bulk-eda25e.json"
)
SM_DETAILS = "surveymonkey-api/api.surveymonkey.com__v3__surveys__318754279__details.json"
GBK = {"gbk", "gb18030"}  # gb18030 is a superset of GBK and decodes this file identically

# What `ripple detect` must say about every file: format, file type, encodings accepted,
# delimiter, header rows. Rows and columns are counted independently below.
DETECT = {
    OSMI_2014_EN_US: ("google_forms", "csv", {"utf-8"}, ",", 1),
    OSMI_2014_ZH_CN: ("google_forms", "csv", GBK, ",", 1),
    # the day-first re-save blanked the "Timestamp" header, so nothing says Google Forms
    OSMI_2014_DMY: ("csv", "csv", {"utf-8"}, ",", 1),
    OSMI_2016: ("csv", "csv", {"utf-8"}, ",", 1),
    CS50: ("google_forms", "csv", {"utf-8"}, ",", 1),
    QUALTRICS: ("qualtrics", "csv", {"utf-8"}, ",", 3),
    QUALTRICS_LEGACY: ("qualtrics_legacy", "csv", {"utf-8-sig"}, ",", 2),
    LONGITUDINAL: ("redcap", "csv", {"utf-8"}, ",", 1),
    SIMPLE: ("redcap", "csv", {"utf-8"}, ",", 1),
    SURVEY: ("redcap", "csv", {"utf-8"}, ",", 1),
    CHECKBOXES: ("redcap", "csv", {"utf-8"}, ",", 1),
    REDCAPAPI: ("redcap", "csv", {"utf-8"}, ",", 1),
    # REDCap companions (dictionaries, metadata, events, arms) are plain tables, not exports
    "REDCapR/longitudinal__dictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/longitudinal__event.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/longitudinal__arm.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/simple__dictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/simple__metadata.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/survey__dictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "REDCapR/checkboxes-1__dictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "redcapAPI/TestRedcapAPI_DataDictionary.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "redcapAPI/TestRedcapAPI_Events.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "redcapAPI/TestRedcapAPI_Arms.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    "redcapAPI/TestRedcapAPI_InstrumentDesignations.csv": ("csv", "csv", {"utf-8"}, ",", 1),
    SM_BULK: ("surveymonkey_api", "json", {"utf-8"}, None, None),
    SM_DETAILS: ("surveymonkey_api", "json", {"utf-8"}, None, None),
}
# the exports (the other files are their companions), each a source in ripple.yml
EXPORTS = [
    OSMI_2014_EN_US,
    OSMI_2014_ZH_CN,
    OSMI_2014_DMY,
    OSMI_2016,
    CS50,
    QUALTRICS,
    QUALTRICS_LEGACY,
    LONGITUDINAL,
    SIMPLE,
    SURVEY,
    CHECKBOXES,
    REDCAPAPI,
    SM_BULK,
]
# the Python codec that reads each CSV for the independent counts
CODEC = {OSMI_2014_ZH_CN: "gbk", QUALTRICS_LEGACY: "utf-8-sig"}


def ripple(*args: str) -> subprocess.CompletedProcess:
    """The installed `ripple` console script, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k != "RIPPLE_KEY_FILE"}
    return subprocess.run(
        [str(Path(sys.executable).with_name("ripple")), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**env, "RIPPLE_KEY": KEY},
        check=False,
    )


def assert_no_crash(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr + result.stdout, result.stderr


# ---------------------------------------------------------------------------------------------
# Reading the files independently of Ripple


def records(path: Path, codec: str = "utf-8") -> list[list[str]]:
    """Every CSV record (quoted line breaks kept inside their cell); empty lines dropped."""
    with path.open(newline="", encoding=codec) as handle:
        return [row for row in csv.reader(handle) if row]


def table(path: Path, codec: str = "utf-8", header_rows: int = 1) -> tuple[list[str], list]:
    """(header row 1, data records)."""
    rows = records(path, codec)
    return rows[0], rows[header_rows:]


def dict_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if any(row.values())]


def norm(text: str) -> str:
    """An answer as a person reads it: NFKC, straight quotes, single spaces, any case."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold()


UNKNOWN = "unknown"


def answer(value: str, codes: dict[str, int | None], missing: tuple[str, ...] = ()) -> object:
    """A label answer's code; None for blank, missing or don't know (none of them scored);
    UNKNOWN for an answer that is none of the labels."""
    text = norm(value)
    if not text or text in missing:
        return None
    return codes.get(text, UNKNOWN)


# The answer options as the exports write them, with the test instruments' codes
# (tests/real_exports/instruments/*.yml); None = don't know or missing, not scored.
FREQUENCY = {"never": 1, "rarely": 2, "sometimes": 3, "often": 4}
LEAVE = {
    "very difficult": 1,
    "somewhat difficult": 2,
    "somewhat easy": 3,
    "very easy": 4,
    "don't know": None,
}
YNM = {"no": 1, "maybe": 2, "yes": 3, "don't know": None, "i don't know": None}
GENRES = {
    norm(g): n
    for n, g in enumerate(
        sorted(
            [
                "Action",
                "Adventure",
                "Animation",
                "Biography",
                "Comedy",
                "Crime",
                "Documentary",
                "Drama",
                "Family",
                "Fantasy",
                "Game-Show",
                "History",
                "Horror",
                "Music",
                "Musical",
                "Mystery",
                "News",
                "Reality-TV",
                "Romance",
                "Sci-Fi",
                "Short",
                "Sport",
                "Sports",
                "Talk-Show",
                "Thriller",
                "War",
                "Western",
            ]
        ),
        start=1,
    )
}


class Expected:
    """Independently computed accounting of one file: per-row quarantine reasons and
    exclusion reasons."""

    def __init__(self, rows_in: int) -> None:
        self.rows_in = rows_in
        self.excluded: Counter[str] = Counter()
        self.quarantined: dict[int, set[str]] = {}

    def quarantine(self, row: int, reason: str) -> None:
        self.quarantined.setdefault(row, set()).add(reason)

    def quarantined_by_reason(self) -> dict[str, int]:
        return dict(Counter(r for reasons in self.quarantined.values() for r in reasons))

    def same_person_again(self, people: list[tuple]) -> None:
        """The same person, cohort and wave again: all but the latest are
        duplicate_submission."""
        repeats = len(people) - len(set(people))
        if repeats:
            self.excluded["duplicate_submission"] += repeats


def timestamp(text: str, fmt: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text.strip(), fmt)
    except ValueError:
        return None


OSMI_2014_FORMATS = {
    OSMI_2014_EN_US: "%m/%d/%Y %H:%M",
    OSMI_2014_ZH_CN: "%Y/%m/%d %H:%M",
    OSMI_2014_DMY: "%d-%m-%Y %H:%M",
}
OSMI_2014_ITEMS = {
    "work_interfere": FREQUENCY,
    "leave": LEAVE,
    "mental_health_consequence": YNM,
    "mental_health_interview": YNM,
    "mental_vs_physical": YNM,
}


def osmi_2014(real: Path, name: str) -> Expected:
    header, data = table(real / name, CODEC.get(name, "utf-8"))
    at = {column: n for n, column in enumerate(header)}
    # the stand-in self-generated code (remote_work, tech_company read as numbers) is never
    # valid, so no two responses are ever taken for one person
    for column in ("remote_work", "tech_company"):
        assert not any(row[at[column]].strip().isdigit() for row in data)
    expected, keys = Expected(len(data)), []
    for number, row in enumerate(data, start=2):
        when = timestamp(row[0], OSMI_2014_FORMATS[name])
        if when is None:
            expected.quarantine(number, "invalid_timestamp")
        codes = [answer(row[at[c]], scale, ("na",)) for c, scale in OSMI_2014_ITEMS.items()]
        if UNKNOWN in codes:
            expected.quarantine(number, "unknown_label")
        if number not in expected.quarantined:
            keys.append((when, *codes))
    # no response id: a response is its timestamp and answers, so an exact repeat of both is
    # the same response again: every repeat but the last is duplicate_response
    repeats = len(keys) - len(set(keys))
    if repeats:
        expected.excluded["duplicate_response"] += repeats
    return expected


# column -> (answer codes, the survey's own labels that mean no answer; see ripple.yml)
NA_YNM, NA_FREQUENCY = ("n/a",), ("not applicable to me",)
OSMI_2016_ITEMS = {
    "Do you think that discussing a mental health disorder with your employer would have "
    "negative consequences?": (YNM, NA_YNM),
    "Would you feel comfortable discussing a mental health disorder with your coworkers?": (
        YNM,
        NA_YNM,
    ),
    "Would you feel comfortable discussing a mental health disorder with your direct "
    "supervisor(s)?": (YNM, NA_YNM),
    "Do you feel that your employer takes mental health as seriously as physical health?": (
        YNM,
        NA_YNM,
    ),
    "Would you bring up a mental health issue with a potential employer in an interview?": (
        YNM,
        NA_YNM,
    ),
    "Have your observations of how another individual who discussed a mental health disorder "
    "made you less likely to reveal a mental health issue yourself in your current "
    "workplace?": (YNM, NA_YNM),
    "Have you had a mental health disorder in the past?": (YNM, NA_YNM),
    "Do you currently have a mental health disorder?": (YNM, NA_YNM),
    "If you have a mental health issue, do you feel that it interferes with your work when "
    "being treated effectively?": (FREQUENCY, NA_FREQUENCY),
    "If you have a mental health issue, do you feel that it interferes with your work when NOT "
    "being treated effectively?": (FREQUENCY, NA_FREQUENCY),
}


def osmi_2016(real: Path) -> Expected:
    header, data = table(real / OSMI_2016)
    at = {column: header.index(column) for column in OSMI_2016_ITEMS}
    for column in ("Do you work remotely?", "What country do you live in?"):  # stand-in code
        assert not any(row[header.index(column)].strip().isdigit() for row in data)
    expected, keys = Expected(len(data)), []
    for number, row in enumerate(data, start=2):
        codes = [answer(row[at[c]], *scale) for c, scale in OSMI_2016_ITEMS.items()]
        if UNKNOWN in codes:
            expected.quarantine(number, "unknown_label")
        else:
            keys.append(tuple(codes))
    # no response id and no timestamp: responses are told apart by their row, so people who
    # answered identically are all kept (nothing is excluded as a duplicate)
    assert len(keys) > len(set(keys))  # the file does hold identical answer sets
    return expected


def cs50(real: Path) -> Expected:
    header, data = table(real / CS50)
    assert header == ["Timestamp", "title", "genres"]
    expected, keys = Expected(len(data)), []
    for number, (stamp, _title, genres) in enumerate(data, start=2):
        code = answer(genres, GENRES)
        if code is UNKNOWN:  # several genres in one checkbox cell: no single label
            expected.quarantine(number, "unknown_label")
        else:
            keys.append((stamp.strip(), code))
    # no response id or submission time: rows stay apart; the stand-in participant id (the
    # timestamp) answering twice is the same person again
    expected.same_person_again([stamp for stamp, _ in keys])
    return expected


# Qualtrics Status codes that are not real responses (Qualtrics' documentation)
QUALTRICS_NOT_RESPONSES = {"1": "preview", "2": "test", "8": "spam", "9": "preview"}


def qualtrics(real: Path) -> Expected:
    header, data = table(real / QUALTRICS, header_rows=3)
    at = {column: n for n, column in enumerate(header)}
    expected = Expected(len(data))
    for number, row in enumerate(data, start=4):
        status = QUALTRICS_NOT_RESPONSES.get(row[at["Status"]].strip())
        if status:
            expected.excluded[status] += 1
        elif row[at["Finished"]].strip() != "1" or float(row[at["Progress"]]) < 100:
            expected.excluded["incomplete"] += 1
        elif row[at["Q1"]].strip() not in {"1", "2", "3"}:
            expected.quarantine(number, "out_of_range")
    return expected


def qualtrics_legacy(real: Path) -> Expected:
    header, data = table(real / QUALTRICS_LEGACY, "utf-8-sig", header_rows=2)
    at = {column: n for n, column in enumerate(header)}
    expected = Expected(len(data))
    for number, row in enumerate(data, start=3):
        if row[at["V10"]].strip() != "1":  # Finished
            expected.excluded["incomplete"] += 1
            continue
        if timestamp(row[at["V9"]], "%Y-%m-%d %H:%M:%S") is None:
            expected.quarantine(number, "invalid_timestamp")
        if row[at["Q1"]].strip() not in {"1", "2", "3"}:
            expected.quarantine(number, "out_of_range")
    return expected


def redcap(
    rows: list[dict[str, str]],
    items: dict[str, set[str]],
    ids: list[str],
    completion: str | None = None,
    waves: dict[str, str] | None = None,
    submitted: str | None = None,
) -> Expected:
    """A raw REDCap export: `<form>_complete` other than 2 is incomplete, an event the wave
    table leaves out is other_wave, a row with none of the mapped items answered (a repeating
    instrument's row, another form's) is no_answers, a repeated response id (`ids` joined;
    the first is the participant id) is duplicate_response but for its last row, an item value
    outside its
    codes is out_of_range, and the same participant in the same wave again is
    duplicate_submission."""
    expected, people, kept = Expected(len(rows)), [], []
    for number, row in enumerate(rows, start=2):
        status = row[completion].strip() if completion else ""
        wave = waves.get(row["redcap_event_name"]) if waves else "pre"
        if status and status != "2":
            expected.excluded["incomplete"] += 1
        elif wave is None:
            expected.excluded["other_wave"] += 1
        elif not any(row[field].strip() for field in items):
            expected.excluded["no_answers"] += 1
        else:
            kept.append((number, row, wave))
    response_ids = Counter("|".join(row[c] for c in ids) for _, row, _ in kept)
    expected.excluded["duplicate_response"] += sum(n - 1 for n in response_ids.values())
    seen: set[str] = set()
    for number, row, wave in reversed(kept):  # the last row of a response id is kept
        response_id = "|".join(row[c] for c in ids)
        if response_id in seen:
            continue
        seen.add(response_id)
        if submitted and timestamp(row[submitted], "%Y-%m-%d %H:%M:%S") is None:
            expected.quarantine(number, "invalid_timestamp")
        for field, codes in items.items():
            if row[field].strip() and row[field].strip() not in codes:
                expected.quarantine(number, "out_of_range")
        if number not in expected.quarantined:
            people.append((row[ids[0]], wave))
    expected.same_person_again(people)
    expected.excluded = +expected.excluded  # drop zero counts
    return expected


BINARY, OPENNESS, COLOUR = {"0", "1"}, {"0", "1", "2"}, {"1", "2", "3"}
LONGITUDINAL_WAVES = {
    "dose_1_arm_1": "pre",
    "visit_1_arm_1": "post",
    "visit_2_arm_1": "followup",
    "first_dose_arm_2": "pre",
    "first_visit_arm_2": "post",
}
REDCAPAPI_ITEMS = {
    "yesno_test": BINARY,
    "truefalse_test": BINARY,
    "prereq_yesno": BINARY,
    "dropdown_test": COLOUR,
}


def surveymonkey(real: Path) -> Expected:
    responses = json.loads((real / SM_BULK).read_text(encoding="utf-8"))["data"]
    details = json.loads((real / SM_DETAILS).read_text(encoding="utf-8"))
    choices = {
        choice["id"]: choice["text"]
        for page in details["pages"]
        for question in page["questions"]
        if question["id"] == "769893650"
        for choice in question["answers"]["choices"]
    }
    labels = {"0", "1", "2", "3", "4 or more"}  # the survey's own labels in ripple.yml
    expected = Expected(len(responses))
    for number, response in enumerate(responses, start=2):
        if response["response_status"] != "completed":
            expected.excluded["incomplete"] += 1
            continue
        answers = [
            a
            for page in response["pages"]
            for question in page["questions"]
            if question["id"] == "769893650"
            for a in question["answers"]
        ]
        if any(norm(choices.get(a.get("choice_id"), "?")) not in labels for a in answers):
            expected.quarantine(number, "unknown_label")
    return expected


def expectations(real: Path) -> dict[str, Expected]:
    return {
        **{name: osmi_2014(real, name) for name in OSMI_2014_FORMATS},
        OSMI_2016: osmi_2016(real),
        CS50: cs50(real),
        QUALTRICS: qualtrics(real),
        QUALTRICS_LEGACY: qualtrics_legacy(real),
        LONGITUDINAL: redcap(
            dict_rows(real / LONGITUDINAL),
            {"pmq3": BINARY, "pmq4": OPENNESS},
            ["study_id", "redcap_event_name"],
            completion="patient_morale_questionnaire_complete",
            waves=LONGITUDINAL_WAVES,
        ),
        SIMPLE: redcap(
            dict_rows(real / SIMPLE),
            {"sex": BINARY, "race___5": BINARY},
            ["record_id"],
            completion="race_and_ethnicity_complete",
        ),
        SURVEY: redcap(
            dict_rows(real / SURVEY),
            {"pmq3": BINARY, "pmq4": OPENNESS},
            ["participant_id"],
            submitted="participant_morale_questionnaire_timestamp",
        ),
        CHECKBOXES: redcap(
            dict_rows(real / CHECKBOXES),
            {"check_one___1": BINARY, "check_two___a": BINARY},
            ["record_id"],
            completion="form_2_complete",
        ),
        SM_BULK: surveymonkey(real),
    }


# ---------------------------------------------------------------------------------------------
# The real CLI, once per command for the whole module


@pytest.fixture(scope="module")
def config(real_data, tmp_path_factory) -> Path:
    """tests/real_exports/ripple.yml with the real-data folder and this folder filled in."""
    text = (HERE / "ripple.yml").read_text(encoding="utf-8")
    text = text.replace("{real}", real_data.as_posix()).replace("{here}", HERE.as_posix())
    rendered = tmp_path_factory.mktemp("real_exports") / "ripple.yml"
    rendered.write_text(text, encoding="utf-8")
    return rendered


@pytest.fixture(scope="module")
def detected(real_data) -> dict[str, dict]:
    files = sorted(p for p in real_data.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")
    result = ripple("detect", "--json", *map(str, files))
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    return {Path(d["path"]).relative_to(real_data).as_posix(): d for d in json.loads(result.stdout)}


@pytest.fixture(scope="module")
def validated(config, real_data) -> dict[str, dict]:
    result = ripple("validate", "-c", str(config), "--json")
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr + result.stdout[-2000:]
    summary = json.loads(result.stdout)
    assert summary["ok"] is True
    return {Path(f["file"]).relative_to(real_data).as_posix(): f for f in summary["files"]}


@pytest.fixture(scope="module")
def warehouse(config, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real_exports_out")
    result = ripple("run", "-c", str(config), "--out", str(out), "--json")
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr + result.stdout[-2000:]
    return out / "ripple.duckdb"


# ---------------------------------------------------------------------------------------------
# ripple detect


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


# ---------------------------------------------------------------------------------------------
# ripple validate


def test_validate_accepts_every_real_export(real_data, config, validated):
    listed = yaml.safe_load(config.read_text(encoding="utf-8"))["sources"]
    sources = {Path(s["path"]).relative_to(real_data).as_posix() for s in listed}
    assert sources == set(EXPORTS), "every real export has a source in ripple.yml"
    assert set(validated) == sources
    for name, report in validated.items():
        assert report["status"] == "loaded" and report["error"] is None, name
        total = report["rows_loaded"] + report["rows_excluded"] + report["rows_quarantined"]
        assert report["rows_in"] == total, name


@pytest.fixture(scope="module")
def expected(real_data) -> dict[str, Expected]:
    return expectations(real_data)


@pytest.mark.parametrize(
    "name", [n for n in EXPORTS if n != REDCAPAPI], ids=lambda n: n.rsplit("/", 1)[-1][:40]
)
def test_validate_accounts_for_every_record(validated, detected, expected, name):
    report, want = validated[name], expected[name]
    assert report["rows_in"] == want.rows_in == detected[name]["rows"]
    assert report["excluded_by_reason"] == dict(want.excluded)
    assert report["quarantined_by_reason"] == want.quarantined_by_reason()
    assert report["rows_quarantined"] == len(want.quarantined)
    assert report["rows_excluded"] == sum(want.excluded.values())
    assert report["rows_loaded"] == (
        want.rows_in - sum(want.excluded.values()) - len(want.quarantined)
    )
    shown = {q["source_row_number"] for q in report["quarantine_examples"]}
    assert shown <= set(want.quarantined)


def test_the_three_osmi_2014_resaves_read_alike(real_data, validated):
    """Three Excel locales (US month-first, Chinese year-first and GBK, day-first with a blank
    header) re-saved the same responses: each file's own timestamps settle how it is read,
    and the accounting is the same."""
    stamps = [
        [timestamp(row[0], fmt) for row in table(real_data / name, CODEC.get(name, "utf-8"))[1]]
        for name, fmt in OSMI_2014_FORMATS.items()
    ]
    assert stamps[0] == stamps[1] == stamps[2] and None not in stamps[0]
    keys = ("rows_in", "rows_loaded", "excluded_by_reason", "quarantined_by_reason")
    reports = [{k: validated[name][k] for k in keys} for name in OSMI_2014_FORMATS]
    assert reports[0] == reports[1] == reports[2]
    assert validated[OSMI_2014_ZH_CN]["encoding_guessed"] is True
    assert validated[OSMI_2014_EN_US]["encoding_guessed"] is False


def test_identifying_columns_are_reported_not_read(validated):
    for name, column in [
        (QUALTRICS, "recipientEmail"),
        (QUALTRICS_LEGACY, "V6"),  # IPAddress
        (LONGITUDINAL, "email"),
        (SIMPLE, "address"),
        (SM_BULK, "ip_address"),
    ]:
        warning = next(w for w in validated[name]["warnings"] if w.startswith("possible_id"))
        assert f"'{column}'" in warning, (name, warning)


def test_redcap_repeating_instrument_rows_are_accounted_for(real_data, validated):
    rows = dict_rows(real_data / REDCAPAPI)
    report = validated[REDCAPAPI]
    assert report["rows_in"] == len(rows)  # the trailing empty line is not a record
    assert report["quarantined_by_reason"] == {}  # every mapped value is a dictionary code
    assert all(
        not row[f].strip() or row[f].strip() in codes
        for row in rows
        for f, codes in REDCAPAPI_ITEMS.items()
    )
    assert set(r["redcap_event_name"] for r in rows) == {"event_1_arm_1"}  # no other_wave
    answered = [r for r in rows if any(r[f].strip() for f in REDCAPAPI_ITEMS)]
    assert not any(r["redcap_repeat_instrument"].strip() for r in answered)
    # every row with an answer is a main row, loaded; the others are no_answers
    assert report["rows_loaded"] == len(answered)
    assert report["excluded_by_reason"] == {"no_answers": len(rows) - len(answered)}


def test_redcap_answers_are_not_displaced_by_repeating_instrument_rows(real_data, warehouse):
    """redcapAPI's records each have a main row (the mapped fields) and a row of the
    repeating instrument files_notes_descriptions (none of the mapped fields). The answers
    must land; a row of another instrument must not replace them."""
    rows = dict_rows(real_data / REDCAPAPI)
    answers = sum(1 for row in rows for field in REDCAPAPI_ITEMS if row[field].strip())
    assert answers > 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        landed = con.execute(
            """
            select count(i.raw_value)
            from responses as r join item_responses as i using (response_key)
            where r.programme_id = 'redcapapi'
            """
        ).fetchone()[0]
    assert landed == answers
