"""Every real third-party export in ../shared/data/real/ through the real `ripple` command
(issue 5, item 7): `ripple detect --json` reports each file's format, encoding, delimiter,
header rows, rows and columns, and `ripple validate` accepts one project config holding every
export (tests/real_exports/ripple.yml, with test-only instruments), accounting for every
record with the exclusion and quarantine reasons the data call for.

Every expected number is computed here from the files themselves (Python's csv and json
modules, and this module's own label tables), never copied from Ripple's output. What each
mapping reads and why is explained in README.md here.
"""
