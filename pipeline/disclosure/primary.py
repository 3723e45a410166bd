"""Primary suppression: a cell describing 1 to min_cell_size - 1 people is hidden.

Zero may be shown (nobody is described). A virtual cell is never published. A cell whose
published state may not change in this release (`history.may_change`) keeps its previous
state instead: held with its previous values, or hidden (with its previous reason when nobody
entered or left it, else "held until enough new people").
"""

from __future__ import annotations

from pipeline.disclosure.history import may_change
from pipeline.disclosure.model import HELD, TOO_FEW, Cell, Decision, Previous


def initial_decision(
    cell: Cell, previous: Previous | None, k: int, unchanged: bool = False
) -> Decision:
    """The best a cell can get before any other cell is considered. A cell whose values are
    exactly those it showed before is fresh: publishing them again says nothing new."""
    if cell.virtual:
        return Decision("hidden")
    if unchanged and previous is not None and previous.state == "shown":
        return Decision("fresh")
    if not may_change(cell, previous, k):
        assert previous is not None
        if previous.state == "shown":
            return Decision("held", HELD)
        if 0 < cell.n < k:
            return Decision("hidden", TOO_FEW)
        unchanged = previous.n_last is not None and previous.n_last == cell.n
        return Decision("hidden", previous.reason if unchanged and previous.reason else HELD)
    if 0 < cell.n < k:
        return Decision("hidden", TOO_FEW)
    return Decision("fresh")
