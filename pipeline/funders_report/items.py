"""Items: how people answered each item at the first survey and at the next one, as the
dashboard's diverging stacked bars (wording only where the instrument ships it).

The rows are `item_distributions` through `dashboard.suppress.apply`, as the dashboard's
Items page reads them; a hidden answer is left out of its bar, the bar's label says how many
are hidden, and a note under the chart says why.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from dashboard import charts, suppress, tables, text
from pipeline.funders_report.context import Context
from pipeline.funders_report.figures import tidy
from pipeline.funders_report.markup import esc, section

#: Pixels per unit of the chart's item axis (a bar is 0.7 units), and around it.
UNIT_HEIGHT = 12
FRAME_HEIGHT = 90


def _hidden_note(rows: pd.DataFrame) -> str:
    """'Hidden: 12 answers (too few people), 4 (so that ...)': why answers are missing."""
    answers = ~rows["answer"].astype(str).isin(["all", "dont_know", "missing"])
    marked = rows[rows["hidden"].astype(bool) & answers]
    if marked.empty:
        return ""
    reasons = Counter(marked["hidden_label"].astype(str))
    parts = [f"{n} {'answer' if n == 1 else 'answers'} {label}" for label, n in reasons.items()]
    return f"Left out of the bars: {esc('; '.join(parts))}."


def _chart(ctx: Context, programme: dict, instrument: str, answers: pd.DataFrame) -> str:
    items, options = ctx.ex.item_reference[instrument]
    waves = [ctx.baseline, ctx.later[0]] if ctx.later else [ctx.baseline]
    chosen = suppress.require(answers)[answers["wave_id"].isin(waves)]
    if chosen.empty:
        return ""
    headings = {item["item_id"]: tables.item_label(item) for item in text.records(items)}
    wave_names = {wave: ctx.label(wave) for wave in waves}
    fig = charts.item_bars_figure(chosen, options, headings, wave_names)
    axis = fig.layout.yaxis.range
    units = abs(axis[0] - axis[1]) if axis else len(headings) * 3
    fig.update_layout(height=int(FRAME_HEIGHT + UNIT_HEIGHT * units), margin={"t": 40},
                      font={"size": 10})  # fmt: skip
    fig.update_xaxes(title={"text": "% of people asked: lower answers left, higher right"})
    tidy(fig)
    name = next(
        (s["instrument_name"] for s in ctx.scales.values() if s["instrument_id"] == instrument),
        instrument,
    )
    description = (
        f"{name}, {programme['name']}: the share of people asked who gave each answer to "
        f"each item, {' and '.join(wave_names.values())}."
    )
    notes = [_hidden_note(chosen)]
    if items["wording"].isna().any():
        notes.append(
            "Item wording is shown only where the instrument's licence allows it to be "
            "shipped; for the others, read the item in your own survey."
        )
    return f"<h3>{esc(programme['name'])}: {esc(name)}</h3>" + ctx.figures.place(
        fig, description, " ".join(n for n in notes if n)
    )


def items(ctx: Context) -> str:
    if ctx.baseline is None:
        return ""
    blocks = [
        _chart(ctx, programme, instrument, answers)
        for programme in ctx.programmes
        for instrument, answers in ctx.ex.item_answers.get(programme["programme_id"], {}).items()
    ]
    if not any(blocks):
        return ""
    later = f" and {esc(ctx.label(ctx.later[0]).lower())}" if ctx.later else ""
    return section(
        "items", "Items", "".join(blocks),
        f"How everyone asked answered each item {esc(ctx.label(ctx.baseline).lower())}{later} "
        "(whole programmes): answers below the middle of the scale left of 0, above it right "
        "of 0, the middle answer across 0. “Don't know” and no answer are left out; so is an "
        "answer hidden to protect a small group, and the item's bar says how many.",
    )  # fmt: skip
