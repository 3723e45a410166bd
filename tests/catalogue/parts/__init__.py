"""The parts of the bad-input catalogue, imported as one package by tests/catalogue/exports.py
and make_catalogue.py (tests/ is not a package, so those two are loaded by path).

Good exports: `respondents` (the fictional project and its people), `tables` (an export and
its bytes), `platforms` (one export per survey platform), `formats` (plain CSV, XLSX and
Parquet copies), `projects` (the config that reads an export), gathered in `good_exports`.

Cases, by family: `outcomes` (what a case is and must give), `cases_text`, `cases_files`,
`cases_values`, `cases_rules` and `cases_runs`.
"""
