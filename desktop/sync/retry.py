"""When to try again: full jitter between 30 s and an exponential ceiling capped at 15 min.

The engine never gives up on a transient failure (offline, timeout, 5xx, 429); it only
waits longer, up to the cap. A `Retry-After` from the portal is a floor. A reachability
hint (the network came back, "Sync now") makes every waiting item due at once. The
clock and the random source are injected so tests run on a fake clock with no sleeps.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class RetryPolicy:
    """Full jitter: the n-th consecutive failure waits uniform(base, min(cap, base·2ⁿ⁻¹))."""

    base: float = 30.0
    cap: float = 900.0
    rng: random.Random = field(default_factory=random.Random)

    def ceiling(self, failures: int) -> float:
        """The longest wait after `failures` consecutive failures (at least one)."""
        exponent = min(max(failures, 1) - 1, 32)
        return min(self.cap, self.base * float(2**exponent))

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the `failures`-th consecutive transient failure."""
        wait = self.rng.uniform(self.base, self.ceiling(failures))
        if retry_after is not None:
            # The portal asked for at least this long; never wait past the cap for it.
            wait = max(wait, min(retry_after, self.cap))
        return wait

    def next_attempt(
        self, now: datetime, failures: int, retry_after: float | None = None
    ) -> datetime:
        return now + timedelta(seconds=self.delay(failures, retry_after))
