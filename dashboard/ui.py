"""Streamlit helpers shared by the router and the pages: guards, the pages' own choices
(outcome, comparison), and renderers for metrics, charts, tables and downloads. UI only: data
comes from `queries` (already suppressed), wording from `text`, tables from `tables`, figures
from `charts`, files from `downloads`; the sidebar filters are in `sidebar`.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard import downloads, filters, queries, tables, text
from dashboard.settings import DB_ENV_VAR, EXTRACT_VERSION
from dashboard.widgets import page_choice

__all__ = ["page_choice"]  # the pages' own URL-kept selector, used through `ui`

LOG = logging.getLogger("ripple.dashboard")

PASSWORD_KEY = "gate_password"  # noqa: S105 (a session_state key)
GATE_OK_KEY = "gate_ok"
PASSWORD_SECRET = "dashboard_password"  # noqa: S105 (the secret's name)


# ----------------------------------------------------------------------------- guards


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
    """The release file the extract path points at now (pinned for this page view); when it
    is missing, unreadable or of another version, say what to do and stop."""
    path = queries.extract_path()
    if path is None or not path.exists():
        st.title("Ripple dashboard")
        st.info(text.missing_extract_message(path, DB_ENV_VAR), icon=":material/info:")
        st.stop()
    try:
        pinned = queries.pin(path)
        missing = queries.missing_tables(pinned)
        version = None if missing else queries.extract_version(pinned)
    except (queries.ExtractError, OSError, duckdb.Error):
        missing, version, pinned = None, None, path
    message = None
    if missing is None or missing:
        message = text.unreadable_extract_message(path, missing or None)
    elif version is not None and version != EXTRACT_VERSION:
        message = text.other_version_message(path, version, EXTRACT_VERSION)
    if message:
        st.title("Ripple dashboard")
        st.error(message, icon=":material/error:")
        st.stop()
    return pinned


def guarded(function: Callable[..., Any], *args: Any) -> Any:
    """Call `function`; an unexpected error shows a plain message (never a traceback), is
    logged on the server, and stops the page. st.stop and reruns pass through (they are
    not Exceptions)."""
    try:
        return function(*args)
    except Exception:
        LOG.exception("dashboard page failed")
        queries.clear_cache()
        st.error(text.page_error_message(), icon=":material/error:")
        st.stop()


def context() -> tuple[Path, filters.Filters]:
    """The pinned extract and the filters the router put in session state for this run."""
    return st.session_state["extract"], st.session_state["filters"]


def programme_names(path: Path) -> dict[str, str]:
    """programme_id -> name."""
    frame = queries.programmes(path)
    return dict(zip(frame["programme_id"], frame["name"], strict=True))


def programme_row(path: Path, programme_id: str) -> dict[str, Any]:
    """The programmes row of one programme."""
    frame = queries.programmes(path)
    return text.records(frame[frame["programme_id"] == programme_id])[0]


def showing(path: Path, chosen: filters.Filters) -> None:
    """The 'Showing: ...' line under a page title, and what the period does not narrow."""
    cohorts = queries.cohorts(path, chosen.programme)
    st.caption(
        text.md_escape(filters.describe(chosen, programme_names(path)[chosen.programme], cohorts))
    )


def outcomes(path: Path, paired: pd.DataFrame) -> pd.DataFrame:
    """The scales with paired results in `paired`, in reading order."""
    keys = set(zip(paired["instrument_id"], paired["scale_id"], strict=True))
    scales = queries.scales(path)
    mask = [
        (i, s) in keys for i, s in zip(scales["instrument_id"], scales["scale_id"], strict=True)
    ]
    return tables.outcome_order(scales[mask])


def outcome_choice(path: Path, paired: pd.DataFrame, key: str) -> dict[str, Any]:
    """A selector of the outcomes in `paired` (URL parameter `outcome`); stops when none."""
    frame = outcomes(path, paired)
    if frame.empty:
        st.info("This programme has no paired results in the extract yet.")
        st.stop()
    rows = {f"{r['instrument_id']}.{r['scale_id']}": r for r in text.records(frame)}
    chosen = page_choice(
        "Outcome", list(rows), key, "outcome", lambda k: text.outcome_with_range(rows[k])
    )
    return rows[chosen]


def comparison_choice(
    paired: pd.DataFrame, labels: Mapping[str, str], key: str, baseline_only: bool = False
) -> tuple[str, str]:
    """A selector of the comparisons in `paired` (URL parameter `comparison`)."""
    frame = paired if not baseline_only else paired[paired["is_from_baseline"].astype(bool)]
    pairs = (
        frame[["from_wave", "to_wave", "from_wave_order", "to_wave_order"]]
        .drop_duplicates()
        .sort_values(["from_wave_order", "to_wave_order"], kind="stable")
    )
    options = [f"{r['from_wave']}..{r['to_wave']}" for r in text.records(pairs)]
    if not options:
        st.info("No comparisons for this outcome yet.")
        st.stop()
    value = page_choice(
        "Comparison",
        options,
        key,
        "comparison",
        lambda o: text.comparison_label(*o.split("..", 1), labels),
        widget=st.radio,
        horizontal=True,
    )
    from_wave, to_wave = value.split("..", 1)
    return from_wave, to_wave


@dataclass(frozen=True)
class Comparison:
    """One outcome and one comparison chosen on a page, with the programme's rows of it."""

    scale: dict[str, Any]
    key: tuple[str, str]
    from_wave: str
    to_wave: str
    outcome_rows: pd.DataFrame  # every comparison of the outcome
    rows: pd.DataFrame  # the chosen comparison only

    @property
    def waves(self) -> tuple[str, str]:
        return self.from_wave, self.to_wave


def choose_comparison(
    path: Path, chosen: filters.Filters, labels: Mapping[str, str], prefix: str
) -> Comparison:
    """The outcome and comparison selectors of a page (keys `<prefix>_outcome` and
    `<prefix>_comparison`), over the programme's paired results."""
    paired = queries.paired_stats(path, chosen.programme)
    scale = outcome_choice(path, paired, f"{prefix}_outcome")
    key = (scale["instrument_id"], scale["scale_id"])
    mine = paired[(paired["instrument_id"] == key[0]) & (paired["scale_id"] == key[1])]
    from_wave, to_wave = comparison_choice(mine, labels, f"{prefix}_comparison")
    this = mine[(mine["from_wave"] == from_wave) & (mine["to_wave"] == to_wave)]
    return Comparison(scale, key, from_wave, to_wave, mine, this)


# ----------------------------------------------------------------------------- renderers


def chart(figure: go.Figure, key: str, stem: str, caption: str) -> None:
    """A Plotly chart with a PNG button in its mode bar, and its text alternative."""
    st.plotly_chart(
        figure, key=key, config=downloads.chart_config(stem), width="stretch", alt=caption
    )
    st.caption(text.md_escape(caption))


def table(view: tables.View, key: str, stem: str, label: str = "Download this table (CSV)") -> None:
    """A static table (every cell as shown) and its CSV download."""
    if view.empty:
        st.caption("No rows.")
        return
    st.table(view.shown, hide_index=True)
    st.download_button(
        label,
        data=downloads.csv_bytes(view.data),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"download_{key}",
        icon=":material/download:",
    )


def metrics(items: Sequence[tables.Metric]) -> None:
    """Headline numbers side by side; a note (why it is hidden, or that it is held) sits
    under the value in grey, without an arrow: it is not a change."""
    if not items:
        return
    for column, metric in zip(st.columns(len(items)), items, strict=True):
        column.metric(
            metric.label,
            metric.value,
            delta=metric.note or None,
            delta_color="off",
            delta_arrow="off",
            help=metric.help,
            border=True,
        )
