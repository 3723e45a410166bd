"""Selectors that remember their value and keep it in the URL, shared by the sidebar
filters and the pages' own choices."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from dashboard import filters


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
