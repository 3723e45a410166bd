"""pipeline.disclosure on hand-made tables: the attacks of issue 8, the reasons a hidden cell
gives, the ledger rules between releases, and a randomized audit of many release sequences by
the linear-algebra attacker (tests/disclosure/attacker.py)."""

from __future__ import annotations

import pytest

from pipeline.disclosure import (
    HELD,
    SECONDARY,
    TOO_FEW,
    Cell,
    Partition,
    Previous,
    Problem,
    control,
)
from tests.disclosure.attacker import Release, across, within
from tests.disclosure.nested import attack_nested
from tests.disclosure.sequences import K, ledger


def tree(sizes: dict[str, dict[str, int]], earlier=None):
    """programme = sites = cohorts, site = its cohorts; `earlier` = ledger(previous release)."""
    cells = {"P": Cell("P", sum(sum(s.values()) for s in sizes.values()), priority=9)}
    partitions = []
    for site, cohorts in sizes.items():
        cells[site] = Cell(site, sum(cohorts.values()), priority=5)
        cells.update({c: Cell(c, n, priority=1) for c, n in cohorts.items()})
        partitions.append(Partition(site, tuple(cohorts), "cohorts"))
    partitions.append(Partition("P", tuple(sizes), "sites"))
    partitions.append(Partition("P", tuple(c for s in sizes.values() for c in s), "cohorts"))
    previous, snapshots = earlier or ({}, {})
    problem = Problem(cells, partitions, previous, K, snapshots=snapshots)
    return problem, control(problem)


def states(decisions):
    return {k: (d.state, d.reason) for k, d in decisions.items()}


def release_of(problem, decisions, previous) -> Release:
    """What an attacker reads: fresh counts, held cells at their earlier count, hidden None."""
    release = Release(problem.min_cell_size)
    for key, cell in problem.cells.items():
        decision = decisions[key]
        if decision.state == "fresh":
            release.cell((key,), cell.n)
        elif decision.state == "held":
            release.cell((key,), previous[key].n_shown, held=True)
        else:
            release.cell((key,), None)
    for p in problem.partitions:
        release.equations.append(("breakdown", (p.parent,), [(c,) for c in p.children]))
    return release


# issue 8, within one release


def test_pooled_small_cohorts_cannot_be_subtracted_from_the_total():
    """Cohorts of 3, 4, 20 and 25 linked people: hiding the two small ones is not enough
    (total minus the two visible ones = 7 people); a third cohort is hidden."""
    problem, decisions = tree({"North": {"a": 3, "b": 4}, "South": {"c": 20, "d": 25}})
    got = states(decisions)
    assert got["a"] == got["b"] == ("hidden", TOO_FEW)
    assert got["c"] == ("hidden", SECONDARY)
    assert got["d"] == got["P"] == ("fresh", None)
    assert got["North"] == ("hidden", TOO_FEW)
    assert got["South"] == ("hidden", SECONDARY)
    assert within(release_of(problem, decisions, {})) == []


def test_a_cohort_hidden_to_protect_another_says_so():
    """A cohort of 12 hidden only so that a cohort of 4 cannot be worked out is not labelled
    'too few people'."""
    _, decisions = tree({"s": {"small": 4, "twelve": 12, "big": 40}})
    assert states(decisions)["twelve"] == ("hidden", SECONDARY)
    assert states(decisions)["small"] == ("hidden", TOO_FEW)


def test_two_and_three_unlinked_people_cannot_be_subtracted():
    """All responses at a wave minus the linked ones would give the 2 (and 3) people who
    answered only once: one side of each such pair is hidden."""
    cells = {
        "P": Cell("P", 45, priority=9),
        "Presp": Cell("Presp", 50, priority=3),
        "c": Cell("c", 20, priority=5),
        "d": Cell("d", 25, priority=5),
        "Cresp": Cell("Cresp", 22, priority=1),
        "Dresp": Cell("Dresp", 28, priority=1),
        "P_unlinked": Cell("P_unlinked", 5, virtual=True),
        "c_unlinked": Cell("c_unlinked", 2, virtual=True),
        "d_unlinked": Cell("d_unlinked", 3, virtual=True),
    }
    partitions = [
        Partition("P", ("c", "d"), "cohorts"),
        Partition("Presp", ("Cresp", "Dresp"), "cohorts"),
        Partition("Presp", ("P", "P_unlinked"), "linked"),
        Partition("Cresp", ("c", "c_unlinked"), "linked"),
        Partition("Dresp", ("d", "d_unlinked"), "linked"),
    ]
    problem = Problem(cells, partitions, {}, K)
    decisions = control(problem)
    got = states(decisions)
    assert got["P"][0] == got["c"][0] == got["d"][0] == "fresh"  # the linked are kept
    assert got["Cresp"][0] == got["Dresp"][0] == got["Presp"][0] == "hidden"
    assert within(release_of(problem, decisions, {})) == []


def test_zero_may_be_shown_and_never_protects():
    _, decisions = tree({"s": {"none": 0, "small": 3, "big": 40, "other": 30}})
    got = states(decisions)
    assert got["none"] == ("fresh", None)
    assert got["other"] == ("hidden", SECONDARY)


def test_a_share_of_a_hidden_row_is_hidden_with_it():
    cells = {"row": Cell("row", 6), "up": Cell("up", 0), "same": Cell("same", 6)}
    attached = {"up": "row", "same": "row"}
    problem = Problem(cells, [Partition("row", ("up", "same"))], {}, K, attached)
    assert {k: d.state for k, d in control(problem).items()} == dict.fromkeys(cells, "hidden")


# across releases


def test_a_small_groups_follow_up_between_releases_is_held_back():
    """The programme's follow-up total would move by the 6 people of a small cohort: it keeps
    its earlier values until enough people arrive."""
    first, decisions = tree({"s": {"a": 20, "b": 25}})
    previous = ledger(first, decisions)
    second, later = tree({"s": {"a": 20, "b": 25, "late": 6}}, previous)
    got = states(later)
    assert got["late"] == ("hidden", TOO_FEW)
    assert got["P"] == ("held", HELD) and got["s"] == ("held", HELD)
    releases = [release_of(first, decisions, {}), release_of(second, later, previous[0])]
    assert across(*releases) == []
    _third, last = tree({"s": {"a": 20, "b": 25, "late": 12}}, ledger(second, later))
    assert states(last)["P"] == ("fresh", None)  # 12 new people since the values were set


def test_an_earlier_complement_is_never_filled_in():
    """A cohort published in one release cannot serve as the complement of a small one in the
    next (its earlier values would fill it in), nor a hidden complement be shown unchanged."""
    first, decisions = tree({"s": {"a": 30, "b": 40}})
    previous = ledger(first, decisions)
    second, later = tree({"s": {"a": 30, "b": 40, "new": 4, "other": 25}}, previous)
    got = states(later)
    assert got["a"][0] == got["b"][0] == "held"  # unchanged: not usable as a complement
    assert got["other"] == ("hidden", SECONDARY)
    releases = [release_of(first, decisions, {}), release_of(second, later, previous[0])]
    assert within(releases[1]) == [] and across(*releases) == []


def test_a_hidden_remainder_growing_by_a_few_people_is_noticed():
    """Cohorts of 3 and 15 hidden together; two people join the small one while a large new
    cohort arrives: total minus the shown parts grows by 2 between releases unless more is
    hidden."""
    first, decisions = tree({"s": {"x": 3, "y": 15, "z": 40}})
    previous = ledger(first, decisions)
    second, later = tree({"s": {"x": 5, "y": 15, "z": 40, "w": 30}}, previous)
    releases = [release_of(first, decisions, {}), release_of(second, later, previous[0])]
    assert across(*releases) == [] and within(releases[1]) == []


def test_a_hidden_cell_needs_enough_new_people_to_appear():
    first, decisions = tree({"s": {"x": 6, "y": 30, "z": 40}})
    assert states(decisions)["x"] == ("hidden", TOO_FEW)
    second, later = tree({"s": {"x": 14, "y": 30, "z": 40}}, ledger(first, decisions))
    assert states(later)["x"] == ("hidden", HELD)  # 14 people, but only 8 new
    _third, last = tree({"s": {"x": 16, "y": 30, "z": 40}}, ledger(second, later))
    assert states(last)["x"][0] != "hidden" or states(last)["x"][1] != TOO_FEW


def test_counts_sealed_with_another_key_keep_hidden_cells_hidden():
    first, decisions = tree({"s": {"x": 6, "y": 30, "z": 40}})
    previous, snapshots = ledger(first, decisions)
    unreadable = {
        k: Previous(p.state, p.n_shown if p.state == "shown" else None, p.values)
        for k, p in previous.items()
    }
    sealed = {k: dict.fromkeys(s, (None, None, 0)) for k, s in snapshots.items()}
    _, later = tree({"s": {"x": 60, "y": 30, "z": 40}}, (unreadable, sealed))
    assert states(later)["x"][0] == "hidden"


# randomized audit


@pytest.mark.parametrize("seed", range(60))
def test_random_release_sequences_recover_no_group(seed):
    """Random programmes of sites and cohorts, linked and unlinked people arriving over three
    releases: no group of 1..k-1 people (one cohort's newcomers of one release, a window of
    releases, a remainder, any two of them together) is a linear combination of everything
    published in all releases (held numbers as of the release they date from)."""
    assert attack_nested(seed, releases=3) == [], seed
