"""`ripple detect` through the real CLI: every file is reported even when some fail, and
`--columns` lists keys, headers and safe example answers (never identifying values)."""

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "real" / "sample.csv"


def ripple(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
        check=False,
    )


def test_every_file_is_reported_and_failures_exit_1_at_the_end(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    missing = tmp_path / "absent.csv"
    result = ripple("detect", str(empty), str(FIXTURE), str(missing), "--json")
    assert result.returncode == 1
    reports = json.loads(result.stdout)
    assert [r["ok"] for r in reports] == [False, True, False]
    assert "empty_file" in reports[0]["error"] and "file_not_found" in reports[2]["error"]
    assert reports[1]["format"] == "qualtrics" and reports[1]["file_type"] == "csv"
    assert reports[1]["encoding_confidence"] == 1.0


def test_the_table_lists_failures_with_their_reason(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = ripple("detect", str(FIXTURE), str(empty))
    assert result.returncode == 1
    assert "qualtrics" in result.stdout and "FAILED" in result.stdout
    assert "empty_file" in result.stderr and "1 of 2 file(s) could not be read" in result.stderr


def test_a_guessed_encoding_says_so(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes("Timestamp,Q1\n2024-03-01 10:00:00,caf\xe9 cr\xe8me\n".encode("cp1252"))
    result = ripple("detect", str(path), "--json")
    (report,) = json.loads(result.stdout)
    assert report["encoding_guessed"] is True
    assert any(w.startswith("encoding_guessed") for w in report["warnings"])


def test_columns_lists_keys_and_withholds_identifying_answers(tmp_path):
    result = ripple("detect", "--columns", str(FIXTURE), "--json")
    assert result.returncode == 0, result.stderr
    ((listing),) = json.loads(result.stdout)
    columns = {c["key"]: c for c in listing["columns"]}
    assert columns["QID1"]["header"] == "Q1"
    assert columns["ipAddress"]["identifying"] and not columns["ipAddress"]["examples"]
    text = FIXTURE.read_text(encoding="utf-8")
    ip = text.splitlines()[3].split(",")[3]
    assert ip and ip not in result.stdout
