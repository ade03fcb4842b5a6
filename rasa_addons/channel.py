"""Rasa's REST protocol for one caller, the web app: every message must carry its signature.

Rasa's own REST channel answers any process for any sender. This channel accepts a POST only
when its `X-Intake-Signature` header is an HMAC of the exact body made with RASA_CHANNEL_SECRET
in the last 5 minutes, so the sender id and the channel in the metadata are the web app's word.
Registered in credentials.yml by module path; the route is /webhooks/webapp/webhook.

With several Rasa servers the web app resends a message to another server when the first one
dropped the connection (bot/web/rasa_client.py), marked `retry` with the first try's
`message_id`. The first server may have saved the turn before it died, so a retry whose
message the tracker already holds is answered with the replies saved after it, not handled
again (that would take the answer as the answer to the next question).
"""
from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.internal_auth import (CHANNEL_SECRET_ENV, SIGNATURE_HEADER, accepted_secrets,
                               body_signature_ok)

logger = logging.getLogger(__name__)


class WebAppInput(RestInput):
    """The REST channel, for requests signed by the web app only (anything else gets 401)."""

    def __init__(self, secret: str, previous: str = "") -> None:
        env = {CHANNEL_SECRET_ENV: secret, f"{CHANNEL_SECRET_ENV}_PREVIOUS": previous}
        self._secrets = accepted_secrets(CHANNEL_SECRET_ENV, env)
        self._agent: Any = None  # the server's Agent, seen on the first request

    @classmethod
    def name(cls) -> Text:
        return "webapp"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """credentials.yml: `secret: ${RASA_CHANNEL_SECRET}`; while the secret is rotated,
        RASA_CHANNEL_SECRET_PREVIOUS in the environment is accepted too."""
        return cls((credentials or {}).get("secret", ""),
                   os.environ.get(f"{CHANNEL_SECRET_ENV}_PREVIOUS", ""))

    def signed_by_the_web_app(self, body: bytes, signature: Optional[str]) -> bool:
        """True if the signature header is the web app's for this body (current or previous
        secret), made within the last 5 minutes."""
        return any(body_signature_ok(secret, body, signature) for secret in self._secrets)

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()  # never the body's "input_channel": the channel is this one

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """RestInput's routes, with a signature check before every POST."""
        async def once(message: UserMessage) -> None:
            metadata = message.metadata or {}
            if metadata.get("retry") and metadata.get("message_id") and self._agent is not None:
                tracker = await self._agent.tracker_store.retrieve(message.sender_id)
                saved = replies_after(tracker.events if tracker else [], metadata["message_id"])
                if saved is not None:
                    logger.warning("a resent message was handled already; its replies resent")
                    for reply in saved:
                        await message.output_channel.send_response(message.sender_id, reply)
                    return
            await on_new_message(message)

        webhook = super().blueprint(once)

        @webhook.middleware("request")
        async def check_signature(request: Request) -> Optional[response.HTTPResponse]:
            if request.method == "GET":  # the channel's health check carries no data
                return None
            signature = request.headers.get(SIGNATURE_HEADER)
            if self.signed_by_the_web_app(request.body or b"", signature):
                self._agent = getattr(request.app.ctx, "agent", None)
                return None
            logger.warning("refused an unsigned or badly signed message to the webapp channel")
            return response.json({"error": "not signed by the web app"}, status=401)

        return webhook


def replies_after(events: Iterable[Any], message_id: str) -> Optional[List[Dict[str, Any]]]:
    """The bot's replies to the user message with this message_id in its metadata, as the
    output channel takes them; None if no such message is in the events."""
    replies: Optional[List[Dict[str, Any]]] = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break
            if (event.metadata or {}).get("message_id") == message_id:
                replies = []
        elif isinstance(event, BotUttered) and replies is not None:
            replies.append({"text": event.text,
                            **{k: v for k, v in (event.data or {}).items() if v is not None}})
    return replies
