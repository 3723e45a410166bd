"""The linkage rules, one case each: exact first, then one differing element only when the pair
is unique on both sides and agrees on the stable covariates, within the cohort window; ambiguous
candidates are never linked and are counted (scored.response_linkage, linked_pairs,
mart_linkage, mart_linkage_by_cohort)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipeline.config import Linkage, SgicElement


def answers(*rows: tuple) -> pd.DataFrame:
    """(response id, cohort, wave, e1, e2, e3, e4[, covariate]) -> a frame for link_answers."""
    columns = ["response_id", "cohort_id", "wave_id", "e1", "e2", "e3", "e4", "c1"]
    frame = pd.DataFrame([list(r) + [None] * (8 - len(r)) for r in rows], columns=columns)
    return frame.assign(programme_id="p1")


def pairs(con) -> set[tuple[str, str, str]]:
    return set(
        con.execute(
            "select from_response_key, to_response_key, match_type from linked_pairs"
        ).fetchall()
    )


def statuses(con) -> dict[str, str]:
    return dict(con.execute("select response_key, link_status from response_linkage").fetchall())


def test_exact_codes_link_first_and_harmless_variants_do_not_matter(link_answers):
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2"),
            ("a-post", "c1", "post", " k", "March", "p.", "two"),
        )
    )
    assert pairs(con) == {("a-pre", "a-post", "exact")}


def test_one_mistyped_element_links_and_names_the_element(link_answers):
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2"),
            ("a-post", "c1", "post", "K", "4", "P", "2"),
            ("b-pre", "c1", "pre", "M", "7", "S", "0"),
            ("b-post", "c1", "post", "M", "7", "S", "0"),
        )
    )
    assert pairs(con) == {("a-pre", "a-post", "one_element"), ("b-pre", "b-post", "exact")}
    differing = con.execute(
        "select differing_element from linked_pairs where match_type = 'one_element'"
    ).fetchone()
    assert differing == ("e2",)


def test_two_differing_elements_never_link(link_answers):
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2"),
            ("a-post", "c1", "post", "K", "4", "Q", "2"),
        )
    )
    assert pairs(con) == set()
    assert statuses(con) == {"a-post": "unmatched"}


def test_a_later_response_near_two_baseline_codes_is_ambiguous_and_counted(link_answers):
    """K|04|P|2 is one element from both K|03|P|2 and K|05|P|2: never guess which."""
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2"),
            ("b-pre", "c1", "pre", "K", "5", "P", "2"),
            ("x-post", "c1", "post", "K", "4", "P", "2"),
        )
    )
    assert pairs(con) == set()
    assert statuses(con) == {"x-post": "ambiguous"}
    row = con.execute(
        "select n_responses, n_linked, n_one_element, n_ambiguous from mart_linkage"
    ).fetchone()
    assert row == (1, 0, 0, 1)


def test_a_baseline_response_near_two_later_codes_is_ambiguous(link_answers):
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2"),
            ("x-post", "c1", "post", "K", "4", "P", "2"),
            ("y-post", "c1", "post", "K", "3", "P", "3"),
        )
    )
    assert pairs(con) == set()
    assert statuses(con) == {"x-post": "ambiguous", "y-post": "ambiguous"}


def test_a_shared_code_is_ambiguous_at_every_stage(link_answers):
    """Two baseline responses with the same code: not linked exactly, nor one element away."""
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2"),
            ("b-pre", "c1", "pre", "K", "3", "P", "2"),
            ("x-post", "c1", "post", "K", "3", "P", "2"),
        )
    )
    assert pairs(con) == set()
    assert statuses(con) == {"x-post": "ambiguous"}


def test_an_exact_link_takes_its_responses_out_of_the_fuzzy_pool(link_answers):
    """b-pre is one element from a-post, but a-post is a-pre's exact match."""
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2"),
            ("a-post", "c1", "post", "K", "3", "P", "2"),
            ("b-pre", "c1", "pre", "K", "3", "P", "3"),
            ("c-post", "c1", "post", "K", "3", "Q", "3"),
        )
    )
    assert pairs(con) == {("a-pre", "a-post", "exact"), ("b-pre", "c-post", "one_element")}


def test_a_blank_element_links_on_the_others(link_answers):
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2"),
            ("a-post", "c1", "post", "K", "don't know", "P", "2"),
            ("b-pre", "c1", "pre", "M", "7", "S", "0"),
            ("b-post", "c1", "post", "", "", "S", "0"),
        )
    )
    assert pairs(con) == {("a-pre", "a-post", "one_element")}
    assert statuses(con)["b-post"] == "no_code"


def test_fuzzy_false_restricts_linkage_to_exact_matches(link_answers):
    frame = answers(
        ("a-pre", "c1", "pre", "K", "3", "P", "2"),
        ("a-post", "c1", "post", "K", "4", "P", "2"),
        ("b-pre", "c1", "pre", "M", "7", "S", "0"),
        ("b-post", "c1", "post", "M", "7", "S", "0"),
    )
    con = link_answers(frame, linkage=Linkage(fuzzy=False))
    assert pairs(con) == {("b-pre", "b-post", "exact")}
    row = con.execute(
        "select n_linked, n_exact, n_one_element, is_fuzzy_linkage, link_rate, exact_link_rate "
        "from mart_linkage"
    ).fetchone()
    assert row == (1, 1, 0, False, 0.5, 0.5)
    fuzzy = link_answers(frame)
    row = fuzzy.execute(
        "select n_linked, n_one_element, is_fuzzy_linkage, link_rate, exact_link_rate "
        "from mart_linkage"
    ).fetchone()
    assert row == (2, 1, True, 1.0, 0.5)


GENDER = SgicElement(column="g", name="gender", kind="text", values={"f": "woman", "m": "man"})


@pytest.mark.parametrize(
    ("later_gender", "linked"),
    [("Woman", True), ("f", True), ("man", False), ("", False)],
)
def test_a_one_element_link_must_agree_on_the_stable_covariates(link_answers, later_gender, linked):
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2", "woman"),
            ("a-post", "c1", "post", "K", "4", "P", "2", later_gender),
        ),
        covariates=(GENDER,),
    )
    assert pairs(con) == ({("a-pre", "a-post", "one_element")} if linked else set())


def test_covariates_never_stop_an_exact_link(link_answers):
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "3", "P", "2", "woman"),
            ("a-post", "c1", "post", "K", "3", "P", "2", "prefer not to say"),
        ),
        covariates=(GENDER,),
    )
    assert pairs(con) == {("a-pre", "a-post", "exact")}


def test_codes_link_within_the_cohort_window_only(link_answers):
    frame = answers(
        ("a-pre", "c1", "pre", "K", "3", "P", "2"),
        ("a-post", "c2", "post", "K", "3", "P", "2"),
        ("b-pre", "c1", "pre", "M", "7", "S", "0"),
        ("b-post", "c2", "post", "M", "8", "S", "0"),
        ("d-pre", "c1", "pre", "T", "1", "A", "4"),
        ("d-post", "c3", "post", "T", "1", "A", "4"),
    )
    dates = {"c1": dt.date(2025, 1, 10), "c2": dt.date(2025, 1, 24), "c3": dt.date(2025, 6, 1)}
    same_cohort = link_answers(frame, cohort_dates=dates)
    assert pairs(same_cohort) == set()
    window = link_answers(frame, cohort_dates=dates, linkage=Linkage(cohort_window_days=14))
    assert pairs(window) == {("a-pre", "a-post", "exact"), ("b-pre", "b-post", "one_element")}


def test_a_code_held_by_someone_elses_record_is_not_a_typo(link_answers):
    """The pattern of the sample's only near miss: x answered post and follow-up with the
    same code, one element from a's; a is linked at post, so x's follow-up is not a's."""
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "7", "J", "0"),
            ("a-post", "c1", "post", "K", "7", "J", "0"),
            ("x-post", "c1", "post", "K", "5", "J", "0"),
            ("x-fu", "c1", "followup", "K", "5", "J", "0"),
        )
    )
    assert pairs(con) == {("a-pre", "a-post", "exact")}
    assert statuses(con) == {"a-post": "exact", "x-post": "unmatched", "x-fu": "ambiguous"}


def test_the_same_typo_at_two_later_waves_links_both(link_answers):
    con = link_answers(
        answers(
            ("a-pre", "c1", "pre", "K", "7", "J", "0"),
            ("a-post", "c1", "post", "K", "5", "J", "0"),
            ("a-fu", "c1", "followup", "K", "5", "J", "0"),
        )
    )
    assert pairs(con) == {("a-pre", "a-post", "one_element"), ("a-pre", "a-fu", "one_element")}


def test_a_two_element_code_never_links_on_one_element(link_answers):
    frame = pd.DataFrame(
        {
            "response_id": ["a-pre", "a-post"],
            "cohort_id": "c1",
            "wave_id": ["pre", "post"],
            "e1": ["K", "K"],
            "e2": ["3", "4"],
            "programme_id": "p1",
        }
    )
    con = link_answers(frame, elements=("letter", "month"))
    assert pairs(con) == set()
    assert con.execute("select count(*) from response_link_keys").fetchone() == (0,)


def test_the_platform_id_links_first_and_its_responses_leave_the_code_pool(link_answers):
    frame = answers(
        ("a-pre", "c1", "pre", "K", "3", "P", "2"),
        ("a-post", "c1", "post", "K", "3", "P", "3"),
        ("b-post", "c1", "post", "K", "3", "P", "4"),
    ).assign(participant_id=["id-1", "id-1", None])
    con = link_answers(frame)
    assert pairs(con) == {("a-pre", "a-post", "participant_id")}
    assert statuses(con)["b-post"] == "unmatched"


def test_link_rates_per_cohort_and_wave_by_match_type(link_answers):
    rows = []
    for cohort, n_exact, n_typo in (("c1", 12, 2), ("c2", 10, 0)):
        for i in range(n_exact + n_typo):
            letter, month = "abcdefghijklmnopqrstuvwxyz"[i], str(i % 12 + 1)
            rows.append((f"{cohort}-{i}-pre", cohort, "pre", letter, month, "p", str(i % 5)))
            typo = "z" if i >= n_exact else "p"
            rows.append((f"{cohort}-{i}-post", cohort, "post", letter, month, typo, str(i % 5)))
    con = link_answers(answers(*rows))
    found = con.execute(
        "select cohort_id, wave_id, n_responses, n_linked, n_exact, n_one_element, n_ambiguous, "
        "link_rate, exact_link_rate, is_suppressed from mart_linkage_by_cohort order by all"
    ).fetchall()
    assert found == [
        ("c1", "post", 14, 14, 12, 2, 0, 1.0, pytest.approx(12 / 14), False),
        ("c2", "post", 10, 10, 10, 0, 0, 1.0, 1.0, False),
    ]
