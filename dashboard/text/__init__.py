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

Modules: `words` (names of outcomes, surveys, groups; helpers), `verdicts` (a result in
words, outcome lines, the summary), `details` (sentences of one result), `cohorts` (trend,
pooled, heterogeneity), `method` (rules, glossary, messages).
"""

from dashboard.text.cohorts import heterogeneity_sentence, pooled_sentence, trend_sentence
from dashboard.text.details import (
    FIELD_BENCHMARKS,
    attrition_lines_markdown,
    attrition_sentence,
    bullet_lines,
    change_sentence,
    effect_sentence,
    persistence_sentence,
    reach_sentence,
    reliable_change_sentence,
    wave_comparison_sentence,
)
from dashboard.text.method import (
    control_group_note,
    glossary,
    missing_extract_message,
    other_version_message,
    page_error_message,
    suppression_rule,
    unreadable_extract_message,
)
from dashboard.text.verdicts import (
    COHEN_BENCHMARKS,
    SELECTED_NOTE,
    Verdict,
    benchmark_caption,
    outcome_line,
    outcome_lines_markdown,
    outcome_phrases,
    size_range_words,
    size_word,
    summary_line,
    verdict,
    verdict_phrase,
)
from dashboard.text.words import (
    ATTRIBUTE_VALUES,
    CONSTRUCT_LABELS,
    attribute_value_label,
    comparison_label,
    comparison_phrase,
    construct_label,
    direction_words,
    group_label,
    held_suffix,
    instrument_abbreviation,
    join_nonempty,
    md_escape,
    outcome_name,
    outcome_with_range,
    programme_summary,
    records,
    scale_note,
    wave_label,
)

__all__ = [
    "ATTRIBUTE_VALUES",
    "COHEN_BENCHMARKS",
    "CONSTRUCT_LABELS",
    "FIELD_BENCHMARKS",
    "SELECTED_NOTE",
    "Verdict",
    "attribute_value_label",
    "attrition_lines_markdown",
    "attrition_sentence",
    "benchmark_caption",
    "bullet_lines",
    "change_sentence",
    "comparison_label",
    "comparison_phrase",
    "construct_label",
    "control_group_note",
    "direction_words",
    "effect_sentence",
    "glossary",
    "group_label",
    "held_suffix",
    "heterogeneity_sentence",
    "instrument_abbreviation",
    "join_nonempty",
    "md_escape",
    "missing_extract_message",
    "other_version_message",
    "outcome_line",
    "outcome_lines_markdown",
    "outcome_name",
    "outcome_phrases",
    "outcome_with_range",
    "page_error_message",
    "persistence_sentence",
    "pooled_sentence",
    "programme_summary",
    "reach_sentence",
    "records",
    "reliable_change_sentence",
    "scale_note",
    "size_range_words",
    "size_word",
    "summary_line",
    "suppression_rule",
    "trend_sentence",
    "unreadable_extract_message",
    "verdict",
    "verdict_phrase",
    "wave_comparison_sentence",
    "wave_label",
]
