"""Exact linear algebra for the disclosure audit: which combinations of cell counts a set of
published counts and declared breakdowns determines.

One release is a linear system: a variable per cell (its count of people), one equation per
breakdown (total - parts = 0), and the published cells' values known. Moving the known values
to the right-hand side leaves a matrix A over the unknown cells; a combination v of unknown
counts is determined exactly when v lies in the row space of A (Hundepool et al. 2012, 4.3:
an attacker solves the published table's equations). We reduce A to reduced row echelon form
(RREF) over the rationals, so every cell gets a *signature*: its coordinates modulo the row
space, over the free (non-pivot) unknowns. A combination is determined exactly when the
signatures of its cells, with its coefficients, add up to zero; a cell is determined when its
own signature is empty.

Arithmetic is exact (Python integers, `fractions.Fraction` only when a pivot is not +-1), so
there is no tolerance to choose: a floating-point rank test with a threshold could call a
nearly-dependent combination determined or not by rounding. The matrices are small once split
into connected groups of unknowns (a few hundred columns at most on the sample), and pivots of
+-1 keep almost everything in integers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction

from pipeline.disclosure.model import Partition

Number = int | Fraction
Signature = tuple[tuple[str, Number], ...]  # sorted (free unknown, coefficient); () = known
Row = dict[str, Number]


def equations(partitions: Iterable[Partition], known: set[str]) -> list[Row]:
    """Each breakdown as total - parts = (known values), restricted to its unknown cells."""
    rows = []
    for partition in partitions:
        row: Row = {}
        for cell, sign in [(partition.parent, 1), *((c, -1) for c in partition.children)]:
            if cell not in known:
                row[cell] = row.get(cell, 0) + sign
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
    return rows


def _subtract(row: Row, factor: Number, other: Row) -> None:
    """row -= factor * other, in place, dropping zeros."""
    for cell, value in other.items():
        updated = row.get(cell, 0) - factor * value
        if updated:
            row[cell] = updated
        else:
            row.pop(cell, None)


def _rref(rows: list[Row], order: dict[str, int]) -> dict[str, Row]:
    """Pivot cell -> its row of the reduced row echelon form (pivot coefficient 1, no other
    pivot in it). Pivots are chosen with coefficient +-1 where possible (stays integral), then
    the first cell in `order` (deterministic)."""
    pivots: dict[str, Row] = {}
    containing: dict[str, set[str]] = defaultdict(set)  # free cell -> pivot rows holding it
    for original in rows:
        row = dict(original)
        for cell in [c for c in row if c in pivots]:
            if cell in row:
                _subtract(row, row[cell], pivots[cell])
        if not row:
            continue
        units = [c for c, v in row.items() if v in (1, -1)]
        pivot = min(units or row, key=order.__getitem__)
        scale = row[pivot]
        if scale in (1, -1):
            row = {c: v * scale for c, v in row.items()}
        else:
            row = {c: Fraction(v) / scale for c, v in row.items()}
        for holder in list(containing.pop(pivot, ())):
            before = set(pivots[holder])
            _subtract(pivots[holder], pivots[holder][pivot], row)
            for cell in before - set(pivots[holder]):
                containing[cell].discard(holder)
            for cell in set(pivots[holder]) - before:
                containing[cell].add(holder)
        pivots[pivot] = row
        for cell in row:
            if cell != pivot:
                containing[cell].add(pivot)
    return pivots


def signatures(cells: Iterable[str], known: set[str], partitions: list[Partition]) -> dict:
    """The signature of every cell: () when its count is determined (known, or solved from
    the equations), else its coordinates over the free unknowns modulo the row space."""
    cells = list(cells)
    order = {c: i for i, c in enumerate(cells)}
    rows = equations(partitions, known)
    parent: dict[str, str] = {}

    def find(cell: str) -> str:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for row in rows:
        first, *others = row
        for other in others:
            parent[find(other)] = find(first)
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[find(next(iter(row)))].append(row)
    result: dict[str, Signature] = {c: () for c in cells if c in known}
    for group in groups.values():
        pivots = _rref(group, order)
        for cell in {c for row in group for c in row}:
            if cell in pivots:
                result[cell] = tuple(
                    sorted(((c, -v) for c, v in pivots[cell].items() if c != cell), key=_first)
                )
            else:
                result[cell] = ((cell, 1),)
    for cell in cells:  # unknown and in no equation: free
        result.setdefault(cell, ((cell, 1),))
    return result


def _first(item: tuple[str, Number]) -> str:
    return item[0]


def combine(terms: Iterable[tuple[Signature, int]]) -> Row:
    """The signature of sum(coefficient x cell) as a dict (empty: determined)."""
    total: Row = {}
    for signature, coefficient in terms:
        for cell, value in signature:
            updated = total.get(cell, 0) + coefficient * value
            if updated:
                total[cell] = updated
            else:
                total.pop(cell)
    return total


def normalised(signature: Signature) -> tuple[Signature, int]:
    """The signature up to sign (first coefficient positive), and the sign taken out: two
    cells whose normalised signatures are equal have a determined sum or difference."""
    if signature and signature[0][1] < 0:
        return tuple((c, -v) for c, v in signature), -1
    return signature, 1
