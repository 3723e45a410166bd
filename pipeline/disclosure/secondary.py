"""Secondary (complementary) suppression within a release, and the subtraction attacks it
must withstand, within a release and against the previous one.

For every partition whose total is known in this release (published with fresh values, or
derivable: the one unknown member of a partition whose other members are known), an attacker
subtracts the published children and gets the hidden remainder. Each hidden child adds its
`history.within_contribution`, but he may instead replace a hidden child by what is left of
another equation it belongs to: its own breakdown (a site = its cohorts) or another known
total it is part of (a site's linked = its responses - its unlinked), to `MAX_DEPTH` levels,
choosing whichever combination isolates the smallest group. `achievable` enumerates the
remainders every combination can give (capped at min_cell_size, so the work stays small), each
with a *witness*: the published cells the attack relies on. A partition is unsafe when a
remainder lies in 1..min_cell_size - 1, or when the reasons of its hidden children pin a small
one down (`pinned`). The same check runs on the change of a remainder since the last release
its total was known (`history.across_options`, from the ledger's snapshot of the breakdown).

An unsafe partition is repaired by hiding one cell of the witness, the one of lowest priority
(the extract ranks headline numbers high), smallest first: that breaks the attack found, and
hiding a cell with fresh values adds at least min_cell_size people to every remainder it is
part of (it passed the threshold, and a cell published before may take new values only once
min_cell_size people entered it). The caller repeats the check until no partition is unsafe (a
fixed point), because each repair can change which cells are derivable.

This is the hierarchical, iterate-until-consistent scheme of de Wolf's HiTaS (2002) with a
frequency rule applied to the *sum* of the hidden cells of each subtable (the "singleton"
problem of Langsrud's Gaussian-elimination suppression, 2024), rather than an optimal
(linear-programming) choice of complementary cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pipeline.disclosure.history import across_options, within_contribution
from pipeline.disclosure.knowledge import MAX_DEPTH, NONE, Knowledge, Witness
from pipeline.disclosure.model import TOO_FEW, Decision, Partition

__all__ = ["MAX_DEPTH", "Subtraction", "merge"]

Options = dict[int, Witness]  # achievable remainder (capped at k) -> cells the attack uses


def merge(options: Options, value: int, witness: Witness) -> None:
    """Keep one witness per value: the smaller."""
    kept = options.get(value)
    if kept is None or len(witness) < len(kept):
        options[value] = witness


class Subtraction(Knowledge):
    """The attacker's view of one release: which cells are known (`Knowledge`), and what
    every published total minus its published breakdown leaves."""

    # remainders

    def achievable(self, members: Iterable[str], options: Callable[[str], Options]) -> Options:
        """Every total (capped at k) of one option per member, with the union witness."""
        sums: Options = {0: NONE}
        for member in members:
            choices = options(member)
            combined: Options = {}
            for total, used in sums.items():
                for value, witness in choices.items():
                    merge(combined, min(total + value, self.k), used | witness)
            sums = combined
        return sums

    def options(
        self, cell: str, via: Partition, mode: str, depth: int, root: Partition | None = None
    ) -> Options:
        """What `cell` can add to the remainder of `via`'s total (mode within), or to the
        change of `root`'s remainder since `root`'s snapshot (mode across): its own
        contribution, or, when it is hidden, what another equation it belongs to leaves."""
        root = root or via
        memo = (cell, id(via), mode, depth, id(root))
        if memo in self._cache:
            return self._cache[memo]
        decision = self.decisions[cell]
        previous = self.problem.previous.get(cell)
        known_elsewhere = self.known_elsewhere(cell, via)
        uses = (
            self.support(cell)
            if known_elsewhere
            else frozenset([cell])
            if decision.state == "fresh"
            else NONE
        )
        shown_as = Decision("fresh") if known_elsewhere else decision
        if mode == "within":
            value = (
                0
                if known_elsewhere
                else within_contribution(self.problem.cells[cell], decision, previous)
            )
            own: Options = {min(value, self.k): uses}
        else:
            snapshot = self.problem.snapshots.get(root.key, {})
            then = snapshot.get(cell)
            if then is None and depth > 1:
                return {}  # not recorded then (or not a cell then): no route back
            unreadable = then is not None and then[0] is None
            values = across_options(
                self.problem.cells[cell], shown_as, previous, then, self.k, unreadable
            )
            own = dict.fromkeys(values, uses)
        # within a release a fresh or derivable cell adds nothing to replace; across releases
        # any cell may be replaced (its earlier remainder may be smaller through its parts)
        expand = mode == "across" or (not known_elsewhere and decision.state != "fresh")
        if expand and depth < MAX_DEPTH:
            for breakdown in self.breakdowns.get(cell, ()):  # the cell = its own breakdown
                for value, witness in self.achievable(
                    breakdown.children,
                    lambda m, b=breakdown: self.options(m, b, mode, depth + 1, root),
                ).items():
                    merge(own, value, witness)
            for other in self.containing[cell]:  # = another known total minus its siblings
                if other is via or other.parent == cell or not self.is_open(other):
                    continue
                if self.related(other.parent, root.parent):
                    continue  # a part of the total itself: its people would cancel out
                base = self.support(other.parent)
                siblings = [m for m in other.children if m != cell]
                for value, witness in self.achievable(
                    siblings, lambda m, o=other: self.options(m, o, mode, depth + 1, root)
                ).items():
                    merge(own, value, witness | base)
        self._cache[memo] = own
        return own

    def related(self, a: str, b: str) -> bool:
        """The same cell, or one is a part of the other in some breakdown."""
        if a == b:
            return True
        return any(b in p.children for p in self.breakdowns.get(a, ())) or any(
            a in p.children for p in self.breakdowns.get(b, ())
        )

    def hideable(self, key: str) -> bool:
        """Hiding the cell can still protect: fresh, with people, and not showing exactly the
        values an earlier release showed (those would be filled in from it)."""
        cell = self.problem.cells[key]
        return (
            self.decisions[key].state == "fresh"
            and not cell.virtual
            and cell.n > 0
            and key not in self.problem.unchanged
        )

    def attack(self, partition: Partition) -> Witness | None:
        """The published cells of an attack that isolates 1..k-1 people through this
        partition (in this release, or against the remainder the last time the total was
        known), or None when there is none."""
        if not self.is_open(partition):
            return None
        base = self.support(partition.parent)
        modes = ["within"]
        if partition.key in self.problem.snapshots:
            modes.append("across")
        for mode in modes:
            sums = self.achievable(
                partition.children, lambda m, mode=mode: self.options(m, partition, mode, 1)
            )
            small = [w | base for s, w in sums.items() if 0 < s < self.k]
            if small:  # prefer an attack that hiding one of its cells can break
                return min(small, key=lambda w: (not any(map(self.hideable, w)), len(w), sorted(w)))
        if self.pinned(partition):
            fresh = (c for c in partition.children if self.decisions[c].state == "fresh")
            return base.union(fresh)
        return None

    def leaks(self) -> list[Witness]:
        """Attacks without subtraction: a hidden cell of 1..k-1 people whose value follows from
        published ones, or a held cell whose current n follows and has moved by 1..k-1 (its
        newcomers); each as the published cells the derivation uses."""
        found = []
        for cell, source in self.known.items():
            if source is None:
                continue
            decision, n = self.decisions[cell], self.problem.cells[cell].n
            previous = self.problem.previous.get(cell)
            moved = abs(n - previous.n_shown) if decision.state == "held" and previous else 0
            if 0 < n < self.k or 0 < moved < self.k:
                found.append(self.support(cell))
        return found

    def unsafe(self, partition: Partition) -> bool:
        return self.attack(partition) is not None

    def pinned(self, partition: Partition) -> bool:
        """True when the reasons of the hidden children pin a small one down: a cell hidden
        as 'too few people' has 1..k-1 people and one hidden for another reason at least k,
        so a remainder of exactly k x (those) + (the small ones) means every small one is 1,
        and, with only small ones, a remainder of (their number) x (k - 1) means each is k-1."""
        if self.decisions[partition.parent].state != "fresh":
            return False
        small = large = unbounded = 0
        remainder = self.problem.cells[partition.parent].n
        for child in partition.children:
            decision, cell = self.decisions[child], self.problem.cells[child]
            if decision.state == "fresh":
                remainder -= cell.n
            elif decision.state == "held" or cell.key in self.known:
                return False  # not a plain remainder: the subtraction checks apply
            elif cell.virtual:
                unbounded += 1
            elif decision.reason == TOO_FEW:
                small += 1
            else:
                large += 1
        if not small:
            return False
        if large or unbounded:
            return remainder == self.k * large + small
        return remainder in (small, small * (self.k - 1))

    # repair

    def repair(self, partition: Partition, witness: Witness) -> str | None:
        """The cell to hide to break the attack: the cheapest (lowest priority, then
        smallest) fresh cell of its witness that can still protect."""
        return self._cheapest_fresh(witness)

    def _cheapest_fresh(self, keys: Iterable[str]) -> str | None:
        cells = self.problem.cells
        fresh = [key for key in set(keys) if self.hideable(key)]
        return min(fresh, key=lambda key: (cells[key].priority, cells[key].n, key), default=None)
