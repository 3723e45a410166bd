"""Which old releases pruning keeps (`Retention`). Old releases are pruned only when they are
both beyond the last `keep` and stopped being current more than `grace` ago (defaults 3 and
1 hour; `RIPPLE_KEEP_RELEASES`, `RIPPLE_RELEASE_GRACE_MINUTES`), so open readers are not broken.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pipeline.errors import ConfigError

KEEP_ENV = "RIPPLE_KEEP_RELEASES"
GRACE_ENV = "RIPPLE_RELEASE_GRACE_MINUTES"


@dataclass(frozen=True)
class Retention:
    """Which old releases pruning keeps: the last `keep` releases (the current one included),
    and any release that stopped being current less than `grace_seconds` ago."""

    keep: int = 3
    grace_seconds: float = 3600.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Retention:
        """Defaults, overridden by RIPPLE_KEEP_RELEASES (>= 1) and
        RIPPLE_RELEASE_GRACE_MINUTES (>= 0)."""
        env = os.environ if environ is None else environ
        default = cls()
        try:
            keep = int(env.get(KEEP_ENV) or default.keep)
            minutes = float(env.get(GRACE_ENV) or default.grace_seconds / 60)
        except ValueError as exc:
            raise ConfigError(f"{KEEP_ENV} or {GRACE_ENV} is not a number: {exc}") from exc
        if keep < 1 or not minutes >= 0:
            raise ConfigError(f"{KEEP_ENV} must be at least 1 and {GRACE_ENV} at least 0")
        return cls(keep=keep, grace_seconds=minutes * 60)
