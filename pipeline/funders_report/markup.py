"""Small HTML helpers for the report: escaping, counts of people marked for checking, hidden
cells that say why, verdict badges, and the dashboard's Markdown sentences as HTML.

Numbers are formatted by `dashboard.fmt` and worded by `dashboard.text`, the dashboard's
own modules, so the report reads like the dashboard.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from dashboard import fmt, suppress, text

_BOLD = re.compile(r"\*\*(.+?)\*\*")

#: A verdict's symbol, so colour is never the only cue.
VERDICT_SYMBOLS = {
    "improvement": "▲",
    "worsening": "▼",
    "no clear change": "●",
    "hidden": "○",
    "n/a": "○",
}


def esc(value: Any) -> str:
    """HTML-escaped text."""
    return html.escape(str(value), quote=True)


def markdown(value: str) -> str:
    """The dashboard's Markdown sentences (only **bold** and backslash escapes) as HTML."""
    plain = re.sub(r"\\([\\`*_{}\[\]<>#|$~])", r"\1", value)
    return _BOLD.sub(r"<strong>\1</strong>", esc(plain))


def people(n: Any) -> str:
    """A count of people, marked (`data-n`) so that tests can find every one."""
    number = fmt.number_or_none(n)
    if number is None:
        return '<span class="na">n/a</span>'
    return f'<span class="n" data-n="{round(number)}">{fmt.count(number)}</span>'


def hidden(row: Mapping[str, Any]) -> str:
    """A hidden cell: 'hidden: <why>'."""
    label = row.get("hidden_label") or suppress.hidden_label(row.get("hidden_reason"))
    return f'<span class="hidden">{esc(label)}</span>'


def held(row: Mapping[str, Any]) -> str:
    """The 'as of an earlier update' marker of held values (empty otherwise)."""
    if not row.get("held"):
        return ""
    return f' <span class="held">({esc(suppress.HELD_LABEL)})</span>'


def count_cell(row: Mapping[str, Any] | None, column: str = "n") -> str:
    """A count from a suppressed row, or why it is not shown."""
    if row is None:
        return '<span class="na">not collected</span>'
    if row.get("hidden"):
        return hidden(row)
    return people(row.get(column)) + held(row)


def percent_after(row: Mapping[str, Any] | None, column: str) -> str:
    """' (82%)' from a shown share, else ''."""
    if row is None or row.get("hidden"):
        return ""
    value = fmt.number_or_none(row.get(column))
    return f" ({fmt.percent(value)})" if value is not None else ""


def badge(row: Mapping[str, Any]) -> str:
    """The verdict of a paired row as a badge: symbol and words, sized by d_av."""
    result = text.verdict(row)
    phrase = text.verdict_phrase(row)
    words = phrase[:1].upper() + phrase[1:]
    for article in ("A ", "An "):
        if words.startswith(article):
            words = words[len(article) :].capitalize()
    css = result.replace(" ", "-").replace("/", "")
    return (
        f'<span class="badge {css}"><span aria-hidden="true">{VERDICT_SYMBOLS[result]}</span> '
        f"{esc(words)}</span>"
    )


def table(
    headers: Iterable[str],
    rows: Iterable[Iterable[str] | str],
    caption: str = "",
    classes: str = "",
) -> str:
    """An HTML table whose first cell in each row heads the row. Cells are HTML already; a
    row given as one string is a group heading across the whole table."""
    headers = list(headers)
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    for row in rows:
        if isinstance(row, str):
            body.append(
                f'<tr class="group"><th scope="rowgroup" colspan="{len(headers)}">{row}</th></tr>'
            )
            continue
        cells = list(row)
        body.append(
            f'<tr><th scope="row">{cells[0]}</th>'
            + "".join(f"<td>{c}</td>" for c in cells[1:])
            + "</tr>"
        )
    cap = f"<caption>{caption}</caption>" if caption else ""
    return (
        f'<table class="{classes}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def section(ident: str, title: str, body: str, lead: str = "") -> str:
    """A report section with its heading and an optional lead paragraph."""
    intro = f'<p class="lead">{lead}</p>' if lead else ""
    return f'<section id="{ident}"><h2>{esc(title)}</h2>{intro}{body}</section>'
