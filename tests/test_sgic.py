"""pipeline.sgic: harmless differences still link; real typos and blanks do not link exactly,
and the leave-one-element-out variants are what one-element linkage compares."""

import itertools

import pandas as pd
import pytest
from pydantic import ValidationError

from pipeline.config import SgicElement
from pipeline.sgic import (
    DONT_KNOW,
    MONTHS,
    NUMBER_WORDS,
    code_fields,
    masked_codes,
    normalise_code,
    normalise_element,
)

KINDS = ["letter", "month", "letter", "number"]


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (" k ", "letter", "k"),
        ("Kate", "letter", "k"),
        ("Élodie", "letter", "e"),
        ("'K", "letter", "k"),
        ("3", "letter", None),
        ("Жанна", "letter", None),
        ("", "letter", ""),
        (None, "letter", ""),
        ("3", "month", "03"),
        ("03", "month", "03"),
        ("3.0", "month", "03"),
        ("March", "month", "03"),
        ("sept.", "month", "09"),
        ("13", "month", None),
        ("02", "number", "2"),
        ("2.0", "number", "2"),
        ("two", "number", "2"),
        ("Deux", "number", "2"),
        ("None", "number", "0"),
        ("2+", "number", None),
        ("1987", "year", "1987"),
        ("87", "year", None),
        ("Non-binary", "text", "nonbinary"),
    ],
)
def test_elements_normalise(value, kind, expected):
    assert normalise_element(value, kind) == expected


@pytest.mark.parametrize("answer", ["Don't know", "don’t know", "DK", "?", "Prefer not to say"])
def test_dont_know_answers_count_as_blank(answer):
    assert normalise_element(answer, "letter") == ""
    assert normalise_element(answer, "month") == ""


def test_word_tables_list_no_word_twice():
    assert len(NUMBER_WORDS) == len(set(NUMBER_WORDS))
    assert not set(DONT_KNOW) & (set(MONTHS) | set(NUMBER_WORDS))


def test_element_options():
    two_letters = SgicElement(column="c", name="mother", kind="letter", letters=2)
    assert normalise_element("O'Neill", two_letters) == "on"
    assert normalise_element("K", two_letters) == "k"
    band = SgicElement(column="c", name="born", kind="year", band=5)
    assert normalise_element("1987", band) == "1985"
    own_missing = SgicElement(column="c", name="siblings", kind="number", missing=["x", "N/K"])
    assert normalise_element("n/k", own_missing) == ""
    mapped = SgicElement(column="c", name="gender", kind="text", values={"F": "woman"})
    assert normalise_element("f", mapped) == normalise_element("Woman", mapped) == "woman"


def test_options_must_fit_the_kind():
    with pytest.raises(ValidationError, match="letters"):
        SgicElement(column="c", name="m", kind="month", letters=2)
    with pytest.raises(ValidationError, match="band"):
        SgicElement(column="c", name="m", kind="number", band=5)


def test_harmless_variants_give_one_code():
    a = normalise_code(["K", "3", "P", "2"], KINDS)
    b = normalise_code([" k", "March", "p ", "two"], KINDS)
    assert a == b == ("k|03|p|2", "ok")


def test_a_typo_gives_another_code():
    assert (
        normalise_code(["K", "3", "Q", "2"], KINDS)[0]
        != normalise_code(["K", "3", "P", "2"], KINDS)[0]
    )


def test_blank_and_invalid_codes_are_never_partial():
    """A partial code would link strangers exactly, so none is returned."""
    assert normalise_code(["K", "", "P", "2"], KINDS) == (None, "missing")
    assert normalise_code(["K", "14", "P", "2"], KINDS) == (None, "invalid")


def test_codes_one_element_apart_share_exactly_one_variant():
    a = masked_codes(["K", "3", "P", "2"], KINDS)
    b = masked_codes(["K", "4", "P", "2"], KINDS)
    c = masked_codes(["K", "4", "Q", "2"], KINDS)
    assert a == {1: "*|03|p|2", 2: "k|*|p|2", 3: "k|03|*|2", 4: "k|03|p|*"}
    assert set(a.items()) & set(b.items()) == {(2, "k|*|p|2")}
    assert not set(a.items()) & set(c.items())


def test_one_blank_element_keeps_only_its_variant_and_two_keep_none():
    assert masked_codes(["K", "", "P", "2"], KINDS) == {2: "k|*|p|2"}
    assert masked_codes(["K", "13", "P", "2"], KINDS) == {2: "k|*|p|2"}
    assert masked_codes(["K", "", "P", ""], KINDS) == {}


def test_no_variants_for_codes_too_short_to_link_on_the_rest():
    assert masked_codes(["K", "3"], ["letter", "month"]) == {}


def test_covariates_are_part_of_every_variant_and_required():
    gender = SgicElement(column="g", name="gender", kind="text")
    with_cov = masked_codes(["K", "3", "P", "2"], KINDS, ["Woman"], [gender])
    assert with_cov[2] == "k|*|p|2|covariates|gender=woman"
    assert masked_codes(["K", "3", "P", "2"], KINDS, [""], [gender]) == {}


def test_the_vectorised_columns_agree_with_the_scalar_rules():
    answers = [["K", "", "Жанна", "m"], ["3", "March", "13", ""], ["P", "?", "q"], ["2", "two"]]
    rows = list(itertools.product(*answers))
    columns = [pd.Series([r[i] for r in rows]) for i in range(4)]
    fields = code_fields(columns, KINDS, columns[0].index)
    for n, row in enumerate(rows):
        assert (fields["sgic_code"][n], fields["sgic_status"][n]) == normalise_code(row, KINDS)
        variants = {
            i: fields[f"sgic_variant_{i}"][n]
            for i in range(1, 5)
            if fields[f"sgic_variant_{i}"][n] is not None
        }
        assert variants == masked_codes(row, KINDS)


def test_no_code_configured_gives_missing_codes_and_no_variants():
    fields = code_fields([], [], pd.RangeIndex(3))
    assert fields["sgic_code"].isna().all() and (fields["sgic_status"] == "missing").all()
    assert set(fields) == {"sgic_code", "sgic_status"}


@pytest.mark.parametrize(
    ("answer", "month"),
    [("Février", "02"), ("août", "08"), ("März", "03"), ("dezembro", "12"), ("Mehefin", "06")],
)
def test_month_names_in_other_languages_link(answer, month):
    assert normalise_element(answer, "month") == month


def test_non_ascii_digits_are_invalid_not_an_error():
    # U+1369 is a digit to str.isdigit() but int() rejects it
    assert normalise_element("\u1369", "number") is None
    assert normalise_element("\u1369", "month") is None
