"""Quality rules through whole runs: overlapping exports update changed responses (logged in
response_updates, lineage kept), a file repeated under another name is already_ingested,
flags land with the response, and an implausible file fails the run."""

from __future__ import annotations

import shutil

import duckdb

from pipeline.publish import WAREHOUSE_NAME
from pipeline.run import run_project, validate_project


def counts(report, name: str) -> dict:
    f = next(f for f in report.files if f.label == name)
    return f.summary()


def query(out, sql: str, params=()):
    with duckdb.connect(str(out / WAREHOUSE_NAME), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_a_later_overlapping_export_adds_new_responses_and_updates_changed_ones(tmp_path, qp):
    first = [qp.row("R1"), qp.row("R2"), qp.row("R3")]
    qp.write_csv(tmp_path / "pre_jan.csv", first)
    loaded = qp.project(tmp_path, [{"path": "pre_jan.csv", "wave": "pre"}])
    out = tmp_path / "out"
    assert run_project(loaded, qp.KEY, out).ok
    changed = qp.row("R2", answers=[1, 1, 5, 1, 1, 1, 5, 5, 5, 5, 1, 5], t="2025-03-10 10:30:00")
    later = [qp.row("R1"), changed, qp.row("R3"), qp.row("R4")]
    qp.write_csv(tmp_path / "pre_feb.csv", later)
    loaded = qp.project(
        tmp_path, [{"path": "pre_jan.csv", "wave": "pre"}, {"path": "pre_feb.csv", "wave": "pre"}]
    )
    report = run_project(loaded, qp.KEY, out)
    assert report.ok, [f.error for f in report.files]
    feb = counts(report, "pre_feb.csv")
    assert feb["excluded_by_reason"] == {"already_loaded": 2}
    assert feb["rows_loaded"] == 2 and feb["rows_updated"] == 1
    assert any(w.startswith("updated: 1 response") for w in feb["warnings"])
    assert query(out, "select count(*) from responses") == [(4,)]
    run_id = report.run_id
    (update,) = query(
        out,
        "select u.run_id, u.source_path, u.source_row_number, u.previous_source_row_number, "
        "u.previous_run_id <> u.run_id, r.run_id, r.source_row_number "
        "from response_updates as u join responses as r using (response_key)",
    )
    assert update == (run_id, "pre_feb.csv", 3, 3, True, run_id, 3)
    # the replaced answers are gone, the new ones are there, one row per item
    assert query(
        out,
        "select count(*), sum(raw_value) from item_responses join response_updates "
        "using (response_key)",
    ) == [(12, sum([1, 1, 5, 1, 1, 1, 5, 5, 5, 5, 1, 5]))]
    loaded_rows = query(out, "select sum(rows_loaded) from source_files")[0][0]
    assert loaded_rows == 4 + 1  # count(responses) + count(response_updates)
    # a third run with nothing new changes nothing and logs no update
    report = run_project(loaded, qp.KEY, out)
    assert report.ok and report.totals()["rows_loaded"] == 0
    assert query(out, "select count(*) from response_updates") == [(1,)]


def test_an_older_changed_copy_does_not_replace_a_later_landed_response(tmp_path, qp):
    qp.write_csv(tmp_path / "a.csv", [qp.row("R1", t="2025-04-02 09:00:00")])
    loaded = qp.project(tmp_path, [{"path": "a.csv", "wave": "pre"}])
    out = tmp_path / "out"
    assert run_project(loaded, qp.KEY, out).ok
    older = qp.row("R1", t="2025-03-10 09:00:00", answers=[3] * 12)
    qp.write_csv(tmp_path / "b.csv", [older])
    loaded = qp.project(
        tmp_path, [{"path": "a.csv", "wave": "pre"}, {"path": "b.csv", "wave": "pre"}]
    )
    report = run_project(loaded, qp.KEY, out)
    assert counts(report, "b.csv")["excluded_by_reason"] == {"superseded_response": 1}
    assert query(out, "select count(*) from response_updates") == [(0,)]


def test_the_same_content_under_another_name_is_already_ingested(tmp_path, qp):
    qp.write_csv(tmp_path / "pre.csv", [qp.row("R1"), qp.row("R2")])
    shutil.copy(tmp_path / "pre.csv", tmp_path / "pre (1).csv")
    loaded = qp.project(
        tmp_path, [{"path": "pre.csv", "wave": "pre"}, {"path": "pre (1).csv", "wave": "pre"}]
    )
    out = tmp_path / "out"
    report = run_project(loaded, qp.KEY, out)
    assert report.ok, [f.error for f in report.files]
    copy = counts(report, "pre (1).csv")
    assert copy["status"] == "already_ingested"
    assert copy["excluded_by_reason"] == {"already_ingested": 2}
    assert query(out, "select count(*) from responses") == [(2,)]
    # and again in a later run, under a third name
    shutil.copy(tmp_path / "pre.csv", tmp_path / "pre_again.csv")
    loaded = qp.project(tmp_path, [{"path": "pre_again.csv", "wave": "pre"}])
    report = run_project(loaded, qp.KEY, out)
    assert report.ok and counts(report, "pre_again.csv")["status"] == "already_ingested"


def test_flags_land_with_the_response_and_are_counted(tmp_path, qp):
    rows = qp.many("R", 10)
    rows[0] = rows[0] | {f"q{n}": "4" for n in range(1, 13)}  # straight-lining
    rows[1]["secs"] = "10"  # below 1 s per item (12 s) and half the median
    qp.write_csv(tmp_path / "pre.csv", rows)
    loaded = qp.project(tmp_path, [{"path": "pre.csv", "wave": "pre"}])
    out = tmp_path / "out"
    report = run_project(loaded, qp.KEY, out)
    summary = counts(report, "pre.csv")
    assert summary["flagged_by_reason"] == {"speeder": 1, "straight_lining": 1}
    assert summary["quality_counts"] == {
        "speeders_below_floor": 1,
        "speeders_below_median_fraction": 1,
    }
    assert summary["rows_loaded"] == 10
    flags = query(
        out,
        "select source_row_number, quality_flags from responses "
        "where len(quality_flags) > 0 order by 1",
    )
    assert flags == [(2, ["straight_lining"]), (3, ["speeder"])]


def test_speeders_can_be_excluded(tmp_path, qp):
    rows = qp.many("R", 10)
    rows[1]["secs"] = "20"
    qp.write_csv(tmp_path / "pre.csv", rows)
    loaded = qp.project(
        tmp_path, [{"path": "pre.csv", "wave": "pre"}], quality={"speeders": {"action": "exclude"}}
    )
    report = validate_project(loaded, qp.KEY, tmp_path / "out")
    summary = counts(report, "pre.csv")
    assert summary["excluded_by_reason"] == {"speeder": 1}
    assert summary["flagged_by_reason"] == {}


def test_a_file_with_every_record_quarantined_fails_the_run(tmp_path, qp):
    rows = [qp.row(f"R{i}", c="NOWHERE") for i in range(3)]
    qp.write_csv(tmp_path / "pre.csv", rows)
    loaded = qp.project(tmp_path, [{"path": "pre.csv", "wave": "pre"}])
    out = tmp_path / "out"
    report = run_project(loaded, qp.KEY, out)
    assert not report.ok
    (f,) = report.files
    assert f.status == "failed"
    assert f.error.startswith("pre.csv: implausible_file: quarantine: every one of the 3")
    assert not (out / WAREHOUSE_NAME).exists()
    # configured to warn, the same file loads nothing and says why
    loaded = qp.project(
        tmp_path,
        [{"path": "pre.csv", "wave": "pre"}],
        quality={"plausibility": {"quarantine": {"action": "warn"}}},
    )
    report = validate_project(loaded, qp.KEY, out)
    assert report.ok
    assert any(w.startswith("quarantine: every one") for w in report.files[0].warnings)


def test_a_post_export_configured_as_pre_is_noticed(tmp_path, qp):
    rows = qp.many("R", 10, t="2025-06-12 10:00:00")  # three months after the session
    qp.write_csv(tmp_path / "pre.csv", rows)
    loaded = qp.project(tmp_path, [{"path": "pre.csv", "wave": "pre"}])
    report = validate_project(loaded, qp.KEY, tmp_path / "out")
    assert report.ok
    (warning,) = [w for w in report.files[0].warnings if w.startswith("wave_dates")]
    assert "10 of 10 pre responses (100%) are dated more than 1 day(s) after" in warning
    loaded = qp.project(
        tmp_path,
        [{"path": "pre.csv", "wave": "pre"}],
        quality={"plausibility": {"wave_dates": {"action": "fail"}}},
    )
    report = validate_project(loaded, qp.KEY, tmp_path / "out")
    assert not report.ok and "wave_dates" in report.files[0].error


def test_shifted_codes_are_noticed(tmp_path, qp):
    shifted = [[c - 1 for c in qp.ANSWERS]] * 10
    rows = [qp.row(f"R{i}", answers=a) | {"a": "ABCDEFGHIJ"[i]} for i, a in enumerate(shifted)]
    qp.write_csv(tmp_path / "pre.csv", rows)
    loaded = qp.project(
        tmp_path,
        [{"path": "pre.csv", "wave": "pre"}],
        quality={"plausibility": {"quarantine": {"action": "warn"}}},
    )
    report = validate_project(loaded, qp.KEY, tmp_path / "out")
    (warning,) = [w for w in report.files[0].warnings if w.startswith("shifted_codes")]
    assert "looks coded 0-4 instead of 1-5" in warning


def test_durations_from_a_start_time(tmp_path, qp):
    rows = [r | {"start": "2025-03-10 09:55:00"} for r in qp.many("R", 8)]
    rows[3]["start"] = "2025-03-10 09:59:55"  # 5 seconds
    qp.write_csv(tmp_path / "pre.csv", rows)
    loaded = qp.project(
        tmp_path,
        [{"path": "pre.csv", "wave": "pre"}],
        survey={"duration": None, "started_at": "start"},
    )
    report = validate_project(loaded, qp.KEY, tmp_path / "out")
    summary = counts(report, "pre.csv")
    assert summary["flagged_by_reason"] == {"speeder": 1}
    assert not any("columns_not_read" in w and "'start'" in w for w in summary["warnings"])
