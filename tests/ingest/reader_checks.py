"""Reading exports: the shared contract every read export must keep, and the real files."""

from __future__ import annotations

import numpy as np

from pipeline.ingest import RawExport

REAL_FILES = [
    "qualtRics/sample.csv",
    "qualtRics/sample_legacy.csv",
    "google-forms-cs50/favorites.csv",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_en-US_roundtrip.csv",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv",
    "osmi-mental-health-in-tech/osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv",
    "REDCapR/longitudinal__data.csv",
    "REDCapR/simple__data.csv",
    "REDCapR/survey__data.csv",
    "REDCapR/checkboxes-1__data.csv",
    "redcapAPI/TestRedcapAPI_Records.csv",
]


def assert_well_formed(raw: RawExport) -> None:
    """The reader's contract: strings only, keyed columns, row-number index, nothing lost."""
    frame = raw.frame
    assert len(frame) + len(raw.problems) == raw.detection.rows
    assert list(frame.columns) == raw.keys
    assert len(raw.keys) == len(raw.names) == len(raw.labels) == raw.detection.columns
    assert frame.index.name == "source_row_number"
    assert frame.index.dtype == np.int64
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert all(dtype == np.dtype(object) for dtype in frame.dtypes)
    assert not frame.isna().to_numpy().any()
    assert all(type(v) is str for v in frame.to_numpy().ravel())
    assert not any(key.endswith(".1") and key[:-2] in raw.keys for key in raw.keys)
    if len(frame):
        assert frame.index[0] >= raw.detection.header_rows + 1
    problem_rows = {p.source_row_number for p in raw.problems}
    assert not problem_rows & set(frame.index)
