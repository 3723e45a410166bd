"""Reading instrument files: one file, one folder, Ripple's built-in library plus a project's own
folders (a project file may not redefine a built-in id), with errors that name the file and key.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from pipeline.errors import ConfigError
from pipeline.instruments.schema import Instrument
from pipeline.instruments.scoring import check_scoring

if TYPE_CHECKING:
    from pipeline.config import LoadedConfig
# the repository's instruments/ folder: this file is pipeline/instruments/loading.py
BUILT_IN_DIR = Path(__file__).resolve().parents[2] / "instruments"


def load_instrument(path: Path) -> Instrument:
    """Read and validate one instrument file; errors name the file and the key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read instrument file: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: an instrument file must be a YAML mapping of keys")
    try:
        instrument = Instrument.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(path, exc)) from exc
    if instrument.id != path.stem:
        raise ConfigError(f"{path}: id '{instrument.id}' must match the file name '{path.stem}'")
    return instrument


def load_instruments(directory: Path) -> dict[str, Instrument]:
    """Every `*.yml` in `directory`, validated, keyed by instrument id."""
    if not directory.is_dir():
        raise ConfigError(f"instrument folder not found: {directory}")
    instruments = [load_instrument(path) for path in sorted(directory.glob("*.yml"))]
    if not instruments:
        raise ConfigError(f"no instrument files (*.yml) in {directory}")
    return {instrument.id: instrument for instrument in instruments}


def load_instrument_folders(folders: list[Path]) -> dict[str, Instrument]:
    """The instruments of several folders, the first being Ripple's built-in library.

    A folder listed twice is read once. An id defined in two folders is an error unless both
    definitions are identical (a copy of a built-in file), so a project file never silently
    replaces a built-in instrument.
    """
    seen: dict[str, tuple[Instrument, Path]] = {}
    read: set[Path] = set()
    for folder in folders:
        resolved = folder.resolve()
        if resolved in read:
            continue
        read.add(resolved)
        if not resolved.is_dir():
            raise ConfigError(f"instrument folder not found: {folder}")
        for path in sorted(resolved.glob("*.yml")):
            instrument = load_instrument(path)
            if instrument.id in seen and seen[instrument.id][0] != instrument:
                raise ConfigError(
                    f"{path}: instrument id '{instrument.id}' is already defined in "
                    f"{seen[instrument.id][1]}; a project file may not replace another "
                    f"definition: give yours its own id (e.g. '{instrument.id}_local', with "
                    "item ids to match)"
                )
            seen.setdefault(instrument.id, (instrument, path))
    if not seen:
        raise ConfigError(f"no instrument files (*.yml) in {', '.join(map(str, folders))}")
    return {instrument_id: pair[0] for instrument_id, pair in seen.items()}


def project_instrument_folders(
    config_dir: Path, instruments_dir: Path | list[Path], explicit: bool
) -> list[Path]:
    """Ripple's built-in library first, then the project's own folder(s), resolved against the
    config file's folder. The default `instruments` folder may be absent (only the built-in
    library is then used); a folder the config names must exist."""
    named = instruments_dir if isinstance(instruments_dir, list) else [instruments_dir]
    folders = [BUILT_IN_DIR]
    for folder in named:
        resolved = (config_dir / folder).resolve()
        if not resolved.is_dir():
            if explicit:
                raise ConfigError(f"instruments_dir: instrument folder not found: {resolved}")
            continue
        folders.append(resolved)
    return folders


def load_project_instruments(loaded: LoadedConfig) -> dict[str, Instrument]:
    """Ripple's built-in instruments plus the project's own folder(s), with the project's
    `scoring` section checked against them."""
    config = loaded.config
    config_dir = loaded.path.parent
    explicit = "instruments_dir" in config.model_fields_set
    folders = project_instrument_folders(config_dir, config.instruments_dir, explicit)
    instruments = load_instrument_folders(folders)
    check_scoring(config.scoring, instruments, config_dir)
    return instruments


def format_validation_error(path: Path, exc: ValidationError) -> str:
    """One line per problem: `file: key.path: message`."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{path}: {where}: {error['msg']}")
    return "\n".join(lines)
