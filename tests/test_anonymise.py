"""pipeline.anonymise: only keyed pseudonyms, coarse dates and codes leave it."""

import pandas as pd

from pipeline.anonymise import anonymise, participant_keys
from pipeline.ingest.mapping import CodedExport
from pipeline.keys import Key

KEY = Key(b"k" * 32)
ITEMS = ["ucla3_01", "ucla3_02", "ucla3_03"]


def export(rows: list[dict]) -> CodedExport:
    frame = pd.DataFrame(rows, index=pd.Index(range(2, 2 + len(rows)), name="source_row_number"))
    return CodedExport(frame=frame.astype("object"), source_columns={}, item_ids=ITEMS)


def row(**changes):
    base = {
        "response_id": "R_abc",
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
    text = " ".join(written.astype(str).to_numpy().ravel())
    assert "R_abc" not in text and "k|03|p|2" not in text and "09:03" not in text
    assert written.loc[2, "submitted_month"].isoformat() == "2025-03-01"
    assert items["raw_value"].tolist() == [1, pd.NA, 3]
    assert items["item_id"].tolist() == ITEMS


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
