"""One good export per survey platform, laid out as the platform writes it: Qualtrics (current
and legacy), SurveyMonkey, Google Forms, KoboToolbox and REDCap.
"""

from __future__ import annotations

import datetime as dt

from .respondents import COHORTS, RIBS_ITEMS, RIBS_LABELS, Person, people
from .tables import Export

SGIC = [{"name": "mother_initial", "kind": "letter"}, {"name": "birth_month", "kind": "month"}]


def sgic(columns: tuple[str, str]) -> list[dict]:
    return [{"column": c, **part} for c, part in zip(columns, SGIC, strict=True)]


def stamp(when: dt.datetime, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return when.strftime(fmt)


QUALTRICS_COLUMNS = (  # name, question text, ImportId
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("Q1", "First letter of your mother's first name?", "QID1_TEXT"),
    ("Q2", "Month you were born (1-12)?", "QID2_TEXT"),
    *((f"Q5_{n}", f"How much do you agree?\nStatement {n + 4}", f"QID5_{n}") for n in range(1, 5)),
    ("Q9", "Anything else you would like to tell us?", "QID9_TEXT"),
    ("cohort", "cohort", "cohort"),
)


def qualtrics_row(p: Person, numeric: bool = False, status: str = "0", finished: str = "1",
                  progress: str = "100", channel: str = "anonymous") -> list:  # fmt: skip
    num = int if numeric else str
    start = p.when - dt.timedelta(seconds=p.duration)
    return [
        start if numeric else stamp(start),
        p.when if numeric else stamp(p.when),
        num(status),
        f"192.0.2.{p.n}",
        num(progress),
        num(p.duration),
        num(finished),
        p.when if numeric else stamp(p.when),
        p.rid,
        channel,
        p.letter,
        num(p.month),
        *(num(c) for c in p.codes),
        p.comment,
        p.cohort,
    ]


def qualtrics(persons: list[Person] | None = None, numeric: bool = False) -> Export:
    """A modern Qualtrics CSV export (three header rows, ImportIds, numeric codes)."""
    persons = people() if persons is None else persons
    table = [
        [c[0] for c in QUALTRICS_COLUMNS],
        [c[1] for c in QUALTRICS_COLUMNS],
        [f'{{"ImportId":"{c[2]}"}}' for c in QUALTRICS_COLUMNS],
        *(qualtrics_row(p, numeric) for p in persons),
    ]
    survey = {
        "format": "qualtrics",
        "values": "codes",
        "response_id": "_recordId",
        "submitted_at": "recordedDate",
        "cohort": "cohort",
        "sgic": sgic(("QID1_TEXT", "QID2_TEXT")),
        "items": {f"QID5_{n}": item for n, item in enumerate(RIBS_ITEMS, start=1)},
    }
    if not numeric:
        survey["timestamp_format"] = "%Y-%m-%d %H:%M:%S"
    return Export("qualtrics.csv", "qualtrics", table, 3, survey, {"wave": "pre"})


def qualtrics_legacy(persons: list[Person] | None = None) -> Export:
    """A legacy Qualtrics CSV export (V1... names, then labels: two header rows)."""
    persons = people() if persons is None else persons
    names = ["V1", "V2", "V3", "V8", "V9", "V10", "Q1", "Q2", "Q5_1", "Q5_2", "Q5_3", "Q5_4"]
    names += ["Q9", "cohort"]
    labels = ["ResponseID", "ResponseSet", "Name", "StartDate", "EndDate", "Finished"]
    labels += ["Mother's initial", "Birth month", *(f"Statement {n}" for n in range(5, 9))]
    labels += ["Anything else?", "cohort"]
    rows = [
        [p.rid, "Default Response Set", "Anonymous", stamp(p.when - dt.timedelta(minutes=5)),
         stamp(p.when), "1", p.letter, str(p.month), *(str(c) for c in p.codes), p.comment,
         p.cohort]
        for p in persons
    ]  # fmt: skip
    survey = {
        "format": "qualtrics_legacy",
        "values": "codes",
        "response_id": "V1",
        "submitted_at": "V9",
        "timestamp_format": "%Y-%m-%d %H:%M:%S",
        "cohort": "cohort",
        "sgic": sgic(("Q1", "Q2")),
        "items": {f"Q5_{n}": item for n, item in enumerate(RIBS_ITEMS, start=1)},
    }
    return Export("legacy.csv", "qualtrics_legacy", [names, labels, *rows], 2, survey,
                  {"wave": "pre"})  # fmt: skip


SM_AGREE = "How much do you agree with each statement?"
SM_STATEMENTS = tuple(f"Statement {n}" for n in range(5, 9))


def surveymonkey(persons: list[Person] | None = None, numeric_ids: bool = False) -> Export:
    """A SurveyMonkey CSV export: two header rows, answers as labels."""
    persons = people() if persons is None else persons
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    first += ["Which session did you attend?", "First letter of your mother's first name"]
    first += ["Month you were born", SM_AGREE, "", "", "", "Anything else?"]
    second = ["", "", "", "", "", "Response", "Open-Ended Response", "Response"]
    second += [*SM_STATEMENTS, "Open-Ended Response"]
    labels = {c[0]: c[3] for c in COHORTS}
    fmt = "%m/%d/%Y %I:%M:%S %p"
    rows = []
    for i, p in enumerate(persons):
        rid = 114227445000 + i * 37
        rows.append(
            [rid if numeric_ids else str(rid), 405887123 if numeric_ids else "405887123",
             stamp(p.when - dt.timedelta(minutes=5), fmt), stamp(p.when, fmt),
             f"198.51.100.{p.n}", labels[p.cohort], p.letter, str(p.month),
             *(RIBS_LABELS[c] for c in p.codes), p.comment]
        )  # fmt: skip
    survey = {
        "format": "surveymonkey",
        "values": "labels",
        "response_id": "Respondent ID",
        "submitted_at": "End Date",
        "timestamp_format": fmt,
        "cohort": "Which session did you attend?",
        "sgic": sgic(("First letter of your mother's first name", "Month you were born")),
        "items": {f"{SM_AGREE} | {s}": item for s, item in zip(SM_STATEMENTS, RIBS_ITEMS,
                                                               strict=True)},
    }  # fmt: skip
    return Export("surveymonkey.csv", "surveymonkey", [first, second, *rows], 2, survey,
                  {"wave": "pre"})  # fmt: skip


FORMS_ITEMS = tuple(f"How much do you agree? [Statement {n}]" for n in range(5, 9))


def google_forms(persons: list[Person] | None = None) -> Export:
    """A Google Forms responses CSV: Timestamp first, answers as labels, the e-mail it took."""
    persons = people() if persons is None else persons
    header = ["Timestamp", "Email Address", "Which session did you attend?"]
    header += ["First letter of your mother's first name", "Month you were born (1-12)"]
    header += [*FORMS_ITEMS, "Anything else?"]
    labels = {c[0]: c[3] for c in COHORTS}
    rows = [
        [stamp(p.when, "%Y/%m/%d %I:%M:%S %p GMT"), f"person{p.n}@example.org",
         labels[p.cohort], p.letter, str(p.month), *(RIBS_LABELS[c] for c in p.codes), p.comment]
        for p in persons
    ]  # fmt: skip
    survey = {
        "format": "google_forms",
        "values": "labels",
        "submitted_at": "Timestamp",
        "timestamp_format": "%Y/%m/%d %I:%M:%S %p GMT",
        "cohort": "Which session did you attend?",
        "sgic": sgic(("First letter of your mother's first name", "Month you were born (1-12)")),
        "items": dict(zip(FORMS_ITEMS, RIBS_ITEMS, strict=True)),
    }
    return Export("forms.csv", "google_forms", [header, *rows], 1, survey, {"wave": "pre"})


KOBO_ITEMS = tuple(f"attitudes/{item}" for item in RIBS_ITEMS)


def kobo(persons: list[Person] | None = None) -> Export:
    """A KoboToolbox CSV: `;`-separated, `group/question` headers, submission metadata."""
    persons = people() if persons is None else persons
    header = ["start", "end", "deviceid", "identite/initiale_mere", "identite/mois_naissance"]
    header += [*KOBO_ITEMS, "commentaires", "_id", "_uuid", "_submission_time", "_index"]
    rows = [
        [stamp(p.when - dt.timedelta(minutes=9), "%Y-%m-%dT%H:%M:%S.000+00:00"),
         stamp(p.when, "%Y-%m-%dT%H:%M:%S.000+00:00"), f"enketo.org:dev{p.n}", p.letter,
         str(p.month), *(str(c) for c in p.codes), p.comment, str(880000 + p.n),
         f"0b6c6b0e-2f1c-4c1e-9a55-{p.n:012d}", stamp(p.when, "%Y-%m-%dT%H:%M:%S"), str(p.n)]
        for p in persons
    ]  # fmt: skip
    survey = {
        "format": "kobo",
        "values": "codes",
        "response_id": "_uuid",
        "submitted_at": "_submission_time",
        "timestamp_format": "%Y-%m-%dT%H:%M:%S",
        "sgic": sgic(("identite/initiale_mere", "identite/mois_naissance")),
        "items": dict(zip(KOBO_ITEMS, RIBS_ITEMS, strict=True)),
    }
    return Export("kobo.csv", "kobo", [header, *rows], 1, survey,
                  {"wave": "pre", "cohort": "C1"}, delimiter=";")  # fmt: skip


def redcap(persons: list[Person] | None = None) -> Export:
    """A REDCap raw export: field names, one row per record and event, codes."""
    persons = people() if persons is None else persons
    header = ["record_id", "redcap_event_name", "visit_date", "mother_initial", "birth_month"]
    header += [*RIBS_ITEMS, "feedback", "peer_survey_complete"]
    rows = [
        [str(100 + p.n), "baseline_arm_1", p.when.strftime("%Y-%m-%d"), p.letter, str(p.month),
         *(str(c) for c in p.codes), p.comment, "2"]
        for p in persons
    ]  # fmt: skip
    survey = {
        "format": "redcap",
        "values": "codes",
        "response_id": ["record_id", "redcap_event_name"],
        "participant_id": "record_id",
        "month_from": "visit_date",
        "wave": {"column": "redcap_event_name", "values": {"baseline_arm_1": "pre",
                                                           "week_6_arm_1": "post"}},
        "completion": {"column": "peer_survey_complete", "complete": ["2"]},
        "sgic": sgic(("mother_initial", "birth_month")),
        "items": {item: item for item in RIBS_ITEMS},
    }  # fmt: skip
    return Export("redcap.csv", "redcap", [header, *rows], 1, survey, {"cohort": "C1"})
