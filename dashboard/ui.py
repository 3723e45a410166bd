"""Streamlit helpers shared by the router and the pages: guards, the sidebar, selectors and
renderers. UI only: data comes from `queries`, wording from `text`, tables from `tables`,
figures from `charts`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard import queries, tables, text
from dashboard.settings import DB_ENV_VAR

PROGRAMME_KEY = "sidebar_programme"
PASSWORD_KEY = "gate_password"  # noqa: S105 (a session_state key)
GATE_OK_KEY = "gate_ok"
PASSWORD_SECRET = "dashboard_password"  # noqa: S105 (the secret's name)
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def _configured_password() -> str | None:
    """The optional shared password from secrets.toml; None without one.

    st.secrets raises (rather than returning None) when no secrets.toml exists at all.
    """
    try:
        value = st.secrets.get(PASSWORD_SECRET)
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return None
    return str(value) if value else None


def _check_password() -> None:
    """Compare the typed password in constant time, then forget what was typed."""
    typed = str(st.session_state.get(PASSWORD_KEY, ""))
    expected = _configured_password() or ""
    st.session_state[GATE_OK_KEY] = bool(expected) and hmac.compare_digest(
        typed.encode(), expected.encode()
    )
    st.session_state[PASSWORD_KEY] = ""


def require_password() -> None:
    """If secrets.toml sets `dashboard_password`, ask for it before showing anything."""
    if not _configured_password() or st.session_state.get(GATE_OK_KEY):
        return
    st.title("Ripple dashboard")
    st.text_input("Password", type="password", key=PASSWORD_KEY, on_change=_check_password)
    if st.session_state.get(GATE_OK_KEY) is False:
        st.error("That password is not right.")
    st.stop()


def extract_or_stop() -> Path:
    """The extract's path; when it is missing or unreadable, say what to do and stop."""
    path = queries.extract_path()
    if path is None or not path.is_file():
        st.title("Ripple dashboard")
        st.info(text.missing_extract_message(path, DB_ENV_VAR), icon=":material/info:")
        st.stop()
    try:
        missing = queries.missing_tables(path)
    except queries.ExtractError:
        missing = None
    if missing is None or missing:
        st.title("Ripple dashboard")
        st.error(text.unreadable_extract_message(path, missing), icon=":material/error:")
        st.stop()
    return path


def choose(
    label: str,
    options: Sequence[Any],
    key: str,
    format_func: Callable[[Any], str] = str,
    widget: Callable[..., Any] = st.selectbox,
    **kwargs: Any,
) -> Any:
    """A selector whose remembered value is dropped when it is no longer one of the options
    (e.g. after switching programme or loading a new extract)."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    return widget(label, list(options), key=key, format_func=format_func, **kwargs)


def programme_sidebar(path: Path) -> None:
    """The shared sidebar: programme selector, extract date and the privacy rule."""
    frame = queries.programmes(path)
    with st.sidebar:
        if frame.empty:
            st.warning("The extract has no programmes yet.")
        else:
            names = dict(zip(frame["programme_id"], frame["name"], strict=True))
            choose("Programme", list(names), PROGRAMME_KEY, names.__getitem__)
        built = text.fmt_timestamp(queries.meta_value(path, "built_at"))
        st.caption(
            f"Extract built {built}. Results for fewer than "
            f"{queries.min_cell_size(path)} people are hidden to protect privacy."
        )


def current_programme(path: Path) -> dict[str, Any]:
    """The programme chosen in the sidebar (the first one by default); stops when none."""
    frame = queries.programmes(path)
    if frame.empty:
        st.info("The extract has no programmes yet; run `ripple run` on some exports.")
        st.stop()
    chosen = frame[frame["programme_id"] == st.session_state.get(PROGRAMME_KEY)]
    return (chosen if len(chosen) else frame).iloc[0].to_dict()


def outcome_rows(path: Path, programme_id: str) -> dict[str, dict[str, Any]]:
    """'instrument_id/scale_id' -> scales row, in reading order, for one programme."""
    frame = tables.sort_outcomes(queries.programme_scales(path, programme_id))
    return {f"{row['instrument_id']}/{row['scale_id']}": row for row in frame.to_dict("records")}


def outcome_selector(path: Path, programme_id: str, key: str) -> dict[str, Any]:
    """A selectbox of the programme's outcomes; returns the chosen scales row."""
    rows = outcome_rows(path, programme_id)
    if not rows:
        st.info("This programme has no results in the extract yet.")
        st.stop()
    chosen = choose("Outcome", list(rows), key, lambda k: text.outcome_name(rows[k]))
    return rows[chosen]


def rows_for_scale(frame: pd.DataFrame, scale: Mapping[str, Any]) -> pd.DataFrame:
    """The rows of one instrument scale (a filter, never an aggregate)."""
    mask = (frame["instrument_id"] == scale["instrument_id"]) & (
        frame["scale_id"] == scale["scale_id"]
    )
    return frame[mask]


def headline(
    row: Mapping[str, Any], scale: Mapping[str, Any], labels: Mapping[str, str], k: int
) -> None:
    """One paired-change headline with its verdict badge."""
    st.markdown(text.headline_markdown(row, scale, labels, k))


def table(frame: pd.DataFrame) -> None:
    """A static table of (formatted) extract rows: no index, no download toolbar."""
    st.table(frame, hide_index=True)


def chart(figure: go.Figure, key: str) -> None:
    """A Plotly chart with a trimmed mode bar."""
    st.plotly_chart(figure, key=key, config=CHART_CONFIG)
