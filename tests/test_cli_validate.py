"""`ripple validate` after a run says which files are new and what a run would add."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

KEY = "cd" * 32


def ripple(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "RIPPLE_KEY": KEY}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip


def test_validate_after_a_run_names_known_files_and_what_a_run_would_add(tmp_path, sample_dir):
    config = yaml.safe_load((sample_dir / "ripple.yml").read_text(encoding="utf-8"))
    config["instruments_dir"] = str(Path(sample_dir, config["instruments_dir"]).resolve())
    config["out_dir"] = str(tmp_path / "out")
    keep = ("exports/peer_support_pre.csv", "exports/peer_support_post.csv")
    config["sources"] = [s for s in config["sources"] if s["path"] in keep[:1]]
    for source in config["sources"]:
        source["path"] = str(sample_dir / source["path"])
    path = tmp_path / "ripple.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    first = ripple("validate", "-c", str(path))
    assert first.returncode == 0, first.stderr
    assert "validate: 1 new file(s); a run would add 202 response(s)" in first.stdout
    assert ripple("run", "-c", str(path)).returncode == 0
    config["sources"].append(
        {
            "path": str(sample_dir / keep[1]),
            "survey": config["sources"][0]["survey"],
            "programme": "peer_support",
            "wave": "post",
        }
    )
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    again = ripple("validate", "-c", str(path))
    assert again.returncode == 0, again.stderr
    assert "validate: 1 new file(s), 1 already in the warehouse (" in again.stdout
    assert "a run would add 185 response(s)" in again.stdout
