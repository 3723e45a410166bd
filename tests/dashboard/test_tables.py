"""tables.py: every view's rows as shown and as downloaded, rounded once and adding up."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from dashboard import fmt, queries, tables, text

MINUS = "\u2212"


def views(extract: Path, programme: str) -> dict[str, tables.View]:
    """Every table view of one programme."""
    labels = queries.wave_labels(extract)
    scales = tables.scale_lookup(queries.scales(extract))
    instrument = (queries.item_instruments(extract, programme) or ["cami12"])[0]
    return {
        "paired": tables.paired_view(
            queries.paired_stats(extract, programme), scales, labels, "paired", text.group_label
        ),
        "reach": tables.reach_view(queries.reach(extract, programme), labels),
        "wave_means": tables.wave_means_view(
            queries.wave_means(extract, programme), scales, labels
        ),
        "attrition": tables.attrition_view(queries.attrition(extract, programme), scales, labels),
        "meta": tables.cohort_meta_view(queries.cohort_meta(extract, programme), scales, labels),
        "items": tables.items_view(
            queries.item_distributions(extract, programme, instrument),
            queries.items(extract, instrument),
            queries.answer_options(extract, instrument),
            labels,
        ),
        "quality": tables.data_quality_view(queries.data_quality(extract, programme), labels),
        "linkage": tables.linkage_view(queries.linkage_quality(extract, programme), labels),
        "reliability": tables.reliability_view(
            queries.reliability(extract, programme), scales, labels
        ),
    }


def test_shown_averages_and_change_add_up_in_every_row(extract: Path) -> None:
    """Average before + change (signed by direction) == average later, as shown and as
    downloaded, for every shown paired row of every programme."""
    scales = tables.scale_lookup(queries.scales(extract))
    checked = 0
    for programme in ("ttt_work", "schools"):
        paired = queries.paired_stats(extract, programme)
        view = tables.paired_view(paired, scales, {}, "x", text.group_label)
        for data, source in zip(view.data.to_dict("records"), text.records(paired), strict=True):
            if source["hidden"]:
                continue
            sign = (
                1
                if scales[(source["instrument_id"], source["scale_id"])]["higher_is_better"]
                else -1
            )
            before, after = data["Average before"], data["Average later"]
            change = data["Change (points, + = better)"]
            assert math.isclose(round(before + sign * change, 1), after), (before, after, change)
            checked += 1
    assert checked > 50


def test_hidden_cells_say_why_in_both_forms(extract: Path) -> None:
    """Every statistic of a hidden row reads 'hidden: <reason>' on screen and in the CSV."""
    view = views(extract, "pilot")["paired"]
    for frame in (view.shown, view.data):
        people = frame["People (pairs)"]
        assert people.str.startswith("hidden: ").all()
        assert set(frame["d_z"]) <= {
            "hidden: too few people",
            "hidden: so that another small group cannot be worked out",
        }


def test_shown_text_uses_true_minus_signs_and_data_uses_numbers(extract: Path) -> None:
    """No hyphen-minus before a digit on screen; the CSV keeps plain numbers."""
    for name, view in views(extract, "schools").items():
        for value in view.shown.astype(str).to_numpy().ravel():
            assert not re.search(r"(^|[\s(])-\d", value), (name, value)
    data = views(extract, "schools")["paired"].data
    numbers = [v for v in data["d_z"] if isinstance(v, float)]
    assert numbers and any(v < 0 for v in numbers)


def test_percentages_of_one_whole_add_up(extract: Path) -> None:
    """Item answers add up to 100% when all are shown; so do reliable-change shares and
    link statuses; 'linked' is the sum of its parts."""
    items = views(extract, "ttt_work")["items"].data
    answers = [c for c in items.columns if c.endswith("(%)")]
    full = [
        r for r in items[answers].to_dict("records") if all(isinstance(v, int) for v in r.values())
    ]
    assert full and all(sum(r.values()) == 100 for r in full)
    paired = views(extract, "ttt_work")["paired"].data
    shares = paired[["Reliably improved", "Unchanged", "Reliably worse"]]
    complete = [r for r in shares.to_dict("records") if all(isinstance(v, int) for v in r.values())]
    assert complete and all(sum(r.values()) == 100 for r in complete)
    linkage = views(extract, "ttt_work")["linkage"].data
    post = linkage[linkage["Later survey"] == "Straight after"].set_index("How linked")
    parts = [
        "linked by platform participant id",
        "linked by identical code",
        "linked by a code differing in one element",
    ]
    assert post.loc["linked (any way)", "Share of responses"] == sum(
        post.loc[p, "Share of responses"] for p in parts
    )


def test_scale_range_is_beside_every_score(extract: Path) -> None:
    """Outcome columns carry the range; single-outcome tables put it in the headers."""
    view = views(extract, "schools")["wave_means"]
    assert set(view.shown["Outcome"]) == {
        "General belongingness (GBS, 12–84)",
        "Loneliness (UCLA-3, 3–9)",
    }
    scales = tables.scale_lookup(queries.scales(extract))
    paired = queries.paired_stats(extract, "schools")
    one = paired[paired["scale_id"] == "loneliness"]
    single = tables.paired_view(one, scales, {}, "x", outcome=False)
    assert "Average before (3–9)" in single.shown.columns


def test_held_values_carry_a_note(extract: Path) -> None:
    """A held cohort reads 'as of an earlier update'."""
    paired = views(extract, "ttt_work")["paired"].shown
    held = paired[paired["Group"].str.startswith("Cohort ttt-05")]
    assert "as of an earlier update" in set(held["Note"])


def test_one_output_row_per_extract_row(extract: Path) -> None:
    """Views never add or merge rows (nothing is aggregated)."""
    assert len(views(extract, "ttt_work")["reach"].shown) == len(queries.reach(extract, "ttt_work"))
    assert len(views(extract, "ttt_work")["paired"].shown) == len(
        queries.paired_stats(extract, "ttt_work")
    )


def test_reach_metrics(extract: Path) -> None:
    """Reached, then retained at each later survey with the published retention."""
    reach = queries.reach(extract, "ttt_work")
    metrics = tables.reach_metrics(
        reach[reach["level"] == "programme"], queries.wave_labels(extract)
    )
    assert [m[:2] for m in metrics] == [
        ("Reached", "525"),
        ("Retained: Straight after", "420 · 80%"),
        ("Retained: 3-month follow-up", "189 · 36%"),
    ]
    pilot = queries.reach(extract, "pilot")
    hidden = tables.reach_metrics(pilot[pilot["level"] == "programme"], {})
    assert all(value.startswith("hidden: ") for _label, value, _help in hidden)


def test_forest_rows_sorting(extract: Path) -> None:
    """Sections keep their order; within each, sort by effect or people, hidden last."""
    paired = queries.paired_stats(extract, "ttt_work")
    this = paired[(paired["scale_id"] == "tolerance_support") & (paired["to_wave"] == "post")]
    empty = this.iloc[0:0]
    cohorts = this[this["level"] == "cohort"]
    rows = tables.forest_rows(empty, empty, cohorts, empty, {}, "effect")
    shown = [r["d_z"] for r in rows if not r["hidden"]]
    assert shown == sorted(shown, reverse=True) and rows[-1]["hidden"]
    by_people = tables.forest_rows(empty, empty, cohorts, empty, {}, "people")
    counts = [r["n_pairs"] for r in by_people if not r["hidden"]]
    assert counts == sorted(counts, reverse=True)
    assert isinstance(pd.DataFrame(rows), pd.DataFrame)
    assert fmt.count(len(rows)) == "6"
