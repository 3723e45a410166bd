"""A result in words: improvement, worsening or no clear change from the 95% CI of the
change, sized by d_av against Cohen's benchmarks; one line per outcome and one across them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from dashboard import fmt, suppress
from dashboard.text.words import held_suffix, md_escape, outcome_with_range, records, wave_label

Verdict = Literal["improvement", "worsening", "no clear change", "hidden", "n/a"]

#: Cohen's between-group benchmarks, for d_av only (never for d_z): (lower bound, word).
COHEN_BENCHMARKS = ((0.8, "large"), (0.5, "medium"), (0.2, "small"), (0.0, "very small"))


def verdict(row: Mapping[str, Any]) -> Verdict:
    """Improvement or worsening when the 95% CI of the mean change lies wholly on one side
    of 0 (positive = improvement), 'no clear change' when it includes 0, 'hidden' for a
    hidden row, 'n/a' when the row has no interval."""
    if row.get("hidden"):
        return "hidden"
    low, high = (
        suppress.value(row, "improvement_ci_low"),
        suppress.value(row, "improvement_ci_high"),
    )
    if low is None or high is None:
        low, high = suppress.value(row, "d_z_ci_low"), suppress.value(row, "d_z_ci_high")
    if low is None or high is None:
        return "n/a"
    if low > 0:
        return "improvement"
    if high < 0:
        return "worsening"
    return "no clear change"


def size_word(d: Any) -> str | None:
    """Cohen's word for a between-group-scale effect (use d_av, never d_z): 'very small'
    (|d| < 0.2), 'small' (< 0.5), 'medium' (< 0.8) or 'large'; None when missing.

    Example:
        >>> size_word(0.1), size_word(-0.35), size_word(0.5), size_word(1.2)
        ('very small', 'small', 'medium', 'large')
    """
    number = fmt.rounded(d, fmt.DIGITS["effect"])
    if number is None:
        return None
    return next(word for bound, word in COHEN_BENCHMARKS if abs(number) >= bound)


def size_range_words(low: Any, high: Any) -> str | None:
    """The sizes a d_av interval allows: 'small', 'small to medium', 'none to small'."""
    lo, hi = fmt.number_or_none(low), fmt.number_or_none(high)
    if lo is None or hi is None:
        return None
    if lo <= 0 <= hi:
        largest = size_word(max(abs(lo), abs(hi)))
        return f"none to {largest}"
    first, last = size_word(min(abs(lo), abs(hi))), size_word(max(abs(lo), abs(hi)))
    return first if first == last else f"{first} to {last}"


def verdict_phrase(row: Mapping[str, Any]) -> str:
    """'a medium improvement', 'a small worsening', 'no clear change', 'hidden: too few
    people': the result in words, sized by d_av where it is clear."""
    result = verdict(row)
    if result == "hidden":
        return str(row.get("hidden_label"))
    if result == "n/a":
        return "not available"
    if result == "no clear change":
        return "no clear change"
    word = size_word(suppress.value(row, "d_av"))
    if word is None:
        return f"an {result}" if result == "improvement" else f"a {result}"
    article = "an" if word[0] in "aeiou" else "a"
    return f"{article} {word} {result}"


def _wave_row_phrase(row: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """'straight after: a medium improvement' for one comparison."""
    return f"{wave_label(row['to_wave'], labels)}: {verdict_phrase(row)}{held_suffix(row)}"


#: What an outcome line adds when follow-up rests on a selected group.
SELECTED_NOTE = "rests on the people who came back, who differed at the start"


def outcome_phrases(
    rows: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    selected: Mapping[str, bool] | None = None,
) -> str:
    """Each comparison of one outcome in words: 'Straight after: a medium improvement ·
    3-month follow-up: a small improvement (rests on the people who came back, ...)'.

    Args:
        rows: the group's paired_stats rows of one scale from the baseline, in wave order.
        labels: wave id -> label.
        selected: to_wave -> attrition.follow_up_selected (programme level only).
    """
    parts = []
    for row in rows:
        phrase = _wave_row_phrase(row, labels)
        if (selected or {}).get(row["to_wave"]) and not row.get("hidden"):
            phrase += f" ({SELECTED_NOTE})"
        parts.append(phrase)
    return " · ".join(parts) if parts else "no results yet"


def outcome_line(
    scale: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    selected: Mapping[str, bool] | None = None,
    markdown: bool = False,
) -> str:
    """One short line per outcome: its name with range, then each comparison in words
    (with `markdown`, escaped and the outcome in bold).

    Example: "Knowledge (MAKS, 6–30): Straight after: a medium improvement · 3-month
    follow-up: a small improvement".
    """
    name, phrases = outcome_with_range(scale), outcome_phrases(rows, labels, selected)
    if markdown:
        return f"**{md_escape(name)}**: {md_escape(phrases)}"
    return f"{name}: {phrases}"


def outcome_lines_markdown(
    outcomes: pd.DataFrame,
    paired: pd.DataFrame,
    labels: Mapping[str, str],
    selected: Mapping[tuple[str, str], Mapping[str, bool]] | None = None,
) -> str:
    """A Markdown list with one `outcome_line` per outcome, in the order of `outcomes`.

    Args:
        outcomes: scales rows in reading order.
        paired: suppressed paired_stats rows of one group from the baseline, in wave order.
        labels: wave id -> label.
        selected: (instrument_id, scale_id) -> {later wave: True} where the follow-up rests
            on a selected group.
    """
    by_scale = {
        key: records(rows)
        for key, rows in paired.groupby(["instrument_id", "scale_id"], sort=False)
    }
    lines = []
    for scale in records(outcomes):
        key = (scale["instrument_id"], scale["scale_id"])
        line = outcome_line(
            scale, by_scale.get(key, []), labels, (selected or {}).get(key), markdown=True
        )
        lines.append(f"- {line}")
    return "\n".join(lines)


def summary_line(
    rows_by_wave: Mapping[str, Sequence[Mapping[str, Any]]], labels: Mapping[str, str]
) -> str:
    """One line across outcomes: 'Straight after: 5 of 6 outcomes improved, 1 no clear
    change. 3-month follow-up: 3 of 6 improved, 2 no clear change, 1 hidden.' (counts of
    outcomes, not of people)."""
    sentences = []
    for wave, rows in rows_by_wave.items():
        verdicts = [verdict(row) for row in rows]
        total = len(verdicts)
        if not total:
            continue
        improved = verdicts.count("improvement")
        parts = [f"{improved} of {total} outcome{'s' if total != 1 else ''} improved"]
        for name in ("no clear change", "worsening", "hidden", "n/a"):
            count = verdicts.count(name)
            if count:
                word = {"worsening": "worsened", "n/a": "not available"}.get(name, name)
                parts.append(f"{count} {word}")
        sentences.append(f"{wave_label(wave, labels)}: {', '.join(parts)}.")
    return " ".join(sentences) if sentences else "No paired results for this group yet."


def benchmark_caption() -> str:
    """Caption of the scorecard: which effect size is plotted and where the words come from."""
    return (
        "Each row is an outcome; each mark is the change among the same people, as d_z with "
        "its 95% CI, on one common axis: right of 0 is always better, whichever way the "
        "scale runs. The words (very small, small, medium, large) compare d_av, the change "
        "on the scale of a between-group difference, with Cohen's benchmarks; d_z itself "
        'has no such benchmark. An interval that crosses 0 is "no clear change".'
    )
