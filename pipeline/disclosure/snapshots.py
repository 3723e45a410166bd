"""The breakdown snapshots the ledger keeps for the next release: each breakdown whose total is
known now, as it stands (every child's n, the count an attacker can subtract for it, and what
another breakdown could reduce it to), for `history.across_options`; and this release's block
for the linear audit (`audit.remember_block`)."""

from __future__ import annotations

from pipeline.disclosure.audit import remember_block
from pipeline.disclosure.history import snapshot_entry
from pipeline.disclosure.knowledge import MAX_DEPTH
from pipeline.disclosure.model import Decision, Partition, Problem, Snapshot
from pipeline.disclosure.secondary import Subtraction


def remember(problem: Problem, decisions: dict[str, Decision]) -> dict[str, Snapshot]:
    """Everything the ledger keeps for the next release: the earlier snapshots carried over,
    the breakdowns open now, and this release's audit block."""
    attacker = Subtraction(problem, decisions)
    attacker.derive()
    remembered = dict(problem.snapshots)
    for partition in problem.partitions:
        if attacker.is_open(partition):
            cells: Snapshot = {}
            _record(attacker, partition, 1, cells)
            remembered[partition.key] = cells
    return {**remembered, **remember_block(problem, decisions)}


def _record(attacker: Subtraction, partition: Partition, depth: int, cells: Snapshot) -> None:
    """Snapshot entries for the children of `partition`, and (to MAX_DEPTH) of the breakdowns
    an attacker could substitute for them."""
    for child in partition.children:
        sideways: set[int] = set()
        if attacker.decisions[child].state != "fresh":
            for other in attacker.containing[child]:
                if other is partition or other.parent == child or not attacker.is_open(other):
                    continue
                siblings = [m for m in other.children if m != child]
                sideways |= set(
                    attacker.achievable(
                        siblings,
                        lambda m, o=other: attacker.options(m, o, "within", MAX_DEPTH - 1),
                    )
                )
        cells[child] = snapshot_entry(
            attacker.problem.cells[child],
            attacker.decisions[child],
            attacker.problem.previous.get(child),
            {m for m in sideways if m < attacker.k},
        )
        if depth < MAX_DEPTH:
            for breakdown in attacker.breakdowns.get(child, ()):
                _record(attacker, breakdown, depth + 1, cells)
            for other in attacker.containing[child]:  # cells of another equation of the child
                if other is partition or other.parent == child:
                    continue
                for member in (other.parent, *other.children):
                    if member not in cells:
                        cells[member] = snapshot_entry(
                            attacker.problem.cells[member],
                            attacker.decisions[member],
                            attacker.problem.previous.get(member),
                            set(),
                        )
