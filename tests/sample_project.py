"""The small real project several tests run: the committed sample's peer-support programme
alone (three small Qualtrics files), written as a config in a folder of the test's own."""

from __future__ import annotations

from pathlib import Path

import yaml


def small_project(folder: Path, sample_dir: Path, **settings: object) -> Path:
    """The path of `folder`/ripple.yml: the sample's config reading only the peer-support
    programme's exports where they are, with `settings` (e.g. min_cell_size=150) set on top."""
    config = yaml.safe_load((sample_dir / "ripple.yml").read_text(encoding="utf-8"))
    config["instruments_dir"] = str(sample_dir.parents[1] / "instruments")
    config.update(settings)
    config["sources"] = [
        {**s, "path": str(sample_dir / s["path"])}
        for s in config["sources"]
        if s["programme"] == "peer_support"
    ]
    path = folder / "ripple.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path
