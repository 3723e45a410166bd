"""pipeline.sgic: harmless differences still link; real typos and blanks do not."""

import pytest

from pipeline.sgic import normalise_code, normalise_element

KINDS = ["letter", "month", "letter", "number"]


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (" k ", "letter", "k"),
        ("Kate", "letter", "k"),
        ("Élodie", "letter", "e"),
        ("3", "letter", None),
        ("", "letter", ""),
        ("3", "month", "03"),
        ("03", "month", "03"),
        ("March", "month", "03"),
        ("sept.", "month", "09"),
        ("13", "month", None),
        ("02", "number", "2"),
        ("two", "number", None),
    ],
)
def test_elements_normalise(value, kind, expected):
    assert normalise_element(value, kind) == expected


def test_harmless_variants_give_one_code():
    a = normalise_code(["K", "3", "P", "2"], KINDS)
    b = normalise_code([" k", "March", "p ", "02"], KINDS)
    assert a == b == ("k|03|p|2", "ok")


def test_a_typo_gives_another_code():
    assert (
        normalise_code(["K", "3", "Q", "2"], KINDS)[0]
        != normalise_code(["K", "3", "P", "2"], KINDS)[0]
    )


def test_blank_and_invalid_codes_are_never_partial():
    """A partial code would link strangers, so none is returned."""
    assert normalise_code(["K", "", "P", "2"], KINDS) == (None, "missing")
    assert normalise_code(["K", "14", "P", "2"], KINDS) == (None, "invalid")


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
