"""Names shared by the dashboard's modules (kept out of `__init__.py` on purpose, so that
nothing depends on how the package was installed)."""

#: Environment variable naming the dashboard extract (`dashboard.duckdb`) to show.
DB_ENV_VAR = "RIPPLE_DASHBOARD_DB"

#: Suppression threshold assumed when the extract's meta table does not say.
DEFAULT_MIN_CELL_SIZE = 10

#: The dashboard extract version this dashboard reads (docs/extract.md).
EXTRACT_VERSION = 2
