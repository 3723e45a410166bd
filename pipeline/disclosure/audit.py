"""The linear audit at publish time: no small group can be solved for from everything published,
in this release and every earlier one.

Each release is a *block* of the attacker's linear system: one unknown per cell (its count of
people at that release), its breakdowns as equations, the cells it published fresh as known
values (`linear`). Held cells repeat values already known in an earlier block, so they add
nothing. People who arrive between releases enter a cell's later counts only, so the blocks
share no equation: a combination spanning several releases is determined exactly when its
part in every block is. The groups checked, in every block and between any two blocks (their
change: the people who entered the group in between), are

- every cell (a cohort, a site, a total, the never-published remainders: the unlinked, ...);
- every sum of two cells, and every difference of two nested cells (a total minus one of its
  parts), that is determined while neither cell is (the union of two small cohorts, a pair
  hidden together); the difference of two disjoint cells counts nobody and is not checked;
- every breakdown's remainder: the sum of its parts that are not determined on their own.

A group is a leak when it is determined and describes 1..min_cell_size - 1 people (0 and at
least min_cell_size are fine, as for a single cell). Only this release's block can still
change: `repair` makes the leaking combination undetermined in it by withholding one more
cell of its derivation, the least important (lowest priority) and smallest first: a cell
published before is *held* at its previous values (never un-published), any other is hidden
"so that another small group cannot be worked out". The caller repeats until nothing leaks.

The earlier blocks come from the ledger: each release records, sealed, every cell's count and
whether it was published fresh (`remember_block`), keyed `["(release)", i]`.
This is the audit for exact (linear) disclosure of tau-ARGUS and of Hundepool et al. (2012),
Statistical Disclosure Control, section 4.3, applied to a sequence of releases as linked tables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.disclosure.linear import Signature, combine, normalised, signatures
from pipeline.disclosure.model import HELD, SECONDARY, Decision, Partition, Problem, Snapshot

RELEASE = "(release)"
Terms = tuple[tuple[str, int], ...]  # a combination: (cell, +-1), sorted
MAX_TRIALS = 40  # cells tried, cheapest first, for one that breaks a leak on its own
BREAKDOWN_MARK = 2  # in a recorded block: this key is a breakdown of that release, not a cell


def release_key(index: int) -> str:
    return json.dumps([RELEASE, index])


@dataclass
class Block:
    """One release as the attacker sees it: each cell's count then, the cells it published
    fresh, and every cell's signature (`linear.signatures`)."""

    n: dict[str, int]
    known: set[str]
    signature: dict[str, Signature]
    partitions: list[Partition]

    def determined(self, terms: Terms) -> bool:
        return not combine((self.signature.get(c, ()), v) for c, v in terms)

    def size(self, terms: Terms) -> int:
        return sum(self.n.get(c, 0) * v for c, v in terms)


def block(n: dict[str, int], known: set[str], partitions: list[Partition]) -> Block:
    return Block(n, known, signatures(n, known, partitions), partitions)


def history(problem: Problem) -> list[Block]:
    """The earlier releases recorded in the ledger, as blocks: the breakdowns of this release
    that existed then (a part that did not exist then had nobody, and counts as known). Blocks
    whose counts cannot be read (sealed with another key) are left out."""
    blocks = []
    recorded = sorted(
        (json.loads(key)[1], snapshot)
        for key, snapshot in problem.snapshots.items()
        if key.startswith(f'["{RELEASE}"')
    )
    for _, snapshot in recorded:
        if any(n is None for n, _, _ in snapshot.values()):
            continue
        counts = {c: entry for c, entry in snapshot.items() if entry[1] != BREAKDOWN_MARK}
        existed = {key for key, entry in snapshot.items() if entry[1] == BREAKDOWN_MARK}
        partitions = [p for p in problem.partitions if p.key in existed]
        n = dict.fromkeys(problem.cells, 0)
        n.update({c: int(v) for c, (v, _, _) in counts.items()})
        known = {c for c in problem.cells if c not in counts}
        known |= {c for c, (_, fresh, _) in counts.items() if fresh}
        blocks.append(block(n, known, partitions))
    return blocks


def remember_block(problem: Problem, decisions: dict[str, Decision]) -> dict[str, Snapshot]:
    """This release's block for the ledger: per cell (n, published fresh 0/1, 0), and per
    breakdown (0, BREAKDOWN_MARK, 0), so that the next releases use its equations only."""
    index = sum(1 for key in problem.snapshots if key.startswith(f'["{RELEASE}"'))
    entries: Snapshot = {
        key: (cell.n, int(decisions[key].state == "fresh"), 0)
        for key, cell in problem.cells.items()
    }
    entries.update({p.key: (0, BREAKDOWN_MARK, 0) for p in problem.partitions})
    return {release_key(index): entries}


def current(problem: Problem, decisions: dict[str, Decision]) -> Block:
    n = {key: cell.n for key, cell in problem.cells.items()}
    known = {key for key, d in decisions.items() if d.state == "fresh"}
    return block(n, known, problem.partitions)


def candidates(found: Block) -> set[Terms]:
    """The groups of `audit`'s docstring that `found` can determine: every cell, every pair
    whose sum or difference is determined, every breakdown's remainder."""
    groups: set[Terms] = {((c, 1),) for c in found.n}
    classes: dict[Signature, list[tuple[str, int]]] = defaultdict(list)
    for cell, signature in found.signature.items():
        if signature:
            key, sign = normalised(signature)
            classes[key].append((cell, sign))
    inside = _ancestors(found.partitions)
    for members in classes.values():
        for i, (a, sign_a) in enumerate(members):
            for b, sign_b in members[i + 1 :]:
                sign = -sign_a * sign_b  # a + sign x b is determined
                if sign > 0 or a in inside[b] or b in inside[a]:  # a difference: if nested
                    groups.add(tuple(sorted([(a, 1), (b, sign)])))
    for partition in found.partitions:
        if found.signature.get(partition.parent, ()):
            continue
        rest = [c for c in partition.children if found.signature.get(c, ())]
        if len(rest) > 1:
            groups.add(tuple(sorted((c, 1) for c in rest)))
    return groups


def _ancestors(partitions: list[Partition]) -> dict[str, set[str]]:
    """Every cell -> the cells that contain it (its totals, their totals, ...)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for partition in partitions:
        for child in partition.children:
            parents[child].add(partition.parent)
    found: dict[str, set[str]] = defaultdict(set)
    for cell in list(parents):
        stack = list(parents[cell])
        while stack:
            above = stack.pop()
            if above not in found[cell]:
                found[cell].add(above)
                stack.extend(parents.get(above, ()))
    return found


@dataclass(frozen=True)
class Leak:
    terms: Terms
    size: int
    against: int | None  # the earlier block subtracted, None: within this release


def leaks(now: Block, earlier: list[Block], groups: set[Terms], k: int) -> list[Leak]:
    """Every group of `groups` (with `now`'s own candidates) determined in this release that
    holds 1..k-1 people, or whose change since an earlier block that determines it too does."""
    found = []
    for terms in sorted(groups | candidates(now)):
        if not now.determined(terms):
            continue
        size = now.size(terms)
        if 0 < abs(size) < k:
            found.append(Leak(terms, size, None))
            continue
        for index, before in enumerate(earlier):
            if before.determined(terms) and 0 < abs(size - before.size(terms)) < k:
                found.append(Leak(terms, size - before.size(terms), index))
                break
    return found


def repair(
    problem: Problem,
    decisions: dict[str, Decision],
    earlier: list[Block],
    settle: Callable[[set[str]], set[str]],
) -> set[str]:
    """Withhold cells until no group leaks (see the module docstring); returns every cell
    whose decision changed. Raises RuntimeError when a leak has no cell left to withhold."""
    groups = set().union(*(candidates(b) for b in earlier)) if earlier else set()
    changed: set[str] = set()
    while True:
        now = current(problem, decisions)
        found = leaks(now, earlier, groups, problem.min_cell_size)
        if not found:
            return changed
        cell = _choose(problem, decisions, found[0].terms)
        if cell is None:
            raise RuntimeError("the linear audit found a leak it cannot repair")
        previous = problem.previous.get(cell)
        if previous is not None and previous.state == "shown" and previous.values is not None:
            decisions[cell] = Decision("held", HELD)
        else:
            decisions[cell] = Decision("hidden", SECONDARY)
        changed |= {cell, *settle({cell})}


def _support(problem: Problem, known: set[str], terms: Terms) -> tuple[set[str], list[Partition]]:
    """The published cells the derivation of `terms` can use: those in the breakdowns reached
    from its cells through unknown cells, and its own published cells; with those breakdowns."""
    containing = _containing(problem)
    seen_cells = {c for c, _ in terms}
    stack = [c for c in seen_cells if c not in known]
    used: dict[int, Partition] = {}
    while stack:
        cell = stack.pop()
        for partition in containing.get(cell, ()):
            if id(partition) in used:
                continue
            used[id(partition)] = partition
            for member in (partition.parent, *partition.children):
                if member not in seen_cells:
                    seen_cells.add(member)
                    if member not in known:
                        stack.append(member)
    return {c for c in seen_cells if c in known}, list(used.values())


def _containing(problem: Problem) -> dict[str, list[Partition]]:
    cached = getattr(problem, "_containing_index", None)
    if cached is None:
        cached = defaultdict(list)
        for partition in problem.partitions:
            for member in (partition.parent, *partition.children):
                cached[member].append(partition)
        object.__setattr__(problem, "_containing_index", cached)
    return cached


def _choose(problem: Problem, decisions: dict[str, Decision], terms: Terms) -> str | None:
    """The cheapest published cell (lowest priority, then smallest) whose withholding makes
    `terms` undetermined in this release; the cheapest one at all when none does alone."""
    known = {key for key, d in decisions.items() if d.state == "fresh"}
    support, _ = _support(problem, known, terms)
    cells = problem.cells
    options = sorted(
        (c for c in support if not cells[c].virtual and cells[c].n > 0),
        key=lambda c: (cells[c].priority, cells[c].n, c),
    )
    for cell in options[:MAX_TRIALS]:
        trial = known - {cell}
        _, partitions = _support(problem, trial, terms)
        local = {c for p in partitions for c in (p.parent, *p.children)} | {c for c, _ in terms}
        signature = signatures(sorted(local), trial & local, partitions)
        if combine((signature.get(c, ()), v) for c, v in terms):
            return cell
    return options[0] if options else None
