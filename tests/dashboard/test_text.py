"""dashboard.text: the words for a result come from the statistics (benchmarks, uncertainty,
selected follow-up, trend), with numbers rounded once and true minus signs."""

from __future__ import annotations

import re

import pytest

from dashboard import text

MINUS = "\u2212"
LABELS = {"pre": "Before", "post": "Straight after", "followup": "3-month follow-up"}
CAMI = {
    "instrument_id": "cami12",
    "scale_id": "tolerance_support",
    "scale_name": "Tolerance and support",
    "instrument_name": "Community Attitudes toward the Mentally Ill (CAMI-12)",
    "construct": "stigma",
    "higher_is_better": True,
    "score_min": 0.0,
    "score_max": 100.0,
}
UCLA = {
    "instrument_id": "ucla3",
    "scale_id": "loneliness",
    "scale_name": "Loneliness",
    "instrument_name": "Three-item UCLA Loneliness Scale (UCLA-3)",
    "construct": "loneliness",
    "higher_is_better": False,
    "score_min": 3.0,
    "score_max": 9.0,
}


def row(**values) -> dict:
    """A shown paired_stats row (as after suppress.apply) with sensible defaults."""
    base = {
        "from_wave": "pre",
        "to_wave": "post",
        "is_from_baseline": True,
        "n_pairs": 412,
        "mean_from": 22.94,
        "mean_to": 25.66,
        "mean_improvement": 2.72,
        "improvement_ci_low": 2.05,
        "improvement_ci_high": 3.39,
        "d_z": 0.45,
        "d_z_ci_low": 0.35,
        "d_z_ci_high": 0.55,
        "g_z": 0.449,
        "d_av": 0.39,
        "d_av_ci_low": 0.30,
        "d_av_ci_high": 0.48,
        "reliability_source": "published",
        "rci_reliability": 0.84,
        "share_reliably_improved": 0.335,
        "share_reliably_unchanged": 0.335,
        "share_reliably_deteriorated": 0.33,
        "hidden": False,
        "hidden_label": None,
        "held": False,
    }
    return {**base, **values}


HIDDEN = row(
    hidden=True,
    hidden_label="hidden: too few people",
    **dict.fromkeys(
        [
            "n_pairs",
            "mean_from",
            "mean_to",
            "mean_improvement",
            "improvement_ci_low",
            "improvement_ci_high",
            "d_z",
            "d_z_ci_low",
            "d_z_ci_high",
            "g_z",
            "d_av",
        ]
    ),
)


@pytest.mark.parametrize(
    ("d_av", "word"),
    [
        (0.1, "very small"),
        (0.19, "very small"),
        (0.2, "small"),
        (0.49, "small"),
        (0.5, "medium"),
        (0.79, "medium"),
        (0.8, "large"),
        (-0.35, "small"),
    ],
)
def test_cohens_words_come_from_d_av(d_av: float, word: str) -> None:
    """Cohen's 0.2 / 0.5 / 0.8 size d_av (between-group scale)."""
    assert text.size_word(d_av) == word


def test_d_z_is_never_given_a_cohen_word() -> None:
    """A large d_z with a small d_av reads 'small': the word follows d_av, and the d_z
    sentence says it has no benchmark."""
    result = row(d_z=0.85, d_z_ci_low=0.75, d_z_ci_high=0.95, d_av=0.31)
    assert text.verdict_phrase(result) == "a small improvement"
    sentence = text.effect_sentence(result, CAMI)
    assert "d_z 0.85" in sentence and "no small/medium/large benchmark" in sentence
    assert "d_av 0.31" in sentence and "is small by Cohen's benchmarks" in sentence
    assert not re.search(r"d_z 0\.85[^.]*\b(large|medium)\b", sentence)


def test_uncertainty_decides_the_verdict() -> None:
    """A CI including 0 is 'no clear change', whatever the point estimate; one wholly below
    0 is a worsening."""
    assert text.verdict(row(improvement_ci_low=-0.1)) == "no clear change"
    assert text.verdict_phrase(row(improvement_ci_low=-0.1, d_av=0.6)) == "no clear change"
    worse = row(improvement_ci_low=-3.0, improvement_ci_high=-1.0, d_av=-0.25)
    assert text.verdict_phrase(worse) == "a small worsening"
    assert text.verdict(HIDDEN) == "hidden"
    assert text.verdict_phrase(HIDDEN) == "hidden: too few people"


def test_the_interval_of_d_av_gives_the_range_of_sizes() -> None:
    """The sentence says which sizes the d_av interval allows."""
    assert text.size_range_words(0.45, 0.6) == "small to medium"
    assert text.size_range_words(-0.05, 0.3) == "none to small"
    assert "its interval allows small to medium" in text.effect_sentence(
        row(d_av=0.52, d_av_ci_low=0.45, d_av_ci_high=0.6), CAMI
    )


def test_field_benchmarks_and_g_z_for_small_groups() -> None:
    """Stigma compares with the field's trials; a group under 30 is told to quote g_z."""
    sentence = text.effect_sentence(row(n_pairs=14, g_z=0.41), CAMI)
    assert "d 0.08–0.14 (Morgan, Ross & Reavley 2018)" in sentence
    assert "With 14 people, quote g_z 0.41" in sentence
    assert "Morgan" not in text.effect_sentence(row(), UCLA)


def test_the_change_sentence_adds_up_and_gives_the_range() -> None:
    """22.94 -> 25.66 reads 22.9 to 25.7 and +2.8 (the rounded difference), with the scale's
    range and direction and the CI with true signs."""
    sentence = text.change_sentence(row(), CAMI, LABELS)
    assert "from 22.9 to 25.7 (scale 0–100, higher is better): a change of +2.8 points" in sentence
    assert "95% CI +2.1 to +3.4" in sentence and "Among 412 people" in sentence


def test_lower_is_better_scales_read_the_same_way() -> None:
    """A fall in loneliness is a positive change, an improvement."""
    fall = row(mean_from=5.94, mean_to=5.31, improvement_ci_low=0.3, improvement_ci_high=0.9)
    sentence = text.change_sentence(fall, UCLA, LABELS)
    assert "from 5.9 to 5.3 (scale 3–9, lower is better): a change of +0.6 points" in sentence
    assert text.verdict(fall) == "improvement"


def test_negative_numbers_in_sentences_use_the_true_minus_sign() -> None:
    """No hyphen-minus before a digit anywhere in the wording."""
    worse = row(
        mean_from=25.0,
        mean_to=22.4,
        improvement_ci_low=-3.9,
        improvement_ci_high=-1.3,
        d_z=-0.3,
        d_z_ci_low=-0.4,
        d_z_ci_high=-0.2,
        d_av=-0.25,
        d_av_ci_low=-0.35,
        d_av_ci_high=-0.15,
    )
    words = text.change_sentence(worse, CAMI, LABELS) + text.effect_sentence(worse, CAMI)
    assert f"{MINUS}2.6 points" in words and f"{MINUS}3.9 to {MINUS}1.3" in words
    assert not re.search(r"-\d", words)


def test_hidden_rows_are_worded_without_numbers() -> None:
    """A hidden row says why, with no statistic."""
    for words in (
        text.change_sentence(HIDDEN, CAMI, LABELS),
        text.effect_sentence(HIDDEN, CAMI),
        text.reliable_change_sentence(HIDDEN),
    ):
        assert "hidden: too few people" in words
        assert not re.search(r"\d", words.replace("Straight after", "").replace("→", ""))


def test_reliable_change_percentages_add_up() -> None:
    """33.5 / 33.5 / 33 % reads 34 / 33 / 33 (adding up to 100), naming the reliability."""
    words = text.reliable_change_sentence(row())
    assert "34% reliably improved, 33% unchanged, 33% reliably worse" in words
    assert "published reliability .84" in words


def test_follow_up_on_a_selected_group_is_said() -> None:
    """attrition.follow_up_selected drives the sentence and the outcome line's note."""
    selected = {
        "to_wave": "followup",
        "hidden": False,
        "baseline_gap": 3.1,
        "d_s": 0.22,
        "p": 0.02,
        "n_completers": 189,
        "n_dropouts": 336,
        "follow_up_selected": True,
    }
    words = text.attrition_sentence(selected, LABELS)
    assert words.startswith("The result at “3-month follow-up” rests on a selected group")
    assert "had started out better than the 336 who did not" in words
    same = {**selected, "follow_up_selected": False, "p": 0.61, "d_s": 0.05}
    assert "much like" in text.attrition_sentence(same, LABELS)
    line = text.outcome_line(CAMI, [row(), row(to_wave="followup")], LABELS, {"followup": True})
    assert line.startswith("Tolerance and support (CAMI-12, 0–100): Straight after: a small")
    assert line.endswith(f"({text.SELECTED_NOTE})")


def test_trend_sentences() -> None:
    """'Improving by ... per year, CI ...' only when the CI excludes 0; else no clear trend."""
    clear = {
        "trend_slope_per_year": 0.31,
        "trend_ci_low": 0.08,
        "trend_ci_high": 0.54,
        "trend_k": 5,
    }
    assert text.trend_sentence(clear) == (
        "Improving by 0.31 d_z per year (95% CI 0.08 to 0.54, 5 cohorts): later cohorts "
        "improved more."
    )
    unclear = {**clear, "trend_slope_per_year": 0.05, "trend_ci_low": -0.2, "trend_ci_high": 0.3}
    assert text.trend_sentence(unclear) == (
        f"No clear trend (0.05 d_z per year, 95% CI {MINUS}0.20 to 0.30, 5 cohorts)."
    )
    falling = {**clear, "trend_slope_per_year": -0.3, "trend_ci_low": -0.5, "trend_ci_high": -0.1}
    assert text.trend_sentence(falling).startswith("Weakening by 0.30 d_z per year")
    assert text.trend_sentence({"trend_slope_per_year": None, "k_cohorts_pooled": 2}).startswith(
        "No trend estimated"
    )


def test_summary_counts_outcomes_not_people() -> None:
    """The one-line summary counts outcomes by verdict per later survey."""
    line = text.summary_line(
        {"post": [row(), row()], "followup": [row(improvement_ci_low=-1), HIDDEN]}, LABELS
    )
    assert line == (
        "Straight after: 2 of 2 outcomes improved. 3-month follow-up: 0 of 2 outcomes "
        "improved, 1 no clear change, 1 hidden."
    )


def test_names_and_markdown() -> None:
    """Outcome names carry the range; config names are escaped for Markdown."""
    assert text.outcome_with_range(UCLA) == "Loneliness (UCLA-3, 3–9)"
    assert text.md_escape("a*b_[c]$") == r"a\*b\_\[c\]\$"
    assert (
        text.group_label(
            {"level": "attribute", "attribute": "gender", "attribute_value": "(not answered)"}
        )
        == "Gender: did not answer"
    )


def test_outcome_lines_follow_the_outcome_order_in_markdown(extract) -> None:
    """One Markdown line per outcome, in the order given, each the outcome's own rows in
    words (the follow-up's selected-group note where flagged)."""
    from dashboard import queries, tables

    paired = queries.paired_stats(extract, "ttt_work")
    baseline = paired[(paired["level"] == "programme") & paired["is_from_baseline"].astype(bool)]
    keys = set(zip(baseline["instrument_id"], baseline["scale_id"], strict=True))
    scales = queries.scales(extract)
    mask = [
        (i, s) in keys for i, s in zip(scales["instrument_id"], scales["scale_id"], strict=True)
    ]
    outcomes = tables.outcome_order(scales[mask])
    selected = {("cami12", "tolerance_support"): {"followup": True}}
    lines = text.outcome_lines_markdown(outcomes, baseline, LABELS, selected).split("\n")
    assert len(lines) == len(outcomes) > 1
    for line, scale in zip(lines, text.records(outcomes), strict=True):
        key = (scale["instrument_id"], scale["scale_id"])
        rows = text.records(
            baseline[(baseline["instrument_id"] == key[0]) & (baseline["scale_id"] == key[1])]
        )
        expected = text.outcome_line(scale, rows, LABELS, selected.get(key), markdown=True)
        assert line == f"- {expected}"
        assert (text.SELECTED_NOTE in line) == (key in selected)
