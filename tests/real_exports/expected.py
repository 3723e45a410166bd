"""The expected accounting of every real export, computed from the files themselves (never
copied from Ripple's output)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from tests.real_exports.files import (
    CHECKBOXES,
    CODEC,
    CS50,
    LONGITUDINAL,
    OSMI_2014_DMY,
    OSMI_2014_EN_US,
    OSMI_2014_ZH_CN,
    OSMI_2016,
    QUALTRICS,
    QUALTRICS_LEGACY,
    SIMPLE,
    SM_BULK,
    SM_DETAILS,
    SURVEY,
)
from tests.real_exports.reading import (
    FREQUENCY,
    GENRES,
    LEAVE,
    UNKNOWN,
    YNM,
    Expected,
    answer,
    dict_rows,
    norm,
    table,
    timestamp,
)

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
