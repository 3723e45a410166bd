"""Good exports of every format Ripple reads, each with the survey mapping that reads it.

Shared by the bad-input catalogue (make_catalogue.py, which breaks them one way at a time) and
the fuzzer (tests/fuzz, which breaks them at random). Everything is made up and seeded, so the
same call always gives the same bytes. An export is a table of cells (header rows first, then
one row per response); `to_bytes` writes it as CSV/TSV text, an XLSX workbook (openpyxl) or a
Parquet file.

The fictional project: programme `p1` with three cohorts, waves pre / post / followup, the
RIBS intended-behaviour items (ribs_05-08, codes 1-5, labels "Strongly disagree" ...
"Strongly agree") and, where a case needs reverse-keyed items, CAMI-12.

The code is in parts/ (`respondents`, `tables`, `platforms`, `formats`, `projects`); this module
loads that package and offers its good-export names (`parts.good_exports`) as its own, so the
fuzzer and make_catalogue.py load it by path as before.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.loading import load_package

PARTS = Path(__file__).resolve().with_name("parts")
PARTS_PACKAGE = "ripple_catalogue_parts"


def parts_package():
    """tests/catalogue/parts as a package, imported once under a fixed name, so the catalogue
    and the fuzzer share one copy of its modules."""
    return load_package(PARTS_PACKAGE, PARTS)


_good_exports = importlib.import_module(f"{parts_package().__name__}.good_exports")
# every good-export name as this module's own (`ex.people()`, `ex.TEST_KEY`...), as the callers
# that load this file by path use them
globals().update({name: getattr(_good_exports, name) for name in _good_exports.__all__})
