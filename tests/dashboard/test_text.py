"""Plain-language wording: headlines, direction, uncertainty and suppression."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from dashboard import tables, text

LABELS = {"pre": "Before", "post": "Straight after", "followup": "3-month follow-up"}
CAMI_TS = {
    "instrument_id": "cami12",
    "scale_id": "tolerance_support",
    "instrument_name": "Community Attitudes toward the Mentally Ill, 12-item version (CAMI-12)",
    "scale_name": "Tolerance and support",
    "construct": "stigma",
    "higher_is_better": True,
    "score_min": 0.0,
    "score_max": 100.0,
}
LONELINESS = {
    "instrument_id": "ucla3",
    "scale_id": "loneliness",
    "instrument_name": "Three-item UCLA Loneliness Scale",
    "scale_name": "Loneliness",
    "construct": "loneliness",
    "higher_is_better": False,
    "score_min": 3.0,
    "score_max": 9.0,
}


def row(**values) -> dict:
    """A paired_change row: the brief's CAMI-12 example unless overridden."""
    base = {
        "from_wave": "pre",
        "to_wave": "post",
        "n_pairs": 412,
        "mean_from": 61.2,
        "mean_to": 68.0,
        "mean_change": 6.8,
        "sd_change": 15.1,
        "ci_low": 5.1,
        "ci_high": 8.5,
        "d_z": 0.45,
        "is_suppressed": False,
    }
    return base | values


def hidden_row(to_wave: str = "post") -> dict:
    """A suppressed row as the extract holds it: NULL statistics."""
    stats = ("n_pairs", "mean_from", "mean_to", "mean_change", "sd_change", "ci_low", "ci_high")
    return row(to_wave=to_wave, is_suppressed=True, d_z=None) | dict.fromkeys(stats, math.nan)


def test_headline_matches_the_example() -> None:
    """It words the example exactly: means, signed change, CI, n, comparison, d_z, verdict."""
    assert text.paired_headline(row(), CAMI_TS, LABELS) == (
        "Tolerance and support (CAMI-12): average score rose from 61.2 to 68.0 (+6.8 points; "
        "95% CI +5.1 to +8.5) among 412 people who answered before and straight after. "
        "Effect size d_z = 0.45. Higher scores are better on this scale, so this is an "
        "improvement."
    )


def test_a_fall_on_a_higher_is_better_scale_is_a_worsening() -> None:
    """It says 'fell' and 'worsening' when the score drops and higher is better."""
    fall = row(mean_to=58.0, mean_change=-3.2, ci_low=-4.9, ci_high=-1.5, d_z=-0.21)
    words = text.paired_headline(fall, CAMI_TS, LABELS)
    assert "fell from 61.2 to 58.0 (-3.2 points; 95% CI -4.9 to -1.5)" in words
    assert words.endswith("so this is a worsening.")
    assert text.verdict(fall, True) == "worsening"


def test_a_fall_in_loneliness_is_an_improvement() -> None:
    """Lower is better on loneliness, so a fall is an improvement (d_z keeps its raw sign)."""
    fall = row(mean_from=5.9, mean_to=5.3, mean_change=-0.6, ci_low=-0.9, ci_high=-0.3, d_z=-0.43)
    words = text.paired_headline(fall, LONELINESS, LABELS)
    assert words.startswith("Loneliness (UCLA3): average score fell from 5.9 to 5.3")
    assert "d_z = -0.43" in words
    assert "Lower scores are better on this scale, so this is an improvement." in words
    assert text.headline_markdown(fall, LONELINESS, LABELS).startswith(":green-badge[")


def test_a_ci_including_zero_is_not_called_an_improvement() -> None:
    """When the 95% CI includes zero it says the change may be no real change."""
    unclear = row(mean_to=61.5, mean_change=0.3, ci_low=-0.2, ci_high=0.8, d_z=0.1)
    words = text.paired_headline(unclear, CAMI_TS, LABELS)
    assert "so this is an improvement" not in words
    assert "the 95% CI includes zero, so it may be no real change" in words
    assert text.verdict(unclear, True) == "unclear"


def test_a_change_that_rounds_to_zero_barely_changed() -> None:
    """A change of less than 0.05 points reads 'about the same', never a rise or a fall."""
    flat = row(mean_to=61.2, mean_change=0.02, ci_low=-1.4, ci_high=1.5, d_z=0.0)
    words = text.paired_headline(flat, CAMI_TS, LABELS)
    assert "stayed about the same, 61.2 before and 61.2 after (+0.02 points; 95% CI" in words
    assert words.endswith("The average barely changed, so there may be no real change.")
    assert text.verdict(flat, True) == "unclear"


def test_follow_up_comparisons_name_the_later_survey() -> None:
    """A later wave other than 'post' is named by its label."""
    words = text.paired_headline(row(to_wave="followup", n_pairs=156), CAMI_TS, LABELS)
    assert "among 156 people who answered before and in the “3-month follow-up” survey" in words


@pytest.mark.parametrize("k", [10, 5])
def test_suppressed_headline_has_the_privacy_message_and_no_numbers(k: int) -> None:
    """A suppressed row gives the privacy sentence with min_cell_size, and nothing else."""
    words = text.paired_headline(hidden_row(), CAMI_TS, LABELS, k)
    message = (
        f"Fewer than {k} people answered both surveys, so this result is hidden to protect privacy."
    )
    assert words.endswith(message)
    rest = words.replace(message, "").replace("CAMI-12", "")
    assert not re.search(r"\d", rest), rest
    assert "nan" not in words.lower()
    assert text.verdict(hidden_row(), True) == "hidden"


def test_a_suppressed_flag_wins_over_stray_numbers() -> None:
    """Even if a suppressed row carried numbers, none of them would be worded."""
    words = text.paired_headline(row(is_suppressed=True), CAMI_TS, LABELS)
    assert "61.2" not in words and "412" not in words and "hidden to protect privacy" in words


def test_formatting_helpers() -> None:
    """Signs, zero, thousands, dates and Markdown escaping."""
    assert text.fmt_signed(6.84) == "+6.8"
    assert text.fmt_signed(0) == "0.0"
    assert text.fmt_signed(-0.04) == "-0.04" and text.fmt_signed(0.018) == "+0.02"
    assert text.fmt_count(1204) == "1,204"
    assert text.date_range(pd.Timestamp("2024-01-15"), pd.Timestamp("2024-11-20")) == (
        "15 Jan 2024 to 20 Nov 2024"
    )
    assert text.date_range("2024-09-03", "2024-09-03") == "3 Sep 2024"
    assert text.md_escape("a_b *c* $x$") == r"a\_b \*c\* \$x\$"
    assert text.instrument_abbreviation("No brackets", "maks") == "MAKS"
    assert text.fmt_timestamp("2025-01-31T12:00:00Z") == "31 Jan 2025, 12:00 UTC"
    assert text.fmt_timestamp("last Tuesday") == "last Tuesday"


def test_missing_extract_messages_say_what_to_do() -> None:
    """The missing-extract messages name the path (or the variable) and `ripple run`."""
    assert text.missing_extract_message("/x/dashboard.duckdb") == (
        "No dashboard extract found at /x/dashboard.duckdb; run `ripple run` first."
    )
    assert "RIPPLE_DASHBOARD_DB" in text.missing_extract_message(None)
    assert "missing tables: meta" in text.unreadable_extract_message("/x", ["meta"])


def test_tables_show_hidden_not_zero_or_nan() -> None:
    """Display tables word suppressed cells as hidden and keep one row per extract row."""
    frame = pd.DataFrame([row(), hidden_row("followup")])
    shown = tables.paired_table(frame, LABELS, 10)
    assert len(shown) == 2
    assert shown.iloc[0]["95% CI of change"] == "+5.1 to +8.5"
    hidden = shown.iloc[1]
    assert hidden["People linked (n pairs)"] == "hidden: fewer than 10 people"
    assert set(hidden.drop(["Comparison", "People linked (n pairs)"])) == {"hidden"}
    assert not shown.isin(["0", "nan", "0.0"]).any().any()
