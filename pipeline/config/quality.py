"""`quality` in `ripple.yml`: which responses are excluded or flagged, and which files are
implausible (applied by pipeline.quality)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from pipeline.instruments import Strict

CheckAction = Literal["off", "warn", "fail"]


class Speeders(Strict):
    """Responses completed implausibly fast: a duration (seconds) below `min_seconds`, below
    `min_seconds_per_item` x the mapped items, or below `median_fraction` x the file's median
    duration. `flag` marks them (`quality_flags`), `exclude` excludes them as `speeder`."""

    action: Literal["off", "flag", "exclude"] = "flag"
    min_seconds: float | None = Field(default=None, ge=0)
    min_seconds_per_item: float | None = Field(default=1.0, ge=0)
    median_fraction: float | None = Field(default=0.5, gt=0, lt=1)


class StraightLining(Strict):
    """The same answer to every answered item of an instrument that mixes reverse-keyed and
    plain items, with at least `min_items` answered: flagged, never dropped."""

    action: Literal["off", "flag"] = "flag"
    min_items: int = Field(default=6, ge=2)


class CodeShiftCheck(Strict):
    """Codes that look shifted: at least `min_share` of an instrument's answers are one below
    its lowest code (a 0 on a 1-5 scale) while the top code is (almost) never used, or one
    above its highest while the bottom code is (almost) never used."""

    action: CheckAction = "warn"
    min_share: float = Field(default=0.05, gt=0, le=1)


class ReversedItemsCheck(Strict):
    """Items that look reverse-coded: after reverse keying, an item whose correlation with the
    rest of its instrument is below `max_item_rest_r`, over at least `min_responses`."""

    action: CheckAction = "warn"
    max_item_rest_r: float = Field(default=-0.2, ge=-1, le=0)
    min_responses: int = Field(default=30, ge=3)


class WaveDatesCheck(Strict):
    """Files whose dates contradict their wave: baseline responses submitted more than
    `tolerance_days` after their cohort's session, or later-wave responses more than
    `tolerance_days` before it, in a share above `max_share` of the dated responses."""

    action: CheckAction = "warn"
    tolerance_days: int = Field(default=1, ge=0)
    max_share: float = Field(default=0.2, ge=0, lt=1)


class TypicalRangeCheck(Strict):
    """A share above `max_share` of a file's responses whose mean answer on an instrument
    (codes after reverse keying) lies outside the instrument's typical range in `ranges`
    (`{instrument id: [low, high]}`); instruments without a range are not checked."""

    action: CheckAction = "warn"
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    max_share: float = Field(default=0.5, ge=0, lt=1)

    @model_validator(mode="after")
    def _ranges_ordered(self) -> TypicalRangeCheck:
        wrong = sorted(name for name, (low, high) in self.ranges.items() if low > high)
        if wrong:
            raise ValueError(f"ranges must be [low, high] with low <= high: {wrong}")
        return self


class QuarantineShareCheck(Strict):
    """A file whose quarantined share of the records that reached validation is at least
    `max_share` (default 1.0: every one of them quarantined)."""

    action: CheckAction = "fail"
    max_share: float = Field(default=1.0, gt=0, le=1)


class Plausibility(Strict):
    """Per-file checks that warn (the default) or fail the file, as each says."""

    shifted_codes: CodeShiftCheck = CodeShiftCheck()
    reversed_items: ReversedItemsCheck = ReversedItemsCheck()
    wave_dates: WaveDatesCheck = WaveDatesCheck()
    typical_range: TypicalRangeCheck = TypicalRangeCheck()
    quarantine: QuarantineShareCheck = QuarantineShareCheck()


class Quality(Strict):
    """Exclusion and flagging policy (pipeline.quality). Excluded rows are counted, never lost;
    flags are counted and stored with the response."""

    exclude_unfinished: bool = True
    min_progress: int = Field(default=100, ge=0, le=100)
    # a row with no mapped item answered at all (a REDCap repeating-instrument or other-form
    # row, an empty submission) is excluded as `no_answers` rather than loaded empty
    exclude_empty: bool = True
    speeders: Speeders = Speeders()
    straight_lining: StraightLining = StraightLining()
    duplicate_submissions: Literal["latest", "first", "none"] = "latest"
    plausibility: Plausibility = Plausibility()
