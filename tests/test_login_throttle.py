"""The sign-in throttle on its own: growing waits per account+client, client and account.

`limits` reads time.time() itself, so each test points it at a fake clock (no sleeping).
"""
from __future__ import annotations

import doctest
from types import SimpleNamespace

import limits.storage.memory
import pytest

from bot import login_throttle
from bot.login_throttle import (PER_ACCOUNT, PER_ACCOUNT_CLIENT, PER_CLIENT, Backoff,
                                LimitsCounter, LoginThrottle, client_group, wait_phrase)
from bot.web.limits import FakeClock

ATTACKER, DESK = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    clock = FakeClock(1_740_000_000.0)
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=clock))
    return clock


@pytest.fixture
def throttle(clock) -> LoginThrottle:
    return LoginThrottle(LimitsCounter(clock=clock))


def fail(throttle: LoginThrottle, times: int, account: str = "dana",
         client: str = ATTACKER) -> None:
    for _ in range(times):
        throttle.fail(account, client)


def test_a_few_mistakes_cost_nothing(throttle):
    fail(throttle, PER_ACCOUNT_CLIENT.free - 1)
    assert throttle.wait("dana", ATTACKER) == 0.0


def test_then_each_failure_doubles_the_wait_up_to_an_hour(throttle, clock):
    fail(throttle, 5)
    waits = []
    for _ in range(9):
        waits.append(throttle.wait("dana", ATTACKER))
        clock.now += waits[-1]
        assert throttle.wait("dana", ATTACKER) == 0.0
        fail(throttle, 1)
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_the_wait_counts_from_the_last_failure(throttle, clock):
    fail(throttle, 5)
    clock.now += 20
    assert throttle.wait("dana", ATTACKER) == pytest.approx(10)


def test_another_client_and_another_account_are_not_held_up(throttle):
    fail(throttle, 30)
    assert throttle.wait("dana", ATTACKER) > 0
    assert throttle.wait("dana", DESK) == 0.0
    assert throttle.wait("omar", "192.0.2.50") == 0.0


def test_a_client_trying_many_names_waits_for_all_of_them(throttle):
    for n in range(PER_CLIENT.free):
        throttle.fail(f"name{n}", ATTACKER)
    assert throttle.wait("never-tried", ATTACKER) == 30
    assert throttle.wait("never-tried", DESK) == 0.0


def test_an_attack_from_many_addresses_slows_the_account_but_not_a_known_device(throttle):
    for n in range(PER_ACCOUNT.free):
        throttle.fail("dana", f"192.0.2.{n % 200}")
    assert throttle.wait("dana", DESK) == 30
    assert throttle.wait("dana", DESK, known_device=True) == 0.0


def test_success_forgets_that_clients_failures_on_that_account_only(throttle):
    fail(throttle, 5)
    fail(throttle, 5, client=DESK)
    throttle.succeed("dana", ATTACKER)
    assert throttle.wait("dana", ATTACKER) == 0.0
    assert throttle.wait("dana", DESK) == 30


def test_names_with_slashes_do_not_share_a_count(throttle):
    fail(throttle, 5, account="a/b")
    assert throttle.wait("a", ATTACKER) == 0.0
    assert throttle.wait("a/b", ATTACKER) == 30


@pytest.mark.parametrize("address,group", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),  # the same subscriber's other address
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("testclient", "testclient"),
    ("", "unknown"),
])
def test_clients_are_counted_by_address_and_ipv6_by_its_64(address, group):
    assert client_group(address) == group


@pytest.mark.parametrize("seconds,words", [
    (0.2, "1 second"), (30, "30 seconds"), (88.5, "89 seconds"), (90, "2 minutes"),
    (539, "9 minutes"), (3600, "60 minutes"), (7200, "2 hours"),
])
def test_waits_are_said_in_words(seconds, words):
    assert wait_phrase(seconds) == words


def test_backoff_delays():
    backoff = Backoff(free=2, base_seconds=10, cap_seconds=35)
    assert [backoff.delay(n) for n in range(6)] == [0, 0, 10, 20, 35, 35]
    assert backoff.delay(10_000) == 35  # no overflow however long the attack


def test_the_module_examples_run(clock):
    assert doctest.testmod(login_throttle).failed == 0
