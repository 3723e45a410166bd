"""A fuzzer for the read path: good exports of every format, broken at random.

Each case takes a good export (Qualtrics CSV and XLSX, legacy Qualtrics, SurveyMonkey CSV and
XLSX, Google Forms, KoboToolbox, REDCap raw, a plain CSV and XLSX, Parquet; tests/catalogue/
exports.py) and mutates it: columns dropped, duplicated or renamed, header rows shuffled or
dropped, cells blanked or made huge, the text re-encoded, its delimiter or line breaks swapped,
then the bytes truncated, or junk bytes, NULs or stray quotes injected. Every case must either

* succeed with rows in = loaded + excluded + quarantined, rows in equal to an independent
  count of the file's records (tests/fuzz/independent.py: Python's `csv` module, openpyxl,
  pyarrow) and, for text, every row read equal cell by cell to what `csv` reads; or
* fail with a known reason code (an `IngestError` / `DataError` whose message is
  `<file>: <code>: ...`), never another exception and never "internal error", leaving nothing
  behind (a failed `ripple run` leaves the published files byte for byte as they were).

Mutations that only re-encode, change the delimiter or line breaks, or blank cells must
succeed. Three levels: the reader and the mapping in-process (most cases, fast), the whole
validation in-process (`validate_project`), and the real `ripple run` command (a few).
The `fuzz` profile (default) runs a few hundred cases, `RIPPLE_FUZZ=long` thousands
(tests/fuzz/conftest.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.errors import DataError
from pipeline.ingest.mapping import code_export
from pipeline.instruments import load_instruments
from pipeline.keys import parse_key
from pipeline.run import read_source, validate_project
from tests.loading import load_module

HERE = Path(__file__).resolve().parent


ex = load_module("ripple_catalogue_exports", HERE.parent / "catalogue" / "exports.py")
independent = load_module("ripple_fuzz_independent", HERE / "independent.py")

# Every reason code a file may fail with (ripple's IngestError and DataError codes).
KNOWN_CODES = frozenset(
    {
        "ambiguous_date",
        "ambiguous_delimiter",
        "corrupt_file",
        "duplicate_column",
        "empty_file",
        "encoding_undetermined",
        "field_too_large",
        "file_too_large",
        "format_mismatch",
        "header_field_count",
        "id_in_scientific_notation",
        "implausible_file",
        "invalid_encoding",
        "invalid_utf8",
        "missing_column",
        "password_protected",
        "repeated_header",
        "too_many_columns",
        "too_many_rows",
        "truncated_file",
        "unexpected_file_type",
        "unknown_sheet",
        "unparseable_csv",
        "unsupported_delimiter",
    }
)
MESSAGE = re.compile(r"^(?P<file>[^\n]+?): (?P<code>[a-z][a-z0-9_]*): ")
BENIGN = frozenset({"encoding", "delimiter", "line_end", "blank_cells"})


def fuzz_profile() -> settings:
    """The `long` profile when RIPPLE_FUZZ=long or --hypothesis-profile=long, else `fuzz`."""
    long = os.environ.get("RIPPLE_FUZZ", "").strip().lower() == "long"
    name = "long" if long or settings.get_current_profile_name() == "long" else "fuzz"
    return settings.get_profile(name)


PROFILE = fuzz_profile()


def budget(share: float, least: int) -> settings:
    """The profile with `share` of its cases (at least `least`)."""
    return settings(PROFILE, max_examples=max(least, int(PROFILE.max_examples * share)))


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


# --- running a case --------------------------------------------------------------------------
KEY = parse_key(ex.TEST_KEY, "the fuzzer")
INSTRUMENTS = load_instruments(ex.INSTRUMENTS_DIR)


def project_folder(mutant: Mutant, folder: Path) -> Path:
    """Write the mutant and the config that reads it; the config's path."""
    (folder / mutant.export.name).write_bytes(mutant.data)
    config = folder / "ripple.yml"
    config.write_text(yaml.safe_dump(ex.project_for(mutant.export)), encoding="utf-8")
    return config


def count_of(mutant: Mutant):
    if mutant.container == "xlsx":
        return independent.count_xlsx(mutant.data)
    if mutant.container == "parquet":
        return independent.count_parquet(mutant.data)
    return independent.count_text(
        mutant.data, mutant.export.delimiter, set(mutant.starts), mutant.utf16
    )


def known_failure(message: str, mutant: Mutant, name: str) -> str:
    """Check a failure's message: `<file>: <code>: ...` with a known code; the code."""
    assert "internal error" not in message, f"{mutant.ops}: {message}"
    found = MESSAGE.match(message)
    assert found, f"{mutant.ops}: a failure without a reason code: {message}"
    assert found["file"].endswith(name), f"{mutant.ops}: the message names another file"
    code = found["code"]
    assert code in KNOWN_CODES, f"{mutant.ops}: unknown reason code {code}: {message}"
    assert not mutant.benign, f"{mutant.ops} must be read, but failed: {message}"
    event(f"failed: {code}")
    return code


def check_rows(mutant: Mutant, raw, count) -> None:
    """The reader's rows against the independent count, cell by cell for text."""
    d = raw.detection
    assert count.failure is None, f"{mutant.ops}: should fail with {count.failure}; read {d}"
    assert len(raw.frame) + len(raw.problems) == d.rows, f"{mutant.ops}: rows lost"
    if not count.countable:
        event("read, not countable independently")
        return
    assert d.rows == max(0, count.records - d.header_rows), (
        f"{mutant.ops}: {d.rows} responses + {d.header_rows} header rows read, but the file "
        f"holds {count.records} records"
    )
    if mutant.container == "parquet":
        return
    for row, values in zip(raw.frame.index, raw.frame.to_numpy().tolist(), strict=True):
        expected = count.cells.get(int(row))
        assert expected is not None, f"{mutant.ops}: row {row} is not a record"
        if mutant.container == "csv" and not mutant.utf16 and not d.encoding.startswith("utf-16"):
            # the count reads bytes as Latin-1 (structure only); the cells in the file's codec
            expected = [cell.encode("latin-1").decode(d.encoding) for cell in expected]
        if mutant.container == "xlsx":
            expected = expected + [""] * (len(values) - len(expected))
            assert expected[len(values) :] == [""] * len(expected[len(values) :])
            expected = expected[: len(values)]
        assert values == expected, f"{mutant.ops}: row {row} read as {values}, not {expected}"
    for problem in raw.problems:
        row = problem.source_row_number
        if problem.reason == "unbalanced_quote":
            assert row in count.broken, f"{mutant.ops}: row {row} cut, but no quote ran on"
        else:
            assert len(count.cells[row]) != d.columns, f"{mutant.ops}: row {row} is fine"


def read_level(mutant: Mutant, folder: Path) -> None:
    """Read and map the mutant in-process, as `ripple validate` does before validating: a
    known failure, or rows that match the independent count."""
    loaded = load_config(project_folder(mutant, folder))
    source = loaded.config.sources[0]
    label = str(source.path)
    try:
        raw = read_source(source, types.SimpleNamespace(loaded=loaded), label)
    except DataError as exc:
        code = known_failure(str(exc), mutant, label)
        if not mutant.data.strip():
            assert code == "empty_file", f"{mutant.ops}: an empty file failed with {code}"
        return
    assert len(raw.frame) + len(raw.problems) == raw.detection.rows, f"{mutant.ops}: rows lost"
    config = loaded.config
    survey, programme = config.surveys[source.survey], config.programme(source.programme)
    try:
        code_export(raw, survey, source, programme, INSTRUMENTS, label)
    except DataError as exc:  # the file fails: its records are not counted
        known_failure(str(exc), mutant, label)
        return
    check_rows(mutant, raw, count_of(mutant))
    event("read and mapped")


def validate_level(mutant: Mutant, folder: Path) -> None:
    """The whole `ripple validate` in-process: accounting against the independent count."""
    loaded = load_config(project_folder(mutant, folder))
    out = folder / "out"
    report = validate_project(loaded, KEY, out)
    assert not out.exists(), "validate wrote to the output folder"
    (f,) = report.summary()["files"]
    if f["status"] == "failed":
        known_failure(f["error"], mutant, f["file"])
        return
    count = count_of(mutant)
    assert count.failure is None, f"{mutant.ops}: should fail with {count.failure}: {f}"
    assert f["rows_in"] == f["rows_loaded"] + f["rows_excluded"] + f["rows_quarantined"], f
    d = report.files[0].detection
    if count.countable:
        assert f["rows_in"] == max(0, count.records - d.header_rows), (mutant.ops, f)
    event(f"validated: {f['status']}")


def test_the_good_exports_are_read_whole(tmp_path):
    """Unmutated, every base export is read and mapped with every response (the fuzzer's
    starting point; the catalogue validates them through the command line)."""
    for number, export in enumerate(BASES):
        mutant = Mutant(export, export.to_bytes(), frozenset(record_starts(export)), ())
        folder = tmp_path / f"{number}_{export.name}"
        folder.mkdir()
        loaded = load_config(project_folder(mutant, folder))
        source = loaded.config.sources[0]
        raw = read_source(source, types.SimpleNamespace(loaded=loaded), str(source.path))
        assert (raw.detection.rows, len(raw.frame)) == (export.responses, export.responses)
        check_rows(mutant, raw, count_of(mutant))


@budget(1.0, 50)
@given(mutant=mutants())
def test_read_level(mutant):
    with tempfile.TemporaryDirectory() as folder:
        read_level(mutant, Path(folder))


@budget(0.15, 12)
@given(mutant=mutants())
def test_validate_level(mutant):
    with tempfile.TemporaryDirectory() as folder:
        validate_level(mutant, Path(folder))


# --- the real command line -------------------------------------------------------------------
def ripple(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("ripple")
    env = {**os.environ, "RIPPLE_KEY": ex.TEST_KEY}
    env.pop("RIPPLE_KEY_FILE", None)
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600,
        check=False,
    )  # fmt: skip


def digests(folder: Path) -> dict[str, str]:
    """Every path under `folder` (the lock file aside) with what it is: a link's target, a
    folder, or a file's SHA-256."""
    out = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            out[name] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            out[name] = "folder"
        elif path.name != ".ripple.lock":
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """An output folder holding a published run of a good export."""
    folder = tmp_path_factory.mktemp("fuzz-published")
    export = ex.plain(ex.people(12, seed=99), name="earlier.csv")
    (folder / export.name).write_bytes(export.to_bytes())
    (folder / "ripple.yml").write_text(yaml.safe_dump(ex.project_for(export)), encoding="utf-8")
    result = ripple("run", "-c", "ripple.yml", "--out", "out", "--json", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out"


@budget(0.01, 4)
@given(mutant=mutants())
def test_command_line(published, mutant):
    """`ripple run` on a mutant into a folder with a published run: success with accounting,
    or a failure with a reason code that leaves the published files byte for byte as they
    were."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        project_folder(mutant, folder)
        shutil.copytree(published, folder / "out", symlinks=True)
        before = digests(folder / "out")
        result = ripple("run", "-c", "ripple.yml", "--out", "out", "--json", cwd=folder)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr, (
            mutant.ops,
            result.stderr[-2000:],
        )
        assert result.returncode in (0, 1), (mutant.ops, result.returncode, result.stderr[-2000:])
        summary = json.loads(result.stdout)
        (f,) = summary["files"]
        if result.returncode == 1:
            assert f["status"] == "failed", (mutant.ops, f)
            known_failure(f["error"], mutant, f["file"])
            assert "nothing was published" in result.stderr
            assert digests(folder / "out") == before, f"{mutant.ops}: a failed run changed out/"
            return
        assert f["rows_in"] == f["rows_loaded"] + f["rows_excluded"] + f["rows_quarantined"], f
        count = count_of(mutant)
        assert count.failure is None, (mutant.ops, count.failure, f)
        event(f"published: {f['status']}")
