"""pipeline.scaffold.guess and .blocks: the guesses `ripple init` makes, one rule at a time."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.scaffold import guess
from pipeline.scaffold.blocks import Column, blocks, match_blocks


@pytest.mark.parametrize(
    ("name", "wave"),
    [
        ("workplace_pre.csv", "pre"),
        ("Workplace-POST-2025.xlsx", "post"),
        ("schools_follow-up.csv", "followup"),
        ("schools_followup.csv", "followup"),
        ("baseline survey.csv", "pre"),
        ("enquête_après.csv", "post"),
        ("responses.csv", None),
        ("pre_and_post.csv", None),  # names two waves: never guessed
    ],
)
def test_waves_from_file_names(name, wave):
    assert guess.wave_of(Path(name).stem) == wave


def test_programmes_from_file_names_without_wave_and_platform_words():
    assert guess.programme_of(Path("Peer_Support_pre_Qualtrics.csv")) == "peer_support"
    assert guess.programme_of(Path("pre.csv")) == "programme"


@pytest.mark.parametrize(
    ("question", "element"),
    [
        ("What is the first letter of your mother's first name?", ("mother_initial", "letter")),
        ("In which month were you born?", ("birth_month", "month")),
        ("How many older brothers or sisters do you have?", ("older_siblings", "number")),
        ("How old are you?", None),
    ],
)
def test_self_generated_code_questions(question, element):
    assert guess.sgic_element(question) == element


def test_test_sessions_are_recognised():
    assert guess.looks_like_test("Test session - please ignore")
    assert guess.looks_like_test("WP-TEST")
    assert not guess.looks_like_test("Leeds - Park View School, 14 Jan 2025")


def column(key, text, values):
    return Column(key, text, pd.Series(values, dtype="object"))


def test_blocks_follow_the_question_stem_of_each_platform():
    columns = [
        column("QID5_1", "Attitudes - Statement 1", []),
        column("QID5_2", "Attitudes - Statement 2", []),
        column("Q [a]", "Grid [a]", []),
        column("Q [b]", "Grid [b]", []),
        column("cami_1", "cami_1", []),
        column("cami_2", "cami_2", []),
        column("g/q1", "g/q1", []),
        column("g/q2", "g/q2", []),
    ]
    assert [len(b) for b in blocks(columns)] == [2, 2, 2, 2]


def test_a_block_is_matched_by_the_instrument_it_names(instruments):
    block = [column(f"QID5_{n}", f"MAKS - Statement {n}", ["1", "3", "5"]) for n in range(1, 13)]
    mapping, outcomes = match_blocks(block, instruments)
    assert mapping["QID5_1"] == "maks_01" and mapping["QID5_12"] == "maks_12"
    assert outcomes[0].instrument == "maks"


def test_a_block_that_fits_several_instruments_is_left_for_a_person(instruments):
    block = [column(f"Q{n}", f"Block - Statement {n}", ["1", "3", "5"]) for n in range(1, 13)]
    mapping, outcomes = match_blocks(block, instruments)
    assert mapping == {}
    assert "equally well" in outcomes[0].reason and "cami12" in outcomes[0].reason


def test_labels_and_size_pick_an_instrument_even_unnamed(instruments):
    labels = ["Strongly agree", "Agree", "Disagree", "Don't know"]
    block = [column(f"Q{n}", f"Grid [Row {n}]", labels) for n in range(1, 5)]
    mapping, _ = match_blocks(block, instruments)
    assert list(mapping.values()) == ["ribs_05", "ribs_06", "ribs_07", "ribs_08"]


def test_public_item_wording_matches_single_questions(instruments):
    text = "How often do you feel that you lack companionship?"
    mapping, _ = match_blocks([column("q7", text, ["1", "2"])], instruments)
    assert mapping == {"q7": "ucla3_01"}
