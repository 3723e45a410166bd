"""The bad-input catalogue as one test: every case of make_catalogue.py through the real
`ripple` command, asserting its exact outcome (exit code, the file's reason code and the row
and column its message names, counts by reason, the warnings shown) and that rows in = loaded +
excluded + quarantined for every file that was read. No case may end in an internal error or a
traceback.

Cases whose behaviour other work is still building carry `owner` in the catalogue and are
expected failures here while they fail (strict: once one passes, its mark must go).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.loading import load_module

HERE = Path(__file__).resolve().parent


make = load_module("ripple_catalogue_make_catalogue", HERE / "make_catalogue.py")
CASES = make.catalogue()
# Cases whose behaviour other work builds (`owner` in the catalogue) that fail today: expected
# failures, strict, so an id must go from here as soon as its work lands. None fail now.
FAILING_NOW: frozenset[str] = frozenset()


def params() -> list:
    out = []
    for case in CASES:
        marks = []
        if case.id in FAILING_NOW:
            marks.append(pytest.mark.xfail(strict=True, reason=case.owner or "reported"))
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def ripple(folder: Path, step) -> subprocess.CompletedProcess:
    """Run `ripple <command>` for the case's folder, as a user would: the same entry point as
    the installed script (`pipeline.cli.main`: parsing, error mapping, exit codes, printed
    output), called in this process so that 109 steps do not each pay Python's and Great
    Expectations' start-up (about 3 s). RIPPLE_CATALOGUE_SUBPROCESS=1 runs the installed
    script in a new process instead."""
    args = [step.command, "-c", str(folder / step.config)]
    if step.command == "run":
        args += ["--out", str(folder / "out")]
    if step.json:
        args.append("--json")
    env = {**os.environ, "RIPPLE_KEY": make.ex.TEST_KEY}
    env.pop("RIPPLE_KEY_FILE", None)
    for name, value in step.env.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    if os.environ.get("RIPPLE_CATALOGUE_SUBPROCESS") == "1":
        script = Path(sys.executable).with_name("ripple")
        return subprocess.run(
            [str(script), *args], capture_output=True, text=True, timeout=600, cwd=folder,
            env=env, check=False,
        )  # fmt: skip
    return in_process(args, folder, env)


def in_process(args: list[str], folder: Path, env: dict) -> subprocess.CompletedProcess:
    """`pipeline.cli.main()` with this argv, environment and working folder; its exit status
    and everything it printed, as a CompletedProcess."""
    from pipeline.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    saved_env, saved_argv, saved_cwd = dict(os.environ), sys.argv, os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    sys.argv = ["ripple", *args]
    os.chdir(folder)
    code = 0
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())


def dead_pid() -> int:
    """The pid of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def run_step(folder: Path, step) -> subprocess.CompletedProcess:
    lock_path = folder / "out" / ".ripple.lock"
    if step.stale_lock:
        lock_path.parent.mkdir(exist_ok=True)
        lock_path.write_text(f"{dead_pid()}\n")
    if not step.hold_lock:
        return ripple(folder, step)
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.truncate(0)
        held.write(f"{os.getpid()}\n")
        held.flush()
        try:
            return ripple(folder, step)
        finally:
            held.truncate(0)
            fcntl.flock(held, fcntl.LOCK_UN)


def explain(result: subprocess.CompletedProcess) -> str:
    return (
        f"exit {result.returncode}\nstdout (end):\n{result.stdout[-3000:]}\n"
        f"stderr (end):\n{result.stderr[-3000:]}"
    )


def summary_of(result: subprocess.CompletedProcess) -> dict:
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        return {}


def check_file(name: str, found: dict, want, why: str) -> None:
    """One file's entry of the report against its expected outcome."""
    where = f"{name}: {why}"
    assert found["status"] == want.status, f"{where}\nstatus {found['status']}: {found['error']}"
    error = found["error"] or ""
    if want.error_code:
        assert error.startswith(f"{name}: {want.error_code}: "), f"{where}\nerror: {error}"
    elif want.status != "failed":
        assert not error, f"{where}\nunexpected error: {error}"
    if want.error_row is not None:
        assert f"row {want.error_row}" in error, f"{where}\nrow not named: {error}"
    if want.error_column is not None:
        assert f"column {want.error_column}" in error, f"{where}\ncolumn not named: {error}"
    for text in want.error_text:
        assert text in error, f"{where}\n{text!r} not in: {error}"
    expected = {
        "rows_in": want.rows_in,
        "rows_loaded": want.loaded,
        "excluded_by_reason": want.excluded,
        "quarantined_by_reason": want.quarantined,
        "flagged_by_reason": want.flagged,
        "rows_updated": want.updated,
        "encoding": want.encoding,
        "format": want.format,
    }
    for key, value in expected.items():
        if value is not None:
            assert found.get(key) == value, f"{where}\n{key}: {found.get(key)!r} != {value!r}"
    codes = [w.split(":", 1)[0] for w in found["warnings"]]
    for code in want.warnings:
        assert code in codes, f"{where}\nno {code} warning in {found['warnings']}"
    examples = found["quarantine_examples"]
    for row in want.rows:
        named = [
            q
            for q in examples
            if q["source_row_number"] == row.row
            and q["reason"] == row.reason
            and (row.column is None or row.column in f"{q['source_column']} {q['detail']}")
        ]
        assert named, f"{where}\nrow {row} not among the quarantined: {examples}"
    if found["status"] != "failed":
        counted = found["rows_loaded"] + found["rows_excluded"] + found["rows_quarantined"]
        assert found["rows_in"] == counted, f"{where}\naccounting does not hold: {found}"


def warehouse_values(path: Path, values: tuple[str, ...]) -> list[str]:
    """'table.column' for every column of the warehouse holding one of `values`."""
    hits = []
    with duckdb.connect(str(path), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database()"
        ).fetchall()
        for schema, table, column in columns:
            relation = f'"{schema}"."{table}"'
            for value in values:
                found = con.execute(
                    f'select count(*) from {relation} where cast("{column}" as varchar) like ?',
                    [f"%{value}%"],
                ).fetchone()[0]
                if found:
                    hits.append(f"{schema}.{table}.{column} holds {value!r}")
    return hits


@pytest.mark.parametrize("case", params())
def test_catalogue_case(case, tmp_path):
    make.write_case(case, tmp_path)
    for number, step in enumerate(case.steps, start=1):
        result = run_step(tmp_path, step)
        why = f"{case.id} step {number} (ripple {step.command}): {case.title}\n" + explain(result)
        assert "internal error" not in result.stderr, why
        assert "Traceback" not in result.stderr, why
        assert result.returncode == step.exit_code, why
        for text in step.stderr:
            assert text in result.stderr, f"{text!r} not shown\n{why}"
        if step.json and step.files:
            summary = summary_of(result)
            files = {f["file"]: f for f in summary.get("files", [])}
            for name, want in step.files.items():
                assert name in files, f"{name} not in the report\n{why}"
                check_file(name, files[name], want, why)
            for name, found in files.items():
                if found["status"] != "failed":
                    counted = (
                        found["rows_loaded"] + found["rows_excluded"] + found["rows_quarantined"]
                    )
                    assert found["rows_in"] == counted, f"{name}: accounting\n{why}"
        warehouse = tmp_path / "out" / "ripple.duckdb"
        if step.published is not None:
            assert warehouse.exists() == step.published, why
        for query, rows in step.sql:
            with duckdb.connect(str(warehouse), read_only=True) as con:
                assert con.execute(query).fetchall() == rows, f"{query}\n{why}"
        if step.absent:
            assert warehouse_values(warehouse, step.absent) == [], why


def test_every_case_of_section_4_is_in_the_catalogue():
    refs = {case.ref for case in CASES}
    missing = [n for n in range(1, 37) if f"4.{n}" not in refs]
    assert missing == [], f"section 4 cases without a fixture: {missing}"
