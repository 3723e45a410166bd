"""Running a fuzzed case and judging it. Every case must either

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
(tests/fuzz/conftest.py); `budget` gives each level its share.
"""

from __future__ import annotations

import os
import re
import types
from pathlib import Path

import yaml
from hypothesis import event, settings

from pipeline.config import load_config
from pipeline.errors import DataError
from pipeline.ingest.mapping import code_export
from pipeline.instruments import load_instruments
from pipeline.keys import parse_key
from pipeline.run import read_source, validate_project
from tests.fuzz.strategies import Mutant
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


def fuzz_profile() -> settings:
    """The `long` profile when RIPPLE_FUZZ=long or --hypothesis-profile=long, else `fuzz`."""
    long = os.environ.get("RIPPLE_FUZZ", "").strip().lower() == "long"
    name = "long" if long or settings.get_current_profile_name() == "long" else "fuzz"
    return settings.get_profile(name)


PROFILE = fuzz_profile()


def budget(share: float, least: int) -> settings:
    """The profile with `share` of its cases (at least `least`)."""
    return settings(PROFILE, max_examples=max(least, int(PROFILE.max_examples * share)))


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
