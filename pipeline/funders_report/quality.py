"""Data quality: records left out and why, how later answers were linked to the same person's
first answer (by match type), who came back (the attrition check) and how consistently each
scale measured (reliability). One compact table each, programmes as headed groups."""

from __future__ import annotations

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


def _left_out(ctx: Context) -> str:
    waves = _waves_of(ctx, "data_quality")
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        records = ctx.ex.rows(pid, "data_quality")
        if not records:
            continue
        body.append(esc(programme["name"]))
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
                body.append([label, *cells])
    if not body:
        return ""
    return "<h3>Records left out</h3>" + table(
        ["Reason", *(esc(_wave_name(ctx, w)) for w in waves)], body, classes="compact",
        caption="Records counted once each; a record failing several checks is counted under "
        "the first. Excluded: not a real answer (a preview, test, duplicate or incomplete "
        "response). Quarantined: an answer that could not be read as the survey allows.",
    )  # fmt: skip


def _linkage(ctx: Context) -> str:
    waves = [w for w in ctx.later if w in _waves_of(ctx, "linkage_quality")]
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        linkage = ctx.ex.rows(pid, "linkage_quality")
        if not linkage:
            continue
        body.append(esc(programme["name"]))
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
            body.append([label, *cells])
    if not body:
        return ""
    return "<h3>How later answers were linked</h3>" + table(
        ["Responses", *(esc(ctx.label(w)) for w in waves)], body, classes="compact",
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


def _reliability(ctx: Context) -> str:
    waves = _waves_of(ctx, "reliability")
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        found = ctx.ex.rows(pid, "reliability")
        if not found:
            continue
        body.append(esc(programme["name"]))
        keys = sorted({(r["instrument_id"], r["scale_id"]) for r in found}, key=ctx.scale_order)
        for key in keys:
            scale = ctx.scales.get(key)
            cells = [
                _reliability_cell(
                    ctx.ex.one(
                        pid, "reliability", instrument_id=key[0], scale_id=key[1], wave_id=wave
                    )
                )
                for wave in waves
            ]
            name = text.outcome_name(scale) if scale else f"{key[0]} {key[1]}"
            body.append([esc(name), *cells])
    if not body:
        return ""
    return "<h3>Reliability</h3>" + table(
        ["Scale", *(esc(ctx.label(w)) for w in waves)], body, classes="compact",
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
