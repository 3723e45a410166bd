"""The bad-input catalogue: a fixture and its exact expected outcome for every case of
`../shared/reference/privacy-and-reliability.md` section 4 (cases 1-36) and the extra cases of
issue 6, each with the minimal project config that reads it.

Nothing here is committed as a data file: `catalogue()` builds every case's files (bytes) and
configs (dicts) in memory, and tests/catalogue/test_catalogue.py writes them to a temporary
folder and runs the real `ripple` command on them. `python make_catalogue.py DIR` writes every
case into DIR/<case id>/ to look at or to run by hand (`RIPPLE_KEY=<64 hex> ripple validate -c
DIR/<case>/ripple.yml`).

A case is one or more steps (`ripple validate` or `ripple run`, in order, in one folder); each
step says the exit code, and per file: its status, the reason code of a file-level error and
the row and column its message must name, rows in, loaded, the excluded / quarantined /
flagged counts by reason, quarantined rows that must be named with their column, and the
warnings that must be shown. The test checks rows in = loaded + excluded + quarantined for
every file that was read. Cases whose behaviour other work is building name that work in
`owner`; the test marks them as expected failures only while they fail.

The cases are in parts/, one module per family (`cases_text`, `cases_files`, `cases_values`,
`cases_rules`, `cases_runs`), written with the shorthands of `parts.outcomes` over the good
exports of `parts.good_exports` (`ex`); this module gathers them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import yaml

if __name__ == "__main__":  # run as a script: `tests.loading` needs the repository on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.loading import load_module

ex = load_module("ripple_catalogue_exports", Path(__file__).with_name("exports.py"))
PARTS = ex.parts_package().__name__
text_cases = importlib.import_module(f"{PARTS}.cases_text")
file_cases = importlib.import_module(f"{PARTS}.cases_files")
value_cases = importlib.import_module(f"{PARTS}.cases_values")
rule_cases = importlib.import_module(f"{PARTS}.cases_rules")
run_cases = importlib.import_module(f"{PARTS}.cases_runs")
Case = importlib.import_module(f"{PARTS}.outcomes").Case


def catalogue() -> list[Case]:
    """Every case, in catalogue order."""
    cases = [
        *file_cases.not_csv(),
        *run_cases.keys_and_runs(),
        *text_cases.encodings(),
        *text_cases.delimiters(),
        *text_cases.headers(),
        *text_cases.records(),
        *file_cases.workbooks(),
        *value_cases.dates(),
        *value_cases.answers(),
        *value_cases.platform_meta(),
        *rule_cases.quality_rules(),
        *rule_cases.duplicates(),
        *run_cases.privacy_and_limits(),
        *run_cases.line_endings_and_versions(),
    ]
    ids = [c.id for c in cases]
    assert len(set(ids)) == len(ids), "case ids must be unique"
    return sorted(cases, key=lambda c: c.id)


def write_case(case_: Case, folder: Path) -> None:
    """The case's files and configs in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in case_.files.items():
        (folder / name).write_bytes(data)
    for name, config in case_.configs.items():
        (folder / name).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: python make_catalogue.py DIR")
    for case_ in catalogue():
        write_case(case_, Path(sys.argv[1]) / case_.id)
        print(f"{case_.id}: {case_.title}")


if __name__ == "__main__":
    main()
