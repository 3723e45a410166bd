"""The ledger: sealed counts open only with the key that sealed them, an extract without a
ledger reads as a first release, and a ledger sealed with another key keeps hidden cells
hidden."""

from __future__ import annotations

import duckdb

from pipeline.disclosure import Cell, Decision, Previous, read_previous
from pipeline.disclosure.history import may_change
from pipeline.disclosure.ledger import entry, seal, unseal
from pipeline.keys import Key

KEY, OTHER = Key(b"a" * 32), Key(b"b" * 32)


def test_sealed_counts_open_only_with_their_key_and_cell():
    sealed = seal(KEY, "run-1", '["reach","x"]', (12, 3, None))
    assert unseal(KEY, "run-1", '["reach","x"]', sealed) == (12, 3, None)
    assert unseal(OTHER, "run-1", '["reach","x"]', sealed) != (12, 3, None)
    assert unseal(KEY, "run-2", '["reach","x"]', sealed) != (12, 3, None)
    assert unseal(KEY, "run-1", '["reach","y"]', sealed) != (12, 3, None)


def test_sealed_counts_have_one_length_whatever_their_size():
    small = seal(KEY, "r", "c", (3, 3, 3))
    large = seal(KEY, "r", "c", (3000, 300, 30))
    assert len(small) == len(large)


def test_an_extract_without_a_ledger_is_a_first_release(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table meta (key varchar, value varchar)")
    assert read_previous(path, KEY).cells == {}
    assert read_previous(None, KEY).cells == {}
    assert read_previous(tmp_path / "missing.duckdb", KEY).cells == {}


def test_hidden_cells_stay_hidden_when_the_ledger_cannot_be_read():
    hidden = Previous("hidden", None, None, None, None)  # counts sealed with another key
    assert not may_change(Cell("c", 500), hidden, 10)
    shown = Previous("shown", 40, {"n": 40}, None, None)  # its shown n is public
    assert may_change(Cell("c", 55), shown, 10)
    assert not may_change(Cell("c", 45), shown, 10)


def test_a_hidden_state_keeps_the_n_it_was_set_at():
    cell = Cell("c", 14)
    first, _ = entry(Cell("c", 6), Decision("hidden", "too few people"), None, None, "r1")
    second, _ = entry(cell, Decision("hidden", "held until enough new people"), first, None, "r2")
    assert (second.n_basis, second.n_last, second.since_run_id) == (6, 14, "r1")
    assert not may_change(cell, second, 10)
    assert may_change(Cell("c", 16), second, 10)
