"""Change: one programme and outcome, before vs after (and follow-up), with uncertainty."""

import streamlit as st

from dashboard import charts, queries, tables, text, ui

path = ui.extract_or_stop()
programme = ui.current_programme(path)
k = queries.min_cell_size(path)
labels = queries.wave_labels(path)

st.title(f"Change: {text.md_escape(programme['name'])}")
scale = ui.outcome_selector(path, programme["programme_id"], key="change_outcome")
paired = ui.rows_for_scale(queries.paired_change(path, programme["programme_id"]), scale)
scores = queries.wave_scores(
    path, programme["programme_id"], scale["instrument_id"], scale["scale_id"]
)

for row in paired.to_dict("records"):
    ui.headline(row, scale, labels, k)

left, right = st.columns(2)
with left:
    ui.chart(charts.wave_means_figure(scores, scale, k), key="change_wave_means")
    st.caption(text.wave_score_caption(k))
with right:
    ui.chart(charts.paired_change_figure(paired, scale, labels, k), key="change_paired")
    st.caption(text.paired_change_caption(k))

with st.expander("How to read d_z and the 95% CI"):
    st.markdown(text.d_z_explanation())
    st.markdown(text.ci_explanation())
    st.markdown(f"{text.direction_phrase(bool(scale['higher_is_better']))}.")

st.subheader("People who answered both surveys")
ui.table(tables.paired_table(paired, labels, k))
st.subheader("Everyone who answered each survey")
ui.table(tables.wave_scores_table(scores, k))
