"""dashboard.tables: every view's rows as shown and as downloaded, rounded once and adding up."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from dashboard import fmt, queries, suppress, tables, text

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
    assert all(m.note == "" for m in metrics)


def test_hidden_and_held_metrics_keep_the_value_short_and_say_why(extract: Path) -> None:
    """A hidden headline is the word 'hidden' with its reason under it (short) and in its
    help (in full), so a narrow box never cuts the reason off; a held one says so under it."""
    pilot = queries.reach(extract, "pilot")
    hidden = tables.reach_metrics(pilot[pilot["level"] == "programme"], {})
    assert hidden and all(m.value == "hidden" for m in hidden)
    reasons = {m.label: (m.note, m.help) for m in hidden}
    for row in text.records(pilot[pilot["level"] == "programme"]):
        if row["measure"] == "responses" and row["wave_order"] != 0:
            continue  # later surveys' responses are not headlines
        first = row["measure"] == "responses"
        note, help_ = reasons["Reached" if first else f"Retained: {row['wave_id']}"]
        assert f"hidden: {note}" == suppress.short_label(row)
        assert str(row["hidden_label"]) in help_
    reach = queries.reach(extract, "ttt_work")
    held = reach.assign(held=reach["level"] == "programme")
    notes = {m.note for m in tables.reach_metrics(held[held["level"] == "programme"], {})}
    assert notes == {suppress.HELD_LABEL}


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


def test_follow_ups_on_a_selected_group_are_found_per_outcome(extract: Path) -> None:
    """selected_follow_ups keeps exactly the attrition rows flagged follow_up_selected."""
    attrition = queries.attrition(extract, "ttt_work")
    flagged = {
        (r["instrument_id"], r["scale_id"], r["to_wave"])
        for r in text.records(attrition)
        if r.get("follow_up_selected") is True
    }
    selected = tables.selected_follow_ups(attrition)
    assert flagged, "the fixture has a selected follow-up"
    assert {(*key, wave) for key, waves in selected.items() for wave in waves} == flagged
    assert tables.selected_follow_ups(None) == {} == tables.selected_follow_ups(attrition.iloc[0:0])


def test_bar_rows_are_the_parts_labelled_in_words(extract: Path) -> None:
    """The records-left-out bars leave out the 'all reasons' totals; the linkage bars keep
    only the statuses that partition the responses; both are labelled in words."""
    labels = queries.wave_labels(extract)
    quality = queries.data_quality(extract, "ttt_work")
    bars = tables.records_left_out_bars(quality, labels)
    assert len(bars) == (quality["reason"] != "all").sum() > 0
    first = bars.iloc[0]
    wave = labels.get(first["wave_id"], first["wave_id"])
    reason = str(first["reason"]).replace("_", " ")
    assert first["label"] == f"{first['measure']}: {reason} ({wave})"
    linkage = queries.linkage_quality(extract, "ttt_work")
    parts = tables.linkage_bars(linkage, labels)
    assert set(parts["link_status"]) <= set(tables.LINK_PARTS)
    assert len(parts) == linkage["link_status"].isin(tables.LINK_PARTS).sum() > 0
    assert all(label.split(": ", 1)[1] in tables.LINK_LABELS.values() for label in parts["label"])


def test_comparison_rows_name_each_comparison(extract: Path) -> None:
    """Persistence lines are labelled by their comparison, in the section that colours them."""
    paired = queries.paired_stats(extract, "ttt_work")
    mine = paired[(paired["level"] == "programme") & (paired["scale_id"] == "tolerance_support")]
    rows = tables.comparison_rows(mine, {"pre": "Before", "post": "Straight after"})
    assert len(rows) == len(mine) and {r["section"] for r in rows} == {"comparison"}
    assert rows[0]["label"] == rows[0]["group"] == "Before → Straight after"


def test_citations_say_when_a_scoring_key_is_not_verified():
    scales = pd.DataFrame(
        {
            "instrument_id": ["maks", "cami12", "maks"],
            "instrument_name": ["MAKS", "CAMI-12", "MAKS"],
            "citation": ["Evans-Lacko 2010.", "HSE 2014.", "Evans-Lacko 2010."],
            "key_status": ["unverified", "verified", "unverified"],
        }
    )
    assert tables.instrument_citations(scales) == [
        ("CAMI-12", "HSE 2014."),
        ("MAKS", f"Evans-Lacko 2010. ({tables.reference.KEY_NOT_CHECKED})"),
    ]
