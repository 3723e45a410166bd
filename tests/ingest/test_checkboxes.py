"""Google Forms checkbox answers joined in one cell, split only against the declared options."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from pipeline.config import SgicElement, Survey
from pipeline.errors import DataError
from pipeline.ingest.checkboxes import UNKNOWN_OPTION, split_checkbox
from pipeline.ingest.columns import column_warnings
from pipeline.ingest.mapping import code_export
from pipeline.ingest.readers import read_export
from pipeline.survey_config import Checkbox
from tests.ingest.community import community_programme, community_source

QUESTION = "Who have you talked to about mental health? (tick all that apply)"
OPTIONS = [
    "Friend or family member",
    "Myself",
    "A colleague",
    "A colleague, at work",  # holds the separator, and starts like another option
    "Anxiety Disorder (Generalized, Social, Phobia, etc)",  # OSMI 2016's option text
]
BOX = Checkbox(options=OPTIONS)
KEYS = [f"{QUESTION} | {option}" for option in OPTIONS]


def split(cells: list[str], box: Checkbox = BOX) -> pd.DataFrame:
    result = split_checkbox(pd.Series(cells, index=range(2, 2 + len(cells))), QUESTION, box)
    return pd.DataFrame(result.columns).assign(unknown=result.unknown)


def test_an_option_containing_the_separator_stays_whole() -> None:
    frame = split(["A colleague, at work", "A colleague, Myself", "Myself, A colleague, at work"])
    assert frame[KEYS[2]].tolist() == ["0", "1", "0"]  # "A colleague" alone only in row 3
    assert frame[KEYS[3]].tolist() == ["1", "0", "1"]
    assert frame[KEYS[1]].tolist() == ["0", "1", "1"]
    assert not frame["unknown"].any()


def test_matching_ignores_case_spacing_and_curly_quotes() -> None:
    box = Checkbox(options=["Don't know anyone", "Myself"])
    frame = split(["  MYSELF ,  don\u2019t  know anyone"], box)
    assert frame.iloc[0, :2].tolist() == ["1", "1"]


def test_a_blank_cell_is_not_answered_rather_than_nothing_ticked() -> None:
    frame = split(["", "   ", "Myself"])
    assert frame[KEYS[0]].tolist() == [None, None, "0"]
    assert frame[KEYS[1]].tolist() == [None, None, "1"]


def test_an_unknown_option_is_reported_never_guessed() -> None:
    frame = split(["Myself, My dog", "My dog", "Friend", "Myself,Friend or family member"])
    # "Friend" is only the start of an option, and ", " is not optional inside options
    assert frame["unknown"].tolist() == [True, True, True, False]
    assert frame[KEYS[1]].tolist() == [UNKNOWN_OPTION] * 3 + ["1"]
    assert (frame.loc[2:4, KEYS] == UNKNOWN_OPTION).all().all()


def test_with_other_an_unknown_answer_ticks_other_and_its_text_is_not_kept() -> None:
    box = Checkbox(options=["Myself", "A colleague, at work"], other=True)
    frame = split(["Myself, my neighbour Jo Bloggs", "A colleague, at work", ""], box)
    assert frame[f"{QUESTION} | Other"].tolist() == ["1", "0", None]
    assert frame[f"{QUESTION} | Myself"].tolist() == ["1", "0", None]
    assert "Jo Bloggs" not in frame.astype(str).to_numpy()


@pytest.mark.parametrize(("separator", "cell"), [(";", "Myself;Friend or family member"),
                                                 ("|", "Myself | Friend or family member"),
                                                 (" ", "myself friend")])  # fmt: skip
def test_other_separators(separator: str, cell: str) -> None:
    options = ["Myself", "Friend"] if separator == " " else ["Myself", "Friend or family member"]
    frame = split([cell], Checkbox(options=options, separator=separator))
    assert frame.iloc[0, :2].tolist() == ["1", "1"]


@given(st.lists(st.sampled_from(range(len(OPTIONS))), unique=True))
def test_any_set_of_ticked_options_splits_back_exactly(ticked: list[int]) -> None:
    # "A colleague" and "A colleague, at work" are ambiguous together; keep the longer one
    chosen = [i for i in ticked if not (i == 2 and 3 in ticked)]
    cell = ", ".join(OPTIONS[i] for i in chosen)
    frame = split([cell])
    expected = [None] * len(OPTIONS) if not chosen else [
        "1" if i in chosen else "0" for i in range(len(OPTIONS))
    ]  # fmt: skip
    assert frame.loc[2, KEYS].tolist() == expected


# --- the config -------------------------------------------------------------------------------


def survey(**changes) -> Survey:
    base = {
        "format": "google_forms",
        "values": "labels",
        "submitted_at": "Timestamp",
        "date_order": "mdy",
        "participant_id": "Your staff number",
        "items": {KEYS[0]: "ribs_reported_01", KEYS[1]: "ribs_reported_02"},
        "checkboxes": {QUESTION: {"options": OPTIONS}},
    }
    return Survey.model_validate(base | changes)


def test_a_mapped_option_must_be_one_of_the_declared_options() -> None:
    with pytest.raises(ValidationError, match=r"'.* \| Myselve' is not one of the options"):
        survey(items={f"{QUESTION} | Myselve": "ribs_reported_01"})


def test_options_must_be_distinct_once_normalised() -> None:
    with pytest.raises(ValidationError, match="options must be distinct"):
        Checkbox(options=["Myself", " myself"])
    with pytest.raises(ValidationError, match="options must be distinct"):
        Checkbox(options=["Other", "Myself"], other=True)


def test_the_checkbox_column_cannot_also_be_an_item() -> None:
    with pytest.raises(ValidationError, match="columns mapped more than once"):
        survey(items={QUESTION: "ribs_reported_01"})


# --- through the mapping, from a Google Forms CSV ----------------------------------------------

PROGRAMME = community_programme("ribs_reported")
SOURCE = community_source("forms.csv", survey="forms", wave="pre")


def forms_csv(write, cells: list[str]) -> Path:
    lines = [f'Timestamp,Your staff number,"{QUESTION}",Anything else?']
    lines += [f'3/14/2025 10:0{n}:00,S{n},"{cell}",' for n, cell in enumerate(cells)]
    return write("forms.csv", "\n".join(lines) + "\n")


def test_a_google_forms_checkbox_lands_as_one_ticked_item_per_option(write, instruments):
    path = forms_csv(write, ["Myself, A colleague, at work", "", "Myself, My dog"])
    raw = read_export(path)
    assert raw.detection.format == "google_forms"
    coded = code_export(raw, survey(), SOURCE, PROGRAMME, instruments, "forms.csv")
    assert coded.frame["ribs_reported_01"].tolist() == ["0", None, UNKNOWN_OPTION]
    assert coded.frame["ribs_reported_02"].tolist() == ["1", None, UNKNOWN_OPTION]
    assert coded.source_columns["ribs_reported_02"] == KEYS[1]
    assert coded.notes[0].startswith(
        f"checkbox_unknown_option: column '{QUESTION[:59]}…': 1 row (row 4) with an answer"
    )
    assert "My dog" not in " ".join(coded.notes)
    # the checkbox column is read, so it is not reported as a new column; the other is
    assert column_warnings(raw, coded) == [
        "columns_not_read: 1 column(s) are not in the survey mapping and were not read (new "
        "questions, or renamed ones?): 'Anything else?'"
    ]


def test_a_missing_checkbox_column_fails_the_file_naming_it(write, instruments):
    path = write("forms.csv", "Timestamp,Your staff number\n3/14/2025 10:00:00,S1\n")
    with pytest.raises(DataError, match=r"missing_column: .*'Who have you talked to"):
        code_export(read_export(path), survey(), SOURCE, PROGRAMME, instruments, "forms.csv")


def test_option_columns_can_be_attributes(write, instruments):
    attribute = {"column": KEYS[1], "name": "talked_self", "kind": "category",
                 "groups": {"1": "yes", "0": "no"}}  # fmt: skip
    mapped = survey(quasi_identifiers=[attribute], items={KEYS[0]: "ribs_reported_01"})
    path = forms_csv(write, ["Myself", "Friend or family member", ""])
    coded = code_export(read_export(path), mapped, SOURCE, PROGRAMME, instruments, "forms.csv")
    assert coded.attributes["talked_self"].tolist() == ["yes", "no", None]


def test_the_sgic_elements_still_read_beside_checkboxes(write, instruments):
    text = f'Timestamp,Initial,Month,"{QUESTION}"\n3/14/2025 10:00:00,k,March,Myself\n'
    mapped = survey(
        participant_id=None,
        sgic=[SgicElement(column="Initial", name="i", kind="letter"),
              SgicElement(column="Month", name="m", kind="month")],
    )  # fmt: skip
    coded = code_export(
        read_export(write("f.csv", text)), mapped, SOURCE, PROGRAMME, instruments, "f.csv"
    )
    assert coded.frame["sgic_code"].tolist() == ["k|03"]
    assert coded.frame["ribs_reported_02"].tolist() == ["1"]
