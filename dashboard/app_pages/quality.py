"""Data quality and method: records left out, retention and the attrition check, link rates,
reliability, what each number means, the suppression rule, and what change can and cannot
say without a control group."""

import streamlit as st

from dashboard import charts, downloads, filters, queries, tables, text, ui

path, chosen = ui.context()
labels = queries.wave_labels(path)
k = queries.min_cell_size(path)
scales_frame = queries.scales(path)
scales = tables.scale_lookup(scales_frame)
pid = chosen.programme
name = ui.programme_names(path)[pid]

st.title("Data quality and method")
ui.showing(path, chosen)
st.caption("Everything on this page is for the whole programme, except reach by cohort.")

st.header("Records left out")
quality = queries.data_quality(path, pid)
st.markdown(
    "Every record of every export ends in one place: **loaded**, **excluded** (not a real, "
    "final answer: previews, tests, spam, incomplete, duplicates, speeders where set) or "
    "**quarantined** (failed a validation rule). These are the records left out, by reason."
)
totals = tables.records_left_out_bars(quality, labels)
stem = downloads.file_stem("records-left-out", pid)
if not totals.empty and not totals["hidden"].all():
    ui.chart(
        charts.count_bars_figure(text.records(totals), "n_records"),
        "quality_records",
        stem,
        f"{name}: records excluded or quarantined, by reason and survey.",
    )
ui.table(tables.data_quality_view(quality, labels), "quality_records", stem)

st.header("Reach, retention and who came back")
reach = queries.reach(path, pid)
programme_reach = reach[reach["level"] == "programme"]
st.markdown(text.md_escape(text.reach_sentence(text.records(programme_reach), labels)))
overall = reach[reach["level"].isin(["programme", "site"])]
ui.table(tables.reach_view(overall, labels), "quality_reach", downloads.file_stem("reach", pid))
with st.expander("Reach by cohort (within the site, cohort and period filters)"):
    by_cohort = filters.cohort_rows(reach, chosen)
    ui.table(
        tables.reach_view(by_cohort, labels),
        "quality_reach_cohorts",
        downloads.file_stem("reach-by-cohort", pid),
    )
st.markdown(
    "**Attrition check.** The change at a later survey rests on the people who answered it. "
    "If they had started out differently from those who did not come back (p < .05, or d_s "
    "of at least 0.2), the result describes them, not everyone who took part."
)
attrition = queries.attrition(path, pid)
selected = attrition[attrition["follow_up_selected"].astype(object).eq(True)]
st.markdown(text.attrition_lines_markdown(selected, labels, scales))
ui.table(
    tables.attrition_view(attrition, scales, labels),
    "quality_attrition",
    downloads.file_stem("attrition", pid),
)

st.header("How later answers were linked")
linkage = queries.linkage_quality(path, pid)
st.markdown(
    "Surveys are anonymous: a later answer is linked to the same person's first answer by a "
    "keyed digest of their platform id or self-generated code (never the code itself), "
    "exactly, or when the codes differ in one element and the match is unique on both sides."
)
link_stem = downloads.file_stem("linkage", pid)
parts = tables.linkage_bars(linkage, labels)
if not parts.empty and not parts["hidden"].all():
    ui.chart(
        charts.count_bars_figure(text.records(parts), "share_of_responses", percent=True),
        "quality_linkage",
        link_stem,
        f"{name}: share of the responses at each later survey, by how they were linked.",
    )
ui.table(tables.linkage_view(linkage, labels), "quality_linkage", link_stem)

st.header("Reliability of each scale")
st.markdown(
    "Cronbach's alpha (with its 95% CI) and McDonald's omega say how consistently a scale's "
    "items measure one thing in this programme's answers; below .70, read changes on that "
    "scale with caution."
)
ui.table(
    tables.reliability_view(queries.reliability(path, pid), scales, labels),
    "quality_reliability",
    downloads.file_stem("reliability", pid),
)

st.header("What each number means")
st.markdown("\n".join(f"- **{term}**: {meaning}" for term, meaning in text.glossary()))
st.markdown(text.control_group_note())

st.header("Privacy: the suppression rule")
st.markdown(text.suppression_rule(k))
summary = queries.disclosure_summary(path)
if not summary.empty:
    st.markdown("How many published cells (groups of people) each table shows, holds or hides:")
    ui.table(
        tables.disclosure_view(summary), "quality_disclosure", downloads.file_stem("disclosure")
    )

st.header("Instruments")
ui.table(
    tables.instruments_view(scales_frame), "quality_instruments", downloads.file_stem("instruments")
)
for instrument, citation in tables.instrument_citations(scales_frame):
    st.markdown(f"- **{text.md_escape(instrument)}**: {text.md_escape(citation)}")

st.header("This extract")
ui.table(tables.meta_view(queries.meta(path)), "quality_meta", downloads.file_stem("extract"))
