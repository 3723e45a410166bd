"""The randomized programme of test_engine.py's audit: sites of cohorts whose linked and
unlinked people only grow from release to release, each release's cells (linked people, all
responses and the never-published remainder, each a programme/site/cohort tree) run through
`pipeline.disclosure.control` with the ledger of the one before, and what it publishes handed
to the atom-level attacker (`atoms.Atoms`). test_audit.py replays it over more releases."""

from __future__ import annotations

import itertools
import random

from pipeline.disclosure import Cell, Partition, Problem, control
from tests.disclosure.atoms import Atoms
from tests.disclosure.sequences import K, ledger


def random_sequence(rng: random.Random, releases: int = 3) -> list[dict[str, dict[str, int]]]:
    """Sites of cohorts whose linked and unlinked people only grow from release to release."""
    shape = {f"s{i}": [f"s{i}c{j}" for j in range(rng.randint(1, 3))] for i in range(3)}
    steps = [0, 0, 0, 1, 2, 3, 6, 9, 11, 20]
    linked = {c: rng.choice([0, 2, 5, 9, 12, 20, 30]) for cs in shape.values() for c in cs}
    unlinked = {c: rng.choice([0, 0, 1, 2, 4, 11]) for c in linked}
    sequence = []
    for _ in range(releases):
        sequence.append({c: (linked[c], unlinked[c]) for c in linked})
        for c in linked:
            linked[c] += rng.choice(steps)
            unlinked[c] += rng.choice([0, 0, 0, 1, 3, 10])
    return [{"shape": shape, "counts": counts} for counts in sequence]


def nested_problem(state, earlier):
    """Linked people and all responses, each a programme/site/cohort tree; every node's
    responses = its linked + a never-published remainder, and the remainders form the same
    tree."""
    shape, counts = state["shape"], state["counts"]
    cells, partitions = {}, []
    for measure, rank in (("link", 2), ("resp", 1)):

        def n(cohorts, measure=measure):
            return sum(counts[c][0] + (counts[c][1] if measure == "resp" else 0) for c in cohorts)

        everyone = [c for cs in shape.values() for c in cs]
        cells[f"P{measure}"] = Cell(f"P{measure}", n(everyone), priority=10 * rank + 9)
        for site, cohorts in shape.items():
            cells[f"{site}{measure}"] = Cell(f"{site}{measure}", n(cohorts), priority=10 * rank + 5)
            for c in cohorts:
                cells[f"{c}{measure}"] = Cell(f"{c}{measure}", n([c]), priority=10 * rank)
            partitions.append(
                Partition(f"{site}{measure}", tuple(f"{c}{measure}" for c in cohorts), "cohorts")
            )
        partitions.append(Partition(f"P{measure}", tuple(f"{s}{measure}" for s in shape), "sites"))
        partitions.append(
            Partition(f"P{measure}", tuple(f"{c}{measure}" for c in everyone), "cohorts")
        )
    for node in [k[: -len("link")] for k in cells if k.endswith("link")]:
        rest = f"{node}rest"
        cells[rest] = Cell(rest, cells[f"{node}resp"].n - cells[f"{node}link"].n, virtual=True)
        partitions.append(Partition(f"{node}resp", (f"{node}link", rest), "linked"))
    everyone = [c for cs in shape.values() for c in cs]
    partitions.append(Partition("Prest", tuple(f"{s}rest" for s in shape), "sites"))
    partitions.append(Partition("Prest", tuple(f"{c}rest" for c in everyone), "cohorts"))
    for site, cohorts in shape.items():
        partitions.append(Partition(f"{site}rest", tuple(f"{c}rest" for c in cohorts), "cohorts"))
    previous, snapshots = earlier
    return Problem(cells, partitions, previous, K, snapshots=snapshots)


def cohorts_of(cell: str, shape: dict[str, list[str]]) -> tuple[list[str], str]:
    """The cohorts and the kind of people ("link", "resp" = linked + unlinked, "rest" =
    unlinked) of a cell of `nested_problem`."""
    for kind in ("link", "resp", "rest"):
        if cell.endswith(kind):
            node = cell[: -len(kind)]
            everyone = [c for cs in shape.values() for c in cs]
            return (everyone if node == "P" else shape.get(node, [node])), kind
    raise AssertionError(cell)


def atoms_of(cell: str, shape, until: int) -> list[tuple]:
    cohorts, kind = cohorts_of(cell, shape)
    kinds = {"link": ["link"], "resp": ["link", "unl"], "rest": ["unl"]}[kind]
    return [(k, c, t) for c in cohorts for k in kinds for t in range(until + 1)]


def attack_nested(seed: int, releases: int = 3) -> list[tuple[int, list]]:
    """Publish `releases` releases of a random programme (`random_sequence`); after each, what
    the attacker recovers from everything published so far (held numbers as of the release
    they date from): [(release, recovered groups)] for the releases that give any up. Groups:
    one cohort's newcomers of one release, a window of releases, a remainder, any two
    together."""
    rng = random.Random(seed)
    earlier: tuple = ({}, {})
    oracle = Atoms(K)
    before: dict[str, tuple[int, int]] = {}
    findings = []
    for t, state in enumerate(random_sequence(rng, releases)):
        shape, counts = state["shape"], state["counts"]
        for cohort, (linked, unlinked) in counts.items():
            old = before.get(cohort, (0, 0))
            oracle.atom(("link", cohort, t), linked - old[0])
            oracle.atom(("unl", cohort, t), unlinked - old[1])
        before = counts
        problem = nested_problem(state, earlier)
        decisions = control(problem)
        for key, decision in decisions.items():
            if decision.state == "fresh":
                oracle.publish(atoms_of(key, shape, t))
            elif decision.state == "held":
                oracle.publish(atoms_of(key, shape, int(earlier[0][key].since_run_id[1:])))
        groups = [[a] for a in oracle.sizes]
        groups += [list(pair) for pair in itertools.combinations(oracle.sizes, 2)]
        for key in problem.cells:
            for first, last in itertools.combinations_with_replacement(range(t + 1), 2):
                groups.append([a for a in atoms_of(key, shape, last) if a[2] >= first])
        if recovered := oracle.recovered(groups):
            findings.append((t, recovered))
        earlier = ledger(problem, decisions, f"r{t}")
    return findings
