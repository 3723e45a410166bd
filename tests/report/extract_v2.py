"""A synthetic dashboard extract, version 2 (docs/extract.md), for the report tests: built by
tests/fixtures/extract/for_report on the shared fixture-extract builder.

The rows follow the extract's contract: programme = its sites = its cohorts; every count of 1
to min_cell_size - 1 people is hidden ('too few people'); the next smallest cohort of a site
is hidden beside a lone hidden one ('hidden so that another small group cannot be worked
out'); one cell is hidden as 'held until enough new people' and one shows held values (note).

`write_extract(path)` writes the default project (three programmes, some cells hidden);
`write_extract(path, tiny=True)` writes one where almost every group is under the threshold.
The names below stay importable from here: the report tests load this file by path.
"""

from __future__ import annotations

from tests.fixtures.extract.contract import (
    HELD,
    MIN_CELL_SIZE,
    PAIRED_STAT_COLUMNS,
    SECONDARY,
    TOO_FEW,
)
from tests.fixtures.extract.for_report.builder import Builder, write_extract
from tests.fixtures.extract.for_report.spec import (
    Cohort,
    Programme,
    default_programmes,
    tiny_programmes,
)

__all__ = [
    "HELD", "MIN_CELL_SIZE", "PAIRED_STAT_COLUMNS", "SECONDARY", "TOO_FEW", "Builder", "Cohort",
    "Programme", "default_programmes", "tiny_programmes", "write_extract",
]  # fmt: skip
