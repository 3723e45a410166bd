"""Streamlit helpers shared by the router and the pages: guards, the sidebar filters and the
URL, and renderers for charts, tables and downloads. UI only: data comes from `queries`
(already suppressed), wording from `text`, tables from `tables`, figures from `charts`, files
from `downloads`.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard import downloads, filters, fmt, queries, tables, text
from dashboard.settings import DB_ENV_VAR, EXTRACT_VERSION

LOG = logging.getLogger("ripple.dashboard")

KEY_PROGRAMME = "filter_programme"
KEY_SITE = "filter_site"
KEY_COHORT = "filter_cohort"
KEY_PERIOD = "filter_period"
KEY_BREAKDOWN = "filter_breakdown"
_PERIOD_OWNER = "_filter_period_programme"
_URL_LOADED = "_filters_from_url"
ALL = "(all)"
NONE = "(none)"

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


# ----------------------------------------------------------------------------- filters


def choose(
    label: str,
    options: Sequence[Any],
    key: str,
    format_func: Callable[[Any], str] = str,
    widget: Callable[..., Any] = st.selectbox,
    **kwargs: Any,
) -> Any:
    """A selector whose remembered value is dropped when it is no longer an option."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    return widget(label, list(options), key=key, format_func=format_func, **kwargs)


def _load_url(path: Path, programme_ids: list[str], attributes: list[str]) -> None:
    """Once per session: the sidebar filters from the URL's query parameters."""
    if st.session_state.get(_URL_LOADED):
        return
    params = st.query_params.to_dict()
    programme = filters.parse_programme(params, programme_ids)
    cohorts = queries.cohorts(path, programme)
    chosen = filters.parse(params, programme_ids, cohorts, attributes)
    first, last = filters.span(cohorts)
    st.session_state[KEY_PROGRAMME] = chosen.programme
    st.session_state[KEY_SITE] = chosen.site or ALL
    st.session_state[KEY_COHORT] = chosen.cohort or ALL
    st.session_state[KEY_BREAKDOWN] = chosen.breakdown or NONE
    if first is not None:
        st.session_state[KEY_PERIOD] = (chosen.start or first, chosen.end or last)
        st.session_state[_PERIOD_OWNER] = chosen.programme
    st.session_state[_URL_LOADED] = True


def _period(programme: str, first: dt.date | None, last: dt.date | None) -> tuple:
    """The period widget (cohort dates from .. to); (None, None) when it is the whole span."""
    if first is None or last is None:
        return None, None
    stored = st.session_state.get(KEY_PERIOD)
    inside = isinstance(stored, list | tuple) and all(
        isinstance(d, dt.date) and first <= d <= last for d in stored
    )
    if st.session_state.get(_PERIOD_OWNER) != programme or not inside:
        st.session_state[KEY_PERIOD] = (first, last)
        st.session_state[_PERIOD_OWNER] = programme
    value = st.date_input(
        "Cohort dates",
        min_value=first,
        max_value=last,
        key=KEY_PERIOD,
        format="DD/MM/YYYY",
        help="Narrows the lists of cohorts. Totals stay the programme's or site's: no total "
        "is published for a period, since adding cohorts up could reveal a small group.",
    )
    values = list(value) if isinstance(value, list | tuple) else [value]
    start = values[0] if values else first
    end = values[1] if len(values) > 1 else last
    start, end = min(start, end), max(start, end)
    return (None if start <= first else start), (None if end >= last else end)


def sidebar_filters(path: Path) -> filters.Filters:
    """The shared filters in the sidebar, loaded from and written back to the URL."""
    programmes = queries.programmes(path)
    if programmes.empty:
        st.info("The extract has no programmes yet; run `ripple run` on some exports.")
        st.stop()
    ids = list(programmes["programme_id"])
    names = dict(zip(programmes["programme_id"], programmes["name"], strict=True))
    attributes = queries.attributes(path)
    _load_url(path, ids, attributes)
    with st.sidebar:
        st.header("Filters")
        programme = choose("Programme", ids, KEY_PROGRAMME, names.__getitem__)
        cohorts = queries.cohorts(path, programme)
        site = choose(
            "Site",
            [ALL, *filters.sites_of(cohorts)],
            KEY_SITE,
            lambda s: "All sites" if s == ALL else s,
        )
        first, last = filters.span(cohorts)
        start, end = _period(programme, first, last)
        chosen = filters.Filters(programme, None if site == ALL else site, None, start, end)
        inside = filters.cohort_rows(cohorts.assign(level="cohort"), chosen)
        labels = {
            r["cohort_id"]: f"{r['cohort_id']} ({fmt.date(r['cohort_date'])})"
            for r in text.records(inside)
        }
        cohort = choose(
            "Cohort", [ALL, *labels], KEY_COHORT, lambda c: "All cohorts" if c == ALL else labels[c]
        )
        breakdown = NONE
        if attributes:
            breakdown = choose(
                "Breakdown (one at a time)",
                [NONE, *attributes],
                KEY_BREAKDOWN,
                lambda a: "None" if a == NONE else filters.attribute_label(a),
                help="Paired results by one baseline attribute, for whole programmes.",
            )
        built = fmt.timestamp(queries.meta_value(path, "built_at"))
        st.caption(
            f"Results built {built}. Groups of fewer than {queries.min_cell_size(path)} "
            "people are never shown."
        )
    chosen = chosen.with_(
        cohort=None if cohort == ALL else cohort,
        breakdown=None if breakdown == NONE else breakdown,
    )
    write_url(filters.to_params(chosen))
    return chosen


def write_url(params: Mapping[str, str], names: Sequence[str] = filters.PARAMS) -> None:
    """Set the URL's query parameters `names` to `params` (removing those not given)."""
    for name in names:
        value = params.get(name)
        if value:
            if st.query_params.get(name) != value:
                st.query_params[name] = value
        elif name in st.query_params:
            del st.query_params[name]


def page_choice(
    label: str,
    options: Sequence[Any],
    key: str,
    param: str,
    format_func: Callable[[Any], str] = str,
    widget: Callable[..., Any] = st.selectbox,
    **kwargs: Any,
) -> Any:
    """A page's own selector, restored from and kept in the URL parameter `param`."""
    options = list(options)
    if key not in st.session_state:
        wanted = st.query_params.get(param)
        if wanted in [str(o) for o in options]:
            st.session_state[key] = options[[str(o) for o in options].index(wanted)]
    value = choose(label, options, key, format_func, widget, **kwargs)
    write_url({param: str(value)} if options and value != options[0] else {}, [param])
    return value


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
