"""Overview: people reached and retained, and a scorecard of every outcome's change (d_z with
its CI on one axis, right = better), one short line per outcome, details on demand."""

import streamlit as st

from dashboard import charts, downloads, filters, queries, tables, text, ui

path, chosen = ui.context()
labels = queries.wave_labels(path)
programme = ui.programme_row(path, chosen.programme)
level, group = filters.level(chosen)

st.title(text.md_escape(programme["name"]))
ui.showing(path, chosen)
st.markdown(text.md_escape(text.programme_summary(programme)))

# ---------------------------------------------------------------- reach and retention
reach = filters.group_rows(queries.reach(path, chosen.programme), chosen)
ui.metrics(tables.reach_metrics(reach, labels))

# ---------------------------------------------------------------- scorecard
all_paired = queries.paired_stats(path, chosen.programme)
paired = filters.group_rows(all_paired, chosen)
baseline = paired[paired["is_from_baseline"].astype(bool)]
outcomes = ui.outcomes(path, baseline)
scales = tables.scale_lookup(queries.scales(path))
attrition = queries.attrition(path, chosen.programme) if level == "programme" else None

st.header("What changed")
if outcomes.empty:
    st.info("There are no paired results for this group yet.")
    st.stop()
by_wave = {
    wave: text.records(baseline[baseline["to_wave"] == wave])
    for wave in baseline.sort_values("to_wave_order")["to_wave"].unique()
}
st.markdown(f"**{text.md_escape(text.summary_line(by_wave, labels))}**")
stem = downloads.file_stem("scorecard", chosen.programme, group)
figure = charts.scorecard_figure(baseline, outcomes, labels)
ui.chart(figure, "overview_scorecard", stem, text.benchmark_caption())

selected = tables.selected_follow_ups(attrition)
st.markdown(text.outcome_lines_markdown(outcomes, baseline, labels, selected))
if level == "programme" and filters.is_period_narrowed(chosen):
    st.info(
        "The period filter narrows the lists of cohorts (Programmes compared, Over time); the "
        "results here are for every cohort of the programme, since no total is published for "
        "a period (adding cohorts up could reveal a small group).",
        icon=":material/info:",
    )
if chosen.breakdown and level != "programme":
    st.info("Breakdowns are published for whole programmes only.", icon=":material/info:")

with st.expander("The scorecard as a table"):
    ui.table(tables.scorecard_view(baseline, scales, labels), "overview_scorecard", stem)

# ---------------------------------------------------------------- details on demand
st.subheader("Details by outcome")
comparison = queries.wave_comparison(path, chosen.programme) if level == "programme" else None
attributes = filters.attribute_rows(all_paired, chosen)
for scale in text.records(outcomes):
    key = (scale["instrument_id"], scale["scale_id"])
    mine = paired[(paired["instrument_id"] == key[0]) & (paired["scale_id"] == key[1])]
    with st.expander(f"Details: {text.outcome_with_range(scale)}"):
        st.markdown(f"*{text.construct_label(scale['construct'])}; {text.scale_note(scale)}.*")
        for row in text.records(mine[mine["is_from_baseline"].astype(bool)]):
            st.markdown("- " + text.md_escape(text.change_sentence(row, scale, labels)))
            st.markdown("  " + text.md_escape(text.effect_sentence(row, scale)))
            st.markdown("  " + text.md_escape(text.reliable_change_sentence(row)))
        later = text.records(mine[~mine["is_from_baseline"].astype(bool)])
        if later:
            st.markdown("- " + text.md_escape(text.persistence_sentence(later, labels)))
        for frame, sentence in (
            (attrition, text.attrition_sentence),
            (comparison, text.wave_comparison_sentence),
        ):
            if frame is not None:
                mine_frame = frame[
                    (frame["instrument_id"] == key[0]) & (frame["scale_id"] == key[1])
                ]
                st.markdown(text.bullet_lines(mine_frame, sentence, labels))
        outcome_stem = downloads.file_stem("change", chosen.programme, group, *key)
        ui.table(
            tables.paired_view(mine, scales, labels, outcome_stem, outcome=False),
            f"overview_{key[0]}_{key[1]}",
            outcome_stem,
        )
        if chosen.breakdown and level == "programme":
            rows = attributes[
                (attributes["instrument_id"] == key[0]) & (attributes["scale_id"] == key[1])
            ]
            st.markdown(f"**By {filters.attribute_label(chosen.breakdown).lower()}**")
            breakdown_stem = downloads.file_stem(
                "breakdown", chosen.programme, chosen.breakdown, *key
            )
            view = tables.paired_view(
                rows, scales, labels, breakdown_stem, text.group_label, outcome=False
            )
            ui.table(view, f"overview_breakdown_{key[0]}_{key[1]}", breakdown_stem)

with st.expander("People reached and retained, as a table"):
    reach_stem = downloads.file_stem("reach", chosen.programme, group)
    ui.table(tables.reach_view(reach, labels), "overview_reach", reach_stem)
with st.expander("All programmes in this extract"):
    ui.table(
        tables.programmes_view(queries.programmes(path)),
        "overview_programmes",
        downloads.file_stem("programmes"),
    )
