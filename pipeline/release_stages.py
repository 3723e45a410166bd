"""The stages of `ripple run`, in order, and the test hook that can stop a run at one of them
(`pause_point`), so tests can kill or fail a run at an exact moment of publishing.

`pause_point` is a test hook: it does nothing unless RIPPLE_TEST_PAUSE_AT names the stage.
"""

from __future__ import annotations

import os
import sys
import time

#: Test hook: a comma-separated list of stages at which a run announces itself on stderr
#: ("ripple-test-pause: <stage>") and sleeps RIPPLE_TEST_PAUSE_SECONDS (default 60), so a test
#: can `kill -9` it at an exact moment. Unset (always, outside tests) it does nothing.
PAUSE_ENV = "RIPPLE_TEST_PAUSE_AT"
PAUSE_SECONDS_ENV = "RIPPLE_TEST_PAUSE_SECONDS"
#: The stages of `ripple run`, in order. Up to "pointer-staged" the previous release is current;
#: from "swapped" on, the new one is.
STAGES = (
    "locked",  # lock taken, leftovers of killed runs cleared
    "processed",  # every export read, validated; Data Docs written into the partial release
    "warehouse-built",  # ripple.duckdb built and verified in the partial release
    "extract-built",  # dashboard.duckdb built in the partial release
    "adopted",  # (migration only) the legacy files adopted as a release and made current
    "synced",  # release.json written, every file and folder fsynced
    "renamed",  # the partial folder renamed to its final release name
    "linked",  # the stable links DIR/ripple.duckdb ... exist
    "pointer-staged",  # the new `current` symlink exists under a temporary name
    "swapped",  # `current` replaced: the new release is published
    "published",  # DIR fsynced
    "pruning",  # an old release renamed to .trash-*, not yet deleted
)


def pause_point(stage: str) -> None:
    """Test hook: announce `stage` on stderr and sleep, only when RIPPLE_TEST_PAUSE_AT names it.

    Outside tests the variable is unset and this returns at once. Tests also replace this
    function to inject a failure at a stage.
    """
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted or stage not in wanted.split(","):
        return
    print(f"ripple-test-pause: {stage}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get(PAUSE_SECONDS_ENV, "60")))
