"""Simulated release sequences for the linear audit's tests: a programme of sites and cohorts,
each person linked or unlinked and of one of two attribute values, arriving over several
releases. Every cell (programme, site, cohort, attribute value; linked, all responses, and the
never-published unlinked remainder) is declared with its breakdowns, run through
`pipeline.disclosure.control` release after release with the ledger of the one before, and
what each release publishes is handed to the atom-level attacker (`attacker.Atoms`), which
never sees the engine's cells or breakdowns: it knows which people each published number
counts, and solves for groups by its own linear algebra (floating-point null space), not the
engine's exact one."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from pipeline.disclosure import Cell, Partition, Problem, control, remember
from pipeline.disclosure.ledger import entry
from tests.disclosure.atoms import Atoms

K = 10
KINDS = {"link": ("link",), "resp": ("link", "unl"), "rest": ("unl",)}
VALUES = ("w", "m")
ARRIVALS = (0, 0, 0, 0, 1, 2, 3, 4, 6, 9, 12)


@dataclass(frozen=True)
class Shape:
    """Sites -> cohorts, and whether the attribute breakdown is published."""

    sites: dict[str, tuple[str, ...]]
    attribute: bool

    @property
    def cohorts(self) -> list[str]:
        return [c for cs in self.sites.values() for c in cs]

    def nodes(self) -> list[tuple[str, str]]:
        """(node, level): the programme, its sites, cohorts and attribute values."""
        found = [("P", "programme")] + [(s, "site") for s in self.sites]
        found += [(c, "cohort") for c in self.cohorts]
        return found + ([(v, "value") for v in VALUES] if self.attribute else [])

    def contains(self, node: str, atom: tuple) -> bool:
        _kind, cohort, value, _t = atom
        if node == "P":
            return True
        if node in self.sites:
            return cohort in self.sites[node]
        return node in (cohort, value)


def random_shape(rng: random.Random) -> Shape:
    sites = {f"s{i}": tuple(f"s{i}c{j}" for j in range(rng.randint(1, 3))) for i in range(3)}
    return Shape(sites, attribute=rng.random() < 0.7)


def problem_of(shape: Shape, sizes: dict[tuple, int], t: int, earlier) -> Problem:
    """The cells and breakdowns of release `t` (people arrived up to t), with the ledger of
    the release before."""
    priority = {"programme": 9, "site": 5, "value": 4, "cohort": 1}
    cells, partitions = {}, []
    for measure, kinds in KINDS.items():
        for node, level in shape.nodes():
            n = sum(
                size
                for atom, size in sizes.items()
                if atom[0] in kinds and atom[3] <= t and shape.contains(node, atom)
            )
            rank = {"link": 20, "resp": 10, "rest": 0}[measure]
            cells[node + measure] = Cell(
                node + measure, n, virtual=measure == "rest", priority=rank + priority[level]
            )
        everyone = tuple(c + measure for c in shape.cohorts)
        partitions.append(Partition("P" + measure, tuple(s + measure for s in shape.sites), "s"))
        partitions.append(Partition("P" + measure, everyone, "cohorts"))
        for site, cohorts in shape.sites.items():
            partitions.append(Partition(site + measure, tuple(c + measure for c in cohorts), "c"))
        if shape.attribute:
            partitions.append(Partition("P" + measure, tuple(v + measure for v in VALUES), "v"))
    for node, _level in shape.nodes():
        partitions.append(Partition(node + "resp", (node + "link", node + "rest"), "linked"))
    previous, snapshots = earlier
    return Problem(cells, partitions, previous, K, snapshots=snapshots)


def ledger(problem: Problem, decisions, run_id: str = "run"):
    """The next release's view of this one (what the ledger would hold, unsealed): each
    cell's `Previous`, and the breakdown snapshots."""
    previous = {
        key: entry(cell, decisions[key], problem.previous.get(key), {"n": cell.n}, run_id)[0]
        for key, cell in problem.cells.items()
    }
    return previous, remember(problem, decisions)


def groups_to_protect(shape: Shape, sizes: dict[tuple, int], t: int) -> list[list[tuple]]:
    """Every atom (the people of one cohort, value and kind who arrived in one release), every
    two atoms together, and every cell's people who arrived in any window of releases."""
    atoms = [a for a in sizes if a[3] <= t]
    groups = [[a] for a in atoms] + [list(p) for p in itertools.combinations(atoms, 2)]
    for kinds in KINDS.values():
        for node, _ in shape.nodes():
            members = [a for a in atoms if a[0] in kinds and shape.contains(node, a)]
            for first, last in itertools.combinations_with_replacement(range(t + 1), 2):
                groups.append([a for a in members if first <= a[3] <= last])
    return groups


def attack_sequence(seed: int, releases: int = 5) -> list[tuple[int, list]]:
    """Publish `releases` releases of a random programme; after each, what the atom-level
    attacker recovers from everything published so far: [(release, recovered groups)]."""
    rng = random.Random(seed)
    shape = random_shape(rng)
    sizes = {
        (kind, cohort, value, t): rng.choice(ARRIVALS) * (2 if t == 0 else 1)
        for t in range(releases)
        for kind in ("link", "unl")
        for cohort in shape.cohorts
        for value in VALUES
    }
    oracle = Atoms(K)
    for atom, size in sizes.items():
        oracle.atom(atom, size)
    earlier: tuple = ({}, {})
    findings = []
    for t in range(releases):
        problem = problem_of(shape, sizes, t, earlier)
        decisions = control(problem)
        for key, decision in decisions.items():
            if decision.state == "fresh":
                oracle.publish(members(shape, key, sizes, t))
            elif decision.state == "held":
                basis = int(earlier[0][key].since_run_id[1:])
                oracle.publish(members(shape, key, sizes, basis))
        present = {a: s for a, s in sizes.items() if a[3] <= t}
        recovered = oracle.recovered(groups_to_protect(shape, present, t))
        if recovered:
            findings.append((t, recovered))
        earlier = ledger(problem, decisions, f"r{t}")
    return findings


def members(shape: Shape, cell: str, sizes: dict[tuple, int], t: int) -> list[tuple]:
    """The atoms a cell counts at release t."""
    for measure, kinds in KINDS.items():
        if cell.endswith(measure):
            node = cell[: -len(measure)]
            return [a for a in sizes if a[0] in kinds and a[3] <= t and shape.contains(node, a)]
    raise AssertionError(cell)
