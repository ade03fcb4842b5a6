"""Sign-in throttling: waits that grow while someone keeps guessing, never a lock a stranger holds.

Failed sign-ins are counted three ways. Each way lets a few failures pass, then makes the next
attempt wait, and doubles the wait with every further failure (30 s, 1 min, 2 min, ... up to a
cap), so a person who mistypes is not held up and a guesser soon waits an hour per guess:

* per account *from one client*: the main brake. Someone guessing dana's password from one
  address waits; dana signing in from her own desk does not.
* per client, across usernames: one address trying many names (password spraying).
* per account, from anywhere: generous, so only an attack from many addresses reaches it, and a
  browser dana has signed in from before (a "known device") is exempt from it, so even then she
  gets in.

Only failures count, and an unknown username counts exactly like a real one: the answers and
their timing do not tell anyone which names exist. A success forgets that client's failures on
that account.

    >>> throttle = LoginThrottle(LimitsCounter())
    >>> throttle.wait("dana", "203.0.113.7")
    0.0

The counting is the `limits` package (moving windows) behind `AttemptCounter`. Its storage is
this process's memory (each worker counts on its own); `storage_uri` moves it to Redis
("redis://host:6379", needs the redis package) so every worker shares one count.
"""
from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass
from typing import Callable, Protocol
from urllib.parse import quote

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

MIN_WAIT = 0.001
MAX_COUNTED = 10_000  # failures counted per key and day; the wait is at its cap long before


@dataclass(frozen=True)
class Backoff:
    """After `free` failures in a day, each further failure doubles the wait before the next
    attempt: base_seconds, twice that, ... at most cap_seconds."""

    free: int
    base_seconds: int
    cap_seconds: int

    def delay(self, failures: int) -> int:
        """Seconds the next attempt waits after `failures` failures (0: none)."""
        if failures < self.free:
            return 0
        return min(self.base_seconds * 2 ** min(failures - self.free, 32), self.cap_seconds)


PER_ACCOUNT_CLIENT = Backoff(free=5, base_seconds=30, cap_seconds=3600)
PER_CLIENT = Backoff(free=15, base_seconds=30, cap_seconds=3600)
PER_ACCOUNT = Backoff(free=100, base_seconds=30, cap_seconds=900)
_DAY = RateLimitItemPerDay(MAX_COUNTED)


class AttemptCounter(Protocol):
    """Events per key in `limits` windows (the storage can live elsewhere, e.g. Redis)."""

    def count(self, window: RateLimitItem, *key: str) -> int:
        """How many events the key has in the window."""

    def wait(self, window: RateLimitItem, *key: str) -> float:
        """Seconds until one more event fits in the window (0.0 if it fits now)."""

    def add(self, window: RateLimitItem, *key: str) -> None:
        """Count one event in the window."""

    def clear(self, window: RateLimitItem, *key: str) -> None:
        """Forget the key's events in the window."""


class LimitsCounter:
    """An AttemptCounter on `limits` moving windows.

    `limits` reads time.time() itself, so `clock` must tell the same time: tests that move a
    fake clock patch `limits.storage.memory.time` to it as well.
    """

    def __init__(self, storage_uri: str | Storage = "memory://",
                 clock: Callable[[], float] = time.time) -> None:
        """storage_uri: a `limits` storage URI, or a storage (shared by tests)."""
        storage = storage_from_string(storage_uri) if isinstance(storage_uri, str) else storage_uri
        self.limiter = MovingWindowRateLimiter(storage)
        self.clock = clock

    def count(self, window: RateLimitItem, *key: str) -> int:
        """Events in the window."""
        return window.amount - self.limiter.get_window_stats(window, *key).remaining

    def wait(self, window: RateLimitItem, *key: str) -> float:
        """Seconds until the window's oldest event leaves it, if the window is full."""
        if self.limiter.test(window, *key):
            return 0.0
        # At reset_time itself `limits` still counts the oldest event: never report zero.
        return max(self.limiter.get_window_stats(window, *key).reset_time - self.clock(),
                   MIN_WAIT)

    def add(self, window: RateLimitItem, *key: str) -> None:
        """Count one event."""
        self.limiter.hit(window, *key)

    def clear(self, window: RateLimitItem, *key: str) -> None:
        """Forget the key's events."""
        self.limiter.clear(window, *key)


class LoginThrottle:
    """How long a sign-in attempt must wait, from failures per account+client, client, account."""

    def __init__(self, counter: AttemptCounter) -> None:
        self.counter = counter

    def wait(self, account: str, client: str, known_device: bool = False) -> float:
        """Seconds this attempt must wait (0.0: go ahead); a known device skips the account tier."""
        tiers = self._tiers(account, client)
        if known_device:
            tiers = tiers[:2]
        return max(self._wait(backoff, key) for backoff, key in tiers)

    def fail(self, account: str, client: str) -> None:
        """Count one failed sign-in, starting the wait it earns."""
        for backoff, key in self._tiers(account, client):
            self.counter.add(_DAY, *key)
            delay = backoff.delay(self.counter.count(_DAY, *key))
            if delay:
                window = RateLimitItemPerSecond(1, delay)
                self.counter.clear(window, *key)  # the wait runs from this failure
                self.counter.add(window, *key)

    def succeed(self, account: str, client: str) -> None:
        """Forget this client's failures on this account (it knew the password after all)."""
        self.counter.clear(_DAY, *self._tiers(account, client)[0][1])

    def _wait(self, backoff: Backoff, key: tuple[str, ...]) -> float:
        """The wait one tier imposes: the delay its failures earned, counted from the last."""
        delay = backoff.delay(self.counter.count(_DAY, *key))
        return self.counter.wait(RateLimitItemPerSecond(1, delay), *key) if delay else 0.0

    @staticmethod
    def _tiers(account: str, client: str) -> list[tuple[Backoff, tuple[str, ...]]]:
        """(backoff, key) for account+client, client and account, in that order."""
        account_key, client_key = _key(account), _key(client_group(client))
        return [(PER_ACCOUNT_CLIENT, ("account-client", account_key, client_key)),
                (PER_CLIENT, ("client", client_key)),
                (PER_ACCOUNT, ("account", account_key))]


def client_group(address: str) -> str:
    """The address a client is counted by: an IPv6 address by its /64 (one subscriber's
    network, which has billions of addresses), anything else as it is."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # "::ffff:203.0.113.7" is that IPv4 client
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def wait_phrase(seconds: float) -> str:
    """A wait in words a person can act on: "30 seconds", "4 minutes", "1 hour"."""
    whole = max(1, math.ceil(seconds))
    if whole < 90:
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = math.ceil(whole / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = math.ceil(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _key(text: str) -> str:
    """Text safe inside a `limits` key, whose parts are joined with "/"."""
    return quote(text, safe="")
