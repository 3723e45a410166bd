"""Over time: change per workshop cohort, by the date the cohort ran."""

import streamlit as st

from dashboard import charts, queries, tables, text, ui

path = ui.extract_or_stop()
programme = ui.current_programme(path)
k = queries.min_cell_size(path)
labels = queries.wave_labels(path)

st.title(f"Over time: {text.md_escape(programme['name'])}")
scale = ui.outcome_selector(path, programme["programme_id"], key="trend_outcome")
paired = ui.rows_for_scale(queries.paired_change(path, programme["programme_id"]), scale)
if paired.empty:
    st.info("This outcome has no paired results yet.")
    st.stop()

# one paired_change row per later wave: the comparisons this outcome has
comparisons = {row["to_wave"]: row for row in paired.to_dict("records")}
to_wave = ui.choose(
    "Comparison",
    list(comparisons),
    "trend_comparison",
    lambda w: text.comparison_label(comparisons[w]["from_wave"], w, labels),
    widget=st.radio,
    horizontal=True,
)
overall = comparisons[to_wave]
comparison = text.comparison_label(overall["from_wave"], to_wave, labels)
cohorts = queries.cohort_change(
    path, programme["programme_id"], scale["instrument_id"], scale["scale_id"], to_wave
)

ui.headline(overall, scale, labels, k)
if cohorts.empty:
    st.info("There are no cohort results for this comparison yet.")
else:
    pooled = None if overall["is_suppressed"] else text.finite(overall["mean_change"])
    ui.chart(charts.cohort_trend_figure(cohorts, scale, k, comparison, pooled), key="trend")
    st.caption(text.trend_caption(k))
    st.subheader("Cohorts")
    ui.table(tables.cohort_table(cohorts, k))
