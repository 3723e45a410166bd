"""The ledger: what each release published, read back by the next release.

Every release writes one row per cell into its extract's `disclosure_ledger` table: the cell
key, whether it is shown or hidden, the n and values it shows (NULL when hidden), and three
counts the next release needs but nobody else may read (the n its values describe, the n
when its state was set, and its n in this release), **sealed**: XOR-ed with an HMAC-SHA256
keystream of the project key, the run id and the cell key, in fixed-width form, so the
extract never holds a small count in the clear and only a run holding the key can compare.
(The keystream is SHAKE-256 of an HMAC-SHA256 of the key, run id and cell key.)
The key's id is in `meta.ledger_key_id`; a ledger sealed with another key (or none) reads as
unknown counts, which disclosure control treats conservatively (hidden cells stay hidden).

The next release reads the previous extract (`<out>/dashboard.duckdb`, the current release,
before the swap) with `read_previous`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipeline.disclosure.model import Cell, Decision, Previous, Snapshot
from pipeline.keys import Key

LEDGER_TABLE = "disclosure_ledger"
BREAKDOWN = "(breakdown)"  # table_name of a breakdown's snapshot row
_WIDTH = 10  # digits per sealed count (sign included): fixed, so the length says nothing
_PURPOSE = "v1|disclosure-ledger|"


@dataclass(frozen=True)
class PreviousRelease:
    """The previous release's ledger: one `Previous` per cell key, and its run id."""

    cells: dict[str, Previous]
    run_id: str | None = None
    readable: bool = True  # False when its counts were sealed with another key
    snapshots: dict[str, Snapshot] | None = None


def _keystream(key: Key, run_id: str, cell_key: str, length: int) -> bytes:
    """SHAKE-256 of HMAC-SHA256(key, purpose | run id | cell key): a keystream no one without
    the key can compute, different for every cell of every release."""
    seed = hmac.new(key.secret, f"{_PURPOSE}{run_id}|{cell_key}".encode(), hashlib.sha256)
    return hashlib.shake_256(seed.digest()).digest(length)


def seal(key: Key, run_id: str, cell_key: str, counts: tuple[int | None, ...]) -> str:
    """The counts (None = absent), all of one width (at least 10 digits), XOR-ed with the
    cell's keystream, as hex."""
    width = max([_WIDTH] + [len(str(c)) + 1 for c in counts if c is not None])
    text = ",".join(f"{-1 if c is None else c:0{width}d}" for c in counts).encode()
    stream = _keystream(key, run_id, cell_key, len(text))
    return bytes(a ^ b for a, b in zip(text, stream, strict=True)).hex()


def unseal(key: Key, run_id: str, cell_key: str, sealed: str) -> tuple[int | None, ...] | None:
    """The counts `seal` sealed, or None when `sealed` does not open with this key."""
    try:
        data = bytes.fromhex(sealed)
        stream = _keystream(key, run_id, cell_key, len(data))
        parts = bytes(a ^ b for a, b in zip(data, stream, strict=True)).decode().split(",")
        counts = [int(p) for p in parts]
    except (ValueError, UnicodeDecodeError):
        return None
    if len({len(p) for p in parts}) != 1 or len(parts[0]) < _WIDTH:
        return None
    return tuple(None if c < 0 else c for c in counts)


def read_previous(path: Path | None, key: Key | None) -> PreviousRelease:
    """The ledger of the extract at `path` (the release currently published), or an empty
    one when there is none (first release, or an extract written before the ledger)."""
    if path is None or not Path(path).is_file():
        return PreviousRelease({})
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {t for (t,) in con.execute("select table_name from duckdb_tables()").fetchall()}
        if LEDGER_TABLE not in tables:
            return PreviousRelease({})
        meta = dict(con.execute("select key, value from meta").fetchall())
        rows = con.execute(
            f"select cell_key, table_name, state, n, published_values, hidden_reason, "  # noqa: S608
            f"sealed, state_run_id, run_id from {LEDGER_TABLE}"
        ).fetchall()
    readable = key is not None and meta.get("ledger_key_id") == key.key_id
    cells: dict[str, Previous] = {}
    snapshots: dict[str, Snapshot] = {}
    for cell_key, table, state, n, values, reason, sealed, since, run_id in rows:
        counts = unseal(key, run_id, cell_key, sealed) if readable and sealed and key else None
        if table == BREAKDOWN:
            children = json.loads(values)
            if counts is None or len(counts) != 3 * len(children):
                snapshots[cell_key] = dict.fromkeys(children, (None, None, 0))
            else:
                snapshots[cell_key] = {
                    child: (counts[3 * i], counts[3 * i + 1], counts[3 * i + 2] or 0)
                    for i, child in enumerate(children)
                }
            continue
        n_shown, n_basis, n_last = counts if counts else (n, None, None)
        cells[cell_key] = Previous(
            state=state,
            n_shown=n_shown,
            values=json.loads(values) if values is not None else None,
            n_basis=n_basis,
            n_last=n_last,
            since_run_id=since,
            reason=reason,
        )
    return PreviousRelease(cells, meta.get("run_id"), readable, snapshots)


def entry(
    cell: Cell,
    decision: Decision,
    previous: Previous | None,
    values: dict[str, Any] | None,
    run_id: str,
) -> tuple[Previous, dict[str, Any] | None]:
    """What the ledger records for a cell after this release: (its new `Previous`, the values
    it shows). Fresh values take this run's n; held ones keep the previous values and n."""
    if decision.state == "fresh":
        return Previous("shown", cell.n, values, cell.n, cell.n, run_id), values
    if decision.state == "held":
        assert previous is not None and previous.values is not None
        since = previous.since_run_id or run_id
        kept = Previous("shown", previous.n_shown, previous.values, previous.n_shown, cell.n, since)
        return kept, previous.values
    n_shown = previous.n_shown if previous else None
    if previous is not None and previous.state == "hidden":
        basis = previous.n_basis if previous.n_basis is not None else cell.n
        since = previous.since_run_id or run_id
    else:
        basis, since = cell.n, run_id
    return Previous("hidden", n_shown, None, basis, cell.n, since, decision.reason), None


def combined_entry(
    decision: Decision,
    previous: Previous | None,
    values: dict[str, Any] | None,
    run_id: str,
) -> Previous:
    """What the ledger records for a row that combines cells (it has no n of its own)."""
    if decision.state == "fresh":
        return Previous("shown", None, values, None, None, run_id)
    if decision.state == "held" and previous is not None:
        return Previous("shown", None, previous.values, None, None, previous.since_run_id)
    since = previous.since_run_id if previous and previous.state == "hidden" else run_id
    return Previous("hidden", None, None, None, None, since, decision.reason)


def ledger_row(
    key: Key | None, run_id: str, cell_key: str, table: str, kept: Previous
) -> tuple[Any, ...]:
    """One `disclosure_ledger` row (columns in schema order)."""
    sealed = seal(key, run_id, cell_key, (kept.n_shown, kept.n_basis, kept.n_last)) if key else None
    shown = kept.state == "shown"
    values = json.dumps(_plain(kept.values), sort_keys=True) if shown and kept.values else None
    return (
        cell_key,
        table,
        kept.state,
        kept.n_shown if shown else None,
        values,
        None if shown else kept.reason,
        sealed,
        kept.since_run_id or run_id,
        run_id,
    )


def _plain(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """JSON-safe values: NaN and infinities as null, numpy scalars as Python numbers."""
    if values is None:
        return None
    plain = {}
    for name, value in values.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        plain[name] = value
    return plain


def snapshot_row(
    key: Key | None, run_id: str, partition_key: str, snapshot: Snapshot
) -> tuple[Any, ...]:
    """One `disclosure_ledger` row keeping a breakdown's snapshot: its children (public: they
    are cells of the extract) and, sealed, each child's n and subtractable count then."""
    children = sorted(snapshot)
    counts = tuple(value for child in children for value in snapshot[child])  # 3 per child
    sealed = seal(key, run_id, partition_key, counts) if key else None
    values = json.dumps(children, ensure_ascii=False)
    return (partition_key, BREAKDOWN, "hidden", None, values, None, sealed, run_id, run_id)
