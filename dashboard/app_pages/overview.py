"""Overview: the chosen programme at a glance and a plain-language headline per outcome."""

import streamlit as st

from dashboard import charts, queries, tables, text, ui

path = ui.extract_or_stop()
programme = ui.current_programme(path)
k = queries.min_cell_size(path)
labels = queries.wave_labels(path)

st.title(text.md_escape(programme["name"]))
st.markdown(text.md_escape(text.programme_summary(programme)))
facts = st.columns(4)
facts[0].metric("Workshop cohorts", text.fmt_count(programme["n_cohorts"]))
facts[1].metric("Sites", text.fmt_count(programme["n_sites"]))
facts[2].metric("First cohort", text.fmt_date(programme["first_cohort_date"]))
facts[3].metric("Latest cohort", text.fmt_date(programme["last_cohort_date"]))

st.header("What changed")
st.caption(
    "Each result compares the same people's scores before the workshop and later, linked by "
    "their self-generated code. Change is the average difference in points, with its 95% "
    "confidence interval (CI); d_z is the change divided by the spread of the changes."
)
paired = queries.paired_change(path, programme["programme_id"])
outcomes = ui.outcome_rows(path, programme["programme_id"])
if not outcomes:
    st.info("This programme has no results in the extract yet.")
for key, scale in outcomes.items():
    outcome = f"{text.construct_label(scale['construct'])}: {text.outcome_name(scale)}"
    st.subheader(text.md_escape(outcome))
    rows = ui.rows_for_scale(paired, scale)
    words, picture = st.columns([3, 2])
    with words:
        for row in rows.to_dict("records"):
            ui.headline(row, scale, labels, k)
    with picture:
        figure = charts.paired_change_figure(rows, scale, labels, k, compact=True)
        ui.chart(figure, key=f"overview_{key}")
st.caption(text.paired_change_caption(k))

with st.expander("All programmes in this extract"):
    ui.table(tables.programmes_table(queries.programmes(path)))
