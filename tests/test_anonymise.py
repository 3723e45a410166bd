"""pipeline.anonymise: only keyed pseudonyms, coarse dates and codes leave it."""

import datetime as dt

import pandas as pd

from pipeline.anonymise import (
    LINK_KEY_COLUMNS,
    anonymise,
    item_rows,
    link_key_columns,
    link_key_rows,
    link_keys,
    participant_keys,
)
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


def test_each_leave_one_out_variant_is_keyed_in_its_own_domain():
    """Two codes one element apart share the digest of that element's variant only, and a
    variant's digest differs from the full code's and from the same text at another position
    or in another programme."""
    coded = export(
        [
            row(sgic_variant_1="*|03|p|2", sgic_variant_2="k|*|p|2"),
            row(response_id="R_b", sgic_variant_1="*|04|p|2", sgic_variant_2="k|*|p|2"),
            row(response_id="R_c", sgic_variant_1=None, sgic_variant_2="k|*|p|2"),
        ]
    )
    responses, _ = anonymise(coded, coded.frame.index, KEY, "p1", "survey")
    first, second = responses["link_key_1"].tolist(), responses["link_key_2"].tolist()
    assert first[0] != first[1] and first[2] is None
    assert second[0] == second[1] == second[2]
    assert second[0] not in responses["participant_key"].tolist()
    assert link_keys(coded.frame, KEY, "p2")["link_key_2"].iloc[0] != second[0]
    swapped = coded.frame.assign(sgic_variant_1=coded.frame["sgic_variant_2"])
    assert link_keys(swapped, KEY, "p1")["link_key_1"].iloc[0] != second[0]
    text = " ".join(map(str, responses.to_numpy().ravel()))
    assert "k|*|p|2" not in text and "*|03" not in text


def test_link_keys_land_as_one_row_per_response_and_variant():
    coded = export(
        [
            row(sgic_variant_1="*|03|p|2", sgic_variant_2="k|*|p|2"),
            row(response_id="R_c", sgic_variant_1=None, sgic_variant_2="k|*|p|2"),
        ]
    )
    responses, _ = anonymise(coded, coded.frame.index, KEY, "p1", "survey")
    rows = link_key_rows(responses, ["mother_initial", "birth_month"])
    assert list(rows.columns) == LINK_KEY_COLUMNS
    found = zip(rows["source_row_number"], rows["variant"], rows["element"], strict=True)
    assert sorted(found) == [
        (2, 1, "mother_initial"),
        (2, 2, "birth_month"),
        (3, 2, "birth_month"),
    ]
    assert link_key_columns(responses) == ["link_key_1", "link_key_2"]


def test_the_code_digest_is_the_documented_hmac():
    """HMAC-SHA256(key, "v1|sgic|<programme>|<code>"), truncated to 128 bits: the digest
    earlier warehouses hold, so that new waves still link to them."""
    import hashlib
    import hmac

    expected = hmac.new(KEY.secret, b"v1|sgic|p1|k|03|p|2", hashlib.sha256).hexdigest()[:32]
    assert participant_keys(pd.Series(["k|03|p|2"]), KEY, "p1")[0] == expected


def test_item_rows_are_the_melted_answers_item_by_item():
    codes = pd.DataFrame(
        {"q2": ["3", None, "1"], "q1": [None, "2", "5"]}, index=pd.Index([7, 9, 12])
    )
    dont_know = pd.DataFrame(
        {"q2": [False, True, False], "q1": [False, False, False]}, index=codes.index
    )
    keys = pd.Series(["k7", "k9", "k12"], index=codes.index)
    rows = item_rows(codes, dont_know, keys)
    expected = pd.DataFrame(
        {
            "source_row_number": [7, 9, 12, 7, 9, 12],
            "response_key": ["k7", "k9", "k12"] * 2,
            "item_id": ["q2"] * 3 + ["q1"] * 3,
            "raw_value": pd.array([3, None, 1, None, 2, 5], dtype="Int16"),
            "answer_status": [
                "answered",
                "dont_know",
                "answered",
                "missing",
                "answered",
                "answered",
            ],
        }
    )
    got = rows.astype({"response_key": object, "item_id": object, "answer_status": object})
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert rows["raw_value"].dtype == "Int16" and rows["item_id"].dtype == "category"
