"""dashboard.suppress: the one suppression function every number passes through."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import suppress

K = 10


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_a_hidden_row_keeps_its_group_and_loses_every_statistic() -> None:
    """hidden_reason set: statistics become None (even if a faulty extract carried values),
    keys stay, and the label says why."""
    rows = frame(
        level=["cohort", "cohort"],
        programme_id=["p", "p"],
        cohort_id=["a", "b"],
        n_pairs=[7, 40],
        mean_from=[77.77, 60.0],
        d_z=[0.777, 0.4],
        hidden_reason=["too few people", None],
        note=[None, None],
    )
    out = suppress.apply(rows, "paired_stats", K)
    hidden, shown = out.iloc[0], out.iloc[1]
    assert hidden["hidden"] and hidden["hidden_label"] == "hidden: too few people"
    assert hidden["n_pairs"] is None and hidden["mean_from"] is None and hidden["d_z"] is None
    assert hidden["cohort_id"] == "a" and hidden["level"] == "cohort"
    assert not shown["hidden"] and shown["hidden_label"] is None and shown["d_z"] == 0.4


def test_small_groups_are_hidden_even_when_the_extract_shows_them() -> None:
    """Defence in depth: a count of 1..K-1 not flagged by the extract is hidden as 'too few
    people'; 0 and K are shown."""
    rows = frame(n=[4, 0, 10], retention=[0.5, 0.0, 0.8], hidden_reason=[None, None, None])
    out = suppress.apply(rows, "reach", K)
    assert list(out["hidden"]) == [True, False, False]
    assert out.loc[0, "n"] is None and out.loc[0, "retention"] is None
    assert out.loc[0, "hidden_reason"] == "too few people"
    assert out.loc[1, "n"] == 0


def test_every_reason_reads_as_hidden_with_why() -> None:
    """The extract's three reasons read 'hidden: ...' (never a number, never 0)."""
    assert suppress.hidden_label(suppress.TOO_FEW) == "hidden: too few people"
    assert suppress.hidden_label(suppress.SECONDARY) == (
        "hidden: so that another small group cannot be worked out"
    )
    assert suppress.hidden_label(suppress.HELD) == "hidden: held until enough new people"
    assert suppress.hidden_label("something new") == "hidden: something new"


def test_held_values_are_marked() -> None:
    """A shown row whose note is 'held until enough new people' is held (earlier values)."""
    rows = frame(n=[20, 20], hidden_reason=[None, None], note=[suppress.HELD, None])
    assert list(suppress.apply(rows, "reach", K)["held"]) == [True, False]


def test_reliable_change_shares_of_few_people_are_blanked() -> None:
    """A share describing 1..K-1 people of a shown row is set to None."""
    rows = frame(
        n_pairs=[100],
        share_reliably_improved=[0.5],
        share_reliably_unchanged=[0.45],
        share_reliably_deteriorated=[0.05],
        hidden_reason=[None],
    )
    out = suppress.apply(rows, "paired_stats", K).iloc[0]
    assert out["share_reliably_improved"] == 0.5
    assert out["share_reliably_deteriorated"] is None
    assert suppress.share_label(out, "share_reliably_deteriorated") == "hidden: too few people"


def test_rows_come_out_one_for_one_in_order() -> None:
    """No row is added, dropped or reordered (nothing aggregates)."""
    rows = frame(n=[30, 5, 12], hidden_reason=[None, None, "too few people"])
    out = suppress.apply(rows, "reach", K)
    assert list(out.index) == [0, 1, 2] and len(out) == 3


def test_builders_refuse_rows_that_skipped_suppression() -> None:
    """require() raises on a frame without the marker columns."""
    with pytest.raises(ValueError, match=r"did not pass through suppress\.apply"):
        suppress.require(frame(n=[30]))
    assert suppress.require(suppress.apply(frame(n=[30]), "reach", K)) is not None


def test_value_is_none_for_hidden_rows() -> None:
    """value() never returns a hidden row's number."""
    assert suppress.value({"hidden": True, "d_z": 0.5}, "d_z") is None
    assert suppress.value({"hidden": False, "d_z": 0.5}, "d_z") == 0.5


def test_the_short_label_names_the_same_reason_in_fewer_words() -> None:
    """Charts and headline numbers use a short form of each stated reason; a row the
    threshold re-check hid (no reason in the extract) is 'too few people'."""
    rows = frame(
        n_pairs=[40, 40, 40, 4],
        hidden_reason=[suppress.TOO_FEW, suppress.SECONDARY, suppress.HELD, None],
        note=[None] * 4,
    )
    out = suppress.apply(rows, "paired_stats", K).to_dict("records")
    assert [suppress.short_label(r) for r in out] == [
        "hidden: too few people",
        "hidden: protects a small group",
        "hidden: held until more people",
        "hidden: too few people",
    ]
    assert set(suppress.SHORT_REASON_LABELS) == set(suppress.REASON_LABELS)
    assert all(len(s) < len(suppress.SECONDARY) for s in suppress.SHORT_REASON_LABELS.values())
