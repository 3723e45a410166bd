"""An attacker holding published dashboard extracts (read by release.py, from the
extract's tables alone).

- `within` solves a release's equations by linear algebra: every hidden count (or
  never-published remainder) that the published counts determine, and every "total minus
  its published parts".
- `across` subtracts two releases: every count published (or determined) in both, the
  remainders of the same breakdown in both, and hidden cells filled in from the other release.

A finding is any number it can work out that describes 1..k-1 people. (Remainders that mix
parts held at an earlier count are mixtures of groups, not a group; the exact audit of such
mixtures is `Atoms`, used on the engine in test_engine.py.) Counts only: a
statistic (a mean, an SD) of a group can be worked out only together with its count (sums
need n), so a protected count protects the statistics too; `same_values` also checks that a
count unchanged between releases comes with unchanged statistics.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
from scipy.linalg import null_space

from tests.disclosure.atoms import Atoms, row_echelon  # noqa: F401  (re-exported)
from tests.disclosure.release import Key, Release, read_release  # noqa: F401  (re-exported)


def small(value: float, k: int) -> bool:
    """A number describing 1..k-1 people."""
    return 0.5 <= abs(value) < k - 0.5


def solve(release: Release) -> dict[Key, int]:
    """Every unknown count that the release's equations, all together, determine (linear
    algebra: an unknown is determined when no solution of the homogeneous system moves it),
    one connected group of equations at a time."""
    equations = []
    for _name, total, parts in release.equations:
        terms: dict[Key, float] = {}
        value = 0.0
        for cell, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if release.n.get(cell) is None:
                terms[cell] = terms.get(cell, 0.0) + sign
            else:
                value -= sign * release.n[cell]
        if any(terms.values()):
            equations.append((terms, value))
    parent: dict[Key, Key] = {}

    def find(cell: Key) -> Key:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for terms, _ in equations:
        first, *others = terms
        for other in others:
            parent[find(other)] = find(first)
    groups: dict[Key, list[tuple[dict, float]]] = {}
    for terms, value in equations:
        groups.setdefault(find(next(iter(terms))), []).append((terms, value))
    determined: dict[Key, int] = {}
    for group in groups.values():
        unknown = sorted({c for terms, _ in group for c in terms}, key=repr)
        index = {c: i for i, c in enumerate(unknown)}
        a = np.zeros((len(group), len(unknown)))
        b = np.zeros(len(group))
        for row, (terms, value) in enumerate(group):
            for cell, coefficient in terms.items():
                a[row, index[cell]] = coefficient
            b[row] = value
        solution = np.linalg.lstsq(a, b, rcond=None)[0]
        free = null_space(a)
        for cell, i in index.items():
            if free.size == 0 or np.allclose(free[i], 0, atol=1e-8):
                determined[cell] = round(float(solution[i]))
    return determined


def within(release: Release) -> list[str]:
    """Findings of subtraction within one release: a hidden (or held) count the equations
    determine, a held count whose current value they determine, and every published total
    minus its published parts (held parts at the earlier value they show)."""
    findings = []
    determined = solve(release)
    for cell, value in determined.items():
        if small(value, release.k):
            findings.append(f"determined {cell} = {value}")
        if cell in release.shown and small(value - release.shown[cell], release.k):
            findings.append(f"determined the newcomers of held {cell}: {value}")
    for name, total, parts in release.equations:
        if release.n.get(total) is None:
            continue
        unknown = [p for p in parts if release.n.get(p) is None and p not in determined]
        if not unknown:
            continue
        known = {
            p: release.n[p] if release.n.get(p) is not None else determined[p]
            for p in parts
            if p not in unknown
        }
        remainder = release.n[total] - sum(known.values())
        if small(remainder, release.k):
            findings.append(f"{name}: {total} minus its known parts = {remainder}")
        held = [p for p in unknown if p in release.shown]
        if held:
            with_held = remainder - sum(release.shown[p] for p in held)
            if small(with_held, release.k):
                findings.append(
                    f"{name}: {total} minus its parts, held ones as shown = {with_held}"
                )
    return findings


def known_counts(release: Release) -> dict[Key, int]:
    """Current counts the attacker knows: published fresh, or determined."""
    counts = {c: n for c, n in release.n.items() if n is not None}
    counts.update(solve(release))
    return counts


def across(first: Release, second: Release) -> list[str]:
    """Findings of subtracting two releases: counts known (shown, or determined) in both, the
    hidden remainder of a breakdown in both, hidden parts filled in from the earlier release."""
    k = second.k
    findings = []
    one, two = known_counts(first), known_counts(second)
    shown_one = {**first.shown, **one}
    shown_two = {**second.shown, **two}
    for cell in shown_one.keys() & shown_two.keys():
        if small(shown_two[cell] - shown_one[cell], k):
            findings.append(f"{cell}: {shown_one[cell]} then {shown_two[cell]}")
    for cell in first.values.keys() & second.values.keys():
        same_n = first.shown.get(cell) is not None and first.shown.get(cell) == second.shown.get(
            cell
        )
        if same_n and not same_values(first.values[cell], second.values[cell]):
            findings.append(f"{cell}: same n, different statistics")
    first_equations = {(name, total): parts for name, total, parts in first.equations}
    for name, total, parts in second.equations:
        before = first_equations.get((name, total))
        if before is None or total not in one or total not in two:
            continue
        remainder_now = two[total] - sum(shown_two[p] for p in parts if p in shown_two)
        hidden_now = [p for p in parts if p not in shown_two]
        filled = [p for p in hidden_now if p in shown_one]
        if filled and small(remainder_now - sum(shown_one[p] for p in filled), k):
            findings.append(f"{name}: {total} with hidden parts filled in from before")
        hidden_then = [p for p in before if p not in shown_one]
        held = [p for p in (*parts, *before) if p in first.shown and p not in one] + [
            p for p in parts if p in second.shown and p not in two
        ]
        if hidden_now and hidden_now == hidden_then and not held:
            then = one[total] - sum(shown_one[p] for p in before if p in shown_one)
            if small(remainder_now - then, k):
                findings.append(f"{name}: {total} hidden remainder moved by {remainder_now - then}")
    return findings


def same_values(a: dict, b: dict) -> bool:
    for name, value in a.items():
        other = b.get(name)
        if value is None or other is None:
            if value is not other:
                return False
        elif abs(value - other) > 1e-9 * max(1.0, abs(value)):
            return False
    return True


# sweep

NOT_PEOPLE = {
    ("programmes", "n_cohorts"),
    ("programmes", "n_sites"),
    ("reliability", "n_items"),
    ("cohort_meta", "n_cohorts"),
    ("cohort_meta", "k_cohorts_shown"),
    ("cohort_meta", "k_cohorts_pooled"),
    ("cohort_meta", "trend_k"),
    ("cohort_meta", "q_df"),
    ("disclosure_summary", "n_cells"),
    ("items", "position"),
    ("answer_options", "answer_order"),
    ("item_distributions", "answer_order"),
}


def sweep(path: Path) -> list[str]:
    """Every integer of every table that counts people (or records) must be NULL, 0 or at
    least k; every share of the pairs must stand for 0 or at least k people; the ledger's
    published values likewise; a hidden row's statistics are NULL."""
    findings = []
    with duckdb.connect(str(path), read_only=True) as con:
        k = int(dict(con.execute("select key, value from meta").fetchall())["min_cell_size"])
        columns = con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where database_name = current_database()"
        ).fetchall()
        for table, column, kind in columns:
            if kind not in ("INTEGER", "BIGINT", "SMALLINT", "HUGEINT"):
                continue
            if (table, column) in NOT_PEOPLE or column.endswith("wave_order"):
                continue
            found = con.execute(
                f'select count(*) from "{table}" where "{column}" between 1 and ? - 1',
                [k],
            ).fetchone()[0]
            if found:
                findings.append(f"{table}.{column}: {found} value(s) between 1 and {k - 1}")
        for outcome in ("improved", "unchanged", "deteriorated"):
            found = con.execute(
                f"select count(*) from paired_stats where round(share_reliably_{outcome} "
                "* n_pairs) between 1 and ? - 1",
                [k],
            ).fetchone()[0]
            if found:
                findings.append(f"paired_stats.share_reliably_{outcome}: {found} small")
        for (values,) in con.execute(
            "select published_values from disclosure_ledger where published_values is not null "
            "and table_name not in ('(breakdown)', '(remainder)')"
        ).fetchall():
            for name, value in json.loads(values).items():
                is_count = name.startswith("n") and isinstance(value, int)
                if is_count and 1 <= value < k:
                    findings.append(f"disclosure_ledger.published_values {name} = {value}")
        for table, statistic in [
            ("paired_stats", "n_pairs"),
            ("paired_stats", "mean_improvement"),
            ("paired_stats", "d_z"),
            ("paired_stats", "share_reliably_improved"),
            ("wave_means", "mean"),
            ("reach", "n"),
            ("item_distributions", "n"),
            ("wave_comparison", "g_s"),
            ("attrition", "baseline_gap"),
            ("reliability", "alpha"),
            ("data_quality", "n_records"),
            ("linkage_quality", "n"),
        ]:
            leaked = con.execute(
                f"select count(*) from {table} where hidden_reason is not null "
                f"and {statistic} is not null"
            ).fetchone()[0]
            if leaked:
                findings.append(f"{table}.{statistic} shown on {leaked} hidden row(s)")
    return findings
