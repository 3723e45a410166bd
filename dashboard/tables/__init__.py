"""Tables of every view: one output row per extract row, rounded once, ready to show and to
download.

Pure functions (no Streamlit, no DuckDB). Each builder takes suppressed rows
(`suppress.apply`) and returns a `View`: the same table twice,

- `shown`: text for the screen (true minus signs, "+" on changes, ranges, "hidden: <reason>"
  in every hidden cell, "n/a" where a statistic does not exist);
- `data`: the CSV download, with the *same rounded numbers* as numbers (so a spreadsheet can
  use them) and the same "hidden: <reason>" text in hidden cells, never 0 or blank.

Builders only rename, order and format; they never group, sum or average rows. The two
derived numbers are made from numbers already shown: a change beside its two averages is the
difference of the rounded averages (`fmt.derived_improvement`), and shares that are parts of
one whole are rounded to add up to 100 (`fmt.percentages_adding_up`).

Modules: `view` (View, the row builder, the one loop `build`), `results` (paired change,
reach, attrition, cohorts), `quality` (records left out, linkage, reliability, disclosure),
`reference` (items, programmes, instruments, settings), `forest` (forest-plot lines).
"""

from dashboard.tables.forest import FOREST_SORTS, comparison_rows, forest_rows
from dashboard.tables.quality import (
    LINK_LABELS,
    LINK_PARTS,
    data_quality_view,
    disclosure_view,
    linkage_bars,
    linkage_view,
    records_left_out_bars,
    reliability_view,
)
from dashboard.tables.reference import (
    instrument_citations,
    instruments_view,
    item_label,
    items_view,
    meta_view,
    outcome_order,
    programmes_view,
)
from dashboard.tables.results import (
    Metric,
    attrition_view,
    cohort_meta_view,
    paired_view,
    reach_metrics,
    reach_view,
    scorecard_view,
    selected_follow_ups,
    wave_means_view,
)
from dashboard.tables.view import NA, View, scale_lookup

__all__ = [
    "FOREST_SORTS",
    "LINK_LABELS",
    "LINK_PARTS",
    "NA",
    "Metric",
    "View",
    "attrition_view",
    "cohort_meta_view",
    "comparison_rows",
    "data_quality_view",
    "disclosure_view",
    "forest_rows",
    "instrument_citations",
    "instruments_view",
    "item_label",
    "items_view",
    "linkage_bars",
    "linkage_view",
    "meta_view",
    "outcome_order",
    "paired_view",
    "programmes_view",
    "reach_metrics",
    "reach_view",
    "records_left_out_bars",
    "reliability_view",
    "scale_lookup",
    "scorecard_view",
    "selected_follow_ups",
    "wave_means_view",
]
