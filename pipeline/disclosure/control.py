"""The driver: every rule of disclosure control applied until none asks for more hiding."""

from __future__ import annotations

from collections import deque

from pipeline.disclosure import audit
from pipeline.disclosure.history import frozen_children
from pipeline.disclosure.model import HELD, SECONDARY, Decision, Partition, Problem
from pipeline.disclosure.primary import initial_decision
from pipeline.disclosure.secondary import MAX_DEPTH, Subtraction

#: A guard against a bug turning the fixed point into an endless loop: every round hides or
#: freezes at least one more cell, so a correct run needs at most one round per cell.
MAX_ROUNDS_PER_CELL = 2


class ControlError(RuntimeError):
    """Disclosure control could not reach a safe state (an internal error: nothing is
    published)."""


def control(problem: Problem) -> dict[str, Decision]:
    """The decision for every cell of `problem`.

    1. primary: a cell of 1..k-1 people is hidden, unless its state is held from the previous
       release (`primary`, `history.may_change`);
    2. then, until nothing changes: no fresh breakdown under a stale total
       (`history.frozen_children`), no cell shown on a hidden row (`Problem.attached`), and
       no published total minus its published breakdown, in this release or against the last
       release its total was known, isolates 1..k-1 people (`secondary.Subtraction`); each
       attack found hides one more cell of it. After a repair only the breakdowns near the
       hidden cell are checked again, then everything once more, until a full check finds
       nothing; and no hidden cell of 1..k-1 people (nor the newcomers of a held cell) may be
       derivable at all (`Subtraction.leaks`). An attack that uses only values published,
       unchanged, by the previous release was checked then (and hiding them now would not
       help: they can be filled in);
    3. the exact linear audit of this release against every earlier one in the ledger
       (`audit.repair`): no cell, pair of cells or breakdown remainder of 1..k-1 people, nor
       its change since an earlier release, is determined by everything published; each leak
       withholds one more cell (held when it was published before, else hidden). Rules 2 and
       3 alternate until neither changes anything.
    """
    k = problem.min_cell_size
    decisions = {
        key: initial_decision(cell, problem.previous.get(key), k, key in problem.unchanged)
        for key, cell in problem.cells.items()
    }
    attacker = Subtraction(problem, decisions)
    _settle(problem, decisions, None, attacker)
    attacker.derive()
    earlier = audit.history(problem)
    for _ in range(MAX_ROUNDS_PER_CELL * (len(problem.cells) + 1)):
        _fixed_point(problem, decisions, attacker)
        try:
            changed = audit.repair(
                problem, decisions, earlier, lambda c: _settle(problem, decisions, c, attacker)
            )
        except RuntimeError as error:
            raise ControlError(str(error)) from error
        if not changed:
            return decisions
        attacker.hidden(changed)
    raise ControlError("disclosure control did not reach a fixed point")


def _fixed_point(problem: Problem, decisions: dict[str, Decision], attacker: Subtraction) -> None:
    """Rule 2 of `control`: hide one more cell per attack found until none is found."""
    work = deque(problem.partitions)
    queued = {id(p) for p in work}
    rounds = 0
    limit = MAX_ROUNDS_PER_CELL * (len(problem.cells) + 1)
    while True:
        while work:
            partition = work.popleft()
            queued.discard(id(partition))
            witness = attacker.attack(partition)
            chosen = None if witness is None else attacker.repair(partition, witness)
            if chosen is None:  # safe, or an attack on values all published before
                continue
            rounds += 1
            if rounds > limit:
                raise ControlError("disclosure control did not reach a fixed point")
            decisions[chosen] = Decision("hidden", SECONDARY)
            changed = {chosen, *_settle(problem, decisions, {chosen}, attacker)}
            attacker.hidden(changed)
            for nearby in [partition, *_near(attacker, changed)]:
                if id(nearby) not in queued:
                    queued.add(id(nearby))
                    work.append(nearby)
        leaks = [c for w in attacker.leaks() if (c := attacker._cheapest_fresh(w)) is not None]
        if leaks:
            rounds += 1
            if rounds > limit:
                raise ControlError("disclosure control did not reach a fixed point")
            chosen = leaks[0]
            decisions[chosen] = Decision("hidden", SECONDARY)
            changed = {chosen, *_settle(problem, decisions, {chosen}, attacker)}
            attacker.hidden(changed)
            work.extend(p for p in _near(attacker, changed) if id(p) not in queued)
            queued.update(id(p) for p in work)
            continue
        missed = [p for p in problem.partitions if _repairable(attacker, p)]
        if not missed:
            return
        work.extend(missed)
        queued.update(id(p) for p in missed)


def _repairable(attacker: Subtraction, partition: Partition) -> bool:
    witness = attacker.attack(partition)
    return witness is not None and attacker.repair(partition, witness) is not None


def _settle(
    problem: Problem,
    decisions: dict[str, Decision],
    changed: set[str] | None = None,
    attacker: Subtraction | None = None,
) -> set[str]:
    """Apply the rules that follow from others (no fresh breakdown under a stale total, no
    cell on a hidden row) until they hold, looking only at what `changed` cells (all, when
    None) can affect; returns the cells changed."""
    attacker = attacker or Subtraction(problem, decisions)
    parents = attacker.breakdowns
    hosted = attacker.hosted
    done: set[str] = set()
    pending = set(decisions) if changed is None else set(changed)
    while pending:
        scope = [p for key in sorted(pending) for p in parents.get(key, ())]
        frozen = frozen_children(scope, decisions, problem.previous)
        orphans = [
            key
            for host in sorted(pending)
            for key in hosted.get(host, ())
            if decisions[key].shown and not decisions[host].shown
        ]
        for key in sorted(frozen):
            decisions[key] = _keep_previous(problem, key)
        for key in orphans:
            decisions[key] = Decision("hidden", decisions[problem.attached[key]].reason)
        pending = set(frozen) | set(orphans)
        done |= pending
    return done


def _near(attacker: Subtraction, cells: set[str]) -> list[Partition]:
    """Partitions within reach of an attack through `cells` (2 x MAX_DEPTH equations)."""
    found: dict[int, Partition] = {}
    frontier = set(cells)
    for _ in range(2 * MAX_DEPTH):
        reached: set[str] = set()
        for cell in sorted(frontier):  # sorted: the same choices whatever the hash seed
            for partition in attacker.containing[cell]:
                if id(partition) not in found:
                    found[id(partition)] = partition
                    reached.update((partition.parent, *partition.children))
        frontier = reached - cells
        cells = cells | reached
    return list(found.values())


def _keep_previous(problem: Problem, key: str) -> Decision:
    previous = problem.previous.get(key)
    if previous is not None and previous.state == "shown":
        return Decision("held", HELD)
    return Decision("hidden", HELD)
