"""Items: how people answered each item at the first survey and at the next one, as compact
diverging bars (`item_bars`), two charts to a row, grouped by instrument so that the same
items of different programmes sit side by side on one shared axis.

The rows are `item_distributions` through `dashboard.suppress.apply`, as the dashboard's
Items page reads them; a hidden answer is left out of its bar, the item's label is marked
with *, and the caption under the chart says how many answers are hidden and why.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from dashboard import suppress, tables, text
from pipeline.funders_report.context import Context
from pipeline.funders_report.figures import tidy
from pipeline.funders_report.item_bars import answer_key, compact_item_figure, side_reach
from pipeline.funders_report.markup import esc, section

#: Answers that are not drawn, so not counted as left out of a bar.
NOT_ANSWERS = ("all", "dont_know", "missing")


def hidden_note(rows: pd.DataFrame, wave_names: dict[str, str], positions: dict[str, int]) -> str:
    """'*Left out of the bars: 12 answers hidden: too few people; …' and any whole bar not
    drawn ('item 3, Before the session: hidden: too few people')."""
    hidden = rows[rows["hidden"].astype(bool)]
    answers = hidden[~hidden["answer"].astype(str).isin(NOT_ANSWERS)]
    reasons = Counter(answers["hidden_label"].astype(str))
    parts = [f"{n} {'answer' if n == 1 else 'answers'} {label}" for label, n in reasons.items()]
    bars = hidden[hidden["answer"].astype(str) == "all"]
    parts += [
        f"item {positions.get(item, item)}, {wave_names.get(wave, wave)}: whole bar {label}"
        for item, wave, label in zip(bars["item_id"], bars["wave_id"], bars["hidden_label"],
                                     strict=True)
    ]  # fmt: skip
    return f"*Left out of the bars: {esc('; '.join(parts))}." if parts else ""


def _wording(items: pd.DataFrame) -> str:
    """'Items: 1 How often …; 2 …' where the instrument ships its wording, else ''."""
    worded = items[items["wording"].notna()]
    if worded.empty:
        return ""
    return "Items: " + "; ".join(
        f"{position} {esc(wording)}"
        for position, wording in zip(worded["position"], worded["wording"], strict=True)
    ) + "."  # fmt: skip


def key(options: pd.DataFrame, wave_names: dict[str, str]) -> str:
    """The chart's key above it: a swatch per answer, then which bar is which survey."""
    swatches = "".join(
        f'<span class="answer"><span class="swatch" style="background:{colour}"></span>'
        f"{esc(label)}</span>"
        for label, colour in answer_key(options)
    )
    first, *rest = wave_names.values()
    bars = f"Upper, pale bar: {first}" + (f"; lower bar: {rest[0]}" if rest else "")
    return f'<p class="key">{swatches}<br>{esc(bars)}</p>'


def _instrument_name(ctx: Context, instrument: str) -> str:
    name = next(
        (s["instrument_name"] for s in ctx.scales.values() if s["instrument_id"] == instrument),
        instrument,
    )
    return text.instrument_abbreviation(name, instrument)


def _charts(ctx: Context) -> list[tuple[str, dict, pd.DataFrame]]:
    """(instrument, programme, its answers at the two waves drawn), instrument by instrument
    (in outcome order), then programme by programme."""
    waves = [ctx.baseline, *ctx.later[:1]]
    found = [
        (instrument, programme, suppress.require(answers)[answers["wave_id"].isin(waves)])
        for programme in ctx.programmes
        for instrument, answers in ctx.ex.item_answers.get(programme["programme_id"], {}).items()
    ]
    found = [f for f in found if not f[2].empty]
    # an instrument ranks by its first scale: the reversed order leaves that one written last
    rank = {k[0]: ctx.scale_order(k) for k in sorted(ctx.scales, key=ctx.scale_order, reverse=True)}
    programme_rank = {p["programme_id"]: i for i, p in enumerate(ctx.programmes)}
    return sorted(
        found, key=lambda f: (rank.get(f[0], (99,)), f[0], programme_rank[f[1]["programme_id"]])
    )


def _chart(ctx: Context, instrument: str, programme: dict, chosen: pd.DataFrame,
           reach: float) -> str:  # fmt: skip
    items, options = ctx.ex.item_reference[instrument]
    items = items.sort_values("position").reset_index(drop=True)
    waves = [ctx.baseline, *ctx.later[:1]]
    wave_names = {wave: ctx.label(wave) for wave in waves}
    headings = {item["item_id"]: tables.item_label(item) for item in text.records(items)}
    fig = tidy(compact_item_figure(chosen, options, items, wave_names, reach, headings))
    name = _instrument_name(ctx, instrument)
    description = (
        f"{name}, {programme['name']}: the share of people asked who gave each answer to "
        f"each item, {' and '.join(wave_names.values())}."
    )
    positions = dict(zip(items["item_id"], items["position"], strict=True))
    caption = " ".join(
        n for n in (hidden_note(chosen, wave_names, positions), _wording(items)) if n
    )
    return (
        f'<div class="cell"><h4>{esc(name)}: {esc(programme["name"])}</h4>'
        + key(options, wave_names)
        + ctx.figures.place(fig, description, caption)
        + "</div>"
    )


def items(ctx: Context) -> str:
    if ctx.baseline is None:
        return ""
    found = _charts(ctx)
    if not found:
        return ""
    reach = max(side_reach(chosen, ctx.ex.item_reference[i][1]) for i, _p, chosen in found)
    cells = "".join(_chart(ctx, *f, reach) for f in found)
    unworded = any(
        ctx.ex.item_reference[i][0]["wording"].isna().any() for i in {f[0] for f in found}
    )
    later = f" and {esc(ctx.label(ctx.later[0]).lower())}" if ctx.later else ""
    return section(
        "items", "Items", f'<div class="grid items">{cells}</div>',
        f"How everyone asked answered each item, {esc(ctx.label(ctx.baseline).lower())} "
        f"(upper, pale bar){later} (lower bar), on one axis: answers below the middle of the "
        "scale left of 0, above it right. R: reverse keyed (agreeing is the less favourable "
        "answer). *: answers hidden to protect a small group (the caption says why)."
        + (" Item wording only where the instrument's licence allows it to be shipped."
           if unworded else ""),
    )  # fmt: skip
