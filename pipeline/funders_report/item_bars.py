"""The report's compact item chart: one row per item, two thin diverging stacked bars in it
(the first survey above, pale; the later survey below), under a short label.

The dashboard's Items chart (`dashboard.charts.item_bars_figure`) gives every item a heading
line and a labelled bar per survey, which is right on a screen but took five printed pages for
the sample's 71 items. Here an item is one row about 16 px high, labelled by its number alone
("3 R*": reverse keyed, some answers hidden); the caption (`hidden_notes`, written by `items`)
says what the marks mean and why answers are missing, and item wording, where the instrument
ships it, goes under the chart rather than beside the bars.

The answers are drawn as the dashboard draws them: below the middle of the scale left of 0,
above it right, the middle answer split across 0, with its colours; "don't know" and no answer
are left out, and so is every hidden answer (never drawn as zero).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, fmt, suppress
from dashboard.charts.items import SIDE_FACTORS

#: Answers that are not points of the scale, so not drawn in the bars.
NOT_DRAWN = ("all", "dont_know", "missing")
#: Height (px) of one item's row, and of the axis around the rows.
ROW_PX = 16
FRAME_PX = 46
#: Where an item's two bars sit in its row (row units), and how thick each is.
BAR_OFFSETS = (-0.2, 0.2)
BAR_WIDTH = 0.36
#: The first survey's bar is drawn paler, so the two bars differ by more than position.
FIRST_SURVEY_OPACITY = 0.5
FONT_SIZE = 10


def answer_codes(options: pd.DataFrame) -> pd.DataFrame:
    """The answer options drawn in the bars, lowest first."""
    drawn = options[~options["answer"].astype(str).isin(NOT_DRAWN)]
    return drawn.sort_values("answer_order").reset_index(drop=True)


def stack_order(n_codes: int) -> list[tuple[int, str]]:
    """(code index, side) in the order traces are added so that, in a relative bar stack, the
    answers nearest the middle sit next to 0 on both sides (the dashboard's order)."""
    order: list[tuple[int, str]] = []
    below, above = list(range(n_codes // 2)), list(range((n_codes + 1) // 2, n_codes))
    if n_codes % 2:
        order += [(n_codes // 2, "left_half"), (n_codes // 2, "right_half")]
    for left, right in zip(below[::-1], above, strict=True):
        order += [(left, "left"), (right, "right")]
    return order


def _code_factors(n_codes: int) -> pd.DataFrame:
    """For each code index: the share of it drawn left of 0 and right of 0."""
    factors = pd.DataFrame({"left": [0.0] * n_codes, "right": [0.0] * n_codes})
    for index, side in stack_order(n_codes):
        column = "left" if SIDE_FACTORS[side] < 0 else "right"
        factors.loc[index, column] = abs(SIDE_FACTORS[side])
    return factors


def _drawn_rows(distributions: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """The suppressed rows of the drawn answers, with their code's index; hidden shares None."""
    rows = suppress.require(distributions)
    index = pd.Series(range(len(codes)), index=codes["answer"].astype(str), name="code")
    drawn = rows.assign(answer=rows["answer"].astype(str)).join(index, on="answer", how="inner")
    share = pd.to_numeric(drawn["share"], errors="coerce").where(~drawn["hidden"].astype(bool))
    return drawn.assign(share=share)


def side_reach(distributions: pd.DataFrame, options: pd.DataFrame) -> float:
    """The axis reach either side of 0 (%) the widest bar needs: a multiple of 25, at most 100
    (the dashboard's rule; the report applies the widest over a whole section)."""
    codes = answer_codes(options)
    drawn = _drawn_rows(distributions, codes)
    if drawn.empty:
        return 25.0
    factors = _code_factors(len(codes))
    weighted = drawn[["item_id", "wave_id"]].assign(
        left=drawn["share"] * factors["left"].to_numpy()[drawn["code"]],
        right=drawn["share"] * factors["right"].to_numpy()[drawn["code"]],
    )
    widest = 100 * float(
        weighted.groupby(["item_id", "wave_id"])[["left", "right"]].sum().max().max()
    )
    return min(100.0, 25.0 * math.ceil(max(widest, 25.0) / 25.0 + 0.05))


def item_tick(item: Mapping, marked: bool) -> str:
    """'3', '3 R' (reverse keyed), '3*' (answers hidden) or '3 R*'."""
    reverse = " R" if item.get("is_reverse_keyed") else ""
    return f"{item['position']}{reverse}{'*' if marked else ''}"


def items_with_hidden_answers(distributions: pd.DataFrame) -> set[str]:
    """Items with a hidden answer in a bar, or a whole bar hidden (its 'all' row)."""
    rows = suppress.require(distributions)
    dropped = rows["answer"].astype(str).isin(("dont_know", "missing"))
    return set(rows.loc[rows["hidden"].astype(bool) & ~dropped, "item_id"].astype(str))


def _hover(drawn: pd.DataFrame, heading: pd.Series, wave_names: Mapping[str, str],
           code_label: str) -> pd.Series:  # fmt: skip
    """'Item 3 (maks_03)<br>Before the session<br>Agree: 35% (237 people)' per drawn cell."""
    if drawn.empty:  # an answer hidden in every bar: nothing to describe (nor to add up)
        return pd.Series([], dtype=object)
    shown = drawn["share"].map(fmt.percent) + " (" + drawn["n"].map(fmt.count) + " people)"
    held = drawn["held"].astype(bool).map({True: f" ({suppress.HELD_LABEL})", False: ""})
    place = drawn["item_id"].map(heading) + "<br>" + drawn["wave_id"].map(wave_names)
    return place + f"<br>{code_label}: " + shown + held


def compact_item_figure(
    distributions: pd.DataFrame,
    options: pd.DataFrame,
    items: pd.DataFrame,
    wave_names: Mapping[str, str],
    reach: float,
    headings: Mapping[str, str],
) -> go.Figure:
    """One row per item (in `items` order), one thin diverging bar per wave in it.

    Args:
        distributions: suppressed item_distributions rows of one programme and instrument.
        options: the instrument's answer_options rows.
        items: the instrument's items rows (position, is_reverse_keyed).
        wave_names: wave_id -> label of the two waves drawn, first survey first.
        reach: the x axis reach either side of 0 in % (shared by a section's charts).
        headings: item_id -> the item's full label, for the hover text.
    """
    codes = answer_codes(options)
    drawn = _drawn_rows(distributions, codes)
    drawn = drawn[drawn["wave_id"].isin(list(wave_names))]
    row_of = pd.Series(range(len(items)), index=items["item_id"].astype(str))
    offset_of = pd.Series(BAR_OFFSETS[: len(wave_names)], index=list(wave_names))
    drawn = drawn.assign(
        y=drawn["item_id"].astype(str).map(row_of) + drawn["wave_id"].map(offset_of)
    ).dropna(subset=["y"])
    heading = pd.Series(headings)
    colours = charts.diverging_colours(len(codes))
    fig = go.Figure()
    for index, side in stack_order(len(codes)):
        label = str(codes.loc[index, "label"])
        for wave_number, wave in enumerate(wave_names):
            # a hidden answer is not drawn at all (its share is unknown, never zero)
            cells = drawn[(drawn["code"] == index) & (drawn["wave_id"] == wave)].dropna(
                subset=["share"]
            )
            fig.add_trace(
                go.Bar(
                    x=100 * cells["share"] * SIDE_FACTORS[side],
                    y=cells["y"],
                    orientation="h",
                    width=BAR_WIDTH,
                    name=label,
                    marker={"color": colours[index], "line": {"color": "white", "width": 0.4}},
                    opacity=FIRST_SURVEY_OPACITY if wave_number == 0 else 1.0,
                    hovertext=_hover(cells, heading, wave_names, label),
                    hoverinfo="text",
                )
            )
    marked = items_with_hidden_answers(distributions)
    ticks = [item_tick(item, str(item["item_id"]) in marked) for item in items.to_dict("records")]
    _layout(fig, reach, ticks)
    return fig


def _layout(fig: go.Figure, reach: float, ticks: list[str]) -> None:
    """Axes small enough for half a printed page; no legend (the report prints the key to the
    colours and the two bars above the chart, where it wraps into two short lines)."""
    x_ticks = charts.nice_ticks(-reach, reach, 5)
    fig.update_layout(
        barmode="relative",
        height=FRAME_PX + ROW_PX * len(ticks),
        margin={"l": 8, "r": 10, "t": 6, "b": 34},
        font={"family": charts.FONT["family"], "size": FONT_SIZE},
        showlegend=False,
        plot_bgcolor="white", paper_bgcolor="white", separators=".,",
        hoverlabel={"align": "left"},
    )  # fmt: skip
    fig.update_xaxes(
        range=[-reach, reach], tickvals=x_ticks,
        ticktext=[fmt.num(abs(t), 0) + "%" for t in x_ticks],
        title={"text": "← lower answers · % of people asked · higher answers →",
               "font": {"size": 9}, "standoff": 4},
        zeroline=True, zerolinecolor=charts.GREY, automargin=True,
    )  # fmt: skip
    fig.update_yaxes(
        tickvals=list(range(len(ticks))), ticktext=ticks, range=[len(ticks) - 0.5, -0.5],
        title={"text": "Item", "font": {"size": 9}, "standoff": 2}, automargin=True,
        zeroline=False,
    )  # fmt: skip


def answer_key(options: pd.DataFrame) -> list[tuple[str, str]]:
    """(answer label, colour) of each drawn answer, lowest first: the chart's colour key."""
    codes = answer_codes(options)
    return list(zip(codes["label"].astype(str), charts.diverging_colours(len(codes)), strict=True))
