"""Limits shared by several web apps: rate limits and sign-in throttles counted in Redis.

Each test runs on the `limits` package's memory storage and on Redis (started by
tests/databases.py): two limiters on one storage stand for two web app replicas.
"""
from __future__ import annotations

import secrets

import pytest
from limits.storage import Storage, storage_from_string

from bot.config import load_settings
from bot.login_throttle import PER_ACCOUNT_CLIENT, LimitsCounter, LoginThrottle
from bot.web.limits import Rate, RateLimits, SharedRateLimiter
from tests.databases import services


@pytest.fixture(params=["memory", "redis"])
def storage(request) -> Storage:
    """One `limits` storage for every replica of a test: this process's memory, then Redis."""
    uri = "memory://" if request.param == "memory" else services()["redis_url"]
    return storage_from_string(uri)


def replicas(storage: Storage, rates: list[Rate]) -> tuple[SharedRateLimiter, SharedRateLimiter]:
    """Two web apps' limiters on one storage (a name of their own per test)."""
    name = f"test-{secrets.token_hex(4)}"
    return SharedRateLimiter(rates, storage, name), SharedRateLimiter(rates, storage, name)


def test_a_patient_meets_one_limit_whichever_replica_gets_the_message(storage):
    first, second = replicas(storage, [Rate(3, 60.0)])
    verdicts = [limiter.check("conv-a").allowed for limiter in (first, second, first, second)]
    assert verdicts == [True, True, True, False]
    assert second.check("conv-b").allowed  # another patient is not held up


def test_the_sender_is_told_once_however_many_replicas_refuse(storage):
    first, second = replicas(storage, [Rate(1, 60.0)])
    assert first.check("c").allowed
    refusals = [first.check("c"), second.check("c"), first.check("c")]
    assert [v.allowed for v in refusals] == [False, False, False]
    assert [v.notify for v in refusals] == [True, False, False]
    assert 0 < refusals[0].retry_after <= 60


def test_a_refused_message_is_not_counted(storage):
    first, second = replicas(storage, [Rate(2, 60.0), Rate(1, 1.0)])
    assert first.check("c").allowed
    assert not second.check("c").allowed  # the 1-per-second rate refuses it...
    stats = first.limiter.get_window_stats(first._items[0], first.name, "c")
    assert stats.remaining == 1  # ...and the 2-per-minute rate did not count it


def test_sign_in_failures_on_one_replica_slow_down_guesses_on_another(storage):
    account = f"dana-{secrets.token_hex(3)}"
    web1, web2 = (LoginThrottle(LimitsCounter(storage)) for _ in range(2))
    for n in range(PER_ACCOUNT_CLIENT.free):
        (web1 if n % 2 else web2).fail(account, "203.0.113.7")
    assert web1.wait(account, "203.0.113.7") > 0
    assert web2.wait(account, "203.0.113.7") > 0
    assert web2.wait(account, "198.51.100.20") == 0.0  # her own desk is not held up


def test_the_redis_url_moves_both_kinds_of_limit_to_redis():
    env = {"INTAKE_REDIS_URL": "redis://127.0.0.1:6390/0"}
    limits = RateLimits.from_env(env)
    assert isinstance(limits.conversation, SharedRateLimiter)
    assert load_settings(env).staff_throttle_storage == env["INTAKE_REDIS_URL"]
    assert "redis://" not in repr(load_settings(env))  # the URL can hold a password
    assert not isinstance(RateLimits.from_env({}).conversation, SharedRateLimiter)
    assert RateLimits.from_env({**env, "INTAKE_RATE_LIMITS": "off"}).conversation.rates == ()
