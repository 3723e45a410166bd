"""The pipeline's published linkage rules: exact codes first, then codes one element apart
that are unique on both sides.
"""

from __future__ import annotations

from collections import Counter

from .rules import Outcome
from .settings import BASELINE


def links(outcomes: dict[str, list[Outcome]]) -> dict[str, list[tuple[int, int, str]]]:
    """Per later wave, (baseline row, wave row, match type) of every pair the pipeline's
    published linkage rules link (README "Linkage"), in baseline order. Loaded responses of
    the same cohort, one to one: first the same normalised SGIC code ("exact"); then, among
    the rows still unlinked, codes sharing exactly one leave-one-element-out variant
    ("one_element"), unless the wave row's exact code is held at another later wave by a row
    linked to another baseline row (or the baseline row is linked there to another row). At
    each stage only pairs that are each other's only candidate link."""
    pre = {n: o for n, o in enumerate(outcomes[BASELINE]) if o.status == "loaded"}
    later = {
        w: {n: o for n, o in enumerate(rows) if o.status == "loaded"}
        for w, rows in outcomes.items()
        if w != BASELINE
    }
    exact = {
        w: unique_pairs(
            {
                (a, b): 1
                for a, x in pre.items()
                for b, y in rows.items()
                if x.code and x.cohort == y.cohort and x.code == y.code
            }
        )
        for w, rows in later.items()
    }
    found = {w: [(a, b, "exact") for a, b in pairs] for w, pairs in exact.items()}
    for w, rows in later.items():
        linked_a, linked_b = {a for a, _ in exact[w]}, {b for _, b in exact[w]}
        by_variant: dict[tuple, list[int]] = {}
        for b, y in rows.items():
            if b not in linked_b:
                for variant in y.variants:
                    by_variant.setdefault((y.cohort, variant), []).append(b)
        shared: Counter = Counter()
        for a, x in pre.items():
            if a not in linked_a:
                for variant in x.variants:
                    for b in by_variant.get((x.cohort, variant), []):
                        shared[(a, b)] += 1
        found[w] += [
            (a, b, "one_element")
            for a, b in unique_pairs(shared)
            if shared[(a, b)] == 1 and not held_elsewhere(a, rows[b], w, later, exact)
        ]
    return {w: sorted(pairs) for w, pairs in found.items()}


def held_elsewhere(
    a: int,
    row: Outcome,
    wave: str,
    later: dict[str, dict[int, Outcome]],
    exact: dict[str, list[tuple[int, int]]],
) -> bool:
    """True when a row with the same code at another later wave is linked to another baseline
    row, or baseline row `a` is linked at that wave to another row: the code is someone
    else's, not a typo of `a`'s."""
    for other, rows in later.items():
        if other == wave or not row.code:
            continue
        twins = [t for t, o in rows.items() if o.cohort == row.cohort and o.code == row.code]
        for twin in twins:
            for x, t in exact[other]:
                if (x == a and t != twin) or (t == twin and x != a):
                    return True
    return False


def unique_pairs(candidates: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """Candidate pairs whose two rows have no other candidate."""
    from_a = Counter(a for a, _ in candidates)
    from_b = Counter(b for _, b in candidates)
    return [(a, b) for a, b in candidates if from_a[a] == 1 and from_b[b] == 1]
