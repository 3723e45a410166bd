"""The extract's numbers, for test_browser.py: what the Overview's headline metrics must say
for a programme or a site, and the programmes and sites to try."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from tests.dashboard.browser_pages import metrics


def half_up(value: float) -> int:
    return int(Decimal(repr(value * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def expected_headlines(extract: Path, programme: str, site: str | None) -> dict[str, str]:
    """What the Overview's metrics must say for a group, read straight from the extract:
    'Reached' and 'Retained: <wave label>' -> '1,234', '176 · 87%' or 'hidden'."""
    level = "programme" if site is None else "site"
    con = duckdb.connect(str(extract), read_only=True)
    try:
        rows = con.execute(
            """
            select r.measure, r.wave_order, w.label, r.n, r.retention, r.hidden_reason, r.note
            from reach as r join waves as w using (wave_id)
            where r.programme_id = ? and r.level = ? and (r.site = ? or ? is null)
            order by r.wave_order
            """,
            [programme, level, site, site],
        ).fetchall()
    finally:
        con.close()
    out = {}
    for measure, order, label, n, retention, hidden, _note in rows:
        if measure == "responses" and order != 0:
            continue
        name = "Reached" if measure == "responses" else f"Retained: {label}"
        if hidden:
            value = "hidden"
        else:
            # a held value's "as of an earlier update" is the note under it, not part of it
            value = f"{n:,}" + (f" · {half_up(retention)}%" if retention is not None else "")
        out[name] = value
    return out


def assert_headlines(page, extract: Path, programme: str, site: str | None) -> None:
    shown = metrics(page)
    waited = 0
    while not shown and waited < 15_000:  # a busy machine may still be drawing the metrics
        page.wait_for_timeout(250)
        waited += 250
        shown = metrics(page)
    expected = expected_headlines(extract, programme, site)
    assert expected, f"no reach rows for {programme}/{site}"
    for label, value in expected.items():
        assert label in shown, f"{programme}/{site}: no metric {label!r} in {shown}"
        if value == "hidden":
            assert shown[label] == "hidden", (programme, site, label, shown[label])
        else:
            assert shown[label] == value, (programme, site, label, shown[label], value)


def programmes_and_sites(extract: Path) -> list[tuple[str, str, list[str]]]:
    con = duckdb.connect(str(extract), read_only=True)
    try:
        programmes = con.execute(
            "select programme_id, name from programmes order by name"
        ).fetchall()
        out = []
        for pid, name in programmes:
            sites = [
                r[0]
                for r in con.execute(
                    "select distinct site from cohorts where programme_id = ? order by site", [pid]
                ).fetchall()
            ]
            out.append((pid, name, sites))
    finally:
        con.close()
    return out
