"""Good exports of every format Ripple reads, each with the survey mapping that reads it.

Shared by the bad-input catalogue (make_catalogue.py, which breaks them one way at a time) and
the fuzzer (tests/fuzz, which breaks them at random). Everything is made up and seeded, so the
same call always gives the same bytes. An export is a table of cells (header rows first, then
one row per response); `to_bytes` writes it as CSV/TSV text, an XLSX workbook (openpyxl) or a
Parquet file.

The fictional project: programme `p1` with three cohorts, waves pre / post / followup, the
RIBS intended-behaviour items (ribs_05-08, codes 1-5, labels "Strongly disagree" ...
"Strongly agree") and, where a case needs reverse-keyed items, CAMI-12.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INSTRUMENTS_DIR = REPO / "instruments"
TEST_KEY = "3c" * 32
FIXED_TIME = dt.datetime(2025, 9, 1, 12, 0, 0)

COHORTS = (
    ("C1", "Leeds", dt.date(2025, 1, 21), "Leeds, 21 January 2025"),
    ("C2", "Bristol", dt.date(2025, 3, 18), "Bristol, 18 March 2025"),
    ("C3", "Cardiff", dt.date(2025, 6, 10), "Cardiff, 10 June 2025"),
)
WAVES = (("pre", "Before the session"), ("post", "After it"), ("followup", "Three months on"))
RIBS_ITEMS = ("ribs_05", "ribs_06", "ribs_07", "ribs_08")
RIBS_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
CAMI_ITEMS = tuple(f"cami12_{n:02d}" for n in range(1, 13))
CAMI_REVERSED = frozenset(f"cami12_{n:02d}" for n in (1, 2, 4, 5, 6, 11))
LETTERS = "ABCDEFGHJKLMNPRSTVW"
COMMENTS = (
    "",
    "Really helpful, thank you",
    "Good session; the speaker was great",
    'She said "it gets better" and I believe it',
    "Two thoughts:\nmore time for questions\nand a break",
    "",
    "Not sure, maybe",
    "Très utile – merci à l’équipe",
)


@dataclass(frozen=True)
class Person:
    """One made-up response: ids, when, the self-generated code, answers and a comment."""

    n: int
    rid: str
    when: dt.datetime
    letter: str
    month: int
    codes: tuple[int, ...]  # ribs_05..08
    cami: tuple[int, ...]  # cami12_01..12 as a consistent respondent would answer
    comment: str
    cohort: str = "C1"
    duration: int = 300


def people(
    n: int = 12, seed: int = 7, start: dt.datetime | None = None, cohort: str = "C1"
) -> list[Person]:
    """`n` made-up responses, submitted a few minutes apart on the cohort's session day."""
    rng = random.Random(seed)
    date = next(c[2] for c in COHORTS if c[0] == cohort)
    start = start or dt.datetime.combine(date, dt.time(10, 0))
    out = []
    for i in range(n):
        attitude = rng.choice((2, 3, 4, 5))
        codes = tuple(max(1, min(5, attitude + rng.choice((-1, 0, 0, 1)))) for _ in RIBS_ITEMS)
        cami = tuple(
            max(1, min(5, (6 - attitude if item in CAMI_REVERSED else attitude) + rng.choice(
                (-1, 0, 1))))
            for item in CAMI_ITEMS
        )  # fmt: skip
        out.append(
            Person(
                n=i + 1,
                rid="R_" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGH23456789")
                                   for _ in range(15)),
                when=start + dt.timedelta(minutes=7 * i + rng.randint(0, 5),
                                          seconds=rng.randint(0, 59)),
                letter=LETTERS[(i * 7 + seed) % len(LETTERS)],
                month=(i * 5 + seed) % 12 + 1,
                codes=codes,
                cami=cami,
                comment=COMMENTS[i % len(COMMENTS)],
                cohort=cohort,
                duration=280 + rng.randint(0, 120),
            )
        )  # fmt: skip
    return out


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Export:
    """A good export: its cells, how many header rows, how it is written, and its mapping.

    `table` rows hold str (or, for workbooks, int / float / datetime) cells. `survey` is the
    survey mapping (a `surveys:` entry), `source` the extra keys of its `sources:` entry
    (wave, cohort, overrides). `container` is csv, xlsx or parquet.
    """

    name: str
    format: str
    table: list[list]
    header_rows: int
    survey: dict
    source: dict = field(default_factory=dict)
    container: str = "csv"
    delimiter: str = ","
    encoding: str = "utf-8"
    line_end: str = "\r\n"

    @property
    def responses(self) -> int:
        return len(self.table) - self.header_rows

    @property
    def first_row(self) -> int:
        """The spreadsheet row of the first response."""
        return self.header_rows + 1

    def with_rows(self, rows: list[list]) -> Export:
        """The same export with other response rows."""
        return replace(self, table=self.table[: self.header_rows] + [list(r) for r in rows])

    def column(self, key: str) -> int:
        """0-based position of the column a survey key names (name row or ImportId row)."""
        for row in self.table[: self.header_rows]:
            for position, cell in enumerate(row):
                if cell == key or (isinstance(cell, str) and f'"ImportId":"{key}"' in cell):
                    return position
        if self.format == "surveymonkey" and " | " in key:
            question, sub = key.split(" | ", 1)
            names, subs = self.table[0], self.table[1]
            current = None
            for position, (name, below) in enumerate(zip(names, subs, strict=True)):
                current = name or current
                if current == question and below == sub:
                    return position
        raise KeyError(key)

    def to_bytes(self) -> bytes:
        return to_bytes(self)


def text_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def csv_text(table: list[list], delimiter: str = ",", line_end: str = "\r\n") -> str:
    """Rows as CSV, quoted as Excel and the platforms quote: a cell holding the delimiter, a
    quote or any line break (Python's writer only watches its own line terminator)."""

    def cell(value) -> str:
        text = text_cell(value)
        if any(ch in text for ch in (delimiter, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join(delimiter.join(cell(v) for v in row) + line_end for row in table)


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook written by openpyxl, re-zipped with fixed times so the bytes never vary."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return rezip(buffer.getvalue())


def rezip(data: bytes, replace_parts: dict[str, bytes] | None = None) -> bytes:
    """The ZIP `data` with fixed timestamps (and some parts replaced)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts.update(replace_parts or {})
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = re.sub(
            rb"(<dcterms:modified[^>]*>)[^<]*",
            rb"\g<1>2025-09-01T12:00:00Z",
            parts["docProps/core.xml"],
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 9, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


def parquet_bytes(table: list[list]) -> bytes:
    """One header row of names, the rest as text columns, written by DuckDB."""
    import duckdb
    import pandas as pd

    names, rows = table[0], table[1:]
    frame = pd.DataFrame([[text_cell(c) for c in row] for row in rows], columns=names, dtype=object)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "export.parquet"
        con = duckdb.connect()
        con.register("frame", frame)
        con.execute("COPY (SELECT * FROM frame) TO ? (FORMAT parquet)", [str(target)])
        con.close()
        return target.read_bytes()


def to_bytes(export: Export) -> bytes:
    if export.container == "xlsx":
        return xlsx_bytes({"Responses": export.table})
    if export.container == "parquet":
        return parquet_bytes(export.table)
    text = csv_text(export.table, export.delimiter, export.line_end)
    if export.encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode(export.encoding)


# ---------------------------------------------------------------------------------------------
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


PLAIN_HEADER = ["rid", "when", "mother", "month", "q5", "q6", "q7", "q8", "comment", "cohort"]


def plain_row(p: Person) -> list[str]:
    return [p.rid, stamp(p.when), p.letter, str(p.month), *(str(c) for c in p.codes),
            p.comment, p.cohort]  # fmt: skip


def plain(persons: list[Person] | None = None, name: str = "plain.csv") -> Export:
    """A plain CSV (a spreadsheet of responses typed up or exported by another tool)."""
    persons = people() if persons is None else persons
    survey = {
        "format": "csv",
        "values": "codes",
        "response_id": "rid",
        "submitted_at": "when",
        "timestamp_format": "%Y-%m-%d %H:%M:%S",
        "cohort": "cohort",
        "sgic": sgic(("mother", "month")),
        "items": dict(zip(("q5", "q6", "q7", "q8"), RIBS_ITEMS, strict=True)),
    }
    table = [list(PLAIN_HEADER), *(plain_row(p) for p in persons)]
    return Export(name, "csv", table, 1, survey, {"wave": "pre"})


def xlsx_of(export: Export, numeric: bool = True) -> Export:
    """The export as an XLSX workbook (numbers and dates typed, as Excel holds them)."""
    table = [list(row) for row in export.table]
    if numeric:
        for row in table[export.header_rows :]:
            for i, cell in enumerate(row):
                if isinstance(cell, str) and re.fullmatch(r"-?\d{1,9}", cell):
                    row[i] = int(cell)
    survey = dict(export.survey)
    if export.format == "qualtrics":  # Excel keeps the dates as dates; read them as ISO text
        survey.pop("timestamp_format", None)
        for row in table[export.header_rows :]:
            for i in (0, 1, 7):
                row[i] = dt.datetime.fromisoformat(row[i])
    if export.format == "csv":
        survey.pop("timestamp_format", None)
        for row in table[export.header_rows :]:
            row[1] = dt.datetime.fromisoformat(row[1])
    name = Path(export.name).with_suffix(".xlsx").name
    return replace(export, name=name, table=table, survey=survey, container="xlsx")


def parquet_of(export: Export) -> Export:
    """A one-header-row export as a Parquet file of text columns."""
    name = Path(export.name).with_suffix(".parquet").name
    return replace(export, name=name, container="parquet")


def every_format() -> list[Export]:
    """One good export of each supported format and container."""
    return [
        qualtrics(),
        qualtrics_legacy(),
        surveymonkey(),
        google_forms(),
        kobo(),
        redcap(),
        plain(),
        xlsx_of(qualtrics(), numeric=True),
        xlsx_of(plain()),
        xlsx_of(surveymonkey(numeric_ids=True)),
        parquet_of(plain()),
    ]


# ---------------------------------------------------------------------------------------------
def programme(instruments: tuple[str, ...] = ("ribs",)) -> dict:
    return {
        "id": "p1",
        "name": "Programme one",
        "approach": "contact-based",
        "audience": "adults",
        "instruments": list(instruments),
        "cohorts": [
            {"id": cid, "site": site, "date": date.isoformat(), "labels": [label]}
            for cid, site, date, label in COHORTS
        ],
    }


def project(
    surveys: dict[str, dict],
    sources: list[dict],
    instruments: tuple[str, ...] = ("ribs",),
    **extra,
) -> dict:
    """A whole `ripple.yml` as a dict."""
    return {
        "project": "Bad-input catalogue (fictional)",
        "instruments_dir": str(INSTRUMENTS_DIR),
        "out_dir": "out",
        "waves": [{"id": w, "label": label} for w, label in WAVES],
        "programmes": [programme(instruments)],
        "surveys": surveys,
        "sources": sources,
        **extra,
    }


def project_for(export: Export, path: str | None = None, **extra) -> dict:
    """The config that reads one export as its only source."""
    source = {"path": path or export.name, "survey": "s", "programme": "p1", **export.source}
    return project({"s": export.survey}, [source], **extra)
