"""The survey part of `ripple.yml`, importable from here as before: the models live in the
`pipeline.config` package (`survey`, with its parts in `assignment`, `answers`, `linkage` and
`privacy`), and the ingest modules import them from this module."""

from pipeline.config.answers import OPTION_SEPARATOR, Checkbox, CodeLists, SpecialAnswer
from pipeline.config.assignment import CohortRule, Completion, NearestSession, WaveRule
from pipeline.config.linkage import Linkage, SgicElement, SgicKind
from pipeline.config.privacy import FreeText, QuasiIdentifier
from pipeline.config.survey import DateOrder, ExportFormat, Source, Survey

__all__ = [
    "OPTION_SEPARATOR",
    "Checkbox",
    "CodeLists",
    "CohortRule",
    "Completion",
    "DateOrder",
    "ExportFormat",
    "FreeText",
    "Linkage",
    "NearestSession",
    "QuasiIdentifier",
    "SgicElement",
    "SgicKind",
    "Source",
    "SpecialAnswer",
    "Survey",
    "WaveRule",
]
