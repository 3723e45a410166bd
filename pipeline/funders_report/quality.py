"""Data quality: records left out and why, how later answers were linked to the same person's
first answer (by match type), who came back (the attrition check) and how consistently each
scale measured (reliability). One compact table each, programmes as headed groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dashboard import fmt, text
from pipeline.funders_report.context import Context
from pipeline.funders_report.markup import (
    count_cell,
    esc,
    held,
    hidden,
    people,
    percent_after,
    section,
    table,
)

#: Link statuses in reading order, with what they mean.
LINK_WORDS = {
    "all_responses": "Responses at this survey",
    "linked": "Linked to a first answer",
    "participant_id": "by platform participant id",
    "exact": "by an identical self-generated code",
    "one_element": "by a code differing in one element",
    "ambiguous": "Ambiguous (not linked)",
    "unmatched": "No first answer found",
    "no_code": "No usable code",
}
MATCH_TYPES = ("participant_id", "exact", "one_element")


def _waves_of(ctx: Context, table_name: str) -> list[str]:
    """The waves a table has rows for, in survey order (a file of several waves last)."""
    present = {
        r["wave_id"] for p in ctx.programmes for r in ctx.ex.rows(p["programme_id"], table_name)
    }
    ordered = [w["wave_id"] for w in ctx.ex.waves if w["wave_id"] in present]
    return ordered + sorted(present - set(ordered))


def _wave_name(ctx: Context, wave: str) -> str:
    return "several surveys in one file" if wave == "(several)" else ctx.label(wave)


#: One programme's table rows from its rows of the extract table: (programme id, rows).
RowsOf = Callable[[str, list[dict[str, Any]]], list[list[str]]]


def _by_programme(
    ctx: Context, title: str, table_name: str, headers: list[str], rows_of: RowsOf, caption: str
) -> str:
    """A compact table of one extract table, a headed group per programme that has rows;
    empty when no programme has any."""
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        records = ctx.ex.rows(programme["programme_id"], table_name)
        if records:
            body += [esc(programme["name"]), *rows_of(programme["programme_id"], records)]
    if not body:
        return ""
    return f"<h3>{title}</h3>" + table(headers, body, classes="compact", caption=caption)


def _left_out_rows(
    ctx: Context, waves: list[str], pid: str, records: list[dict[str, Any]]
) -> list[list[str]]:
    rows = []
    for measure in ("excluded", "quarantined"):
        reasons = sorted({r["reason"] for r in records if r["measure"] == measure},
                         key=lambda reason: (reason != "all", reason))  # fmt: skip
        for reason in reasons:
            label = (
                f"<strong>{measure.capitalize()}, every reason</strong>"
                if reason == "all"
                else f'<span class="indent">{esc(reason.replace("_", " "))}</span>'
            )
            cells = [
                count_cell(
                    ctx.ex.one(pid, "data_quality", wave_id=w, measure=measure, reason=reason),
                    "n_records",
                )
                for w in waves
            ]
            rows.append([label, *cells])
    return rows


def _left_out(ctx: Context) -> str:
    waves = _waves_of(ctx, "data_quality")
    return _by_programme(
        ctx, "Records left out", "data_quality",
        ["Reason", *(esc(_wave_name(ctx, w)) for w in waves)],
        lambda pid, records: _left_out_rows(ctx, waves, pid, records),
        caption="Records counted once each; a record failing several checks is counted under "
        "the first. Excluded: not a real answer (a preview, test, duplicate or incomplete "
        "response). Quarantined: an answer that could not be read as the survey allows.",
    )  # fmt: skip


def _linkage_rows(
    ctx: Context, waves: list[str], pid: str, linkage: list[dict[str, Any]]
) -> list[list[str]]:
    rows = []
    for status, words in LINK_WORDS.items():
        if not any(r["link_status"] == status for r in linkage):
            continue
        cells = []
        for w in waves:
            row = ctx.ex.one(pid, "linkage_quality", wave_id=w, link_status=status)
            share = "" if status == "all_responses" else percent_after(
                row, "share_of_responses")  # fmt: skip
            cells.append(count_cell(row) + share)
        label = f'<span class="indent">{esc(words)}</span>' if status in MATCH_TYPES else esc(
            words)  # fmt: skip
        rows.append([label, *cells])
    return rows


def _linkage(ctx: Context) -> str:
    waves = [w for w in ctx.later if w in _waves_of(ctx, "linkage_quality")]
    return _by_programme(
        ctx, "How later answers were linked", "linkage_quality",
        ["Responses", *(esc(ctx.label(w)) for w in waves)],
        lambda pid, linkage: _linkage_rows(ctx, waves, pid, linkage),
        caption="Shares are of the responses at that survey.",
    )  # fmt: skip


def _attrition(ctx: Context) -> str:
    notes = []
    for programme in ctx.programmes:
        for row in ctx.ex.rows(programme["programme_id"], "attrition"):
            if row.get("follow_up_selected") is True and not row.get("hidden"):
                scale = ctx.scales.get((row["instrument_id"], row["scale_id"]))
                name = text.outcome_name(scale) if scale else row["scale_id"]
                notes.append(
                    f"<li><strong>{esc(programme['name'])}, {esc(name)}:</strong> "
                    f"{esc(text.attrition_sentence(row, ctx.labels) or '')}</li>"
                )
    if not notes:
        return (
            '<h3>Who came back</h3><p class="small">Wherever it could be shown, the people who '
            "answered again had started out much like those who did not.</p>"
        )
    return (
        '<h3>Who came back</h3><p class="small">Where the people who answered again had '
        "started out differently from those who did not, the later result describes them, not "
        f'everyone:</p><ul class="small">{"".join(notes)}</ul>'
    )


def _reliability_cell(row: dict | None) -> str:
    if row is None:
        return ""
    if row.get("hidden"):
        return hidden(row)
    if fmt.number_or_none(row.get("alpha")) is None:
        return '<span class="na">not available</span>'
    flag = ' <span class="flag">below .70</span>' if row.get("is_alpha_below_070") else ""
    return (
        f"α {esc(fmt.num(row.get('alpha'), 2))}{flag}, n = "
        f"{people(row.get('n_complete'))}{held(row)}"
    )


def _reliability_rows(
    ctx: Context, waves: list[str], pid: str, found: list[dict[str, Any]]
) -> list[list[str]]:
    rows = []
    keys = sorted({(r["instrument_id"], r["scale_id"]) for r in found}, key=ctx.scale_order)
    for key in keys:
        scale = ctx.scales.get(key)
        cells = [
            _reliability_cell(
                ctx.ex.one(pid, "reliability", instrument_id=key[0], scale_id=key[1], wave_id=wave)
            )
            for wave in waves
        ]
        name = text.outcome_name(scale) if scale else f"{key[0]} {key[1]}"
        rows.append([esc(name), *cells])
    return rows


def _reliability(ctx: Context) -> str:
    waves = _waves_of(ctx, "reliability")
    return _by_programme(
        ctx, "Reliability", "reliability",
        ["Scale", *(esc(ctx.label(w)) for w in waves)],
        lambda pid, found: _reliability_rows(ctx, waves, pid, found),
        caption="Cronbach's alpha over complete answers; below .70 (flagged), read changes on "
        "that scale with caution.",
    )  # fmt: skip


def data_quality(ctx: Context) -> str:
    body = _left_out(ctx) + _linkage(ctx) + _attrition(ctx) + _reliability(ctx)
    return section(
        "quality", "Data quality", body,
        "Records left out of the analysis and why; how answers at later surveys were linked "
        "to the same person's first answer; who came back; how consistently each scale "
        "measured.",
    )  # fmt: skip
