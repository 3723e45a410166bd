"""Ingest: recognise survey exports and read them into tables of strings, losing nothing.

`detect(path)` says what a file is (format, encoding, delimiter, header rows, rows, columns);
`read_export(path)` reads its responses, keyed by stable column keys and indexed by spreadsheet
row number, with malformed records reported as `RowProblem`s. Bad input raises `IngestError`,
a `pipeline.errors.DataError` whose message names the file, a reason code, row and column.
"""

from pipeline.ingest.detect import Detection, detect
from pipeline.ingest.errors import IngestError
from pipeline.ingest.readers import RawExport, RowProblem, read_export

__all__ = ["Detection", "IngestError", "RawExport", "RowProblem", "detect", "read_export"]
