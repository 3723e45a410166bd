"""Across releases: what an attacker holding every earlier release can subtract.

Three rules, each against a different attack:

- **A published state changes only with min_cell_size new people** (`may_change`). A cell's
  values (or its being hidden) are replaced only when its n has moved by at least
  min_cell_size since they were set, and since the values last shown; otherwise the previous
  release's values are republished ("held until enough new people"), so the difference of two
  releases never isolates the few people who arrived between them.
- **No fresh breakdown under a stale total** (`frozen_children`): when a total keeps its
  earlier values (held), or was published before and is hidden now, none of its breakdown
  cells gets new values either; the total and its breakdown stay as consistent as when the
  total was last published, so "old total minus new parts" isolates nobody.
- **Hidden remainders move by 0 or min_cell_size** (`across_options`, used by
  `secondary`): a total minus its published parts gives the hidden remainder in this release
  and in the last release the total was known (the breakdown's snapshot, kept in the ledger);
  their difference must not describe 1..min_cell_size - 1 people either.

A cell that was published before and is hidden now can be filled in from the earlier
release; `within_contribution` counts it only by the people who entered it since.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.disclosure.model import Cell, Decision, Partition, Previous


def may_change(cell: Cell, previous: Previous | None, k: int) -> bool:
    """True when the cell's published state may change in this release: it is new, or at
    least k people entered (or left) it since its state was set and since its values were
    last shown. A hidden cell whose earlier n cannot be read (another key) may not change."""
    if previous is None:
        return True
    basis = previous.n_basis
    if basis is None:
        if previous.state != "shown" or previous.n_shown is None:
            return False
        basis = previous.n_shown
    if abs(cell.n - basis) < k:
        return False
    return previous.n_shown is None or abs(cell.n - previous.n_shown) >= k


def frozen_children(
    partitions: list[Partition],
    decisions: dict[str, Decision],
    previous: dict[str, Previous],
) -> set[str]:
    """Fresh cells under a total that is not fresh but was published before (held now, or
    hidden now after being shown): they must keep their previous state too."""
    frozen: set[str] = set()
    for partition in partitions:
        parent = decisions[partition.parent]
        earlier = previous.get(partition.parent)
        if parent.state == "fresh" or earlier is None or not earlier.ever_shown:
            continue
        frozen.update(c for c in partition.children if decisions[c].state == "fresh")
    return frozen


def within_contribution(cell: Cell, decision: Decision, previous: Previous | None) -> int:
    """People of `cell` that subtracting published cells from a total published now leaves
    unknown: 0 for a fresh cell; for a held cell those who entered since its values; for a
    hidden cell all of them, or only those who entered since it was last shown (its earlier
    values are public)."""
    if decision.state == "fresh":
        return 0
    if previous is not None and previous.n_shown is not None:
        return abs(cell.n - previous.n_shown)
    return cell.n


def attacker_count(cell: Cell, decision: Decision, previous: Previous | None) -> int | None:
    """The count an attacker can subtract for `cell` in this release: the n it shows (fresh:
    this run's; held: the earlier one), or, for a hidden cell, the n it showed in an earlier
    release; None when it was never shown."""
    if decision.state == "fresh":
        return cell.n
    if previous is not None and previous.n_shown is not None:
        return previous.n_shown
    return None


def snapshot_entry(
    cell: Cell, decision: Decision, previous: Previous | None, sideways: set[int]
) -> tuple[int, int | None, int]:
    """What a breakdown's snapshot records for one child: its n, `attacker_count`, and the
    masses it could be reduced to through its other breakdowns, as a bitmask."""
    return cell.n, attacker_count(cell, decision, previous), sum(1 << m for m in sideways)


@lru_cache(maxsize=4096)
def mask_values(mask: int) -> frozenset[int]:
    return frozenset(i for i in range(mask.bit_length()) if mask >> i & 1)


def across_options(
    cell: Cell,
    decision: Decision,
    previous: Previous | None,
    then: tuple[int | None, int | None, int] | None,
    k: int,
    unreadable: bool = False,
) -> set[int]:
    """What `cell` can add to (a total's remainder now) minus (its remainder the last time the
    total was known, `then` = the child's snapshot entry; None for a new child), capped at k.

    An attacker computes each remainder as the total minus any published parts he likes, so a
    child contributes its n minus (optionally) the count he can subtract for it, now and then;
    the difference counts the people who entered or left the child in between, or, when a
    cell changes from hidden to shown, the people its earlier remainder held; had the child
    then been replaceable by the hidden parts of another breakdown, those people count too.
    A snapshot that cannot be read (sealed with another key) allows any value."""
    if unreadable:
        return set(range(k + 1))
    now_known = attacker_count(cell, decision, previous)
    now = {cell.n} if now_known is None else {cell.n, cell.n - now_known}
    if decision.state == "fresh":
        now.add(0)
    if then is None:
        return {min(abs(a), k) for a in now}
    n_then, known_then, sideways = then
    assert n_then is not None
    before = {n_then} if known_then is None else {n_then, n_then - known_then}
    options = {min(abs(a - b), k) for a in now for b in before}
    # then, the child could be replaced by the hidden parts of another breakdown: other people
    options |= {min(abs(a) + b, k) for a in now for b in mask_values(sideways)}
    return options
