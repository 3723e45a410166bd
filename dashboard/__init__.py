"""Ripple's funders' dashboard: a read-only Streamlit app over `dashboard.duckdb` (version 2,
docs/extract.md).

Layout: `streamlit_app.py` routes pages and draws the frame, `sidebar` the shared filters,
`app_pages/` holds the pages (UI only, thin). Under them, pure and reusable (the report
builds on them too):

- `queries/`: the only door to DuckDB (`sql` the fixed statements, `connection` the pinned
  read-only release); every result row leaves through
- `suppress`: the one suppression function (hidden cells say why, never 0);
- `filters`: what the filters hold, the URL round trip, which published rows they select;
- `fmt`: numbers rounded once, true minus signs, parts that add up;
- `text/`: the words for each result, from the statistics (`words`, `verdicts`,
  `details`, `cohorts`, `method`);
- `tables/`: every view as shown and as downloaded, built by one loop (`view.build`);
- `charts/`: Plotly figures (Okabe-Ito, improvement always right or up; `style` shared by
  `effects`, `trend`, `items`, `counts`);
- `downloads`: CSV with formulas neutralised, PNG through each chart's mode bar, print and
  screen CSS;
- `ui`: Streamlit helpers (guards, page choices, renderers), `widgets`: URL-kept
  selectors; `settings`: shared names; `serve`: starts the server for `ripple dashboard`.
"""
