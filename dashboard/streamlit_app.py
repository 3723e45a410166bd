"""Ripple dashboard: the router and the sidebar shared by every page.

Run with `ripple dashboard` (or `streamlit run dashboard/streamlit_app.py` with
RIPPLE_DASHBOARD_DB naming a `dashboard.duckdb` extract). Pages live in `app_pages/`.
"""

import streamlit as st

from dashboard import ui

st.set_page_config(
    page_title="Ripple: workshop outcomes", page_icon=":material/insights:", layout="wide"
)
ui.require_password()
extract = ui.extract_or_stop()
ui.programme_sidebar(extract)

page = st.navigation(
    [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True),
        st.Page("app_pages/change.py", title="Change", icon=":material/trending_up:"),
        st.Page("app_pages/over_time.py", title="Over time", icon=":material/timeline:"),
        st.Page("app_pages/about.py", title="About", icon=":material/info:"),
    ]
)
page.run()
