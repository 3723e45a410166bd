"""Ripple's funders' dashboard: a read-only Streamlit app over `dashboard.duckdb` (version 2,
docs/extract.md).

Layout: `streamlit_app.py` routes pages and draws the shared sidebar filters, `app_pages/`
holds the pages (UI only). Under them, pure and reusable (the report builds on them too):

- `queries`: the only module that touches DuckDB (read-only, fixed statements, bound
  parameters, one release per page view); every result row leaves through
- `suppress`: the one suppression function (hidden cells say why, never 0);
- `filters`: what the filters hold, the URL round trip, which published rows they select;
- `fmt`: numbers rounded once, true minus signs, parts that add up;
- `text`: the words for each result, from the statistics (benchmarks, uncertainty,
  selected follow-up, trend);
- `tables`: every view as shown and as downloaded;
- `charts`: Plotly figures (Okabe-Ito, improvement always right or up);
- `downloads`: CSV with formulas neutralised, PNG through each chart's mode bar, print CSS;
- `ui`: Streamlit helpers (guards, sidebar, URL, renderers); `settings`: shared names;
  `serve`: starts the server for `ripple dashboard`.
"""
