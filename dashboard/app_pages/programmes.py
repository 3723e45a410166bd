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
paired = queries.paired_stats(path, chosen.programme)
scale = ui.outcome_choice(path, paired, "programmes_outcome")
key = (scale["instrument_id"], scale["scale_id"])
mine = paired[(paired["instrument_id"] == key[0]) & (paired["scale_id"] == key[1])]
from_wave, to_wave = ui.comparison_choice(mine, labels, "programmes_comparison")
sort = ui.page_choice(
    "Sort within each group",
    list(tables.FOREST_SORTS),
    "programmes_sort",
    "sort",
    tables.FOREST_SORTS.__getitem__,
    widget=st.radio,
    horizontal=True,
)

this = mine[(mine["from_wave"] == from_wave) & (mine["to_wave"] == to_wave)]
others = queries.paired_programmes(path, key[0], key[1], from_wave, to_wave)
meta = queries.cohort_meta(path, chosen.programme)
meta = meta[
    (meta["instrument_id"] == key[0])
    & (meta["scale_id"] == key[1])
    & (meta["from_wave"] == from_wave)
    & (meta["to_wave"] == to_wave)
]
pooled = text.records(meta)[0] if len(meta) else None
rows = tables.forest_rows(
    others,
    filters.site_rows(this, chosen),
    filters.cohort_rows(this, chosen),
    filters.attribute_rows(this, chosen),
    names,
    sort,
)

st.subheader(
    f"{text.outcome_with_range(scale)}: {text.comparison_label(from_wave, to_wave, labels)}"
)
stem = downloads.file_stem("compared", chosen.programme, *key, from_wave, to_wave)
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
    pd.DataFrame(rows) if rows else this.iloc[0:0],
    scales,
    labels,
    stem,
    group=lambda r: r.get("group") or text.group_label(r, names),
    outcome=False,
)
ui.table(frame, "programmes_table", stem)
