"""Attacks on real releases: a small synthetic project published several times into one
output folder (pipeline.run.run_project), exports added between runs, every extract kept as an
attacker would keep it. Each release is attacked on its own (every total minus its published
breakdowns, all responses minus linked, by linear algebra over every table), against every
earlier release (differences, remainders, hidden cells filled in from before), and swept for
any count of 1..min_cell_size - 1 people. The scenarios are issue 8's."""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb
import pytest

from pipeline.disclosure import HELD, SECONDARY, TOO_FEW
from tests.disclosure.attacker import across, read_release, sweep, within
from tests.disclosure.project import Project

COHORTS = {
    "A": ("North", "2025-01-10"),  # 3 linked people
    "B": ("North", "2025-02-10"),  # 4
    "C": ("South", "2025-03-10"),  # 20
    "D": ("South", "2025-04-10"),  # 25
    "F": ("East", "2025-05-10"),  # 6: its follow-up arrives between two releases
    "G": ("North", "2025-06-10"),  # a later cohort, changing the complementary choices
}


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> list[Path]:
    """Six releases of one project:
    1. pre and post of cohorts of 3, 4, 20, 25 (and 12 in East) linked people, with 2 and 3
       people at post who cannot be linked;
    2. the big cohorts' follow-up;
    3. the follow-up of a small group (6 people) arrives;
    4. a new cohort of 15 in the North (the complementary cells must change);
    5. two late follow-up answers from the smallest cohort;
    6. the same exports again, rebuilt from scratch (--rebuild keeps the ledger).
    """
    root = tmp_path_factory.mktemp("releases")
    project = Project(root / "exports", COHORTS)
    out = root / "out"
    people = {
        c: project.enrol(c, n) for c, n in {"A": 3, "B": 4, "C": 20, "D": 25, "F": 12}.items()
    }
    everyone = [p for group in people.values() for p in group]
    project.export("pre", everyone)
    project.export("post", people["A"] + people["B"] + people["C"], unlinked=2, cohort="C")
    project.export("post", people["D"] + people["F"], unlinked=3, cohort="D")
    kept = [project.publish(out)]
    project.export("followup", people["C"] + people["D"])
    kept.append(project.publish(out))
    project.export("followup", people["F"][:6])
    kept.append(project.publish(out))
    newcomers = project.enrol("G", 15)
    project.export("pre", newcomers)
    project.export("post", newcomers)
    kept.append(project.publish(out))
    project.export("followup", people["A"][:2])
    kept.append(project.publish(out))
    kept.append(project.publish(out, rebuild=True))
    return kept


def rows(path: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def paired(path: Path, level: str, group: str | None, to_wave: str = "post") -> tuple:
    """(n_pairs, mean_improvement, hidden_reason, note) of a paired_stats row, baseline ->
    to_wave, on the RIBS scale."""
    column = {"programme": "programme_id", "site": "site", "cohort": "cohort_id"}[level]
    found = rows(
        path,
        f"select n_pairs, mean_improvement, hidden_reason, note from paired_stats "
        f"where level = ? and {column} = ? and from_wave = 'pre' and to_wave = ?",
        level,
        group or "p",
        to_wave,
    )
    assert len(found) == 1, (level, group, to_wave)
    return found[0]


def test_each_release_resists_subtraction_within_itself(releases):
    for number, path in enumerate(releases, 1):
        assert within(read_release(path)) == [], f"release {number}"


def test_no_release_can_be_subtracted_from_an_earlier_one(releases):
    kept = [read_release(path) for path in releases]
    for (i, first), (j, second) in itertools.combinations(enumerate(kept, 1), 2):
        assert across(first, second) == [], f"releases {i} and {j}"


def test_no_published_number_describes_a_small_group(releases):
    for number, path in enumerate(releases, 1):
        assert sweep(path) == [], f"release {number}"


def test_pooled_small_cohorts_stay_hidden_with_the_right_reasons(releases):
    """Cohorts of 3, 4, 20 and 25 linked people: the two small ones are 'too few people'; the
    programme total minus the visible cohorts never gives their pooled 7."""
    first = releases[0]
    assert paired(first, "cohort", "A")[2] == TOO_FEW
    assert paired(first, "cohort", "B")[2] == TOO_FEW
    assert paired(first, "programme", None)[0] == 64  # 3 + 4 + 20 + 25 + 12
    visible = rows(
        first,
        "select coalesce(sum(n_pairs), 0) from paired_stats where level = 'cohort' "
        "and from_wave = 'pre' and to_wave = 'post' and hidden_reason is null",
    )[0][0]
    assert 64 - visible >= 10
    hidden_for_others = rows(
        first,
        "select count(*) from paired_stats where level = 'cohort' and hidden_reason = ?",
        SECONDARY,
    )[0][0]
    assert hidden_for_others > 0


def test_unlinked_people_cannot_be_subtracted_from_all_responses(releases):
    """2 and 3 people answered at post but could not be linked: all responses minus linked
    (reach, linkage_quality, wave means against paired means) never gives 2, 3 or 5."""
    for path in releases:
        for responses, linked in rows(
            path,
            "select r.n, l.n from reach as r join reach as l using (level, programme_id, "
            "wave_id) where r.measure = 'responses' and l.measure = 'linked' "
            "and r.site is not distinct from l.site and r.cohort_id is not distinct from "
            "l.cohort_id and r.n is not null and l.n is not null and r.note is null "
            "and l.note is null",
        ):
            assert responses - linked == 0 or responses - linked >= 10
        for scored, pairs in rows(
            path,
            "select m.n, p.n_pairs from wave_means as m join paired_stats as p "
            "on p.level = 'programme' and p.programme_id = m.programme_id "
            "and p.scale_id = m.scale_id and p.from_wave = 'pre' and p.to_wave = m.wave_id "
            "where m.n is not null and p.n_pairs is not null and m.note is null "
            "and p.note is null",
        ):
            assert scored - pairs == 0 or scored - pairs >= 10


def test_a_small_groups_follow_up_is_held_until_enough_new_people(releases):
    """Release 3 adds the follow-up of 6 people: the programme's follow-up numbers keep the
    values of release 2 (a difference would be those 6 people), and say so."""
    before, after = releases[1], releases[2]
    n_before, mean_before, _, _ = paired(before, "programme", None, "followup")
    n_after, mean_after, reason, note = paired(after, "programme", None, "followup")
    assert (n_after, mean_after, reason) == (n_before, mean_before, None)
    assert note == HELD
    assert paired(after, "cohort", "F", "followup")[2] == TOO_FEW


def test_late_answers_do_not_move_published_numbers(releases):
    """Release 5 adds two follow-up answers: every number either stays or is hidden."""
    assert across(read_release(releases[3]), read_release(releases[4])) == []
    changed = rows(
        releases[4],
        "select count(*) from paired_stats where to_wave = 'followup' and note = ?",
        HELD,
    )[0][0]
    assert changed > 0


def test_a_rebuild_continues_the_ledger(releases):
    """--rebuild re-reads every export into a new warehouse, but the extract still reads the
    previous release's ledger: nothing published changes."""
    assert rows(releases[-1], "select value from meta where key = 'previous_run_id'")[0][0]
    last, rebuilt = read_release(releases[-2]), read_release(releases[-1])
    both = last.shown.keys() & rebuilt.shown.keys()
    assert len(both) > 100
    assert {c: last.shown[c] for c in both} == {c: rebuilt.shown[c] for c in both}


def test_the_ledger_holds_no_small_count_in_the_clear(releases):
    for path in releases:
        hidden_counts = rows(
            path, "select count(*) from disclosure_ledger where state = 'hidden' and n is not null"
        )[0][0]
        assert hidden_counts == 0
        sealed = rows(path, "select sealed from disclosure_ledger where sealed is not null")
        assert sealed and all(len(s) >= 20 and not s.isdigit() for (s,) in sealed)
