"""About: how the numbers are made, who counts, privacy rules, instruments and the extract."""

import streamlit as st

from dashboard import queries, tables, text, ui

path = ui.extract_or_stop()
k = queries.min_cell_size(path)

st.title("About these numbers")
st.markdown(
    f"""
**Who counts as a pair.** Surveys are anonymous. Each person makes up a self-generated code
(for example from letters of a parent's first name and their birth month) on every survey.
Ripple links a later survey to the same person's survey before the workshop, within the
same programme, when their codes match; only a keyed digest of the code is stored, never
the answers to the code questions. A *pair* is one person with a score on both surveys.
Paired results use pairs only.

**Average change** is the mean of (later score - score before) over the pairs, in the
scale's own points. **Effect size d_z** = average change / standard deviation of the
changes. The **95% confidence interval (CI)** of the average change comes from the t
distribution with n - 1 degrees of freedom, where n is the number of pairs.

**Average score at each survey** (Change page) uses everyone who answered that survey, linked
or not, so its n is the number of responses and its averages can differ slightly from the
paired averages.

**Small groups are never shown.** Any result that rests on fewer than **{k} people** is
hidden, and so is a second result whenever one hidden result could otherwise be worked out
from the others (for example from the programme total and the other cohorts). Hidden
results say "hidden", never zero. This dashboard only shows rows of the published extract,
which is already suppressed; it does not compute new totals.
"""
)
st.markdown(text.d_z_explanation())

st.subheader("How many later responses were linked")
st.caption(
    "Per programme and later survey: responses kept after quality checks, and how many of "
    "them were linked to a response before the workshop by the self-generated code."
)
ui.table(tables.linkage_table(queries.linkage(path), k))

st.subheader("Instruments")
scales = queries.scales(path)
ui.table(tables.instruments_table(scales))
for name, citation in tables.instrument_citations(scales):
    st.markdown(f"- **{text.md_escape(name)}**: {text.md_escape(citation)}")

st.subheader("This extract")
ui.table(tables.meta_table(queries.meta(path)))
