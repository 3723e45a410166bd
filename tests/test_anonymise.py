"""pipeline.anonymise: only keyed pseudonyms, coarse dates and codes leave it."""

import datetime as dt

import pandas as pd

from pipeline.anonymise import anonymise, participant_keys
from pipeline.ingest.mapping import CodedExport
from pipeline.keys import Key

KEY = Key(b"k" * 32)
ITEMS = ["ucla3_01", "ucla3_02", "ucla3_03"]


def export(rows: list[dict]) -> CodedExport:
    frame = pd.DataFrame(rows, index=pd.Index(range(2, 2 + len(rows)), name="source_row_number"))
    dont_know = frame[ITEMS].eq("dk").fillna(False)
    frame[ITEMS] = frame[ITEMS].where(~dont_know, None)
    frame = frame.astype("object").where(frame.notna(), None)
    return CodedExport(frame, {}, ITEMS, dont_know)


def row(**changes):
    base = {
        "response_id": "R_abc",
        "participant_id": None,
        "wave": "pre",
        "submitted_month": dt.date(2025, 3, 1),
        "submitted_at": "2025-03-14T09:03:45",
        "cohort": "C1",
        "sgic_code": "k|03|p|2",
        "sgic_status": "ok",
        "ucla3_01": "1",
        "ucla3_02": None,
        "ucla3_03": "3",
    }
    return base | changes


def test_it_writes_pseudonyms_months_and_codes_only():
    coded = export([row()])
    responses, items = anonymise(coded, coded.frame.index, KEY, "p1", "survey")
    written = responses.drop(columns="submitted_at")
    text = " ".join(map(str, written.to_numpy().ravel()))
    assert "R_abc" not in text and "k|03|p|2" not in text and "09:03" not in text
    assert written.loc[2, "submitted_month"].isoformat() == "2025-03-01"
    assert items["raw_value"].tolist() == [1, pd.NA, 3]
    assert items["item_id"].tolist() == ITEMS
    assert items["answer_status"].tolist() == ["answered", "missing", "answered"]
    assert written.loc[2, "wave_id"] == "pre"


def test_the_same_person_gets_the_same_key_within_a_programme_only():
    codes = pd.Series(["k|03|p|2", "k|03|p|2", None])
    same = participant_keys(codes, KEY, "p1")
    assert same[0] == same[1] and same[2] is None
    assert participant_keys(codes, KEY, "p2")[0] != same[0]
    assert participant_keys(codes, Key(b"x" * 32), "p1")[0] != same[0]


def test_responses_without_an_id_are_keyed_by_content():
    """Google Forms has no response id: the same response in two overlapping exports gets the
    same key, a different response another."""
    coded = export(
        [row(response_id=None), row(response_id=None), row(response_id=None, ucla3_01="2")]
    )
    responses, _ = anonymise(coded, coded.frame.index, KEY, "p1", "survey")
    keys = responses["response_key"].tolist()
    assert keys[0] == keys[1] != keys[2]


def test_dont_know_is_kept_apart_from_missing():
    coded = export([row(ucla3_02="dk")])
    _, items = anonymise(coded, coded.frame.index, KEY, "p1", "survey")
    assert items["answer_status"].tolist() == ["answered", "dont_know", "answered"]
    assert items["raw_value"].isna().tolist() == [False, True, False]


def test_platform_participant_ids_are_keyed_apart_from_codes():
    coded = export([row(participant_id="panel-1001"), row(participant_id=None, response_id="R_x")])
    responses, _ = anonymise(coded, coded.frame.index, KEY, "p1", "survey")
    keys = responses["participant_id_key"].tolist()
    assert keys[0] and keys[1] is None and "panel" not in keys[0]
    assert keys[0] != responses["participant_key"].iloc[0]
