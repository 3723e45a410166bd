"""Ripple's funders' dashboard: a read-only Streamlit app over `dashboard.duckdb`.

Layout: `streamlit_app.py` routes pages and draws the shared sidebar, `app_pages/` holds the
pages (UI only), `queries.py` is the only module that touches DuckDB, `charts.py` builds Plotly
figures from DataFrames, `text.py` words numbers in plain language, `ui.py` holds Streamlit
helpers shared by the pages, `tables.py` formats extract rows for display, `settings.py`
holds shared names, and `serve.py` starts the server for `ripple dashboard`.
"""
