"""Hypothesis strategies of the export fuzzer: good exports of every format, broken at random.

Each case takes a good export (Qualtrics CSV and XLSX, legacy Qualtrics, SurveyMonkey CSV and
XLSX, Google Forms, KoboToolbox, REDCap raw, a plain CSV and XLSX, Parquet; tests/catalogue/
exports.py) and mutates it: columns dropped, duplicated or renamed, header rows shuffled or
dropped, cells blanked or made huge, the text re-encoded, its delimiter or line breaks swapped,
then the bytes truncated, or junk bytes, NULs or stray quotes injected. `mutants` draws such a
case; test_fuzz_in_process.py, test_fuzz_command_line.py and test_stream_pieces.py use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from hypothesis import strategies as st

from tests.loading import load_module

HERE = Path(__file__).resolve().parent

ex = load_module("ripple_catalogue_exports", HERE.parent / "catalogue" / "exports.py")
independent = load_module("ripple_fuzz_independent", HERE / "independent.py")


BENIGN = frozenset({"encoding", "delimiter", "line_end", "blank_cells"})


# --- mutations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    """A mutated export: its bytes, the config that reads it, and what the counter needs."""

    export: object  # exports.Export, after table mutations
    data: bytes
    starts: frozenset[int]  # byte offsets where the records as written begin (text only)
    ops: tuple[str, ...]
    utf16: bool = False

    def __repr__(self) -> str:  # the bytes can be huge; @reproduce_failure replays a case
        e = self.export
        return (
            f"Mutant({e.name}, {e.container}, encoding={e.encoding}, "
            f"delimiter={e.delimiter!r}, line_end={e.line_end!r}, ops={self.ops}, "
            f"{len(self.data)} bytes, head={self.data[:120]!r})"
        )

    @property
    def benign(self) -> bool:
        return set(self.ops) <= BENIGN

    @property
    def container(self) -> str:
        return self.export.container


BASES = [
    *ex.every_format(),
    ex.qualtrics(ex.people(12, seed=3)),  # more Qualtrics: the most common export
]
TEXT_CODECS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le")


def header_cells(export) -> list[list]:
    return [list(r) for r in export.table[: export.header_rows]]


def data_cells(export) -> list[list]:
    return [list(r) for r in export.table[export.header_rows :]]


def with_columns(export, columns: list[int]):
    """The export keeping (or repeating) the given columns, in that order."""
    table = [[row[i] if i < len(row) else "" for i in columns] for row in export.table]
    return replace(export, table=table)


@st.composite
def table_ops(draw, export):
    """Mutations of the cells: (export, op names)."""
    ops: list[str] = []
    width = len(export.table[0])
    for op in draw(st.lists(st.sampled_from(TABLE_OPS), max_size=2)):
        width = len(export.table[0])
        if op == "drop_column" and width > 1:
            gone = draw(st.integers(0, width - 1))
            export = with_columns(export, [i for i in range(width) if i != gone])
        elif op == "duplicate_column":
            copy = draw(st.integers(0, width - 1))
            columns = list(range(width))
            columns.insert(draw(st.integers(0, width)), copy)
            export = with_columns(export, columns)
        elif op == "rename_column":
            column = draw(st.integers(0, width - 1))
            table = [list(r) for r in export.table]
            for row in table[: export.header_rows]:
                cell = str(row[column])
                row[column] = (
                    cell.replace('"}', '_x"}') if cell.startswith("{") else f"{cell} (renamed)"
                )
            export = replace(export, table=table)
        elif op == "blank_cells" and export.responses:
            rows = data_cells(export)
            for _ in range(draw(st.integers(1, 6))):
                r = draw(st.integers(0, len(rows) - 1))
                rows[r][draw(st.integers(0, len(rows[r]) - 1))] = ""
            export = export.with_rows(rows)
        elif op == "huge_field" and export.responses:
            rows = data_cells(export)
            r = draw(st.integers(0, len(rows) - 1))
            size = draw(st.sampled_from((300, 5_000, 40_000, 140_000)))
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(
                st.sampled_from(("x", "a, b; c", 'say "hi"\n'))
            ) * (size // 3)
            export = export.with_rows(rows)
        elif op == "shuffle_header_rows" and export.header_rows > 1:
            heads = header_cells(export)
            order = draw(st.permutations(range(len(heads))))
            export = replace(export, table=[heads[i] for i in order] + data_cells(export))
        elif op == "drop_header_row" and export.header_rows > 1:
            heads = header_cells(export)
            gone = draw(st.integers(0, len(heads) - 1))
            kept = [h for i, h in enumerate(heads) if i != gone]
            export = replace(export, table=kept + data_cells(export), header_rows=len(kept))
        else:
            continue
        ops.append(op)
    return export, ops


TABLE_OPS = (
    "drop_column",
    "duplicate_column",
    "rename_column",
    "blank_cells",
    "huge_field",
    "shuffle_header_rows",
    "drop_header_row",
)
BYTE_OPS = ("truncate", "junk", "stray_quote", "nul")


@st.composite
def mutants(draw, bases=BASES):
    export = draw(st.sampled_from(bases))
    export, ops = draw(table_ops(export))
    utf16 = False
    if export.container == "csv":
        if draw(st.booleans()):
            export = replace(export, encoding=draw(st.sampled_from(TEXT_CODECS)))
            ops.append("encoding")
        if draw(st.booleans()):
            others = [d for d in (",", ";", "\t", "|") if d != export.delimiter]
            export = replace(export, delimiter=draw(st.sampled_from(others)))
            ops.append("delimiter")
        if draw(st.booleans()):
            export = replace(export, line_end=draw(st.sampled_from(("\n", "\r", "\r\n"))))
            ops.append("line_end")
        utf16 = export.encoding in ("utf-16", "utf-16-le")
    try:
        data = export.to_bytes()
    except UnicodeEncodeError:  # a character cp1252 has not: keep UTF-8
        export = replace(export, encoding="utf-8")
        data = export.to_bytes()
    starts = record_starts(export)
    for op in draw(st.lists(st.sampled_from(BYTE_OPS), max_size=2)):
        data, starts = byte_op(draw, op, data, export, starts)
        ops.append(op)
    return Mutant(export, data, frozenset(starts), tuple(ops), utf16)


def record_starts(export) -> list[int]:
    """Byte offsets where the export's records begin, as written (text only)."""
    if export.container != "csv":
        return []
    text = ex.csv_text(export.table, export.delimiter, export.line_end)
    return independent.byte_offsets(text, independent.record_offsets(text), export.encoding)


def byte_op(draw, op: str, data: bytes, export, starts: list[int]) -> tuple[bytes, list[int]]:
    """The bytes after one byte-level mutation, and where the written records now begin."""
    if not data:
        return data, starts
    at = draw(st.integers(0, len(data)))
    if op == "truncate":
        return data[:at], [s for s in starts if s < at]
    if op == "junk":
        inserted = draw(st.binary(min_size=1, max_size=40))
    elif op == "nul":
        inserted = b"\x00" * draw(st.integers(1, 3))
    else:
        inserted, at = stray_quote(draw, data, export, at)
    return data[:at] + inserted + data[at:], [s + len(inserted) if s > at else s for s in starts]


def stray_quote(draw, data: bytes, export, at: int) -> tuple[bytes, int]:
    """A quote to insert: at byte `at`, or opening a field (just after a delimiter)."""
    if export.container == "csv" and export.encoding not in ("utf-16", "utf-16-le"):
        fields = [m.end() for m in re.finditer(re.escape(export.delimiter.encode()), data)]
        if fields and draw(st.booleans()):
            at = draw(st.sampled_from(fields))
    quote = '"'.encode("utf-16-le") if export.encoding in ("utf-16", "utf-16-le") else b'"'
    return quote, at
