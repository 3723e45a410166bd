"""Over time: cohort effects by date with confidence bands and the trend in a sentence, and
whether the change lasts (follow-up persistence and who came back)."""

import pandas as pd
import streamlit as st

from dashboard import charts, downloads, filters, queries, tables, text, ui

path, chosen = ui.context()
labels = queries.wave_labels(path)

st.title("Over time")
ui.showing(path, chosen)
picked = ui.choose_comparison(path, chosen, labels, "over_time")
cohorts = filters.cohort_rows(picked.rows, chosen)
meta_row = queries.cohort_meta_row(path, chosen.programme, picked.key, picked.waves)
scales = tables.scale_lookup(queries.scales(path))
outcome = text.outcome_with_range(picked.scale)

st.subheader("Is it getting better?")
st.markdown(f"**{text.md_escape(text.trend_sentence(meta_row))}**")
stem = downloads.file_stem("over-time", chosen.programme, *picked.key, *picked.waves)
if cohorts.empty:
    st.info("No cohorts in the chosen site, cohort and period.")
else:
    caption = (
        f"{outcome}, {text.comparison_label(*picked.waves, labels)}: each point is one "
        "cohort's d_z at the date it ran, with its 95% CI (bars, and the shaded band joining "
        "neighbouring cohorts); up = better. The dashed line and blue band are the cohorts "
        "pooled with its 95% CI; the trend sentence above comes from the same published "
        "cohorts. Hidden cohorts are dotted lines, never points."
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
programme_rows = picked.outcome_rows[picked.outcome_rows["level"] == "programme"]
rows = tables.comparison_rows(programme_rows, labels)
persist_stem = downloads.file_stem("persistence", chosen.programme, *picked.key)
ui.chart(
    charts.forest_figure(rows),
    "over_time_persistence",
    persist_stem,
    f"{outcome}, the whole programme: d_z with its 95% CI for each comparison of the same "
    "people (right of 0 = better).",
)
st.markdown(text.md_escape(text.persistence_sentence(rows, labels)))
attrition = queries.attrition(path, chosen.programme)
mine = attrition[
    (attrition["instrument_id"] == picked.key[0]) & (attrition["scale_id"] == picked.key[1])
]
st.markdown(text.attrition_lines_markdown(mine, labels))

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
    every = queries.cohort_meta(path, chosen.programme, *picked.key)
    meta_stem = downloads.file_stem("cohort-meta", chosen.programme, *picked.key)
    ui.table(tables.cohort_meta_view(every, scales, labels), "over_time_meta", meta_stem)
