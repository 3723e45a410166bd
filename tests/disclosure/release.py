"""A published dashboard extract as an attacker reads it, from the extract's tables alone
(docs/extract.md), not from the pipeline's own list of breakdowns.

`read_release` turns an extract into counts per published cell and the equations that link
them: every total = the sum of its breakdown (programme = sites = cohorts = attribute values,
site = its cohorts, answers = all, reasons = all, statuses = responses, improved + unchanged +
deteriorated = pairs), and every nested pair (all responses = linked + the rest, baseline =
completers + drop-outs, baseline -> follow-up pairs = post -> follow-up pairs + the rest).
The attacks on it are in attacker.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.disclosure import HELD

Key = tuple


@dataclass
class Release:
    """Per published cell: its count now (None = hidden, or held: its current count is not
    published), the number shown (a held cell shows an earlier count), its values; and the
    equations between cells."""

    k: int
    n: dict[Key, int | None] = field(default_factory=dict)
    shown: dict[Key, int] = field(default_factory=dict)
    values: dict[Key, dict] = field(default_factory=dict)
    equations: list[tuple[str, Key, list[Key]]] = field(default_factory=list)

    def cell(self, key: Key, n: int | None, values: dict | None = None, held: bool = False) -> None:
        n = None if n is None or n != n else int(n)  # n != n: NaN
        self.n[key] = None if held else n
        if n is not None:
            self.shown[key] = n
        if values is not None:
            self.values[key] = values

    def total(self, name: str, total: Key, parts: list[Key]) -> None:
        parts = [p for p in parts if p in self.n]
        if total in self.n and parts:
            self.equations.append((name, total, parts))

    def nested(self, name: str, total: Key, part: Key) -> None:
        """total = part + a remainder nobody publishes (unless a table does: drop-outs)."""
        if total in self.n and part in self.n:
            rest = ("rest", name, total, part)
            self.n.setdefault(rest, None)
            self.equations.append((name, total, [part, rest]))


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    cursor = con.execute(f"select * from {table}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_release(path: Path) -> Release:
    with duckdb.connect(str(path), read_only=True) as con:
        k = int(dict(con.execute("select key, value from meta").fetchall())["min_cell_size"])
        release = Release(k)
        _reach(release, _rows(con, "reach"), _rows(con, "linkage_quality"))
        paired = _rows(con, "paired_stats")
        _paired(release, paired)
        _means(release, _rows(con, "wave_means"), _rows(con, "attrition"), paired)
        _items(release, _rows(con, "item_distributions"))
        _quality(release, _rows(con, "data_quality"))
        for row in _rows(con, "reliability"):
            key = ("complete", row["programme_id"], row["scale_id"], row["wave_id"])
            release.cell(key, row["n_complete"], {"alpha": row["alpha"]}, bool(row["note"]))
    return release


def _reach(release: Release, reach: list[dict], linkage: list[dict]) -> None:
    def key(row: dict, measure: str | None = None, wave: str | None = None) -> Key:
        return (
            "reach",
            row["level"],
            row["programme_id"],
            row["site"],
            row["cohort_id"],
            wave or row["wave_id"],
            measure or row["measure"],
        )

    base = {r["wave_id"] for r in reach if r["wave_order"] == 0}
    for row in reach:
        release.cell(key(row), row["n"], {"n": row["n"]}, bool(row["note"]))
    for row in reach:
        if row["level"] == "programme":
            same = [
                r
                for r in reach
                if r["programme_id"] == row["programme_id"]
                and r["wave_id"] == row["wave_id"]
                and r["measure"] == row["measure"]
            ]
            release.total("sites", key(row), [key(r) for r in same if r["level"] == "site"])
            release.total("cohorts", key(row), [key(r) for r in same if r["level"] == "cohort"])
        if row["level"] == "site":
            cohorts = [
                r
                for r in reach
                if r["level"] == "cohort"
                and r["site"] == row["site"]
                and r["programme_id"] == row["programme_id"]
                and r["wave_id"] == row["wave_id"]
                and r["measure"] == row["measure"]
            ]
            release.total("site cohorts", key(row), [key(r) for r in cohorts])
        if row["measure"] == "linked":
            release.nested("unlinked", key(row, "responses"), key(row))
            for wave in base:
                release.nested(
                    f"not retained {row['wave_id']}", key(row, "responses", wave), key(row)
                )
    by_status: dict[tuple, dict[str, dict]] = {}
    for row in linkage:
        by_status.setdefault((row["programme_id"], row["wave_id"]), {})[row["link_status"]] = row
    for (programme, wave), statuses in by_status.items():
        responses = ("reach", "programme", programme, None, None, wave, "responses")
        linked = ("reach", "programme", programme, None, None, wave, "linked")
        assert statuses["all_responses"]["n"] == release.shown.get(responses)
        assert statuses["linked"]["n"] == release.shown.get(linked)
        parts = {s: ("link", programme, wave, s) for s in statuses}
        for status, row in statuses.items():
            if status not in ("all_responses", "linked"):
                release.cell(parts[status], row["n"], {"n": row["n"]}, bool(row["note"]))
        others = [s for s in statuses if s not in ("all_responses", "linked")]
        release.total("statuses", responses, [parts[s] for s in others])
        matched = [parts[s] for s in ("participant_id", "exact", "one_element") if s in parts]
        release.total("match types", linked, matched)


def pairs_key(row: dict, from_wave: str | None = None, to_wave: str | None = None) -> Key:
    return (
        "pairs",
        row["level"],
        row["programme_id"],
        row["site"],
        row["cohort_id"],
        row["attribute"],
        row["attribute_value"],
        row["instrument_id"],
        row["scale_id"],
        from_wave or row["from_wave"],
        to_wave or row["to_wave"],
    )


STATISTICS = ("mean_from", "mean_to", "sd_from", "sd_to", "mean_improvement", "d_z")


def _paired(release: Release, paired: list[dict]) -> None:
    for row in paired:
        held = bool(row["note"])
        release.cell(pairs_key(row), row["n_pairs"], {s: row[s] for s in STATISTICS}, held)
        shares = []
        for outcome in ("improved", "unchanged", "deteriorated"):
            share, n = row[f"share_reliably_{outcome}"], row["n_pairs"]
            key = ("share", pairs_key(row), outcome)
            if row["reliability_source"] == "unavailable" and n is not None:
                continue
            shares_held = held or row["reliable_change_note"] == HELD
            count = None if share is None or n is None else round(share * n)
            release.cell(key, count, held=shares_held)
            shares.append(key)
        release.total("reliable change", pairs_key(row), shares)
    slices: dict[tuple, list[dict]] = {}
    for row in paired:
        slot = (
            row["programme_id"],
            row["instrument_id"],
            row["scale_id"],
            row["from_wave"],
            row["to_wave"],
        )
        slices.setdefault(slot, []).append(row)
    for rows in slices.values():
        top = [r for r in rows if r["level"] == "programme"]
        sites = [r for r in rows if r["level"] == "site"]
        cohorts = [r for r in rows if r["level"] == "cohort"]
        if top:
            release.total("sites", pairs_key(top[0]), [pairs_key(r) for r in sites])
            release.total("cohorts", pairs_key(top[0]), [pairs_key(r) for r in cohorts])
            for attribute in {r["attribute"] for r in rows if r["level"] == "attribute"}:
                values = [r for r in rows if r["attribute"] == attribute]
                release.total(attribute, pairs_key(top[0]), [pairs_key(r) for r in values])
        for site in sites:
            within = [r for r in cohorts if r["site"] == site["site"]]
            release.total("site cohorts", pairs_key(site), [pairs_key(r) for r in within])
    baseline = {r["from_wave"] for r in paired if r["is_from_baseline"]}
    for row in paired:
        if row["is_from_baseline"]:
            continue
        for base in baseline:
            for wave in (row["from_wave"], row["to_wave"]):
                release.nested("nested comparison", pairs_key(row, base, wave), pairs_key(row))


def _means(release: Release, means: list[dict], attrition: list[dict], paired: list[dict]) -> None:
    def key(programme: str, instrument: str, scale: str, wave: str) -> Key:
        return ("scored", programme, instrument, scale, wave)

    for row in means:
        key_ = key(row["programme_id"], row["instrument_id"], row["scale_id"], row["wave_id"])
        values = {"mean": row["mean"], "sd": row["sd"]}
        release.cell(key_, row["n"], values, bool(row["note"]))
    for row in paired:
        if row["level"] != "programme" or not row["is_from_baseline"]:
            continue
        slot = (row["programme_id"], row["instrument_id"], row["scale_id"])
        release.nested("all vs linked", key(*slot, row["to_wave"]), pairs_key(row))
    for row in attrition:
        slot = (row["programme_id"], row["instrument_id"], row["scale_id"])
        pairs = (
            "pairs",
            "programme",
            row["programme_id"],
            None,
            None,
            None,
            None,
            row["instrument_id"],
            row["scale_id"],
            row["from_wave"],
            row["to_wave"],
        )
        dropouts = ("dropouts", *slot, row["to_wave"])
        values = {"mean": row["mean_dropouts"]}
        release.cell(dropouts, row["n_dropouts"], values, bool(row["note"]))
        if row["n_completers"] is not None:
            assert row["n_completers"] == release.shown.get(pairs)
        release.total("drop-outs", key(*slot, row["from_wave"]), [pairs, dropouts])


def _items(release: Release, items: list[dict]) -> None:
    groups: dict[tuple, list[dict]] = {}
    for row in items:
        groups.setdefault((row["programme_id"], row["item_id"], row["wave_id"]), []).append(row)
    for slot, rows in groups.items():
        for row in rows:
            key = ("answers", *slot, row["answer"])
            release.cell(key, row["n"], {"n": row["n"]}, bool(row["note"]))
        parts = [("answers", *slot, r["answer"]) for r in rows if r["answer"] != "all"]
        release.total("answers", ("answers", *slot, "all"), parts)


def _quality(release: Release, quality: list[dict]) -> None:
    groups: dict[tuple, list[dict]] = {}
    for row in quality:
        groups.setdefault((row["programme_id"], row["wave_id"], row["measure"]), []).append(row)
    for slot, rows in groups.items():
        for row in rows:
            key = ("records", *slot, row["reason"])
            release.cell(key, row["n_records"], held=bool(row["note"]))
        parts = [("records", *slot, r["reason"]) for r in rows if r["reason"] != "all"]
        release.total("reasons", ("records", *slot, "all"), parts)
