"""Items: how people answered each item before and later, as diverging stacked bars (wording
only where the instrument ships it)."""

import streamlit as st

from dashboard import charts, downloads, filters, queries, tables, text, ui

path, chosen = ui.context()
labels = queries.wave_labels(path)

st.title("Items")
ui.showing(path, chosen)
instruments = queries.item_instruments(path, chosen.programme)
if not instruments:
    st.info("There are no item answers for this programme in the extract yet.")
    st.stop()
scales = queries.scales(path)
names = dict(zip(scales["instrument_id"], scales["instrument_name"], strict=False))
instrument = ui.page_choice(
    "Instrument", instruments, "items_instrument", "instrument", lambda i: names.get(i, i)
)
distributions = queries.item_distributions(path, chosen.programme, instrument)
waves = distributions[["wave_id", "wave_order"]].drop_duplicates().sort_values("wave_order")
wave_ids = list(waves["wave_id"])
baseline, later = wave_ids[0], wave_ids[1:]
if later:
    to_wave = ui.page_choice(
        "Compare the first survey with",
        later,
        "items_wave",
        "wave",
        lambda w: text.wave_label(w, labels),
        widget=st.radio,
        horizontal=True,
    )
    shown_waves = [baseline, to_wave]
else:
    to_wave, shown_waves = None, [baseline]

items = queries.items(path, instrument)
options = queries.answer_options(path, instrument)
chosen_rows = distributions[distributions["wave_id"].isin(shown_waves)]
headings = {item["item_id"]: tables.item_label(item) for item in text.records(items)}
wave_names = {wave: text.wave_label(wave, labels) for wave in shown_waves}

stem = downloads.file_stem("items", chosen.programme, instrument, *shown_waves)
caption = (
    f"{names.get(instrument, instrument)}, {ui.programme_names(path)[chosen.programme]} "
    "(whole programme): for each item, the share of people asked who gave each answer, at "
    "the first survey and later. Answers below the middle of the scale are drawn left of "
    '0, above it right of 0, the middle answer across 0; "don\'t know" and no answer are in '
    "the table. Hidden answers are left out and the item's label says so."
)
ui.chart(
    charts.item_bars_figure(chosen_rows, options, headings, wave_names), "items_bars", stem, caption
)
if items["wording"].isna().any():
    st.caption(
        "Item wording is shown only where the instrument's licence allows it to be shipped; "
        "for the others, read the item in your own survey."
    )
if filters.level(chosen)[0] != "programme" or filters.is_period_narrowed(chosen):
    st.caption("Item answers are published for whole programmes only.")
ui.table(tables.items_view(chosen_rows, items, options, labels), "items_table", stem)
