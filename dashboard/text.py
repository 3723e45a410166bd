"""Plain-language wording of the extract's numbers.

Pure functions: no Streamlit, no DuckDB. Each takes extract rows (mappings or pandas rows) and
returns text that says what every number is: which comparison, which n, which effect size.
Suppressed rows are worded with the privacy message and never with a number.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd

from dashboard.settings import DEFAULT_MIN_CELL_SIZE

Verdict = Literal["improvement", "worsening", "unclear", "hidden"]

#: How the baseline and the "straight after" waves read inside a sentence; other waves use
#: their label from the project config.
WAVE_PHRASES = {"pre": "before", "baseline": "before", "post": "straight after"}

#: Display names and order of the constructs the instruments measure.
CONSTRUCT_LABELS = {
    "stigma": "Attitudes (stigma)",
    "knowledge": "Knowledge",
    "intended_behaviour": "Intended behaviour",
    "belonging": "Belonging",
    "loneliness": "Loneliness",
    "wellbeing": "Wellbeing",
}

#: Streamlit Markdown badges per verdict (colour is never the only signal: the word is there).
VERDICT_BADGES = {
    "improvement": ":green-badge[Improvement]",
    "worsening": ":red-badge[Worsening]",
    "unclear": ":gray-badge[No clear change]",
    "hidden": ":gray-badge[Hidden for privacy]",
}

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|$~])")


def is_missing(value: Any) -> bool:
    """True for None, NaN, pd.NA and NaT (a suppressed statistic)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts, with pandas' missing markers (NaN, NA, NaT) turned into None."""
    return [
        {key: (None if is_missing(value) else value) for key, value in row.items()}
        for row in frame.to_dict("records")
    ]


def fmt_number(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals and thousands separators, e.g. 1,234.5."""
    return f"{float(value):,.{digits}f}"


def fmt_signed(value: float, digits: int = 1) -> str:
    """A change with its sign, e.g. +6.8 or -1.2. Zero is 0.0; a nonzero value that would
    round to zero gets one more decimal (+0.02), so a CI's side of zero stays visible."""
    number = float(value)
    if number == 0:
        return f"{0:.{digits}f}"
    if round(number, digits) == 0:
        digits += 1
    return f"{number:+,.{digits}f}"


def fmt_count(value: Any) -> str:
    """A count of people, e.g. 1,204."""
    return f"{int(value):,}"


def fmt_date(value: Any) -> str:
    """A date as '15 Jan 2024'; missing dates read 'unknown'."""
    if is_missing(value):
        return "unknown"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {value:%b %Y}"


def fmt_timestamp(value: str | None) -> str:
    """An ISO UTC timestamp as '25 Nov 2026, 00:14 UTC' (unparseable text is shown as is)."""
    if not value:
        return "unknown"
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def date_range(first: Any, last: Any) -> str:
    """'15 Jan 2024 to 20 Nov 2024', or one date when both are the same."""
    if fmt_date(first) == fmt_date(last):
        return fmt_date(first)
    return f"{fmt_date(first)} to {fmt_date(last)}"


def programme_summary(programme: Mapping[str, Any]) -> str:
    """'Contact-based programme for adults at work.'"""
    approach = str(programme["approach"])
    return f"{approach[:1].upper()}{approach[1:]} programme for {programme['audience']}."


def md_escape(text: str) -> str:
    """Escape Markdown (and Streamlit's $...$ LaTeX) so names from the config show as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def instrument_abbreviation(instrument_name: str, instrument_id: str) -> str:
    """The short name in the instrument name's last brackets ('... (CAMI-12)' -> 'CAMI-12'),
    or the upper-cased instrument id when there is none."""
    match = re.search(r"\(([^()]{1,20})\)\s*$", instrument_name or "")
    return match.group(1) if match else instrument_id.upper()


def outcome_name(scale: Mapping[str, Any]) -> str:
    """'Tolerance and support for community care (CAMI-12)': the scale and its instrument."""
    abbr = instrument_abbreviation(scale["instrument_name"], scale["instrument_id"])
    return f"{scale['scale_name']} ({abbr})"


def construct_label(construct: str) -> str:
    """Display name of a construct, e.g. 'intended_behaviour' -> 'Intended behaviour'."""
    return CONSTRUCT_LABELS.get(construct, construct.replace("_", " ").capitalize())


def direction_phrase(higher_is_better: bool) -> str:
    """Which way is better on a scale, as a sentence opening."""
    return (
        "Higher scores are better on this scale"
        if higher_is_better
        else "Lower scores are better on this scale"
    )


def wave_phrase(wave_id: str, label: str) -> str:
    """A wave inside a sentence: 'before', 'straight after', or 'in the “<label>” survey'."""
    return WAVE_PHRASES.get(wave_id, f"in the “{label}” survey")


def comparison_phrase(from_wave: str, to_wave: str, labels: Mapping[str, str]) -> str:
    """'before and straight after': when the people in a paired comparison answered."""
    from_text = wave_phrase(from_wave, labels.get(from_wave, from_wave))
    to_text = wave_phrase(to_wave, labels.get(to_wave, to_wave))
    return f"{from_text} and {to_text}"


def comparison_label(from_wave: str, to_wave: str, labels: Mapping[str, str]) -> str:
    """A short comparison label for charts and tables: 'Before → Straight after'."""
    return f"{labels.get(from_wave, from_wave)} → {labels.get(to_wave, to_wave)}"


def hidden_label(min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> str:
    """What a suppressed cell shows in charts and tables."""
    return f"hidden: fewer than {min_cell_size} people"


def suppressed_message(min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> str:
    """The sentence shown instead of a suppressed paired result."""
    return (
        f"Fewer than {min_cell_size} people answered both surveys, "
        "so this result is hidden to protect privacy."
    )


def verdict(row: Mapping[str, Any], higher_is_better: bool) -> Verdict:
    """Classify a change row: improvement or worsening when its 95% CI excludes zero,
    'unclear' when the CI includes zero, 'hidden' when suppressed."""
    change = row.get("mean_change")
    if row.get("is_suppressed") or is_missing(change):
        return "hidden"
    low, high = row.get("ci_low"), row.get("ci_high")
    if is_missing(low) or is_missing(high) or float(low) <= 0 <= float(high):
        return "unclear"
    return "improvement" if (float(change) > 0) == bool(higher_is_better) else "worsening"


def verdict_sentence(result: Verdict, change: float, higher_is_better: bool) -> str:
    """One sentence saying whether a change is good news, using the scale's direction."""
    direction = direction_phrase(higher_is_better)
    if result in ("improvement", "worsening"):
        article = "an" if result == "improvement" else "a"
        return f"{direction}, so this is {article} {result}."
    if round(change, 1) == 0:
        return f"{direction}. The average barely changed, so there may be no real change."
    leaning = "improvement" if (change > 0) == bool(higher_is_better) else "worsening"
    return (
        f"{direction}. The change points towards {leaning}, but the 95% CI includes zero, "
        "so it may be no real change."
    )


def _ci_text(low: Any, high: Any) -> str:
    """'; 95% CI +5.1 to +8.5', or nothing when the interval is missing."""
    if is_missing(low) or is_missing(high):
        return ""
    return f"; 95% CI {fmt_signed(low)} to {fmt_signed(high)}"


def _movement(mean_from: float, mean_to: float, change: float) -> str:
    """'rose from 61.2 to 68.0', 'fell from ...' or 'stayed about the same, ...'."""
    before, after = fmt_number(mean_from), fmt_number(mean_to)
    if round(change, 1) > 0:
        return f"rose from {before} to {after}"
    if round(change, 1) < 0:
        return f"fell from {before} to {after}"
    return f"stayed about the same, {before} before and {after} after"


def paired_headline(
    row: Mapping[str, Any],
    scale: Mapping[str, Any],
    labels: Mapping[str, str],
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
) -> str:
    """The plain-language headline of one paired_change row.

    Example: "Tolerance and support (CAMI-12): average score rose from 61.2 to 68.0 (+6.8
    points; 95% CI +5.1 to +8.5) among 412 people who answered before and straight after.
    Effect size d_z = 0.45. Higher scores are better on this scale, so this is an improvement."
    A suppressed row gives the privacy message and no number from the row.
    """
    name = outcome_name(scale)
    comparison = comparison_label(row["from_wave"], row["to_wave"], labels)
    if verdict(row, True) == "hidden" or is_missing(row.get("n_pairs")):
        return f"{name}, {comparison}: {suppressed_message(min_cell_size)}"
    change = float(row["mean_change"])
    parts = [
        f"{name}: average score {_movement(row['mean_from'], row['mean_to'], change)} "
        f"({fmt_signed(change)} points{_ci_text(row.get('ci_low'), row.get('ci_high'))}) "
        f"among {fmt_count(row['n_pairs'])} people who answered "
        f"{comparison_phrase(row['from_wave'], row['to_wave'], labels)}."
    ]
    if not is_missing(row.get("d_z")):
        parts.append(f"Effect size d_z = {float(row['d_z']):.2f}.")
    hib = bool(scale["higher_is_better"])
    parts.append(verdict_sentence(verdict(row, hib), change, hib))
    return " ".join(parts)


def headline_markdown(
    row: Mapping[str, Any],
    scale: Mapping[str, Any],
    labels: Mapping[str, str],
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
) -> str:
    """The headline as Streamlit Markdown: a verdict badge, then the escaped sentence."""
    badge = VERDICT_BADGES[verdict(row, bool(scale["higher_is_better"]))]
    return f"{badge} {md_escape(paired_headline(row, scale, labels, min_cell_size))}"


def d_z_explanation() -> str:
    """How to read the paired effect size d_z (Markdown)."""
    return (
        "**Effect size d_z** is the average change divided by the standard deviation of the "
        "changes, among the people who answered both surveys. It puts scales with different "
        "ranges on one footing: 0 means no change; by Cohen's rough guide, 0.2 is small, 0.5 "
        "medium and 0.8 large. Its sign follows the raw change, so on scales where lower is "
        "better (such as loneliness) a negative d_z is an improvement."
    )


def ci_explanation() -> str:
    """How to read a 95% confidence interval of a mean change (Markdown)."""
    return (
        "**95% CI** (confidence interval) is the range of average changes that fit the data, "
        "from the t distribution with n - 1 degrees of freedom. When it lies wholly on one "
        "side of zero, chance alone is an unlikely explanation for the change; when it "
        "includes zero, the data are also consistent with no change. Wider intervals mean "
        "fewer people or more varied changes."
    )


def wave_score_caption(min_cell_size: int) -> str:
    """Caption under the average-score chart."""
    return (
        "Each point is the average score of everyone who answered that survey (not only the "
        "people linked across surveys), with its 95% CI; n under each survey is the number "
        f"of responses. Surveys with fewer than {min_cell_size} responses are hidden."
    )


def paired_change_caption(min_cell_size: int) -> str:
    """Caption under the paired-change chart."""
    return (
        "Each bar is the average change (later score minus score before) among people who "
        "answered both surveys and were linked by their self-generated code, with its 95% CI; "
        f"n is the number of linked people. Comparisons with fewer than {min_cell_size} "
        "people are hidden, never shown as zero."
    )


def trend_caption(min_cell_size: int) -> str:
    """Caption under the cohort trend chart."""
    return (
        "Each point is one workshop cohort: the average change among its linked people, with "
        "its 95% CI, placed at the date the cohort ran. The dashed line is the programme's "
        "result over all linked people. Cohorts marked 'hidden' had fewer than "
        f"{min_cell_size} linked people, or were hidden so that a small cohort cannot be "
        "worked out from the others; they are gaps, never zeros."
    )


def finite(value: Any) -> float | None:
    """A float for plotting, or None for a suppressed/missing value (never 0)."""
    if is_missing(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def missing_extract_message(path: Any, env_var: str = "RIPPLE_DASHBOARD_DB") -> str:
    """What to do when there is no extract to show."""
    if path is None:
        return (
            f"No dashboard extract found: the {env_var} environment variable is not set; "
            "run `ripple run` first, then start the dashboard with `ripple dashboard`."
        )
    return f"No dashboard extract found at {path}; run `ripple run` first."


def unreadable_extract_message(path: Any, missing: list[str] | None = None) -> str:
    """What to do when the file is there but is not a readable dashboard extract."""
    if missing:
        return (
            f"The file at {path} is not a Ripple dashboard extract (missing tables: "
            f"{', '.join(missing)}); run `ripple run` to rebuild it."
        )
    return (
        f"The dashboard extract at {path} could not be read. If `ripple run` is publishing a "
        "new extract, reload this page in a moment; otherwise run `ripple run` to rebuild it."
    )
