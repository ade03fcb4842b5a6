"""Adapter for Rasa's webapp channel (the REST protocol, signed), and a fake for tests.

Several Rasa servers (RASA_URL="http://a:5005,http://b:5005", all on one SQL tracker store and
one Redis lock store): each conversation goes to the same server while it answers, and to the
next one when it cannot be reached or drops the connection. Each message then carries a
`message_id` in its metadata, and a resent one says `retry`: the channel (rasa_addons/channel.py)
answers a retry of a message the tracker already holds from the tracker instead of handling it
twice.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
from typing import Any

import httpx

from bot.internal_auth import CHANNEL_SECRET_ENV, SIGNATURE_HEADER, require_secret, sign_body

WEBHOOK = "/webhooks/webapp/webhook"  # rasa_addons/channel.py: refuses unsigned messages


class RasaUnavailable(Exception):
    """Rasa could not be reached or did not answer usefully."""


class RasaClient:
    """Sends one patient message to Rasa, signed with the channel secret, and returns the
    bot's replies."""

    def __init__(
        self,
        base_url: str,
        secret: str,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """base_url: one Rasa server, or several separated by commas (see the module doc)."""
        self.urls = [url.strip().rstrip("/") + WEBHOOK for url in base_url.split(",")
                     if url.strip()]
        self.url = self.urls[0]
        self._secret = require_secret(CHANNEL_SECRET_ENV, secret)
        self.timeout = timeout
        self._transport = transport  # tests pass httpx.MockTransport
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> httpx.AsyncClient:
        """One pooled client per event loop: a new client per message cost ~40 ms (TLS context
        set-up and a fresh TCP connection), most of the web app's share of each reply."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = httpx.AsyncClient(timeout=self.timeout, transport=self._transport,
                                             verify=False if self.url.startswith("http:") else True)
            self._loop = loop
        return self._client

    async def send(
        self, sender: str, message: str, metadata: dict | None = None
    ) -> list[dict]:
        """Post a message for a conversation; raise RasaUnavailable if Rasa fails."""
        if len(self.urls) > 1:
            metadata = {**(metadata or {}), "message_id": secrets.token_hex(16)}
        failures = []
        for attempt, url in enumerate(self._servers_for(sender)):
            if attempt:
                metadata = {**(metadata or {}), "retry": True}
            try:
                return _replies(await self._post(url, sender, message, metadata))
            except httpx.TimeoutException as exc:  # it may still be handling it: never resend
                raise RasaUnavailable(f"Rasa at {url} timed out: {exc!r}") from exc
            except httpx.TransportError as exc:  # refused, or the connection dropped
                failures.append(f"{url}: {exc!r}")
        raise RasaUnavailable(f"cannot reach Rasa: {'; '.join(failures)}")

    def _servers_for(self, sender: str) -> list[str]:
        """Every server, starting with the conversation's own (a stable pick by its id)."""
        start = int(hashlib.sha256(sender.encode()).hexdigest()[:8], 16) % len(self.urls)
        return self.urls[start:] + self.urls[:start]

    async def _post(self, url: str, sender: str, message: str,
                    metadata: dict | None) -> httpx.Response:
        """One signed POST of the message to one server."""
        payload: dict[str, Any] = {"sender": sender, "message": message}
        if metadata is not None:
            payload["metadata"] = metadata
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: sign_body(self._secret, body)}
        return await self._http().post(url, content=body, headers=headers)


def _replies(response: httpx.Response) -> list[dict]:
    """The list of reply dicts in a Rasa response, or RasaUnavailable."""
    if not response.is_success:
        raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
    try:
        replies = response.json()
    except ValueError as exc:
        raise RasaUnavailable("Rasa answered with something that is not JSON") from exc
    if not isinstance(replies, list) or not all(isinstance(r, dict) for r in replies):
        raise RasaUnavailable("Rasa answered with JSON that is not a list of messages")
    return replies


class FakeRasaClient:
    """Stands in for RasaClient: records each call and answers from a script.

    `replies` is a list of reply lists, used in order; when it runs out the fake answers
    "ok". With `down=True` every call raises RasaUnavailable.
    """

    def __init__(self, replies: list[list[dict]] | None = None, down: bool = False) -> None:
        self.replies = list(replies or [])
        self.down = down
        self.calls: list[dict[str, Any]] = []

    async def send(
        self, sender: str, message: str, metadata: dict | None = None
    ) -> list[dict]:
        """Record the call and return the next scripted reply."""
        self.calls.append({"sender": sender, "message": message, "metadata": metadata})
        if self.down:
            raise RasaUnavailable("fake Rasa is down")
        if self.replies:
            return self.replies.pop(0)
        return [{"recipient_id": sender, "text": "ok"}]
