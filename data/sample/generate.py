"""Seeded generator of Ripple's sample data: three fictional programmes, nine survey exports.

    python data/sample/generate.py [OUT_DIR]      # or: make sample (OUT_DIR defaults to here)

Writes `exports/*.csv` (Qualtrics and Google Forms exports, pre / post / 3-month follow-up),
`ripple.yml` (the project config that maps them) and `manifest.json` (what the pipeline should
find). Every person, organisation, school, e-mail address, IP address and comment is invented.

How it works:

1. plan: cohorts, participants and their SGIC answers, who responds at which wave, and the mess
   (Qualtrics previews, incomplete responses, duplicate submissions, out-of-range codes, unknown
   labels, an unknown cohort, SGIC typos, skipped items, "Don't know" answers).
2. simulate answers: latent person trait + wave shift + individual response + state noise +
   item noise, cut into the instrument's codes (reverse keys applied), all read from
   `instruments/*.yml` at run time, so nothing about an instrument is written down twice.
3. classify every row with the pipeline's published rules (the same order, `pipeline.sgic` for
   linkage: exact codes first, then codes one element apart that are unique on both sides) to
   find the linked pre/post and pre/follow-up pairs, then calibrate each wave shift by
   bisection so the paired d_z on the scored scales of those pairs hits its target.
4. write the files, read them back, classify and score them again, check that every row got the
   outcome it was planned to get and that every realised d_z is within TOLERANCE of its target,
   and write the manifest from that re-read.

One numpy Generator is seeded once (SEED) and spawns one child per programme, so the output is
byte-identical on every run (for a given numpy version and the same instrument files).

The code is the package next to this file, `generator/`, one module per part (its docstring
lists them); this file is the command line, and keeps the names callers use.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = "ripple_sample_generator"


def load_generator():
    """data/sample/generator as a package, imported once under a fixed name: this file is run as
    a script or imported by path, and data/sample is neither a package nor on sys.path."""
    if PACKAGE not in sys.modules:
        folder = HERE / "generator"
        spec = importlib.util.spec_from_file_location(
            PACKAGE, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package  # dataclasses look their module up while the class is built
        spec.loader.exec_module(package)
    return sys.modules[PACKAGE]


generator = load_generator()
# the names `make sample`, tests/test_sample_data.py and tests/linkage use, as before the split
PROGRAMMES = generator.PROGRAMMES
POST, FOLLOWUP = generator.POST, generator.FOLLOWUP
generate = generator.generate
make_people = generator.make_people
row_truth = generator.row_truth
true_code = generator.true_code


def summary(result: dict) -> str:
    """A plain-text table of the files and the effect targets vs realised values."""
    lines = [f"{'file':34} {'in':>5} {'loaded':>6}  excluded / quarantined"]
    for path, c in result["files"].items():
        other = {**c["rows_excluded"], **c["rows_quarantined"]}
        lines.append(f"{path:34} {c['rows_in']:5d} {c['rows_loaded']:6d}  {other}")
    lines.append(
        f"\n{'programme / scale':48} {'wave':8} {'target':>6} {'d_z':>6} {'r':>5} {'n':>4}"
    )
    for prog, instruments in result["effects"].items():
        for name, scales in instruments.items():
            for scale, entry in scales.items():
                for wave in (POST, FOLLOWUP):
                    e = entry[wave]
                    lines.append(
                        f"{prog + ' ' + name + '.' + scale:48} {wave:8} {e['target_dz']:6.2f} "
                        f"{e['realised_dz']:6.3f} {e['realised_r']:5.2f} {e['n_pairs']:4d}"
                    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: `generate.py [OUT_DIR]`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=HERE,
        help="where to write ripple.yml, exports/ and manifest.json (default: data/sample)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")
    args = parser.parse_args(argv)
    result = generate(args.out_dir)
    if not args.quiet:
        print(summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
