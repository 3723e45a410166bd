"""SurveyMonkey API v3 survey details (`/surveys/{id}/details`): questions, their choice, row
and column ids and texts, and the columns each question becomes in the flattened table."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.ingest.errors import IngestError

TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def clean(text: Any) -> str:
    """Heading or choice text without HTML tags or runs of whitespace."""
    return " ".join(html.unescape(TAG.sub(" ", str(text or ""))).split())


def cell(value: Any) -> str:
    """A JSON scalar as export text: '' for null, JSON spelling for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class Question:
    """One question of the details document, with its ids -> texts."""

    id: str
    heading: str
    family: str
    subtype: str
    choices: dict[str, str] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)
    cols: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    other: tuple[str, str] | None = None  # (id, text)

    @property
    def per_row_choices(self) -> bool:
        """A matrix whose rows take several choices gets one column per row x choice."""
        return self.family == "matrix" and self.subtype == "multi"


def texts(items: Any) -> dict[str, str]:
    """[{id, text}, ...] -> {id: text}, in `position` order where given."""
    items = [i for i in items or [] if isinstance(i, dict) and "id" in i]
    items.sort(key=lambda i: i.get("position") if isinstance(i.get("position"), int) else 0)
    return {str(i["id"]): clean(i.get("text")) for i in items}


def parse_question(q: dict) -> Question:
    """A details question; missing parts (no headings, no answers) are simply empty."""
    answers = q.get("answers") if isinstance(q.get("answers"), dict) else {}
    headings = q.get("headings")
    heading = headings[0] if isinstance(headings, list) and headings else {}
    other = answers.get("other")
    other = other if isinstance(other, dict) and "id" in other else None
    cols = [c for c in answers.get("cols") or [] if isinstance(c, dict) and "id" in c]
    return Question(
        id=str(q["id"]),
        heading=clean(heading.get("heading") if isinstance(heading, dict) else "") or str(q["id"]),
        family=str(q.get("family") or ""),
        subtype=str(q.get("subtype") or ""),
        choices=texts(answers.get("choices")),
        rows=texts(answers.get("rows")),
        cols={str(c["id"]): (clean(c.get("text")), texts(c.get("choices"))) for c in cols},
        other=(str(other["id"]), clean(other.get("text"))) if other else None,
    )


def parse_details(doc: Any, path: Path) -> tuple[str, dict[str, Question], list[str]]:
    """(survey id, questions by id in survey order, custom variable names) of a details doc."""
    if not isinstance(doc, dict) or not isinstance(doc.get("pages"), list):
        bulk = isinstance(doc, dict) and "data" in doc
        hint = " (this looks like /responses/bulk)" if bulk else ""
        raise IngestError(path, "not_surveymonkey_details", f"no 'pages' list{hint}")
    questions: dict[str, Question] = {}
    for page in doc["pages"]:
        for q in (page.get("questions") or []) if isinstance(page, dict) else []:
            if not isinstance(q, dict) or "id" not in q:
                raise IngestError(path, "not_surveymonkey_details", "a question has no id")
            questions[str(q["id"])] = parse_question(q)
    custom = doc.get("custom_variables")
    return cell(doc.get("id")), questions, list(custom) if isinstance(custom, dict) else []


def question_columns(q: Question) -> list[tuple[str, str, dict[str, str]]]:
    """(key, label, column_meta) for every column of one question, in survey order."""
    base = {"question_id": q.id, "family": q.family}
    out: list[tuple[str, str, dict[str, str]]] = []
    for row_id, row_text in q.rows.items():
        if q.cols:
            for col_id, (col_text, _) in q.cols.items():
                label = f"{q.heading} | {row_text} | {col_text}"
                out.append((f"{q.id}_{row_id}_{col_id}", label, {**base, "row_id": row_id}))
        elif q.per_row_choices:
            for choice_id, choice_text in q.choices.items():
                meta = {**base, "row_id": row_id, "choice_id": choice_id}
                label = f"{q.heading} | {row_text} | {choice_text}"
                out.append((f"{q.id}_{row_id}_{choice_id}", label, meta))
        else:
            out.append(
                (f"{q.id}_{row_id}", f"{q.heading} | {row_text}", {**base, "row_id": row_id})
            )
    if not q.rows and q.family == "multiple_choice":
        for choice_id, choice_text in q.choices.items():
            meta = {**base, "choice_id": choice_id}
            out.append((f"{q.id}_{choice_id}", f"{q.heading} | {choice_text}", meta))
    elif not q.rows and q.family != "presentation":
        out.append((q.id, q.heading, base))
    if q.other is not None:
        out.append((f"{q.id}_other", f"{q.heading} | {q.other[1]}", {**base, "other": "true"}))
    return out
