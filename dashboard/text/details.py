"""The details of one result in sentences: the change in scale points, the effect sizes
with their benchmarks, reliable change, who came back, all available responses, whether the
change lasted, and reach."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard import fmt, suppress
from dashboard.text.verdicts import size_range_words, size_word, verdict, verdict_phrase
from dashboard.text.words import (
    comparison_label,
    comparison_phrase,
    held_suffix,
    md_escape,
    outcome_name,
    records,
    scale_note,
    wave_label,
)

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


def improvement_interval(row: Mapping[str, Any]) -> str:
    """'+5.3 to +8.3': the 95% CI of a change in scale points (positive = better)."""
    return fmt.interval(row.get("improvement_ci_low"), row.get("improvement_ci_high"), 1, plus=True)


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
    ci = improvement_interval(row)
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
    ci = improvement_interval(row)
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


def bullet_lines(
    frame: pd.DataFrame,
    sentence: Callable[[Mapping[str, Any], Mapping[str, str]], str | None],
    labels: Mapping[str, str],
    scales: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
) -> str:
    """A Markdown list of `sentence(row, labels)` for each suppressed row that has one,
    escaped; with `scales`, each led by its outcome's name."""
    lines = []
    for row in records(frame):
        words = sentence(row, labels)
        if not words:
            continue
        lead = ""
        if scales is not None:
            lead = md_escape(outcome_name(scales[(row["instrument_id"], row["scale_id"])])) + ": "
        lines.append(f"- {lead}{md_escape(words)}")
    return "\n".join(lines)


def attrition_lines_markdown(
    attrition: pd.DataFrame,
    labels: Mapping[str, str],
    scales: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
) -> str:
    """The attrition check of each row in words, as a Markdown list."""
    return bullet_lines(attrition, attrition_sentence, labels, scales)
