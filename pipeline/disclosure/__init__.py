"""Disclosure control for everything Ripple publishes: primary suppression, complementary
suppression that survives subtraction within a release, and a ledger that keeps successive
releases from being subtracted from each other.

One concern per module:

- `model`: cells (groups of people), partitions (a total = its breakdown), the previous
  release's view of a cell, and decisions; the three reasons a cell can carry;
- `primary`: the threshold rule (1..min_cell_size - 1 people: hidden; 0 may be shown);
- `knowledge`: which cells an attacker knows in a release (published, or derivable);
- `secondary`: within a release, published total minus published breakdown (with nested
  breakdowns and derivable totals) must leave 0 or at least min_cell_size people;
- `history`: across releases, a published state changes only with min_cell_size new people,
  no fresh breakdown under a stale total, hidden remainders move by 0 or min_cell_size;
- `linear`, `audit`: the exact linear audit of this release together with every earlier one
  (no small group, nor its change between releases, solvable from everything published);
- `ledger`, `snapshots`: what each release published, sealed where it must not be read, read
  back next time;
- `control`: the fixed point of all the rules.

The extract builder (`pipeline.extract`) turns its tables into cells and partitions, calls
`control`, and writes the decisions and the ledger. The method and its costs are in
docs/disclosure.md and the README ("Disclosure control").
"""

from pipeline.disclosure.control import ControlError, control
from pipeline.disclosure.ledger import PreviousRelease, read_previous
from pipeline.disclosure.model import (
    HELD,
    SECONDARY,
    TOO_FEW,
    Cell,
    Decision,
    Partition,
    Previous,
    Problem,
    Snapshot,
)
from pipeline.disclosure.snapshots import remember

__all__ = [
    "HELD",
    "SECONDARY",
    "TOO_FEW",
    "Cell",
    "ControlError",
    "Decision",
    "Partition",
    "Previous",
    "PreviousRelease",
    "Problem",
    "Snapshot",
    "control",
    "read_previous",
    "remember",
]
