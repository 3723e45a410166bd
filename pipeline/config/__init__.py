"""The project config (`ripple.yml`): its pydantic schema and loader.

A config names the programmes and their workshop cohorts, the survey waves, how each survey's
columns map to instrument items (by a stable key: the Qualtrics ImportId, or the header text for
formats that have nothing better), and which export files to read. Paths are relative to the
config file. Errors name the file and the key. The pseudonymisation key never lives here.

The package, by part of the contract: `project` (`ProjectConfig`, the whole file, and the
checks that its references resolve), `programmes` (programmes, cohorts, waves), `quality`,
`limits`, `privacy`, `linkage`, `survey` (one survey's mapping, and the export files:
`Source`) with the survey's parts in `assignment` and `answers`, and `loading` (`load_config`,
`check_against_instruments`). Every name is importable from `pipeline.config`; the survey
models also from `pipeline.survey_config`, as before.
"""

from pipeline.config.answers import OPTION_SEPARATOR, Checkbox, CodeLists, SpecialAnswer
from pipeline.config.assignment import CohortRule, Completion, NearestSession, WaveRule
from pipeline.config.limits import Limits
from pipeline.config.linkage import Linkage, SgicElement, SgicKind
from pipeline.config.loading import LoadedConfig, check_against_instruments, load_config
from pipeline.config.privacy import FreeText, Privacy, QuasiIdentifier
from pipeline.config.programmes import Cohort, Programme, Wave
from pipeline.config.project import ProjectConfig
from pipeline.config.quality import (
    CheckAction,
    CodeShiftCheck,
    Plausibility,
    Quality,
    QuarantineShareCheck,
    ReversedItemsCheck,
    Speeders,
    StraightLining,
    TypicalRangeCheck,
    WaveDatesCheck,
)
from pipeline.config.survey import DateOrder, ExportFormat, Source, Survey

__all__ = [
    "OPTION_SEPARATOR",
    "CheckAction",
    "Checkbox",
    "CodeLists",
    "CodeShiftCheck",
    "Cohort",
    "CohortRule",
    "Completion",
    "DateOrder",
    "ExportFormat",
    "FreeText",
    "Limits",
    "Linkage",
    "LoadedConfig",
    "NearestSession",
    "Plausibility",
    "Privacy",
    "Programme",
    "ProjectConfig",
    "Quality",
    "QuarantineShareCheck",
    "QuasiIdentifier",
    "ReversedItemsCheck",
    "SgicElement",
    "SgicKind",
    "Source",
    "SpecialAnswer",
    "Speeders",
    "StraightLining",
    "Survey",
    "TypicalRangeCheck",
    "Wave",
    "WaveDatesCheck",
    "WaveRule",
    "check_against_instruments",
    "load_config",
]
