"""Plain-language wording of the extract's numbers: the words come from the statistics.

Pure functions (no Streamlit, no DuckDB). They take rows that passed through
`suppress.apply` (mappings) and return text that says what every number is: which
comparison, which n, which effect size, how sure. Hidden rows are worded with their
"hidden: <reason>" label and never with a number. Numbers come from `fmt` (rounded once,
true minus signs).

How a result is worded (README, "How to read the numbers"):

- **Direction and certainty** from the 95% CI of the mean change (positive = improvement):
  wholly above 0 "improvement", wholly below 0 "worsening", else "no clear change".
- **Size in words** from d_av, the change on the scale of a between-group d, against
  Cohen's between-group benchmarks (0.2 small, 0.5 medium, 0.8 large; below 0.2 "very
  small"), with the range its CI allows. d_z, plotted on the common axis, has no such
  benchmark (it grows with the correlation of the two waves), so it is never given a size
  word.
- **Follow-up on a selected group**: from `attrition.follow_up_selected` (p < .05 or
  |d_s| >= 0.2 between completers and drop-outs at baseline).
- **Trend** from `cohort_meta`: "improving by ... per year" only when the slope's CI
  excludes 0, else "no clear trend".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from dashboard import filters, fmt, suppress

Verdict = Literal["improvement", "worsening", "no clear change", "hidden", "n/a"]

#: Cohen's between-group benchmarks, for d_av only (never for d_z): (lower bound, word).
COHEN_BENCHMARKS = ((0.8, "large"), (0.5, "medium"), (0.2, "small"), (0.0, "very small"))

#: Field benchmarks (between-group d from controlled trials and campaigns), per construct.
FIELD_BENCHMARKS = {
    "stigma": (
        "controlled trials of mental health first aid moved stigma by d 0.08–0.14 (Morgan, "
        "Ross & Reavley 2018), and England's Time to Change campaign shifted attitudes by "
        "about 0.2 SD over six years (Henderson et al. 2016)"
    ),
    "knowledge": (
        "controlled trials of mental health first aid raised knowledge by d 0.31–0.72 "
        "(Morgan, Ross & Reavley 2018)"
    ),
}

#: Display names and reading order of the constructs the instruments measure.
CONSTRUCT_LABELS = {
    "stigma": "Attitudes (stigma)",
    "knowledge": "Knowledge",
    "intended_behaviour": "Intended behaviour",
    "self_stigma": "Self-stigma",
    "social_distance": "Social distance",
    "belonging": "Belonging",
    "sense_of_community": "Sense of community",
    "loneliness": "Loneliness",
    "wellbeing": "Wellbeing",
}

#: How special attribute values read.
ATTRIBUTE_VALUES = {
    "(suppressed)": "not kept (too few people shared the answer)",
    "(not answered)": "did not answer",
    "(not asked)": "not asked",
}

#: Short verdict words for badges and lines.
VERDICT_BADGES = {
    "improvement": ":blue-badge[Improvement]",
    "worsening": ":orange-badge[Worsening]",
    "no clear change": ":gray-badge[No clear change]",
    "hidden": ":gray-badge[Hidden]",
    "n/a": ":gray-badge[Not available]",
}

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>#|$~])")


# ----------------------------------------------------------------------------- basics


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts, with pandas' missing markers turned into None."""
    return [
        {key: (None if fmt.is_missing(value) else value) for key, value in row.items()}
        for row in frame.to_dict("records")
    ]


def md_escape(text: Any) -> str:
    """Escape Markdown (and Streamlit's $...$ LaTeX) so names from the config show as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def instrument_abbreviation(instrument_name: str, instrument_id: str) -> str:
    """The short name in the instrument name's last brackets ('... (CAMI-12)' -> 'CAMI-12'),
    or the upper-cased instrument id when there is none."""
    match = re.search(r"\(([^()]{1,20})\)\s*$", instrument_name or "")
    return match.group(1) if match else instrument_id.upper()


def outcome_name(scale: Mapping[str, Any]) -> str:
    """'Tolerance and support (CAMI-12)': the scale and its instrument."""
    abbr = instrument_abbreviation(scale["instrument_name"], scale["instrument_id"])
    return f"{scale['scale_name']} ({abbr})"


def outcome_with_range(scale: Mapping[str, Any]) -> str:
    """'Tolerance and support (CAMI-12, 0–100)': the name with the scale's range."""
    abbr = instrument_abbreviation(scale["instrument_name"], scale["instrument_id"])
    return (
        f"{scale['scale_name']} ({abbr}, {fmt.score_range(scale['score_min'], scale['score_max'])})"
    )


def construct_label(construct: str) -> str:
    """Display name of a construct, e.g. 'intended_behaviour' -> 'Intended behaviour'."""
    return CONSTRUCT_LABELS.get(construct, construct.replace("_", " ").capitalize())


def direction_words(higher_is_better: bool) -> str:
    """'higher is better' or 'lower is better'."""
    return "higher is better" if higher_is_better else "lower is better"


def scale_note(scale: Mapping[str, Any]) -> str:
    """'scale 0–100, higher is better': the range and direction beside a score."""
    range_ = fmt.score_range(scale["score_min"], scale["score_max"])
    return f"scale {range_}, {direction_words(bool(scale['higher_is_better']))}"


def wave_label(wave_id: str, labels: Mapping[str, str]) -> str:
    """A wave's display label (its id when unknown)."""
    return str(labels.get(wave_id, wave_id))


def comparison_label(from_wave: str, to_wave: str, labels: Mapping[str, str]) -> str:
    """'Before → Straight after': a comparison for charts and tables."""
    return f"{wave_label(from_wave, labels)} → {wave_label(to_wave, labels)}"


def comparison_phrase(from_wave: str, to_wave: str, labels: Mapping[str, str]) -> str:
    """'“Before” and “Straight after”': when the people in a comparison answered."""
    return f"“{wave_label(from_wave, labels)}” and “{wave_label(to_wave, labels)}”"


def programme_summary(programme: Mapping[str, Any]) -> str:
    """'Contact-based programme for adults at work.'"""
    approach = str(programme["approach"])
    return f"{approach[:1].upper()}{approach[1:]} programme for {programme['audience']}."


def attribute_value_label(value: Any) -> str:
    """A breakdown value as read: '(not answered)' -> 'did not answer'."""
    return ATTRIBUTE_VALUES.get(str(value), str(value))


def group_label(
    row: Mapping[str, Any], programme_names: Mapping[str, str] | None = None, short: bool = False
) -> str:
    """The group of a levelled row: the programme's name, 'Site Leeds', 'Cohort WP-01
    (21 Jan 2025, Leeds)' (short: 'WP-01, 21 Jan 2025') or 'Gender: woman'."""
    level = row.get("level")
    if level == "site":
        return f"Site {row['site']}"
    if level == "cohort" and short:
        return f"{row['cohort_id']}, {fmt.date(row.get('cohort_date'))}"
    if level == "cohort":
        return f"Cohort {row['cohort_id']} ({fmt.date(row.get('cohort_date'))}, {row['site']})"
    if level == "attribute":
        value = attribute_value_label(row["attribute_value"])
        return f"{filters.attribute_label(str(row['attribute']))}: {value}"
    names = programme_names or {}
    return str(names.get(row.get("programme_id"), row.get("programme_id")))


def held_suffix(row: Mapping[str, Any]) -> str:
    """' (as of an earlier update)' for held values, else ''."""
    return f" ({suppress.HELD_LABEL})" if row.get("held") else ""


# ----------------------------------------------------------------------------- verdicts


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
) -> str:
    """One short line per outcome: its name with range, then each comparison in words.

    Example: "Knowledge (MAKS, 6–30): Straight after: a medium improvement · 3-month
    follow-up: a small improvement".
    """
    return f"{outcome_with_range(scale)}: {outcome_phrases(rows, labels, selected)}"


def outcome_line_markdown(
    scale: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    selected: Mapping[str, bool] | None = None,
) -> str:
    """`outcome_line` as Markdown, the outcome in bold."""
    name = md_escape(outcome_with_range(scale))
    return f"**{name}**: {md_escape(outcome_phrases(rows, labels, selected))}"


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


# ----------------------------------------------------------------------------- details


def change_sentence(
    row: Mapping[str, Any], scale: Mapping[str, Any], labels: Mapping[str, str]
) -> str:
    """The change in scale points, rounded so it adds up.

    Example: "Among 412 people who answered “Before” and “Straight after”, the average went
    from 61.2 to 68.0 (scale 0–100, higher is better): a change of +6.8 points (positive =
    better; 95% CI +5.3 to +8.3)."
    The displayed change is `fmt.derived_improvement` of the two rounded averages.
    """
    if row.get("hidden"):
        return (
            f"{comparison_label(row['from_wave'], row['to_wave'], labels)}: {row['hidden_label']}."
        )
    hib = bool(scale["higher_is_better"])
    change = fmt.derived_improvement(row.get("mean_from"), row.get("mean_to"), hib)
    ci = fmt.interval(row.get("improvement_ci_low"), row.get("improvement_ci_high"), 1, plus=True)
    return (
        f"Among {fmt.count(row.get('n_pairs'))} people who answered "
        f"{comparison_phrase(row['from_wave'], row['to_wave'], labels)}, the average went from "
        f"{fmt.score(row.get('mean_from'))} to {fmt.score(row.get('mean_to'))} "
        f"({scale_note(scale)}): a change of {fmt.signed(change)} points "
        f"(positive = better; 95% CI {ci}){held_suffix(row)}."
    )


def effect_sentence(row: Mapping[str, Any], scale: Mapping[str, Any]) -> str:
    """d_z with its CI (no size word), d_av with its CI and its size by Cohen's between-group
    benchmarks (with the range its CI allows), g_z for small groups, and the field's
    benchmark where there is one."""
    if row.get("hidden"):
        return str(row.get("hidden_label"))
    parts = [
        f"d_z {fmt.effect(row.get('d_z'))} (95% CI "
        f"{fmt.interval(row.get('d_z_ci_low'), row.get('d_z_ci_high'), 2)}): the change "
        "relative to how much people's own changes varied; it has no small/medium/large "
        "benchmark."
    ]
    d_av = suppress.value(row, "d_av")
    if d_av is not None:
        word = size_word(d_av)
        allowed = size_range_words(row.get("d_av_ci_low"), row.get("d_av_ci_high"))
        span = f"; its interval allows {allowed}" if allowed and allowed != word else ""
        parts.append(
            f"d_av {fmt.effect(d_av)} (95% CI "
            f"{fmt.interval(row.get('d_av_ci_low'), row.get('d_av_ci_high'), 2)}), on the "
            f"scale of a difference between groups, is {word} by Cohen's benchmarks (0.2 "
            f"small, 0.5 medium, 0.8 large){span}."
        )
    n = fmt.number_or_none(row.get("n_pairs"))
    if n is not None and n < 30 and suppress.value(row, "g_z") is not None:
        parts.append(
            f"With {fmt.count(n)} people, quote g_z {fmt.effect(row.get('g_z'))} "
            "(d_z corrected for small groups)."
        )
    field = FIELD_BENCHMARKS.get(str(scale.get("construct")))
    if field:
        parts.append(f"For comparison, {field}.")
    return " ".join(parts)


def reliable_change_sentence(row: Mapping[str, Any]) -> str:
    """'34% reliably improved, 60% unchanged, 6% reliably worse (reliable change index,
    using the instrument's published reliability .84).' Percentages add up to 100."""
    if row.get("hidden"):
        return f"Reliable change: {row.get('hidden_label')}."
    if row.get("reliability_source") == "unavailable":
        return "Reliable change: not available (no reliability for this scale)."
    columns = suppress.SHARE_COLUMNS
    percents = fmt.percentages_adding_up([row.get(c) for c in columns])
    words = ("reliably improved", "unchanged", "reliably worse")
    parts = [
        f"{p}% {w}" if p is not None else f"{w}: {suppress.share_label(row, c)}"
        for p, w, c in zip(percents, words, columns, strict=True)
    ]
    source = {
        "published": "the instrument's published reliability",
        "sample_alpha_baseline": "this programme's baseline alpha",
    }.get(str(row.get("reliability_source")), "a reliability")
    rel = fmt.number_or_none(row.get("rci_reliability"))
    rel_text = f" {fmt.num(rel, 2).lstrip('0')}" if rel is not None else ""
    return (
        f"Reliable change: {', '.join(parts)} (Jacobson–Truax index beyond 1.96, using "
        f"{source}{rel_text}; a conservative count of individual change)."
    )


def attrition_sentence(row: Mapping[str, Any] | None, labels: Mapping[str, str]) -> str | None:
    """Whether the result at a later wave rests on a selected group (attrition row), or None
    when there is no attrition row."""
    if row is None:
        return None
    wave = wave_label(row["to_wave"], labels)
    if row.get("hidden"):
        return f"Attrition check at “{wave}”: {row.get('hidden_label')}."
    gap = fmt.signed(row.get("baseline_gap"))
    d_s = fmt.effect(row.get("d_s"))
    p = fmt.p_value(row.get("p"))
    stayers, leavers = fmt.count(row.get("n_completers")), fmt.count(row.get("n_dropouts"))
    if row.get("follow_up_selected") is True:
        side = "better" if (fmt.number_or_none(row.get("baseline_gap")) or 0) > 0 else "worse"
        return (
            f"The result at “{wave}” rests on a selected group: the {stayers} people who came "
            f"back had started out {side} than the {leavers} who did not (baseline gap {gap} "
            f"points, d_s {d_s}, {p}), so it describes them, not everyone who took part"
            f"{held_suffix(row)}."
        )
    if row.get("follow_up_selected") is False:
        return (
            f"At “{wave}”, the {stayers} people who came back had started out much like the "
            f"{leavers} who did not (baseline gap {gap} points, d_s {d_s}, {p}){held_suffix(row)}."
        )
    if fmt.number_or_none(row.get("n_dropouts")) == 0:
        return f"At “{wave}”, everyone came back, so no one was lost to follow-up."
    return None


def wave_comparison_sentence(
    row: Mapping[str, Any] | None, labels: Mapping[str, str]
) -> str | None:
    """All available responses at baseline against a later wave (not only linked people)."""
    if row is None:
        return None
    wave = wave_label(row["to_wave"], labels)
    if row.get("hidden"):
        return f"All responses at “{wave}”: {row.get('hidden_label')}."
    ci = fmt.interval(row.get("improvement_ci_low"), row.get("improvement_ci_high"), 1, plus=True)
    return (
        f"Everyone who answered (linked or not): {fmt.count(row.get('n_from'))} at "
        f"“{wave_label(row['from_wave'], labels)}”, {fmt.count(row.get('n_to'))} at “{wave}”; "
        f"averages {fmt.score(row.get('mean_from'))} and {fmt.score(row.get('mean_to'))} "
        f"(difference {fmt.signed(row.get('mean_improvement'))}, positive = better; 95% CI {ci}; "
        f"g_s {fmt.effect(row.get('g_s'))}). When this differs from the paired change, the "
        "people who answered once usually differ from those who answered twice."
    )


def persistence_sentence(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> str:
    """How a change held up: each baseline comparison's d_z in words, then the change
    between later waves (e.g. straight after -> follow-up)."""
    parts = []
    for row in rows:
        comparison = comparison_label(row["from_wave"], row["to_wave"], labels)
        if row.get("hidden"):
            parts.append(f"{comparison}: {row.get('hidden_label')}.")
            continue
        ci = fmt.interval(row.get("d_z_ci_low"), row.get("d_z_ci_high"), 2)
        if row.get("is_from_baseline"):
            parts.append(
                f"{comparison}: {verdict_phrase(row)} (d_z {fmt.effect(row.get('d_z'))}, "
                f"95% CI {ci}){held_suffix(row)}."
            )
        else:
            result = verdict(row)
            meaning = {
                "improvement": "scores kept improving",
                "worsening": "scores fell back",
                "no clear change": "no clear change between them",
            }.get(result, "not available")
            parts.append(
                f"{comparison}, the same people: {meaning} (d_z {fmt.effect(row.get('d_z'))}, "
                f"95% CI {ci}){held_suffix(row)}."
            )
    return " ".join(parts) if parts else "No later comparisons for this outcome."


# ----------------------------------------------------------------------------- cohorts


def trend_sentence(row: Mapping[str, Any] | None) -> str:
    """The trend of cohort effects over time, from cohort_meta.

    "Improving by 0.19 d_z per year (95% CI 0.05 to 0.33): later cohorts improved more."
    when the slope's CI excludes 0; "No clear trend (0.19 d_z per year, 95% CI −0.07 to
    0.45)." otherwise; "No trend estimated: ..." without a slope.
    """
    if row is None:
        return "No trend estimated: there are no cohort results for this comparison."
    slope = fmt.number_or_none(row.get("trend_slope_per_year"))
    if slope is None:
        k = fmt.count(row.get("k_cohorts_pooled"), missing="0")
        return (
            f"No trend estimated: it needs at least 3 cohorts shown on different dates ({k} shown)."
        )
    ci = fmt.interval(row.get("trend_ci_low"), row.get("trend_ci_high"), 2)
    k = fmt.count(row.get("trend_k"))
    low, high = (
        fmt.number_or_none(row.get("trend_ci_low")),
        fmt.number_or_none(row.get("trend_ci_high")),
    )
    clear = low is not None and high is not None and (low > 0 or high < 0)
    if clear and slope > 0:
        return (
            f"Improving by {fmt.effect(slope)} d_z per year (95% CI {ci}, {k} cohorts): later "
            "cohorts improved more."
        )
    if clear and slope < 0:
        return (
            f"Weakening by {fmt.effect(abs(slope))} d_z per year (95% CI {ci}, {k} cohorts): "
            "later cohorts improved less."
        )
    return f"No clear trend ({fmt.effect(slope)} d_z per year, 95% CI {ci}, {k} cohorts)."


def pooled_sentence(row: Mapping[str, Any] | None) -> str | None:
    """'Pooled over 7 cohorts (510 people): d_z 0.40 (95% CI 0.27 to 0.53, Hartung–Knapp).'"""
    if row is None or fmt.number_or_none(row.get("pooled_d_z")) is None:
        return None
    low, high = row.get("pooled_hk_ci_low"), row.get("pooled_hk_ci_high")
    method = "Hartung–Knapp"
    if fmt.number_or_none(low) is None:
        low, high, method = row.get("pooled_ci_low"), row.get("pooled_ci_high"), "random effects"
    left_out = fmt.number_or_none(row.get("n_cohorts")) or 0
    pooled = fmt.number_or_none(row.get("k_cohorts_pooled")) or 0
    note = f"; {int(left_out - pooled)} hidden cohort(s) left out" if left_out > pooled else ""
    return (
        f"Pooled over {fmt.count(pooled)} cohorts ({fmt.count(row.get('n_pairs_pooled'))} "
        f"people): d_z {fmt.effect(row.get('pooled_d_z'))} (95% CI {fmt.interval(low, high, 2)}, "
        f"{method}){note}."
    )


def heterogeneity_sentence(row: Mapping[str, Any] | None) -> str | None:
    """How much cohorts differ beyond chance (I², Q) and where a new cohort would likely
    fall (the prediction interval)."""
    if row is None or fmt.number_or_none(row.get("i2_percent")) is None:
        return None
    i2 = fmt.number_or_none(row.get("i2_percent")) or 0
    degree = (
        "little"
        if i2 < 25
        else "moderately"
        if i2 < 50
        else "substantially"
        if i2 < 75
        else "a lot"
    )
    q = (
        f"Q = {fmt.num(row.get('q'), 1)} on {fmt.count(row.get('q_df'))} df, "
        f"{fmt.p_value(row.get('q_p'))}"
    )
    text = f"Cohorts differ {degree} beyond chance (I² {fmt.num(i2, 0)}%, {q})."
    low, high = row.get("prediction_low"), row.get("prediction_high")
    if fmt.number_or_none(low) is not None and fmt.number_or_none(high) is not None:
        text += (
            f" A new cohort's d_z would likely fall between {fmt.effect(low)} and "
            f"{fmt.effect(high)} (95% prediction interval)."
        )
    return text


# ----------------------------------------------------------------------------- reach


def reach_sentence(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> str:
    """'Reached 202 people; retained 165 (82%) at Straight after and 99 (49%) at 3-month
    follow-up.' from a group's reach rows."""
    baseline = [r for r in rows if r.get("measure") == "responses" and r.get("wave_order") == 0]
    linked = [r for r in rows if r.get("measure") == "linked"]
    if not baseline:
        return "No reach figures for this group."
    first = baseline[0]
    reached = (
        first["hidden_label"] if first.get("hidden") else f"{fmt.count(first.get('n'))} people"
    )
    parts = []
    for row in sorted(linked, key=lambda r: r.get("wave_order") or 0):
        wave = wave_label(row["wave_id"], labels)
        if row.get("hidden"):
            parts.append(f"“{wave}”: {row.get('hidden_label')}")
        else:
            share = fmt.percent(row.get("retention"), missing="")
            share = f" ({share})" if share else ""
            parts.append(f"{fmt.count(row.get('n'))}{share} at “{wave}”{held_suffix(row)}")
    retained = f"; retained {' and '.join(parts)}" if parts else ""
    return f"Reached {reached} at the first survey{held_suffix(first)}{retained}."


# ----------------------------------------------------------------------------- method


def suppression_rule(min_cell_size: int) -> str:
    """The suppression rule in words (Markdown)."""
    return (
        f"**Small groups are never shown.** Any result about fewer than **{min_cell_size} "
        'people** is hidden ("hidden: too few people"). A second result is hidden whenever '
        'it could be subtracted from others to work out a small group ("hidden: so that '
        'another small group cannot be worked out"), and a result that was hidden before '
        f'stays hidden until at least {min_cell_size} new people have joined it ("hidden: '
        'held until enough new people"). Values marked "as of an earlier update" are an '
        "earlier release's, kept because too few people joined since to publish new ones. "
        "Hidden results are never shown as zero, and this dashboard never adds groups up: "
        "totals, shares and pooled results are only ever those the extract publishes."
    )


def control_group_note() -> str:
    """What a before/after change can and cannot say without a control group (Markdown)."""
    return (
        "**What change can and cannot say without a control group.** A change from before to "
        "after shows that the people who took part scored differently afterwards. It cannot "
        "show that the programme caused it: people also change with time and news, with "
        "answering the same survey again (and wanting to please), and, when a group was "
        "chosen for low scores, through regression to the mean. Say \"participants' "
        'attitudes improved by ..." rather than "the programme reduced stigma by ...". '
        "Stronger claims need a comparison group (a waiting-list cohort, a matched group or a "
        "population survey). The comparison of cohorts (pooled effect, how much cohorts "
        "differ, whether later cohorts improve more) shows consistency, not causation."
    )


def glossary() -> list[tuple[str, str]]:
    """(term, meaning) for every number the dashboard shows."""
    return [
        ("Reached", "People who answered the first survey (before the workshop), per group."),
        (
            "Retained",
            "Of those, people whose answers were linked to a later survey: the "
            "people the paired change at that survey rests on. The percentage is of the people "
            "reached.",
        ),
        (
            "Linked pair",
            "One person's answers at two surveys, matched by a keyed digest of "
            "their self-generated code or platform id (never the code itself).",
        ),
        (
            "Average and change",
            "The mean score of the linked people at each survey, in the "
            "scale's own points (its range is shown beside it), and the change between them, "
            "signed so that + is always better. The change shown is the difference of the two "
            "rounded averages, so the numbers add up.",
        ),
        (
            "95% CI",
            "The confidence interval: the range of values that fit the data. When it "
            "includes 0, the data are also consistent with no change.",
        ),
        (
            "d_z",
            "The change divided by the spread of people's own changes. It is what the "
            "paired test rests on and grows as the two surveys' scores correlate, so it is "
            "often larger than the same change between two groups. It has no "
            "small/medium/large benchmark; the chart plots it because every outcome gets a CI "
            "on one common axis.",
        ),
        (
            "g_z",
            "d_z corrected for its upward bias in small groups: quote it for a cohort of "
            "10 or 20 people.",
        ),
        (
            "d_av",
            "The change divided by the spread of the scores themselves: on the scale of "
            "the between-group d of trials, so Cohen's 0.2 small / 0.5 medium / 0.8 large "
            'apply to it. The words "small", "medium" and "large" on this dashboard come '
            "from d_av.",
        ),
        (
            "Reliably improved",
            "The share of people whose own change is larger than "
            "measurement error could explain (Jacobson–Truax index beyond 1.96). A conservative "
            "count of individual change.",
        ),
        (
            "Attrition check",
            "Did the people who came back differ at the first survey from "
            "those who did not? If so (p < .05 or d_s of at least 0.2), the follow-up result "
            "describes the people who stayed, not everyone who took part.",
        ),
        (
            "Pooled and I²",
            "Cohorts' d_z combined by random effects (Hartung–Knapp interval); "
            "I² is the share of the variation between cohorts beyond chance.",
        ),
        (
            "Trend per year",
            "How much cohort d_z changes per year of cohort date; only called "
            "a trend when its CI excludes 0.",
        ),
        (
            "Cronbach's alpha, omega",
            "How consistently a scale's items measure one thing; "
            "below .70, read changes on that scale with caution.",
        ),
    ]


def benchmark_caption() -> str:
    """Caption of the scorecard: which effect size is plotted and where the words come from."""
    return (
        "Each row is an outcome; each mark is the change among the same people, as d_z with "
        "its 95% CI, on one common axis: right of 0 is always better, whichever way the "
        "scale runs. The words (very small, small, medium, large) compare d_av, the change "
        "on the scale of a between-group difference, with Cohen's benchmarks; d_z itself "
        'has no such benchmark. An interval that crosses 0 is "no clear change".'
    )


def missing_extract_message(path: Any, env_var: str = "RIPPLE_DASHBOARD_DB") -> str:
    """What to do when there is no extract to show."""
    if path is None:
        return (
            f"No dashboard extract found: the {env_var} environment variable is not set; "
            "run `ripple run` first, then start the dashboard with `ripple dashboard`."
        )
    return f"No dashboard extract found at {path}; run `ripple run` first."


def unreadable_extract_message(path: Any, missing: list[str] | None = None) -> str:
    """What to do when the file is there but is not a readable version-2 extract."""
    if missing:
        return (
            f"The file at {path} is not a Ripple dashboard extract of the version this "
            f"dashboard reads (missing tables: {', '.join(missing)}); run `ripple run` to "
            "rebuild it."
        )
    return (
        f"The dashboard extract at {path} could not be read. If `ripple run` is publishing a "
        "new extract, reload this page in a moment; otherwise run `ripple run` to rebuild it."
    )


def other_version_message(path: Any, version: int, expected: int) -> str:
    """What to do when the extract is of another version than the dashboard reads."""
    return (
        f"The dashboard extract at {path} is version {version}; this dashboard reads version "
        f"{expected}. Run `ripple run` with this version of Ripple to rebuild it."
    )


def page_error_message() -> str:
    """What a viewer sees instead of a traceback."""
    return (
        "Something went wrong while showing this page. If `ripple run` has just published "
        "new results, reload the page; if it happens again, ask the person who runs Ripple "
        "to look at the dashboard's log."
    )


def join_nonempty(parts: Iterable[str | None], sep: str = " ") -> str:
    """Parts joined, skipping empty ones."""
    return sep.join(part for part in parts if part)
