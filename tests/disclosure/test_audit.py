"""The linear audit (pipeline.disclosure.linear, audit): its exact algebra against an
independent floating-point rank test; the leaks the subtraction rules alone let through over
five releases, found again without the audit and closed with it; and random five-release
sequences (cohort, site and attribute breakdowns of one programme, linked and unlinked people)
attacked in atom space by tests/disclosure/attacker.py, which must recover nothing.

RIPPLE_DISCLOSURE=long runs 1,500 random sequences instead of the default 40."""

from __future__ import annotations

import itertools
import os
import random

import numpy as np
import pytest

from pipeline.disclosure import (
    HELD,
    SECONDARY,
    Cell,
    Decision,
    Partition,
    Previous,
    Problem,
    audit,
)
from pipeline.disclosure.linear import combine, signatures
from tests.disclosure.nested import attack_nested
from tests.disclosure.sequences import K, attack_sequence

LONG = os.environ.get("RIPPLE_DISCLOSURE") == "long"
SEQUENCES = range(1500) if LONG else range(40)
#: Sequences that leaked before the audit: test_engine's generator run over five releases
#: (828: 6 newcomers of two cohorts, from the fourth release), and this file's, with an
#: attribute breakdown (71, 90, 112: 2 to 9 people solved across releases).
LEAKED_BEFORE = (("engine", 828), ("attributes", 71), ("attributes", 90), ("attributes", 112))


def determined_by_rank(cells, known, partitions, vector) -> bool:
    """Independent check: `vector` (cell -> coefficient) is determined when adding it to the
    unknown part of the equations does not raise the rank (numpy, floating point)."""
    unknown = [c for c in cells if c not in known]
    index = {c: i for i, c in enumerate(unknown)}
    rows = []
    for p in partitions:
        row = np.zeros(len(unknown))
        for cell, sign in [(p.parent, 1.0), *((c, -1.0) for c in p.children)]:
            if cell in index:
                row[index[cell]] += sign
        rows.append(row)
    target = np.zeros(len(unknown))
    for cell, value in vector.items():
        if cell in index:
            target[index[cell]] += value
    if not target.any():
        return True
    a = np.array(rows) if rows else np.zeros((0, len(unknown)))
    rank = np.linalg.matrix_rank(a) if len(a) else 0
    return np.linalg.matrix_rank(np.vstack([a, target])) == rank


@pytest.mark.parametrize("seed", range(30))
def test_exact_signatures_agree_with_a_floating_point_rank_test(seed):
    rng = random.Random(seed)
    cells = [f"c{i}" for i in range(rng.randint(4, 14))]
    partitions = []
    for _ in range(rng.randint(1, 6)):
        parent, *children = rng.sample(cells, rng.randint(3, min(6, len(cells))))
        partitions.append(Partition(parent, tuple(children)))
    known = {c for c in cells if rng.random() < 0.4}
    found = signatures(cells, known, partitions)
    for a, b in itertools.combinations_with_replacement(cells, 2):
        for sign in (1, -1):
            vector = {a: 1} if a == b else {a: 1, b: sign}
            exact = not combine((found[c], v) for c, v in vector.items())
            assert exact == determined_by_rank(cells, known, partitions, vector), (a, b, sign)


def test_two_cells_hidden_together_have_a_determined_sum():
    partitions = [Partition("P", ("A", "B", "C"))]
    found = signatures(["P", "A", "B", "C"], {"P", "C"}, partitions)
    assert found["A"] and found["B"]  # neither alone
    assert not combine([(found["A"], 1), (found["B"], 1)])  # but A + B = P - C


def attack(generator: str, seed: int) -> list[tuple[int, list]]:
    return attack_nested(seed, releases=5) if generator == "engine" else attack_sequence(seed)


@pytest.mark.parametrize(("generator", "seed"), LEAKED_BEFORE)
def test_without_the_audit_the_known_leaks_come_back(generator, seed, monkeypatch):
    """The attacker is able to fail: with the audit switched off, each of these sequences
    gives up a small group in a later release."""
    monkeypatch.setattr(audit, "repair", lambda *args, **kwargs: set())
    findings = attack(generator, seed)
    assert findings and min(t for t, _ in findings) >= 2


@pytest.mark.parametrize(("generator", "seed"), LEAKED_BEFORE)
def test_the_audit_closes_the_known_leaks(generator, seed):
    assert attack(generator, seed) == []


@pytest.mark.parametrize("seed", SEQUENCES)
def test_random_five_release_sequences_give_up_no_group(seed):
    """Cohort, site and attribute breakdowns of one programme total, linked and unlinked
    people arriving over five releases: no group of 1..k-1 people (an atom, two atoms, any
    cell's arrivals over any window of releases) is determined by everything published."""
    assert attack_sequence(seed) == []


def lone_cell(n_now: int, previous: Previous | None, n_then: int) -> dict[str, Decision]:
    """A cell published fresh with `n_now` people, recorded by the previous release's audit
    block as published with `n_then`: the audit's decision for it."""
    problem = Problem(
        {"X": Cell("X", n_now)},
        [],
        {"X": previous} if previous else {},
        K,
        snapshots={audit.release_key(0): {"X": (n_then, 1, 0)}},
    )
    decisions = {"X": Decision("fresh")}
    audit.repair(problem, decisions, audit.history(problem), lambda cells: set())
    return decisions


def test_a_change_of_a_few_people_since_an_earlier_release_is_withheld():
    shown = Previous("shown", 20, {"n": 20}, 20, 20, "r0")
    assert lone_cell(23, shown, 20)["X"] == Decision("held", HELD)  # never un-published
    assert lone_cell(23, None, 20)["X"] == Decision("hidden", SECONDARY)
    assert lone_cell(30, shown, 20)["X"] == Decision("fresh")  # 10 new people
    assert lone_cell(20, shown, 20)["X"] == Decision("fresh")  # nobody new
