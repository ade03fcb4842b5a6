"""Adapter for Rasa's webapp channel (the REST protocol, signed), and a fake for tests."""
from __future__ import annotations

import asyncio
import json
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
        self.url = base_url.rstrip("/") + WEBHOOK
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
        payload: dict[str, Any] = {"sender": sender, "message": message}
        if metadata is not None:
            payload["metadata"] = metadata
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: sign_body(self._secret, body)}
        try:
            response = await self._http().post(self.url, content=body, headers=headers)
        except httpx.TransportError as exc:  # connection refused, timeout, dropped connection
            raise RasaUnavailable(f"cannot reach Rasa at {self.url}: {exc!r}") from exc
        return _replies(response)


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
