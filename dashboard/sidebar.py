"""The shared filters in the sidebar: programme, site, cohort dates, cohort and one
breakdown, loaded once from the URL and written back to it so a view can be shared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard import filters, fmt, queries, text
from dashboard.widgets import choose, write_url

KEY_PROGRAMME = "filter_programme"
KEY_SITE = "filter_site"
KEY_COHORT = "filter_cohort"
KEY_PERIOD = "filter_period"
KEY_BREAKDOWN = "filter_breakdown"
_PERIOD_OWNER = "_filter_period_programme"
_URL_LOADED = "_filters_from_url"
ALL = "(all)"
NONE = "(none)"


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
