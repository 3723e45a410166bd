"""The exact audit over "atoms", for simulated releases whose true composition is known:
people grouped by cell membership and arrival release, every published number a row over them,
a group recovered when its indicator is in their row space (floating point, independently of
the engine's exact rational algebra)."""

from __future__ import annotations

import numpy as np

Key = tuple


class Atoms:
    """People as atoms: every group of people who share the same membership of every cell and
    arrived in the same release. A published number is the sum of the atoms of its cell that
    had arrived by the release its values date from; the attacker knows every linear
    combination of published numbers (over all releases), and a group is recovered when its
    indicator over the atoms is one of them (`recovered`)."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.sizes: dict[Key, int] = {}
        self.rows: list[dict[Key, float]] = []

    def atom(self, key: Key, size: int) -> None:
        self.sizes[key] = size

    def publish(self, atoms: list[Key]) -> None:
        """A published count (fresh, or held: the atoms as of its basis)."""
        self.rows.append(dict.fromkeys(atoms, 1.0))

    def recovered(self, groups: list[list[Key]]) -> list[tuple[list[Key], int]]:
        """The groups of 1..k-1 people among `groups` the published numbers determine: a
        group is determined when its indicator vector has no component in the null space of
        the published rows (floating point, tolerance 1e-8 on entries of order 1)."""
        if not self.rows:
            return []
        rows = {tuple(sorted(row, key=repr)) for row in self.rows}  # a repeat adds nothing
        in_groups = {g for group in groups for g in group}
        atoms = sorted(in_groups | {a for row in rows for a in row}, key=repr)
        index = {a: i for i, a in enumerate(atoms)}
        a = np.zeros((len(rows), len(atoms)))
        for r, row in enumerate(rows):
            for atom in row:
                a[r, index[atom]] = 1.0
        small_groups = [
            (group, size)
            for group in groups
            if 0 < (size := sum(self.sizes[g] for g in group)) < self.k
        ]
        if not small_groups:
            return []
        reduced, pivots = row_echelon(a)
        vectors = np.zeros((len(small_groups), len(atoms)))
        for i, (group, _) in enumerate(small_groups):
            for g in group:
                vectors[i, index[g]] = 1.0
        residual = vectors - vectors[:, pivots] @ reduced if pivots else vectors
        worst = np.abs(residual).max(axis=1)
        return [found for found, r in zip(small_groups, worst, strict=True) if r <= 1e-8]


def row_echelon(a: np.ndarray, tolerance: float = 1e-9) -> tuple[np.ndarray, list[int]]:
    """The reduced row echelon form of `a` (its non-zero rows) and the pivot columns, by
    Gauss-Jordan elimination with partial pivoting in floating point: a vector v lies in the
    row space exactly when v minus v's pivot entries times those rows is zero. (Elementwise
    numpy only: LAPACK's SVD is very slow on a machine whose cores are all busy.)"""
    a = a.astype(float).copy()
    pivots: list[int] = []
    row = 0
    for column in range(a.shape[1]):
        if row == a.shape[0]:
            break
        best = row + int(np.argmax(np.abs(a[row:, column])))
        if abs(a[best, column]) <= tolerance:
            continue
        a[[row, best]] = a[[best, row]]
        a[row] /= a[row, column]
        others = np.abs(a[:, column]) > 0
        others[row] = False
        a[others] -= np.outer(a[others, column], a[row])
        pivots.append(column)
        row += 1
    return a[:row], pivots
