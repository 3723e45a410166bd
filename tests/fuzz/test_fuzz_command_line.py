"""The export fuzzer through the real command line: `ripple run` on a mutant, into a folder
that holds a published run, succeeds with its accounting or fails leaving that run untouched."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given

from tests.fuzz.case_checks import budget, count_of, known_failure, project_folder
from tests.fuzz.strategies import mutants
from tests.loading import load_module

ex = load_module(
    "ripple_catalogue_exports", Path(__file__).resolve().parents[1] / "catalogue" / "exports.py"
)


def ripple(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("ripple")
    env = {**os.environ, "RIPPLE_KEY": ex.TEST_KEY}
    env.pop("RIPPLE_KEY_FILE", None)
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600,
        check=False,
    )  # fmt: skip


def digests(folder: Path) -> dict[str, str]:
    """Every path under `folder` (the lock file aside) with what it is: a link's target, a
    folder, or a file's SHA-256."""
    out = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            out[name] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            out[name] = "folder"
        elif path.name != ".ripple.lock":
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """An output folder holding a published run of a good export."""
    folder = tmp_path_factory.mktemp("fuzz-published")
    export = ex.plain(ex.people(12, seed=99), name="earlier.csv")
    (folder / export.name).write_bytes(export.to_bytes())
    (folder / "ripple.yml").write_text(yaml.safe_dump(ex.project_for(export)), encoding="utf-8")
    result = ripple("run", "-c", "ripple.yml", "--out", "out", "--json", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out"


@budget(0.01, 4)
@given(mutant=mutants())
def test_command_line(published, mutant):
    """`ripple run` on a mutant into a folder with a published run: success with accounting,
    or a failure with a reason code that leaves the published files byte for byte as they
    were."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        project_folder(mutant, folder)
        shutil.copytree(published, folder / "out", symlinks=True)
        before = digests(folder / "out")
        result = ripple("run", "-c", "ripple.yml", "--out", "out", "--json", cwd=folder)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr, (
            mutant.ops,
            result.stderr[-2000:],
        )
        assert result.returncode in (0, 1), (mutant.ops, result.returncode, result.stderr[-2000:])
        summary = json.loads(result.stdout)
        (f,) = summary["files"]
        if result.returncode == 1:
            assert f["status"] == "failed", (mutant.ops, f)
            known_failure(f["error"], mutant, f["file"])
            assert "nothing was published" in result.stderr
            assert digests(folder / "out") == before, f"{mutant.ops}: a failed run changed out/"
            return
        assert f["rows_in"] == f["rows_loaded"] + f["rows_excluded"] + f["rows_quarantined"], f
        count = count_of(mutant)
        assert count.failure is None, (mutant.ops, count.failure, f)
        event(f"published: {f['status']}")
