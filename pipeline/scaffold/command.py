"""`ripple init`'s edges: find the instruments, write the file, check it, say what is left."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from pipeline.config import check_against_instruments, load_config
from pipeline.errors import ConfigError
from pipeline.instruments import load_instruments
from pipeline.scaffold import scaffold

BUILT_IN = Path(__file__).resolve().parents[2] / "instruments"


def default_instruments() -> Path:
    """./instruments when the current folder has one, else the folder Ripple ships."""
    local = Path("instruments")
    return local if local.is_dir() else BUILT_IN


def write_scaffold(
    exports: list[Path], output: Path, instruments_dir: Path | None, force: bool, err: Console
) -> list[str]:
    """Write the scaffold to `output`; returns (and prints) what a person must still do."""
    if output.exists() and not force:
        raise ConfigError(f"{output}: already exists; pass --force to overwrite it")
    folder = instruments_dir or default_instruments()
    instruments = load_instruments(folder)
    output.parent.mkdir(parents=True, exist_ok=True)
    result = scaffold(exports, instruments, output.parent, folder)
    output.write_text(result.text, encoding="utf-8")
    problems = list(result.problems)
    try:
        check_against_instruments(load_config(output), instruments)
    except ConfigError as exc:
        known = {problem.split(":", 1)[0] for problem in problems}
        for line in str(exc).splitlines():
            problem = line.split(": ", 1)[-1]
            if problem.split(":", 1)[0] not in known:  # said already, in the scaffold's words
                problems.append(problem)
    err.print(f"Wrote {output}.", markup=False)
    for companion in result.skipped:
        err.print(f"  used as a describing file, not an export: {companion}", markup=False)
    if problems:
        err.print("Fill in before `ripple validate` accepts it:", markup=False)
        for problem in dict.fromkeys(problems):
            err.print(f"  - {problem}", markup=False)
    else:
        err.print(f"Ready: ripple validate -c {output}", markup=False)
    return problems
