"""Over time: cohort effects by date with confidence bands and the trend in a sentence, and
whether the change lasts (follow-up persistence and who came back)."""

import pandas as pd
import streamlit as st

from dashboard import charts, downloads, filters, queries, tables, text, ui

path, chosen = ui.context()
labels = queries.wave_labels(path)

st.title("Over time")
ui.showing(path, chosen)
paired = queries.paired_stats(path, chosen.programme)
scale = ui.outcome_choice(path, paired, "over_time_outcome")
key = (scale["instrument_id"], scale["scale_id"])
mine = paired[(paired["instrument_id"] == key[0]) & (paired["scale_id"] == key[1])]
from_wave, to_wave = ui.comparison_choice(mine, labels, "over_time_comparison")
this = mine[(mine["from_wave"] == from_wave) & (mine["to_wave"] == to_wave)]
cohorts = filters.cohort_rows(this, chosen)
meta = queries.cohort_meta(path, chosen.programme)
meta = meta[
    (meta["instrument_id"] == key[0])
    & (meta["scale_id"] == key[1])
    & (meta["from_wave"] == from_wave)
    & (meta["to_wave"] == to_wave)
]
meta_row = text.records(meta)[0] if len(meta) else None
scales = tables.scale_lookup(queries.scales(path))

st.subheader("Is it getting better?")
st.markdown(f"**{text.md_escape(text.trend_sentence(meta_row))}**")
stem = downloads.file_stem("over-time", chosen.programme, *key, from_wave, to_wave)
if cohorts.empty:
    st.info("No cohorts in the chosen site, cohort and period.")
else:
    caption = (
        f"{text.outcome_with_range(scale)}, {text.comparison_label(from_wave, to_wave, labels)}: "
        "each point is one cohort's d_z at the date it ran, with its 95% CI (bars, and the "
        "shaded band joining neighbouring cohorts); up = better. The dashed line and blue "
        "band are the cohorts pooled with its 95% CI; the trend sentence above comes from "
        "the same published cohorts. Hidden cohorts are dotted lines, never points."
    )
    ui.chart(charts.trend_figure(cohorts, meta_row), "over_time_trend", stem, caption)
st.markdown(
    text.md_escape(
        text.join_nonempty([text.pooled_sentence(meta_row), text.heterogeneity_sentence(meta_row)])
    )
)
if filters.is_period_narrowed(chosen) or chosen.site or chosen.cohort:
    st.caption(
        "The trend and the pooled estimate use every published cohort of the programme; "
        "the filters narrow the cohorts drawn."
    )

st.subheader("Does it last?")
programme_rows = mine[mine["level"] == "programme"].copy()
rows = text.records(programme_rows)
for row in rows:
    row["section"] = "comparison"
    row["label"] = text.comparison_label(row["from_wave"], row["to_wave"], labels)
persist_stem = downloads.file_stem("persistence", chosen.programme, *key)
ui.chart(
    charts.forest_figure(rows),
    "over_time_persistence",
    persist_stem,
    f"{text.outcome_with_range(scale)}, the whole programme: d_z with its 95% CI for each "
    "comparison of the same people (right of 0 = better).",
)
st.markdown(text.md_escape(text.persistence_sentence(rows, labels)))
for row in text.records(queries.attrition(path, chosen.programme)):
    if (row["instrument_id"], row["scale_id"]) == key:
        words = text.attrition_sentence(row, labels)
        if words:
            st.markdown("- " + text.md_escape(words))

with st.expander("Cohorts as a table"):
    ui.table(
        tables.paired_view(cohorts, scales, labels, stem, text.group_label, outcome=False),
        "over_time_cohorts",
        stem,
    )
with st.expander("Persistence as a table"):
    ui.table(
        tables.paired_view(
            pd.DataFrame(rows) if rows else programme_rows,
            scales,
            labels,
            persist_stem,
            outcome=False,
        ),
        "over_time_persistence",
        persist_stem,
    )
with st.expander("Pooled cohorts and trend for every comparison of this outcome"):
    every = queries.cohort_meta(path, chosen.programme)
    every = every[(every["instrument_id"] == key[0]) & (every["scale_id"] == key[1])]
    meta_stem = downloads.file_stem("cohort-meta", chosen.programme, *key)
    ui.table(tables.cohort_meta_view(every, scales, labels), "over_time_meta", meta_stem)
