"""What disclosure control works on: cells (groups of people), partitions (a total and the
breakdown that adds up to it), what the previous release published about each cell, and the
decision for each cell in this release."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

#: Why a cell's statistics are NULL (or, for a held cell, why its values are not the latest).
TOO_FEW = "too few people"
SECONDARY = "hidden so that another small group cannot be worked out"
HELD = "held until enough new people"

State = Literal["fresh", "held", "hidden"]


@dataclass(frozen=True)
class Cell:
    """A group of people some published statistics describe.

    `key` is stable from release to release (the ledger matches cells by it); `n` counts the
    distinct people (for change: linked pairs; for data quality: records). A `virtual` cell is
    never published: it stands for the people of a total that no published breakdown covers
    (the unlinked responses at a wave, the drop-outs of a baseline), so that subtracting the
    published parts from the total is checked like any other breakdown. When a breakdown
    needs one more hidden cell, the one of lowest `priority` goes first (then the smallest):
    the extract ranks headline numbers above secondary ones.
    """

    key: str
    n: int
    virtual: bool = False
    priority: int = 0


@dataclass(frozen=True)
class Partition:
    """`parent` is exactly the union of the disjoint `children` (the people of a total are the
    people of its breakdown), so parent minus the published children gives the hidden ones.
    `label` names the breakdown (e.g. "cohorts"), so that it is recognised in the next release
    even when its children change."""

    parent: str
    children: tuple[str, ...]
    label: str = ""

    @cached_property
    def key(self) -> str:
        return json.dumps([self.parent, self.label], ensure_ascii=False)


#: A breakdown as it stood the last time its total was known: per child (and every cell an
#: attacker could substitute for a hidden child), its n then, the count he could subtract for
#: it then (its published n, or one published earlier), and the masses (bit i = i people,
#: i <= min_cell_size) he could reduce it to then through another breakdown it belonged to;
#: (None, None, 0) when the ledger cannot be read (another key).
Snapshot = dict[str, tuple[int | None, int | None, int]]


@dataclass(frozen=True)
class Previous:
    """What the previous release's ledger says about a cell.

    state: `shown` (values published, fresh or held) or `hidden`.
    n_shown: n of the values last published for the cell (public), None if never shown.
    values: the values published for it when `state` is `shown` (else None).
    n_basis: n when the cell's published state was last set (the release its values or its
        hiding date from); None when it cannot be read (sealed with another key).
    n_last: n at the previous release; None when it cannot be read.
    since_run_id: the run that set the state.
    reason: why it was hidden (None when shown).
    """

    state: Literal["shown", "hidden"]
    n_shown: int | None = None
    values: dict[str, Any] | None = None
    n_basis: int | None = None
    n_last: int | None = None
    since_run_id: str | None = None
    reason: str | None = None

    @property
    def ever_shown(self) -> bool:
        return self.n_shown is not None


@dataclass
class Decision:
    """What this release publishes for a cell: `fresh` (this run's values), `held` (the
    previous release's values again) or `hidden` (NULL); `reason` says why when not fresh."""

    state: State
    reason: str | None = None

    @property
    def shown(self) -> bool:
        return self.state != "hidden"


@dataclass
class Problem:
    """The cells and partitions of one release, and the previous release's ledger.

    `attached` maps a cell to the cell whose row shows it (a reliable-change share to its
    paired result): it is published only when its host is, and hidden with it otherwise.
    `snapshots` are the previous release's breakdowns (`Partition.key` -> `Snapshot`).
    `unchanged` are the cells whose values in this run are exactly those the previous release
    published (same n, same statistics): showing them says nothing new, so they count as fresh.
    """

    cells: dict[str, Cell]
    partitions: list[Partition]
    previous: dict[str, Previous] = field(default_factory=dict)
    min_cell_size: int = 10
    attached: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    unchanged: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for partition in self.partitions:
            for key in (partition.parent, *partition.children):
                if key not in self.cells:
                    raise ValueError(f"partition names an unknown cell: {key}")
        for key, host in self.attached.items():
            if key not in self.cells or host not in self.cells:
                raise ValueError(f"attached cell or host unknown: {key} -> {host}")
