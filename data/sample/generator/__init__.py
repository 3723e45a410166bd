"""The seeded generator of Ripple's sample data, in parts; data/sample/generate.py is its command
line and says how it works.

In the order the work flows: `settings` (seed, paths, waves, sites), `programmes` (the three
fictional programmes and their d_z targets), `questions` (what every export asks), `people`
(participants and their SGIC answers), `rows`, `plan` and `mess` (every export row, its timing
and its planned defect), `model` (the latent answers), `effects` (scoring and calibration),
`comments`, `qualtrics`, `forms` and `render` (the export files), `project_config`
(ripple.yml), `rules` and `linkage` (the pipeline's published rules, applied to re-read files),
`build` (every programme in memory), `manifest` (manifest.json) and `write` (the files).
"""

from .build import row_truth
from .people import make_people, true_code
from .programmes import PROGRAMMES
from .settings import FOLLOWUP, POST, SAMPLE_DIR
from .write import generate

__all__ = [
    "FOLLOWUP",
    "POST",
    "PROGRAMMES",
    "SAMPLE_DIR",
    "generate",
    "make_people",
    "row_truth",
    "true_code",
]
