"""Programmes compared: a sortable forest plot of d_z with 95% CIs per programme, site,
cohort (and breakdown), with the cohorts pooled and how much they differ."""

import pandas as pd
import streamlit as st

from dashboard import charts, downloads, filters, queries, tables, text, ui

path, chosen = ui.context()
labels = queries.wave_labels(path)
names = ui.programme_names(path)

st.title("Programmes compared")
ui.showing(path, chosen)
picked = ui.choose_comparison(path, chosen, labels, "programmes")
sort = ui.page_choice(
    "Sort within each group",
    list(tables.FOREST_SORTS),
    "programmes_sort",
    "sort",
    tables.FOREST_SORTS.__getitem__,
    widget=st.radio,
    horizontal=True,
)

others = queries.paired_programmes(path, *picked.key, *picked.waves)
pooled = queries.cohort_meta_row(path, chosen.programme, picked.key, picked.waves)
rows = tables.forest_rows(
    others,
    filters.site_rows(picked.rows, chosen),
    filters.cohort_rows(picked.rows, chosen),
    filters.attribute_rows(picked.rows, chosen),
    names,
    sort,
)

comparison = text.comparison_label(*picked.waves, labels)
st.subheader(f"{text.outcome_with_range(picked.scale)}: {comparison}")
stem = downloads.file_stem("compared", chosen.programme, *picked.key, *picked.waves)
caption = (
    f"Each line is one group's d_z with its 95% CI, right of 0 = better: every programme that "
    f"measured this outcome, then the sites and cohorts of {names[chosen.programme]} (within "
    "the site, cohort and period filters)"
    + (", then its breakdown" if chosen.breakdown else "")
    + ". The black diamond pools the programme's cohorts shown; hidden groups are labelled, "
    "never drawn. Open markers are values as of an earlier update. The table below lists "
    "every line."
)
ui.chart(charts.forest_figure(rows, pooled), "programmes_forest", stem, caption)
words = [text.pooled_sentence(pooled), text.heterogeneity_sentence(pooled)]
if pooled is not None:
    words.append(text.trend_sentence(pooled) + " (see Over time).")
st.markdown(text.md_escape(text.join_nonempty(words)) or "No pooled estimate for this comparison.")
if chosen.breakdown and filters.level(chosen)[0] != "programme":
    st.caption("The breakdown is published for the whole programme, whatever the site or cohort.")

scales = tables.scale_lookup(queries.scales(path))
frame = tables.paired_view(
    pd.DataFrame(rows) if rows else picked.rows.iloc[0:0],
    scales,
    labels,
    stem,
    group=lambda r: r.get("group") or text.group_label(r, names),
    outcome=False,
)
ui.table(frame, "programmes_table", stem)
