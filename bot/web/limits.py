"""Limits that keep one runaway client from holding up every patient on a busy day.

Two kinds, both far above what a person manages, so only scripts and stuck clients meet them:

* Body size for every request, by path (`BodySizeLimit`, an ASGI middleware). A declared
  Content-Length over the limit is refused before anything is read; a body sent without one
  (chunked) is counted as it streams in and refused as soon as it passes the limit.
* Rate per key (`RateLimiter`, in-memory token buckets with an injectable clock): per
  conversation for the web chat, per phone number for SMS, per client address for starting
  conversations.

    >>> clock = FakeClock()
    >>> limiter = RateLimiter([Rate(2, 10.0)], clock=clock)
    >>> [limiter.check("a").allowed for _ in range(3)]
    [True, True, False]
    >>> clock.advance(5.0)  # one token back: 2 per 10 s refill at one per 5 s
    >>> limiter.check("a").allowed
    True

By default the counts live in this process: with several workers each keeps its own, which is
enough to stop a flood but is not an exact quota. With INTAKE_REDIS_URL set, every web app
counts in Redis instead (`SharedRateLimiter`: the `limits` package's moving windows), so a
patient whose messages reach different replicas meets the same limits. Set
INTAKE_RATE_LIMITS=off for load tests and simulators that drive many scripted patients from one
address at machine speed.
"""
from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from fastapi import HTTPException, Request
from limits import RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bot.web import photos

KB = 1024
MB = 1024 * KB
# Per path; every other path gets DEFAULT_BODY_BYTES. The routes keep their own, tighter checks
# with more specific messages: this is the floor under all of them, including routes added later.
BODY_LIMITS: dict[str, int] = {
    "/api/chat/photos": 9 * MB,  # one 8 MB photo plus multipart framing
    # Twilio's 1,600 characters of CJK text URL-encode to ~14 KB, plus 10 media URLs.
    "/sms/twilio": 32 * KB,
    "/api/chat": 64 * KB,
    "/webhooks/rest/webhook": 64 * KB,
}
DEFAULT_BODY_BYTES = 16 * KB

TOO_LARGE = "That's more than I can take in at once. Could you send something shorter?"
SLOW_DOWN = "You're sending messages very fast; please wait a few seconds."
TOO_MANY_CONVERSATIONS = (
    "Lots of new conversations are being started from your network right now. "
    "Please wait a minute and try again."
)


@dataclass(frozen=True)
class Rate:
    """At most `count` events per `seconds`, with bursts up to `count` (a token bucket)."""

    count: int
    seconds: float


# A patient reads each question before answering: one message every few seconds at most.
CONVERSATION_RATES = (Rate(20, 10.0), Rate(120, 600.0))
# The same for texts, plus a daily cap: an auto-responder caught in a loop with the bot would
# otherwise cost a text every 5 s all day. A whole SMS intake is ~40 texts.
SMS_RATES = (Rate(20, 10.0), Rate(120, 600.0), Rate(300, 86400.0))
# Per client address (a clinic tablet or a shared mobile network is still far below this).
NEW_CONVERSATION_RATES = (Rate(30, 60.0), Rate(300, 3600.0))
MAX_KEYS = 100_000  # least recently seen keys are forgotten past this (~20 MB)


class FakeClock:
    """A clock for tests: starts at 0 and moves only when told to."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


@dataclass(frozen=True)
class Verdict:
    """The answer to one event: allowed or not, how long to wait, whether to tell the sender."""

    allowed: bool
    retry_after: float = 0.0
    notify: bool = False  # refused, and the sender has not been told in this window


@dataclass
class _Buckets:
    tokens: list[float]
    updated: float
    notified_at: float | None = None


@dataclass
class RateLimiter:
    """Token buckets per key; an event is allowed only if every rate has a token to spare."""

    rates: tuple[Rate, ...] | list[Rate]
    clock: Callable[[], float] = time.monotonic
    max_keys: int = MAX_KEYS
    _keys: OrderedDict[str, _Buckets] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def check(self, key: str) -> Verdict:
        """Count one event for key if allowed; refused events are not counted."""
        if not self.rates:
            return Verdict(True)
        with self._lock:
            now = self.clock()
            buckets = self._refilled(key, now)
            if all(tokens >= 1 for tokens in buckets.tokens):
                buckets.tokens = [tokens - 1 for tokens in buckets.tokens]
                return Verdict(True)
            empty = [(rate, t) for rate, t in zip(self.rates, buckets.tokens) if t < 1]
            wait = max((1 - t) * rate.seconds / rate.count for rate, t in empty)
            # Tell the sender once per window of the longest rate they ran out of.
            window = max(rate.seconds for rate, _ in empty)
            notify = buckets.notified_at is None or now - buckets.notified_at >= window
            if notify:
                buckets.notified_at = now
            return Verdict(False, wait, notify)

    def _refilled(self, key: str, now: float) -> _Buckets:
        """The key's buckets topped up for the time since they were last used."""
        buckets = self._keys.pop(key, None)
        if buckets is None:
            buckets = _Buckets([float(rate.count) for rate in self.rates], now)
        else:
            elapsed = max(0.0, now - buckets.updated)
            buckets.tokens = [
                min(float(rate.count), tokens + elapsed * rate.count / rate.seconds)
                for rate, tokens in zip(self.rates, buckets.tokens)
            ]
            buckets.updated = now
        self._keys[key] = buckets  # most recently seen last
        while len(self._keys) > self.max_keys:
            self._keys.popitem(last=False)
        return buckets


class SharedRateLimiter:
    """The same rates, counted in a `limits` storage that several web apps share (Redis).

    Moving windows instead of token buckets: at most `count` events in any `seconds`. An event
    is counted only if every rate allows it (checked, then counted: two replicas at the same
    instant may both pass the last place, which is fine for a flood brake). "Tell the sender
    once per window" is itself a window of one event, so only one replica tells them.

        >>> limiter = SharedRateLimiter([Rate(1, 60.0)], "memory://", "doc")
        >>> [limiter.check("a").allowed for _ in range(2)]
        [True, False]
    """

    def __init__(self, rates: tuple[Rate, ...] | list[Rate], storage: str | Storage,
                 name: str) -> None:
        """storage: a `limits` storage URI ("redis://...", "memory://") or storage."""
        self.rates = tuple(rates)
        self.name = name
        if isinstance(storage, str):
            storage = storage_from_string(storage)
        self.limiter = MovingWindowRateLimiter(storage)
        self._items = [RateLimitItemPerSecond(rate.count, max(1, math.ceil(rate.seconds)),
                                              namespace="INTAKE") for rate in self.rates]

    def check(self, key: str) -> Verdict:
        """Count one event for key if allowed; refused events are not counted."""
        ids = (self.name, _limits_key(key))
        full = [item for item in self._items if not self.limiter.test(item, *ids)]
        if not full:
            for item in self._items:
                self.limiter.hit(item, *ids)
            return Verdict(True)
        now = time.time()
        wait = max(self.limiter.get_window_stats(item, *ids).reset_time - now for item in full)
        window = max(item.get_expiry() for item in full)
        notify = self.limiter.hit(RateLimitItemPerSecond(1, window, namespace="INTAKE"),
                                  "notified", *ids)
        return Verdict(False, max(wait, 0.001), notify)


def _limits_key(text: str) -> str:
    """Text safe inside a `limits` key, whose parts are joined with "/"."""
    return text.replace("%", "%25").replace("/", "%2F")


@dataclass
class RateLimits:
    """The rate limiters of one web app: per conversation, per SMS number, per client address."""

    conversation: RateLimiter | SharedRateLimiter
    sms: RateLimiter | SharedRateLimiter
    new_conversation: RateLimiter | SharedRateLimiter

    @classmethod
    def default(cls, clock: Callable[[], float] = time.monotonic) -> RateLimits:
        """The production limits, on the given clock."""
        return cls(
            RateLimiter(CONVERSATION_RATES, clock),
            RateLimiter(SMS_RATES, clock),
            RateLimiter(NEW_CONVERSATION_RATES, clock),
        )

    @classmethod
    def off(cls) -> RateLimits:
        """Limiters that allow everything (load tests, simulators)."""
        return cls(RateLimiter(()), RateLimiter(()), RateLimiter(()))

    @classmethod
    def shared(cls, storage_uri: str) -> RateLimits:
        """The production limits, counted in a storage every web app shares ("redis://...")."""
        return cls(
            SharedRateLimiter(CONVERSATION_RATES, storage_uri, "conversation"),
            SharedRateLimiter(SMS_RATES, storage_uri, "sms"),
            SharedRateLimiter(NEW_CONVERSATION_RATES, storage_uri, "new-conversation"),
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RateLimits:
        """None at all if INTAKE_RATE_LIMITS=off; shared in Redis if INTAKE_REDIS_URL is set;
        else the default limits in this process."""
        if env.get("INTAKE_RATE_LIMITS", "").lower() == "off":
            return cls.off()
        if env.get("INTAKE_REDIS_URL"):
            return cls.shared(env["INTAKE_REDIS_URL"])
        return cls.default()

    def check_conversation(self, conversation_id: str) -> None:
        """429 if this conversation is sending messages faster than a person could."""
        _raise_if_refused(self.conversation.check(conversation_id), SLOW_DOWN)

    def check_new_conversation(self, request: Request) -> None:
        """429 if the client's address is starting conversations faster than people do.

        The address is the TCP peer, which uvicorn replaces with X-Forwarded-For when the
        request comes from a trusted proxy (FORWARDED_ALLOW_IPS, 127.0.0.1 by default).
        """
        address = request.client.host if request.client else "unknown"
        _raise_if_refused(self.new_conversation.check(address), TOO_MANY_CONVERSATIONS)


def _raise_if_refused(verdict: Verdict, message: str) -> None:
    """HTTP 429 with a kind message and Retry-After for a refused event."""
    if not verdict.allowed:
        retry_after = str(max(1, math.ceil(verdict.retry_after)))
        raise HTTPException(429, message, headers={"Retry-After": retry_after})


# --- body size -----------------------------------------------------------------------------

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _BodyTooLarge(Exception):
    """Raised from receive() once the streamed body passes the path's limit."""


class BodySizeLimit:
    """ASGI middleware: 413 for a request body larger than its path's limit."""

    def __init__(
        self,
        app: Callable[[Scope, Receive, Send], Awaitable[None]],
        limits: Mapping[str, int] | None = None,
        default: int = DEFAULT_BODY_BYTES,
    ) -> None:
        self.app = app
        self.limits = dict(BODY_LIMITS if limits is None else limits)
        self.default = default

    def limit_for(self, path: str) -> int:
        """The largest body accepted on path, in bytes."""
        return self.limits.get(path.rstrip("/") or "/", self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _send_too_large(scope, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if started:  # too late for a 413: let the server drop the connection
                raise
            await _send_too_large(scope, send)


def _content_length(scope: Scope) -> int | None:
    """The declared Content-Length, or None if absent or not a plain number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _send_too_large(scope: Scope, send: Send) -> None:
    """A 413 answer: JSON `{"detail": ...}` for the APIs, plain text elsewhere."""
    path = scope["path"]
    message = photos.refusal(photos.TOO_BIG) if path.startswith("/api/chat/photos") else TOO_LARGE
    if path.startswith(("/api/", "/webhooks/")):
        body, media_type = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body, media_type = message.encode(), b"text/plain; charset=utf-8"
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", media_type),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            (b"cache-control", b"no-store"),
        ],
    })
    await send({"type": "http.response.body", "body": body})


async def read_limited_body(request: Any, max_bytes: int) -> bytes:
    """The request body, or HTTPException 413 once it passes max_bytes (declared or streamed).

    Behind BodySizeLimit this is a second line of defence for routes with a tighter limit.
    """
    too_large = HTTPException(413, f"Request body is larger than {max_bytes} bytes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise too_large
    return bytes(body)
