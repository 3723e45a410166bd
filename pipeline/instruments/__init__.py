"""Instruments as data: the pydantic schema of `instruments/*.yml` and their loader.

An instrument file declares its items, response coding, reverse keys, scales (total and
subscales), aggregation, missing-item rule, direction, construct, citation, published
reliability and how far its scoring key was verified. Scoring is one generic SQL model over the
reference tables built here (`instruments`, `instrument_items`, `instrument_scales`,
`instrument_scale_items`, `instrument_conversions`), so adding an instrument needs a YAML file
and a golden test, no code.

Ripple's own library is `instruments/` in the repository (`BUILT_IN_DIR`). A project adds its
own definitions in the folder(s) its config names (`instruments_dir`); a project file may not
reuse a built-in id with a different definition.

Licensed item wording (MAKS, RIBS, KCL's CAMI versions, GBS, SWEMWBS, ...) is never shipped:
`text` is only filled for instruments whose wording is in the public domain.

The package, by concern: `schema` (the pydantic models of an instrument file), `labels` (answer
label normal form), `loading` (files, folders, the built-in library), `scoring` (a project's
don't-know rule and conversion tables) and `reference` (the warehouse's reference tables).
Every name is importable from `pipeline.instruments` as before.
"""

from pipeline.instruments.labels import normalise_label
from pipeline.instruments.loading import (
    BUILT_IN_DIR,
    format_validation_error,
    load_instrument,
    load_instrument_folders,
    load_instruments,
    load_project_instruments,
    project_instrument_folders,
)
from pipeline.instruments.reference import reference_frames
from pipeline.instruments.schema import (
    IDENTIFIER,
    Construct,
    Conversion,
    DontKnow,
    DontKnowRule,
    Instrument,
    InstrumentScoring,
    Item,
    PublishedReliability,
    ResponseScale,
    Scale,
    Strict,
)
from pipeline.instruments.scoring import check_scoring, conversion_frame, dont_know_rule

__all__ = [
    "BUILT_IN_DIR",
    "IDENTIFIER",
    "Construct",
    "Conversion",
    "DontKnow",
    "DontKnowRule",
    "Instrument",
    "InstrumentScoring",
    "Item",
    "PublishedReliability",
    "ResponseScale",
    "Scale",
    "Strict",
    "check_scoring",
    "conversion_frame",
    "dont_know_rule",
    "format_validation_error",
    "load_instrument",
    "load_instrument_folders",
    "load_instruments",
    "load_project_instruments",
    "normalise_label",
    "project_instrument_folders",
    "reference_frames",
]
