"""What an attacker knows in one release: the cells published fresh, and every cell that is
the only unknown member of a breakdown whose other members are known (derived), kept up to date
incrementally as cells are hidden. `secondary.Subtraction` builds its attacks on it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pipeline.disclosure.model import Decision, Partition, Problem

MAX_DEPTH = 3
Known = dict[str, Partition | None]  # known cell -> the partition it was derived from
Witness = frozenset[str]
NONE: Witness = frozenset()


class Knowledge:
    """The attacker's knowledge of one release: which cells are known, and through what."""

    def __init__(self, problem: Problem, decisions: dict[str, Decision]) -> None:
        self.problem = problem
        self.decisions = decisions
        self.k = problem.min_cell_size
        self.breakdowns: dict[str, list[Partition]] = defaultdict(list)
        self.containing: dict[str, list[Partition]] = defaultdict(list)
        for partition in problem.partitions:
            self.breakdowns[partition.parent].append(partition)
            for key in (partition.parent, *partition.children):
                self.containing[key].append(partition)
        self.hosted: dict[str, list[str]] = defaultdict(list)
        for key, host in problem.attached.items():
            self.hosted[host].append(key)
        self.known: Known = {}
        self._cache: dict[tuple, dict] = {}  # `Subtraction.options`, per release state

    # what the attacker knows

    def derive(self) -> Known:
        """Fresh cells, then every cell that is the only unknown member of a partition whose
        other members are known (repeated until nothing more follows), with the partition it
        followed from."""
        self.known = {k: None for k, d in self.decisions.items() if d.state == "fresh"}
        self.dependents: dict[str, set[str]] = defaultdict(set)
        self.unknown_count = {
            id(p): sum(1 for m in (p.parent, *p.children) if m not in self.known)
            for p in self.problem.partitions
        }
        self._follow([p for p in self.problem.partitions if self.unknown_count[id(p)] == 1])
        self._cache = {}
        return self.known

    def _follow(self, queue: list[Partition]) -> None:
        known = self.known
        while queue:
            partition = queue.pop()
            missing = [m for m in (partition.parent, *partition.children) if m not in known]
            if len(missing) != 1:
                continue
            cell = missing[0]
            known[cell] = partition
            for member in (partition.parent, *partition.children):
                if member != cell:
                    self.dependents[member].add(cell)
            for other in self.containing[cell]:
                self.unknown_count[id(other)] -= 1
                if self.unknown_count[id(other)] == 1:
                    queue.append(other)

    def hidden(self, cells: Iterable[str]) -> None:
        """These cells just stopped being fresh: forget them and everything derived through
        them, then derive again what still follows (incremental `derive`)."""
        lost: set[str] = set()
        stack = sorted(c for c in cells if self.known.get(c, 0) is None)
        while stack:
            cell = stack.pop()
            if cell in lost or cell not in self.known:
                continue
            lost.add(cell)
            stack.extend(self.dependents.pop(cell, ()))
        touched: dict[int, Partition] = {}
        for cell in sorted(lost):  # sorted: the same derivations whatever the hash seed
            self.known.pop(cell, None)
            for partition in self.containing[cell]:
                self.unknown_count[id(partition)] += 1
                touched[id(partition)] = partition
        self._follow([p for p in touched.values() if self.unknown_count[id(p)] == 1])
        self._cache = {}

    def known_elsewhere(self, cell: str, via: Partition) -> bool:
        """The cell's value follows without `via`: it is fresh, derived through another
        partition, or another partition holding it has every other member known (none of
        them through `via`)."""
        if cell not in self.known:
            return False
        source = self.known[cell]
        if source is not via:
            return True
        for other in self.containing[cell]:
            if other is via:
                continue
            members = [m for m in (other.parent, *other.children) if m != cell]
            if all(m in self.known and not self._rests_on(m, cell, via, 0) for m in members):
                return True
        return False

    def _rests_on(self, cell: str, target: str, via: Partition, depth: int) -> bool:
        """Whether a known cell's derivation uses `target` or `via` (conservatively True
        beyond a few steps)."""
        if cell == target:
            return True
        source = self.known.get(cell)
        if source is None:
            return False
        if source is via or depth > 2 * MAX_DEPTH:
            return True
        return any(
            self._rests_on(m, target, via, depth + 1)
            for m in (source.parent, *source.children)
            if m != cell
        )

    def is_open(self, partition: Partition) -> bool:
        """The total is known in this release (fresh, or derivable)."""
        return partition.parent in self.known

    def support(self, cell: str, depth: int = 0) -> Witness:
        """The fresh cells a known cell's value rests on (itself when fresh)."""
        source = self.known.get(cell)
        if source is None or depth > 2 * MAX_DEPTH:
            return frozenset([cell]) if self.decisions[cell].state == "fresh" else NONE
        return frozenset().union(
            *(self.support(m, depth + 1) for m in (source.parent, *source.children) if m != cell)
        )
