"""The report's compact item chart (`pipeline.funders_report.item_bars`) and its caption
(`items.hidden_note`): one short row per item, hidden answers never drawn, marks that say
which items are reverse keyed or have hidden answers."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import suppress
from pipeline.funders_report import item_bars
from pipeline.funders_report.items import hidden_note

WAVES = {"pre": "Before the session", "post": "Straight after the session"}
OPTIONS = pd.DataFrame(
    {
        "answer": ["1", "2", "3", "4", "5", "dont_know", "missing"],
        "answer_order": [0, 1, 2, 3, 4, 5, 6],
        "label": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree",
                  "Don't know", "No answer"],
    }
)  # fmt: skip
ITEMS = pd.DataFrame(
    {"item_id": ["q1", "q2", "q3"], "position": [1, 2, 3],
     "is_reverse_keyed": [False, True, False], "wording": [None, None, None]}
)  # fmt: skip
HEADINGS = {"q1": "Item 1 (q1)", "q2": "Item 2 (q2) (reverse keyed)", "q3": "Item 3 (q3)"}
SHARES = [0.1, 0.2, 0.3, 0.25, 0.15]


def _cell(item: str, wave: str, answer: str, share: float | None, reason: str | None = None):
    hidden = reason is not None
    return {
        "item_id": item, "wave_id": wave, "answer": answer,
        "share": None if hidden else share, "n": None if hidden else round(200 * share),
        "hidden_reason": reason, "hidden": hidden,
        "hidden_label": suppress.hidden_label(reason) if hidden else None, "held": False,
    }  # fmt: skip


def distributions(hide: dict[tuple[str, str, str], str] | None = None) -> pd.DataFrame:
    """Suppressed item_distributions rows: three items, two waves, five answers each (and
    'all' and 'missing'); `hide` maps (item, wave, answer) to a hidden reason."""
    hide = hide or {}
    rows = []
    for item in ("q1", "q2", "q3"):
        for wave in WAVES:
            rows.append(_cell(item, wave, "all", 1.0, hide.get((item, wave, "all"))))
            for answer, share in zip("12345", SHARES, strict=True):
                rows.append(_cell(item, wave, answer, share, hide.get((item, wave, answer))))
            rows.append(_cell(item, wave, "missing", 0.0, suppress.TOO_FEW))
    return pd.DataFrame(rows)


def _drawn(fig) -> list[tuple[float, float]]:
    """(y, x) of every bar segment in the figure."""
    return [(y, x) for t in fig.data for x, y in zip(t.x, t.y, strict=True)]


def test_one_short_row_per_item_with_two_bars() -> None:
    fig = item_bars.compact_item_figure(distributions(), OPTIONS, ITEMS, WAVES, 50, HEADINGS)
    assert list(fig.layout.yaxis.ticktext) == ["1", "2 R", "3"]  # 'missing' is not drawn
    assert fig.layout.height == item_bars.FRAME_PX + item_bars.ROW_PX * len(ITEMS)
    rows = sorted({round(y, 2) for y, _x in _drawn(fig)})
    assert rows == [-0.2, 0.2, 0.8, 1.2, 1.8, 2.2]  # first survey above, later below
    first = [y for t in fig.data if t.opacity == item_bars.FIRST_SURVEY_OPACITY for y in t.y]
    assert first and {round(y - round(y), 2) for y in first} == {-0.2}  # pale: first survey
    assert list(fig.layout.xaxis.range) == [-50, 50]
    assert not fig.layout.showlegend  # the report prints the key above the chart
    hover = [h for t in fig.data for h in t.hovertext]
    assert "Item 1 (q1)<br>Before the session<br>Strongly disagree: 10% (20 people)" in hover


def test_bars_diverge_from_the_middle_answer() -> None:
    fig = item_bars.compact_item_figure(distributions(), OPTIONS, ITEMS, WAVES, 50, HEADINGS)
    first_bar = [x for y, x in _drawn(fig) if round(y, 2) == -0.2]
    left = -sum(x for x in first_bar if x < 0)
    right = sum(x for x in first_bar if x > 0)
    assert left == pytest.approx(100 * (0.1 + 0.2 + 0.3 / 2))
    assert right == pytest.approx(100 * (0.25 + 0.15 + 0.3 / 2))


def test_hidden_answers_are_left_out_and_marked() -> None:
    hidden = {("q1", "pre", "5"): suppress.TOO_FEW}
    hidden |= {("q3", "post", answer): suppress.SECONDARY for answer in ("all", *"12345")}
    frame = distributions(hidden)
    fig = item_bars.compact_item_figure(frame, OPTIONS, ITEMS, WAVES, 50, HEADINGS)
    assert list(fig.layout.yaxis.ticktext) == ["1*", "2 R", "3*"]
    assert not [y for y, _x in _drawn(fig) if round(y, 2) == 2.2]  # whole bar hidden
    assert len([y for y, _x in _drawn(fig) if round(y, 2) == -0.2]) == 5  # 4 answers, middle split
    assert all(x == x for _y, x in _drawn(fig))  # no NaN or empty segment stands in for one
    note = hidden_note(frame, WAVES, {"q1": 1, "q2": 2, "q3": 3})
    assert "1 answer hidden: too few people" in note
    assert "5 answers hidden: so that another small group cannot be worked out" in note
    assert "item 3, Straight after the session: whole bar hidden" in note


def test_an_answer_hidden_in_every_bar_is_simply_absent() -> None:
    hidden = {(item, wave, "5"): suppress.TOO_FEW for item in ("q1", "q2", "q3") for wave in WAVES}
    fig = item_bars.compact_item_figure(distributions(hidden), OPTIONS, ITEMS, WAVES, 50, HEADINGS)
    assert not [t for t in fig.data if t.name == "Strongly agree" and len(t.x)]
    assert list(fig.layout.yaxis.ticktext) == ["1*", "2 R*", "3*"]


def test_no_hidden_answer_no_note() -> None:
    assert hidden_note(distributions(), WAVES, {}) == ""


def test_side_reach_is_the_widest_side_rounded_up() -> None:
    assert item_bars.side_reach(distributions(), OPTIONS) == 75.0  # 45% and 55% sides
    lopsided = distributions()
    lopsided.loc[lopsided["answer"] == "5", "share"] = 0.95
    assert item_bars.side_reach(lopsided, OPTIONS) == 100.0  # never beyond 100%


def test_rows_that_skipped_suppression_are_refused() -> None:
    raw = distributions().drop(columns=["hidden", "hidden_label", "held"])
    with pytest.raises(ValueError, match=r"suppress\.apply"):
        item_bars.compact_item_figure(raw, OPTIONS, ITEMS, WAVES, 50, HEADINGS)


def test_the_key_lists_the_drawn_answers_in_the_charts_colours() -> None:
    key = item_bars.answer_key(OPTIONS)
    assert [label for label, _colour in key] == ["Strongly disagree", "Disagree", "Neither",
                                                 "Agree", "Strongly agree"]  # fmt: skip
    assert len({colour for _label, colour in key}) == 5
