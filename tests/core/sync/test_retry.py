from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from desktop.sync.retry import RetryPolicy

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_waits_grow_from_30_seconds_to_a_15_minute_cap_and_never_stop() -> None:
    policy = RetryPolicy(rng=random.Random(7))
    assert policy.delay(1) == 30.0
    waits = [policy.delay(n) for n in range(1, 200)]
    assert all(30.0 <= w <= 900.0 for w in waits)
    assert max(waits[10:]) > 600, "late failures wait long, up to the cap"
    assert policy.ceiling(5) == 480 and policy.ceiling(6) == 900 and policy.ceiling(1000) == 900


def test_jitter_spreads_clients_that_failed_together() -> None:
    policy = RetryPolicy(rng=random.Random(1))
    waits = {round(policy.delay(6)) for _ in range(50)}
    assert len(waits) > 40


def test_retry_after_is_a_floor_but_not_past_the_cap() -> None:
    policy = RetryPolicy(rng=random.Random(3))
    assert policy.delay(1, retry_after=120) == 120
    assert policy.delay(1, retry_after=10_000) == 900


def test_an_hour_offline_costs_few_attempts() -> None:
    for seed in range(20):
        policy = RetryPolicy(rng=random.Random(seed))
        moment, attempts = NOW, 0
        while moment < NOW + timedelta(hours=1):
            attempts += 1
            moment = policy.next_attempt(moment, attempts)
        assert attempts <= 25, seed
