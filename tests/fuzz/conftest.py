"""Hypothesis profiles of the export fuzzer (tests/fuzz/test_fuzz_in_process.py and
test_fuzz_command_line.py; see case_checks.py).

`fuzz` (the default): a few hundred mutated exports, deterministic (the same cases on every
run, so `make test` never flakes), under a minute. `long`: thousands of random ones, for a
longer hunt: `RIPPLE_FUZZ=long .venv/bin/python -m pytest tests/fuzz` (or
`pytest tests/fuzz --hypothesis-profile=long`). A failure prints a `@reproduce_failure` blob
that replays it; `--hypothesis-seed=<n>` repeats a `long` run's choice of cases.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    "print_blob": True,
}
# max_examples is the read-level budget; the in-process validation and the real command line
# take fewer (see case_checks.budget).
settings.register_profile("fuzz", max_examples=320, derandomize=True, **COMMON)
settings.register_profile("long", max_examples=4000, derandomize=False, **COMMON)
