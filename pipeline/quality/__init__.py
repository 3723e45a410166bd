"""Quality: exclusions, flags and plausibility checks. Excluded rows are counted with their
reason, never lost; flagged rows are loaded with their flags; implausible files warn or fail.

Every row gets at most one exclusion reason, and the first matching rule wins, in this order:
preview / test / spam, incomplete, other_wave, speeder (when the policy excludes speeders),
duplicate_response / superseded_response (the same response id again in the file: the latest
submission is kept), all before validation (pipeline.quality.exclusions); then, after
validation and anonymisation, across the run's files and the warehouse: duplicate_response,
superseded_response, already_loaded and duplicate_submission (pipeline.quality.duplicates).
Flags (`landing.responses.quality_flags`): speeder, straight_lining (pipeline.quality.flags).
Plausibility checks per file: pipeline.quality.plausibility.
"""

from pipeline.quality.duplicates import (
    Resolution,
    candidate_contents,
    content_digests,
    duplicate_reasons,
    resolve_duplicates,
    with_person_key,
)
from pipeline.quality.exclusions import (
    STATUS_REASONS,
    incomplete_mask,
    pre_validation_exclusions,
    status_reasons,
)
from pipeline.quality.plausibility import Finding, findings
from pipeline.quality.screening import Screening, screen_rows
from pipeline.quality.speeders import durations

__all__ = [
    "STATUS_REASONS",
    "Finding",
    "Resolution",
    "Screening",
    "candidate_contents",
    "content_digests",
    "duplicate_reasons",
    "durations",
    "findings",
    "incomplete_mask",
    "pre_validation_exclusions",
    "resolve_duplicates",
    "screen_rows",
    "status_reasons",
    "with_person_key",
]
