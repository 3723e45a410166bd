"""Large delimited exports are read piece by piece (pipeline.ingest.stream) with exactly the
result of a whole read: the same rows, cells, problems, row numbers and detection.

The pieces here are tiny (a few hundred bytes), so every catalogue export and every fuzzed
export is cut many times, often next to quoted line breaks, runaway quotes, blank lines and
bad records. Encoding, delimiter and header rows are fixed from the whole read for both reads:
those are decided from the first piece alone by design (the module docstring says so), and a
16 MiB first piece decides them as the whole file does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import DataError
from pipeline.ingest.detect import detect
from pipeline.ingest.pieces import file_pieces, record_end, streams
from pipeline.ingest.readers import ReadOptions, read_export
from tests.loading import load_module

TESTS = Path(__file__).resolve().parents[1]
ENCODING_CODES = {"encoding_undetermined", "invalid_utf8", "invalid_encoding"}


def read_both(path: Path, chunk_bytes: int):
    """(whole read, streamed read) of `path`, or (error code, error code) when the whole read
    fails; the streamed read is given the whole read's encoding, delimiter and header rows."""
    try:
        whole = read_export(path)
    except DataError as exc:
        return whole_failure(exc), streamed_failure(path, chunk_bytes)
    if whole.detection.file_type != "csv":
        return None, None
    d = whole.detection
    fixed = ReadOptions(encoding=d.encoding, delimiter=d.delimiter, header_rows=d.header_rows)
    whole = read_export(path, fixed)
    options = ReadOptions(
        encoding=d.encoding,
        delimiter=d.delimiter,
        header_rows=d.header_rows,
        stream_above_bytes=1,
        chunk_bytes=chunk_bytes,
    )
    if not streams(path, options):  # NUL bytes, JSON-like or markup starts: read whole
        return None, None
    try:
        streamed = read_export(path, options)
    except DataError as exc:
        pytest.fail(f"{path.name}: the whole read worked, the streamed one failed: {exc}")
    return whole, streamed


def whole_failure(exc: DataError) -> str:
    return str(exc).split(": ")[1]


def streamed_failure(path: Path, chunk_bytes: int) -> str | None:
    try:
        read_export(path, stream_above_bytes=1, chunk_bytes=chunk_bytes)
    except DataError as exc:
        return whole_failure(exc)
    return None


def assert_same(path: Path, chunk_bytes: int) -> bool:
    """Whole and streamed reads agree; True when both read the file (not only failed)."""
    whole, streamed = read_both(path, chunk_bytes)
    if whole is None or isinstance(whole, str):
        said = f"{path.name}: whole read failed {whole}, streamed {streamed}"
        if whole in ENCODING_CODES:  # judged on the first piece by design: fails too
            assert streamed in ENCODING_CODES, said
        else:
            assert whole == streamed, said
        return False
    pd.testing.assert_frame_equal(whole.frame, streamed.frame)
    assert whole.problems == streamed.problems, path.name
    assert whole.detection == streamed.detection, path.name
    assert (whole.keys, whole.names, whole.labels) == (
        streamed.keys,
        streamed.names,
        streamed.labels,
    )
    return True


make = load_module("ripple_catalogue_make_catalogue", TESTS / "catalogue" / "make_catalogue.py")
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}


@pytest.fixture(scope="module")
def catalogue_files(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("catalogue")
    files = []
    for number, case in enumerate(make.catalogue()):
        folder = root / f"{number}_{case.id}"
        folder.mkdir()
        make.write_case(case, folder)
        files += [p for p in folder.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES]
    return files


@pytest.mark.parametrize("chunk_bytes", [97, 333])
def test_every_catalogue_export_reads_the_same_in_pieces(catalogue_files, chunk_bytes):
    compared = sum(assert_same(path, chunk_bytes) for path in catalogue_files)
    assert len(catalogue_files) > 80 and compared > 60, (len(catalogue_files), compared)


def test_a_piece_ends_after_a_line_feed_outside_quotes():
    data = b'a,b\n1,"x\ny"\n2,z\n3,"open\n'
    assert record_end(data) == len(b'a,b\n1,"x\ny"\n2,z\n')
    assert record_end(b'1,"x\ny') is None
    assert record_end(b"no line feed") is None


def test_pieces_cover_every_byte_once_and_feed_the_hash(tmp_path):
    data = b"".join(b'%d,"a\nb",c\n' % n for n in range(500))
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    digest = hashlib.sha256()
    pieces = list(file_pieces(path, 64, digest.update))
    assert b"".join(pieces) == data and len(pieces) > 50
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert all(p.count(b'"') % 2 == 0 for p in pieces)


def test_only_large_delimited_text_is_streamed(tmp_path):
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("a,b\n1,2\n")
    assert not streams(csv_file, ReadOptions())
    assert streams(csv_file, ReadOptions(stream_above_bytes=1))
    json_file = tmp_path / "a.json"
    json_file.write_text('{"data": []}')
    assert not streams(json_file, ReadOptions(stream_above_bytes=1))
    utf16 = tmp_path / "b.csv"
    utf16.write_bytes("a,b\n1,2\n".encode("utf-16"))
    assert not streams(utf16, ReadOptions(stream_above_bytes=1))


def test_detect_streams_the_same_detection(tmp_path):
    rows = [f'R_{n},"{n}\nmore",{n % 5}' for n in range(2000)]
    path = tmp_path / "big.csv"
    path.write_text("id,text,q1\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert detect(path, stream_above_bytes=1, chunk_bytes=500) == detect(path)


def test_a_later_piece_in_another_encoding_names_its_line(tmp_path):
    path = tmp_path / "mixed.csv"
    body = "".join(f"{n},ok\n" for n in range(300)).encode() + "301,caf\xe9\n".encode("cp1252")
    path.write_bytes(b"id,answer\n" + body)
    with pytest.raises(DataError, match=r"invalid_encoding: line 302 is not valid utf-8"):
        read_export(path, stream_above_bytes=1, chunk_bytes=256)
