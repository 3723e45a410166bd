"""Writing the sample: ripple.yml, the exports and manifest.json."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.config import check_against_instruments, load_config
from pipeline.instruments import load_instruments

from .build import build_all
from .manifest import audit, manifest
from .project_config import config_text
from .settings import CONFIG_NAME, EXPORTS, INSTRUMENTS_DIR, MANIFEST_NAME


def generate(out_dir: Path) -> dict:
    """Write ripple.yml, the exports and manifest.json into `out_dir`; return the manifest."""
    instruments = load_instruments(INSTRUMENTS_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / EXPORTS).mkdir(exist_ok=True)
    config_path = out_dir / CONFIG_NAME
    config_path.write_bytes(config_text(instruments).encode("utf-8"))
    loaded = load_config(config_path)
    check_against_instruments(loaded, instruments)
    built = build_all(instruments, loaded)
    for b in built:
        for path, data in b.exports.items():
            (out_dir / path).write_bytes(data)
    files, programmes, effects = audit(out_dir, instruments, loaded)
    result = manifest(built, files, programmes, effects, instruments)
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    (out_dir / MANIFEST_NAME).write_bytes(text.encode("utf-8"))
    return result
