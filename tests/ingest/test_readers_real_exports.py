"""Reading the real exports of ../shared/data/real completely (skipped where it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import read_export
from tests.ingest.reader_checks import REAL_FILES, assert_well_formed


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_exports_read_completely(real_data: Path, name: str) -> None:
    raw = read_export(real_data / name)
    assert_well_formed(raw)
    assert raw.problems == []
    assert raw.frame.index[0] == raw.detection.first_data_row


def test_real_google_forms(real_data: Path) -> None:
    raw = read_export(real_data / "google-forms-cs50/favorites.csv")
    assert raw.keys == ["Timestamp", "title", "genres"]
    assert raw.frame.index.tolist() == list(range(2, 492))
    assert raw.frame.loc[2].tolist() == ["10/28/2019 15:03:45", "Caes de Berlim", "Drama, Sports"]
    assert not raw.frame["genres"].str.contains("\r").any()


def test_real_gbk_file_decodes_to_the_right_characters(real_data: Path) -> None:
    folder = real_data / "osmi-mental-health-in-tech"
    gbk = read_export(folder / "osmi_2014_survey__excel_zh-CN_gbk_roundtrip.csv").frame
    us = read_export(folder / "osmi_2014_survey__excel_en-US_roundtrip.csv").frame
    assert gbk.loc[2, "no_employees"] == "6月25日"
    assert us.loc[2, "no_employees"] == "25-Jun"
    assert (gbk["no_employees"] == "6月25日").sum() == (us["no_employees"] == "25-Jun").sum() == 290
    non_ascii = {ch for value in gbk.to_numpy().ravel() for ch in value if ord(ch) > 127}
    assert non_ascii == {"月", "日"}
    assert gbk.loc[2, "Timestamp"] == "2014/8/27 11:29"
    assert gbk.index.tolist() == us.index.tolist()


def test_real_multiline_redcap_addresses(real_data: Path) -> None:
    raw = read_export(real_data / "REDCapR/simple__data.csv")
    assert raw.frame.index.tolist() == [2, 3, 4, 5, 6]
    assert raw.frame["address"].str.contains("\n").all()


def test_real_osmi_2016_questions_worded_alike_can_each_be_mapped(real_data: Path) -> None:
    path = real_data / "osmi-mental-health-in-tech/osmi_2016_mental-heath-in-tech-2016_20161114.csv"
    raw = read_export(path)
    assert raw.keys[37] == "Why or why not? [1]" and raw.keys[39] == "Why or why not? [2]"
    assert len(raw.frame) == 1433


def test_real_mangled_first_header_is_keyed_by_position(real_data: Path) -> None:
    path = real_data / "osmi-mental-health-in-tech/osmi_2014_survey__excel_ddmmyyyy_roundtrip.csv"
    raw = read_export(path)
    assert raw.keys[:2] == ["_blank_1", "Age"]
    assert raw.names[0] == " "
    assert raw.frame.loc[2, "_blank_1"] == "27-08-2014 11:29"
