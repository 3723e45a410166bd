"""A large text file cut into pieces that end where a record ends, read one piece at a time.

A piece ends just after a line feed at which the piece holds an even number of double
quotes: in a CSV whose quotes are balanced that line feed is outside every quoted cell, so
the next piece starts a record. The cut is only a proposal: the exact record scan of each
piece (`pipeline.ingest.scan`) still decides, and a piece whose last record is left open (a
quoted cell running on, or a quote that is never closed) is joined to the next one and
scanned again (`pipeline.ingest.stream`). A file with no usable line feed (old Mac `\\r`
line endings, or one quote never closed) simply becomes one piece.

Only byte-level work happens here (`bytes.rfind`, `bytes.count`, both in C), so cutting a
1 GB file costs well under a second. It is safe for UTF-8 and for every single- or
multi-byte encoding in which the bytes of `\\n` and `"` never occur inside another character
(all the ASCII-compatible ones); UTF-16 and UTF-32 text is not cut (`pipeline.ingest.stream`
reads such files whole).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.ingest.encoding import canonical
from pipeline.ingest.errors import IngestError
from pipeline.ingest.filetype import container_type
from pipeline.ingest.options import ReadOptions

HEAD_BYTES = 64 * 1024
WIDE_CODECS = ("utf-16", "utf-32")  # code units hold NUL bytes: never cut at a byte
NOT_TABLE_STARTS = (b"{", b"[", b"<")  # JSON, markup: read whole, to be named properly


def streams(path: Path, options: ReadOptions) -> bool:
    """True when `path` is delimited text large enough to be read piece by piece.

    Anything else (small files, workbooks, Parquet, JSON, markup, UTF-16/32 text, a file over
    `max_bytes`, which the whole read refuses by name) takes the whole-file path."""
    try:
        size = path.stat().st_size
        if not path.is_file() or size <= options.stream_above_bytes:
            return False
        if options.max_bytes is not None and size > options.max_bytes:
            return False
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return False  # the whole read reports it
    if options.encoding and canonical_or_none(options.encoding).startswith(WIDE_CODECS):
        return False
    if b"\x00" in head:
        return False
    try:
        if container_type(head, path) is not None:  # a workbook or Parquet
            return False
    except IngestError:  # binary, encrypted, damaged: the whole read says which
        return False
    return not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(NOT_TABLE_STARTS)


def canonical_or_none(codec: str) -> str:
    try:
        return canonical(codec)
    except LookupError:
        return ""


QUOTE = b'"'
LINE_FEED = b"\n"


def record_end(piece: bytes) -> int | None:
    """The length of the longest prefix of `piece` that ends with a line feed and holds an
    even number of quotes, or None when there is none."""
    total = piece.count(QUOTE)
    after = 0  # quotes after the line feed being tried
    end = len(piece)
    while True:
        feed = piece.rfind(LINE_FEED, 0, end)
        if feed < 0:
            return None
        after += piece.count(QUOTE, feed + 1, end)
        if (total - after) % 2 == 0:
            return feed + 1
        end = feed


def file_pieces(
    path: Path, piece_bytes: int, on_read: Callable[[bytes], object]
) -> Iterator[bytes]:
    """Consecutive pieces of the file of about `piece_bytes` (more when no record ends inside
    a block), covering every byte once; each block read is passed to `on_read` (a hash)."""
    carry = b""
    with path.open("rb") as handle:
        while True:
            block = handle.read(piece_bytes)
            if not block:
                if carry:
                    yield carry
                return
            on_read(block)
            piece = carry + block if carry else block
            end = record_end(piece)
            if end is None:
                carry = piece
                continue
            carry = piece[end:]
            yield piece[:end]
