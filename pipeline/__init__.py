"""Ripple: survey exports in, a scored DuckDB warehouse and a funders' dashboard out."""

__version__ = "0.1.0"
