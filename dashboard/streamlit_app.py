"""Ripple dashboard: the router, the shared sidebar filters and the page frame.

Run with `ripple dashboard` (or `streamlit run dashboard/streamlit_app.py` with
RIPPLE_DASHBOARD_DB naming a `dashboard.duckdb` extract). Pages live in `app_pages/`; each
reads the filters from `st.session_state["filters"]`.
"""

import streamlit as st

from dashboard import downloads, sidebar, ui

# A local emoji: a Material icon here would make the browser fetch the tab icon from Google.
st.set_page_config(page_title="Ripple: workshop outcomes", page_icon="📊", layout="wide")
st.html(downloads.PRINT_CSS + downloads.SCREEN_CSS)
st.sidebar.html(downloads.PRINT_SCRIPT, unsafe_allow_javascript=True)
ui.require_password()
path = ui.guarded(ui.extract_or_stop)
st.session_state["extract"] = path
st.session_state["filters"] = ui.guarded(sidebar.sidebar_filters, path)

page = st.navigation(
    [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True),
        st.Page(
            "app_pages/programmes.py", title="Programmes compared", icon=":material/compare_arrows:"
        ),
        st.Page("app_pages/over_time.py", title="Over time", icon=":material/timeline:"),
        st.Page("app_pages/items.py", title="Items", icon=":material/list:"),
        st.Page(
            "app_pages/quality.py", title="Data quality and method", icon=":material/fact_check:"
        ),
    ]
)
ui.guarded(page.run)
