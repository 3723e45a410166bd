"""SurveyMonkey API v3 JSON: `/responses/bulk` (+ `/surveys/{id}/details`) as a table of strings.

One row per response, indexed like a one-header-row spreadsheet (`source_row_number` 2 is the
first response). Columns: `id`, `collector_id`, `date_created`, `date_modified`,
`response_status`, `ip_address`, `custom_variables.<name>`, then per question (details order):

* single choice, open-ended single, anything without rows: `<question id>`;
* matrix / open-ended multi / demographic / datetime rows: `<question id>_<row id>`; a matrix
  of menus: `<question id>_<row id>_<col id>`; a multi-answer matrix: `<qid>_<row>_<choice>`;
* multiple choice: `<question id>_<choice id>`, holding the choice text when ticked;
* an "Other" / comment box: `<question id>_other` (typed text, or the option's text if empty).

With `details`, coded answers hold the choice TEXT (HTML removed) so a survey's labels map to
codes, and every question gets its columns even if nobody answered it. Without details they
hold the choice id and columns appear in the order answers first occur. Without details a
multiple-choice question is indistinguishable from a single choice while everyone ticks one
option (it gets one `<question id>` column); once a response ticks several, the file is refused
(`details_required`) rather than laid out in a second way. Pass the details for stable keys.
An id missing from the details means they describe another survey or version: the file is
refused, naming the response and question, instead of loading ids as if they were answers.

Respondent contact fields (`first_name`, `last_name`, `email_address`, `metadata.contact`,
`custom_value`) and URLs are never read. Several bulk pages may be given as one file, the
documents back to back or in a JSON array; their responses are numbered on across pages.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.ingest.detect import DEFAULT_MAX_BYTES, Detection, read_bytes
from pipeline.ingest.errors import IngestError
from pipeline.ingest.readers import INDEX_NAME, RawExport
from pipeline.ingest.surveymonkey_details import (
    Question,
    cell,
    parse_details,
    question_columns,
)

META_COLUMNS = (
    "id",
    "collector_id",
    "date_created",
    "date_modified",
    "response_status",
    "ip_address",
)
SNIFF_BYTES = 64 * 1024
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def looks_like_surveymonkey_api(data: bytes) -> str | None:
    """'bulk', 'details' or None, from the first 64 KiB only (no parsing), for detection."""
    head = data[:SNIFF_BYTES].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if not head.startswith(("{", "[")):
        return None
    if '"headings"' in head and '"family"' in head and '"pages"' in head:
        return "details"
    if '"data"' in head and ('"response_status"' in head or '"collector_id"' in head):
        return "bulk"
    return None


def load_documents(path: Path, max_bytes: int) -> tuple[bytes, list[Any], str]:
    """(bytes, every top-level JSON document in the file, encoding); IngestError if not JSON."""
    data = read_bytes(path, max_bytes)
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(
            path, "invalid_utf8", f"byte {exc.start} is not UTF-8 (JSON must be UTF-8)"
        ) from None
    decoder, docs, at = json.JSONDecoder(), [], 0
    try:
        while True:
            while at < len(text) and text[at].isspace():
                at += 1
            if at == len(text):
                break
            doc, at = decoder.raw_decode(text, at)
            docs.extend(doc if isinstance(doc, list) else [doc])
    except json.JSONDecodeError as exc:
        raise IngestError(
            path, "malformed_json", f"invalid JSON at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise IngestError(path, "json_too_deep", "the JSON is nested too deeply to read") from None
    if not docs:
        raise IngestError(path, "empty_file", "the file holds no JSON document")
    return data, docs, encoding


def pick(mapping: dict[str, str], key: str, what: str, qid: str, row: int, path: Path) -> str:
    """`mapping[key]`, or the `unknown_choice` error for an id the details do not list."""
    if key not in mapping:
        raise IngestError(
            path,
            "unknown_choice",
            f"question {qid} has the {what} id {key}, which the survey details do not list "
            "(details of another survey or version?)",
            row=row,
        )
    return mapping[key]


def place(a: dict, qid: str, q: Question | None, row: int, path: Path) -> tuple[str, str]:
    """(column key, value) of one answer; `q` is None when there are no details."""
    row_id, choice_id, col_id = (cell(a.get(k)) for k in ("row_id", "choice_id", "col_id"))
    if "other_id" in a:
        if q is None:
            return f"{qid}_other", cell(a.get("text")) or cell(a["other_id"])
        other = dict([q.other]) if q.other else {}
        fallback = pick(other, cell(a["other_id"]), "other option", qid, row, path)
        return f"{qid}_other", cell(a.get("text")) or fallback
    if row_id:
        if q:
            pick(q.rows, row_id, "row", qid, row, path)
        if col_id:
            key = f"{qid}_{row_id}_{col_id}"
            if q:
                choices = q.cols[col_id][1] if col_id in q.cols else {}
                return key, pick(choices, choice_id, "choice", qid, row, path)
            return key, choice_id
        if choice_id:
            value = pick(q.choices, choice_id, "choice", qid, row, path) if q else choice_id
            multi = q is not None and q.per_row_choices
            return (f"{qid}_{row_id}_{choice_id}" if multi else f"{qid}_{row_id}"), value
        return f"{qid}_{row_id}", cell(a.get("text"))
    if choice_id:
        value = pick(q.choices, choice_id, "choice", qid, row, path) if q else choice_id
        multi = q is not None and q.family == "multiple_choice"
        return (f"{qid}_{choice_id}" if multi else qid), value
    if "text" in a:
        return qid, cell(a["text"])
    raise IngestError(
        path, "unsupported_answer", f"question {qid} has an answer of unknown shape", row=row
    )


def flatten(response: dict, row: int, questions: dict[str, Question] | None, path: Path) -> dict:
    """One response as {column key: value}."""
    out = {name: cell(response.get(name)) for name in META_COLUMNS}
    custom = response.get("custom_variables")
    for name, value in custom.items() if isinstance(custom, dict) else ():
        out[f"custom_variables.{name}"] = cell(value)
    for page in response.get("pages") or []:
        for question in (page.get("questions") or []) if isinstance(page, dict) else [None]:
            if not isinstance(question, dict) or "id" not in question:
                raise IngestError(path, "not_surveymonkey", "a question has no id", row=row)
            qid = str(question["id"])
            q = None
            if questions is not None:
                if qid not in questions:
                    raise IngestError(
                        path,
                        "unknown_question",
                        f"question {qid} is not in the survey details (details of another survey?)",
                        row=row,
                    )
                q = questions[qid]
            for answer in question.get("answers") or []:
                if not isinstance(answer, dict):
                    raise IngestError(
                        path, "not_surveymonkey", f"question {qid}: bad answer", row=row
                    )
                key, value = place(answer, qid, q, row, path)
                if key in out:
                    code, why = (
                        ("details_required", "pass the survey details to lay it out")
                        if questions is None
                        else ("repeated_answer", "two answers for one column")
                    )
                    raise IngestError(
                        path, code, f"question {qid} has several answers; {why}", row=row
                    )
                out[key] = value
    return out


def bulk_responses(docs: list[Any], path: Path) -> tuple[list[dict], list[str]]:
    """All responses of the bulk document(s), and warnings about pagination."""
    responses: list[dict] = []
    totals: list[int] = []
    for doc in docs:
        if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
            details = isinstance(doc, dict) and "pages" in doc
            hint = " (this looks like survey details: pass it as details)" if details else ""
            raise IngestError(
                path, "not_surveymonkey", f"not a SurveyMonkey /responses/bulk document{hint}"
            )
        responses += doc["data"]
        if isinstance(doc.get("total"), int):
            totals.append(doc["total"])
    warnings = []
    if len(docs) > 1:
        warnings.append(f"surveymonkey_pages: {len(docs)} bulk documents were read in turn")
    if totals and max(totals) > len(responses):
        warnings.append(
            f"surveymonkey_incomplete: the API reported {max(totals)} responses but the file "
            f"holds {len(responses)}; fetch every page (per_page, page)"
        )
    return responses, warnings


def detection_for(path: Path, data: bytes, encoding: str, rows: int, columns: int, warnings):
    """The `Detection` of a bulk file (file_type and encoding_confidence only if defined)."""
    names = {f.name for f in dataclasses.fields(Detection)}
    extra = {k: v for k, v in (("file_type", "json"), ("encoding_confidence", 1.0)) if k in names}
    endings = "crlf" if b"\r\n" in data else "lf" if b"\n" in data else "none"
    return Detection(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        format="surveymonkey_api",
        encoding=encoding,
        delimiter="",
        header_rows=1,
        rows=rows,
        columns=columns,
        encoding_source="bom" if encoding == "utf-8-sig" else "utf-8",
        line_endings=endings,
        first_data_row=2 if rows else None,
        warnings=tuple(warnings),
        **extra,
    )


def read_surveymonkey_api(
    path: Path | str, details: Path | str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> RawExport:
    """Read a SurveyMonkey `/responses/bulk` JSON file, decoded with its `/details` document
    when given (see the module docstring). Bad input raises `IngestError`."""
    path = Path(path)
    data, docs, encoding = load_documents(path, max_bytes)
    responses, warnings = bulk_responses(docs, path)
    questions: dict[str, Question] | None = None
    survey_id = ""
    columns: list[tuple[str, str, dict[str, str]]] = [(m, m, {}) for m in META_COLUMNS]
    if details is not None:
        details = Path(details)
        _, detail_docs, _ = load_documents(details, max_bytes)
        survey_id, questions, custom = parse_details(detail_docs[0], details)
        columns += [(f"custom_variables.{n}", n, {}) for n in custom]
        for q in questions.values():
            columns += question_columns(q)
    else:
        warnings.append(
            "surveymonkey_no_details: without the survey details, values are choice ids and "
            "columns follow the answers given; pass the details for stable keys and texts"
        )
    records = []
    for position, response in enumerate(responses, start=1):
        row = position + 1
        if not isinstance(response, dict):
            raise IngestError(path, "not_surveymonkey", "a response is not a JSON object", row=row)
        if survey_id and cell(response.get("survey_id")) not in ("", survey_id):
            raise IngestError(
                path, "survey_mismatch", f"the details describe survey {survey_id}", row=row
            )
        records.append(flatten(response, row, questions, path))
    known = {key for key, _, _ in columns}
    for record in records:  # custom variables, and every column when there are no details
        for key in record:
            if key in known:
                continue
            known.add(key)
            if key.startswith("custom_variables."):
                columns.append((key, key.removeprefix("custom_variables."), {}))
            else:
                columns.append((key, key, {"question_id": key.partition("_")[0]}))
    keys = [key for key, _, _ in columns]
    where = {key: j for j, key in enumerate(keys)}
    values = np.full((len(records), len(keys)), "", dtype=object)
    for i, record in enumerate(records):
        for key, value in record.items():
            values[i, where[key]] = value
    index = pd.Index(range(2, len(records) + 2), dtype="int64", name=INDEX_NAME)
    frame = pd.DataFrame(values, index=index, columns=pd.Index(keys, dtype=object), dtype=object)
    detection = detection_for(path, data, encoding, len(records), len(keys), warnings)
    return RawExport(
        detection=detection,
        keys=keys,
        names=list(keys),
        frame=frame,
        problems=[],
        labels=[label for _, label, _ in columns],
        column_meta=[meta for _, _, meta in columns],
        warnings=tuple(warnings),
    )
