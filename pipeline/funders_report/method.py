"""Method and suppression notes: what each number means, what a before-and-after change can
and cannot say, the instruments (with whether each scoring key was checked against its
manual), and how many results privacy protection hides."""

from __future__ import annotations

from dashboard import suppress, text
from pipeline.funders_report.context import Context
from pipeline.funders_report.key_status import SOURCE_WORDS
from pipeline.funders_report.markup import esc, markdown, section, table

#: Plain names of the extract's result tables (suppression notes).
TABLE_WORDS = {
    "reach": "People reached and retained",
    "paired_stats": "Change among linked people",
    "wave_means": "Average scores at each survey",
    "wave_comparison": "All responses compared between surveys",
    "attrition": "Attrition checks",
    "reliability": "Reliability of each scale",
    "cohort_meta": "Cohorts pooled",
    "item_distributions": "Answers to each item",
    "data_quality": "Records left out",
    "linkage_quality": "Linkage by match type",
}


def _instruments(ctx: Context) -> str:
    """One line per outcome: instrument, scoring, direction, key status and citation."""
    status = ctx.ex.key_status
    lines = []
    for key, s in sorted(ctx.scales.items(), key=lambda item: ctx.scale_order(item[0])):
        words = status.words(key[0])
        css = "" if status.is_checked(key[0]) else ' class="flag"'
        lines.append(
            f"<li><strong>{esc(text.outcome_with_range(s))}</strong>: "
            f"{esc(s['instrument_name'])}, the {esc(s['aggregation'])} of its items; "
            f"{esc(text.direction_words(bool(s['higher_is_better'])))}; "
            f"<span{css}>{esc(words)}</span>. {esc(s['citation'])}</li>"
        )
    if not lines:
        return ""
    return (
        "<h3>Instruments</h3>"
        f'<p class="small">Whether each scoring key (coding, reversed items, which items make '
        f"up each scale) was checked against the instrument's published manual: "
        f"{esc(SOURCE_WORDS[status.source])}. A score from a key not yet checked may change "
        f'when it is.</p><ul class="refs">{"".join(lines)}</ul>'
    )


def method(ctx: Context) -> str:
    terms = "".join(
        f"<dt>{esc(term)}</dt><dd>{esc(meaning)}</dd>" for term, meaning in text.glossary()
    )
    field = "".join(
        f"<li>{esc(text.construct_label(name))}: {esc(words)}.</li>"
        for name, words in text.FIELD_BENCHMARKS.items()
    )
    return section(
        "method", "Method notes",
        f"<p>{markdown(text.control_group_note())}</p>"
        f'<h3>What each number means</h3><dl class="method">{terms}</dl>'
        + (f'<h3>What the field finds</h3><ul class="small">{field}</ul>' if field else "")
        + _instruments(ctx),
        "What a before-and-after change can and cannot say, what each number means, and the "
        "instruments behind each outcome.",
    )  # fmt: skip


def suppression(ctx: Context) -> str:
    body = f"<p>{markdown(text.suppression_rule(ctx.k))}</p>"
    summary = ctx.ex.disclosure_summary
    if summary:
        rows = []
        for name in dict.fromkeys(r["table_name"] for r in summary):
            mine = [r for r in summary if r["table_name"] == name]
            shown = sum(int(r["n_cells"]) for r in mine if r["status"] == "shown")
            held_n = sum(int(r["n_cells"]) for r in mine if r["status"] == "held")
            hidden_by = "; ".join(
                f"{int(r['n_cells']):,} {esc(suppress.REASON_LABELS.get(r['reason'], r['reason']))}"
                for r in mine
                if r["status"] == "hidden"
            )
            rows.append([esc(TABLE_WORDS.get(name, name)), f"{shown:,}", f"{held_n:,}",
                         hidden_by or "none"])  # fmt: skip
        body += table(
            ["Results", "Shown", f"Held ({esc(suppress.HELD_LABEL)})", "Hidden, by reason"],
            rows, classes="compact",
            caption="How many results (groups of people, not people) this release shows, holds "
            "and hides: the cost of protecting privacy.",
        )  # fmt: skip
    return section("suppression", "Suppression notes", body)
