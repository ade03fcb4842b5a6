"""Sending a text message on the clinic's initiative (the two-week check-in): an adapter with a
fake that records calls, and Twilio's REST API as the real one.

Replies to a patient's own text go back as TwiML in bot/web/sms.py; only texts the clinic starts
need this. Environment: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (the clinic's
number in E.164, or a Messaging Service SID "MG...").

    >>> fake = FakeSmsSender()
    >>> fake.send("+15550100100", "Hello")
    >>> fake.sent
    [('+15550100100', 'Hello')]
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Mapping, Protocol

logger = logging.getLogger(__name__)


class SmsSendFailed(Exception):
    """The provider did not accept the message."""


class SmsSender(Protocol):
    """Sends one text to one number (raises SmsSendFailed)."""

    def send(self, to: str, body: str) -> None:
        """Send body to the number `to` (E.164)."""
        ...


@dataclass
class FakeSmsSender:
    """Stands in for TwilioSmsSender: records every (to, body); `fail` makes sends fail."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    fail: bool = False

    def send(self, to: str, body: str) -> None:
        """Record the text (or fail, when told to)."""
        if self.fail:
            raise SmsSendFailed("the fake was told to fail")
        self.sent.append((to, body))


class TwilioSmsSender:
    """Sends through Twilio's Messages API from TWILIO_FROM."""

    def __init__(self, account_sid: str, auth_token: str, sender: str) -> None:
        self._credentials = (account_sid, auth_token)
        self.sender = sender
        self._client = None

    def send(self, to: str, body: str) -> None:
        """Create one message; SmsSendFailed if Twilio refuses it."""
        from twilio.base.exceptions import TwilioException
        from twilio.rest import Client

        if self._client is None:  # built on first use: no I/O when the app starts
            self._client = Client(*self._credentials)
        where = ({"messaging_service_sid": self.sender} if self.sender.startswith("MG")
                 else {"from_": self.sender})
        try:
            self._client.messages.create(to=to, body=body, **where)
        except TwilioException as exc:
            raise SmsSendFailed(f"Twilio refused the message: {type(exc).__name__}") from exc


def sms_sender_from_env(env: Mapping[str, str] | None = None) -> SmsSender | None:
    """A TwilioSmsSender when TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are set,
    else None (check-ins for SMS patients then wait, logged, until it is configured)."""
    env = os.environ if env is None else env
    sid, token = env.get("TWILIO_ACCOUNT_SID", "").strip(), env.get("TWILIO_AUTH_TOKEN", "").strip()
    sender = env.get("TWILIO_FROM", "").strip()
    if sid and token and sender:
        return TwilioSmsSender(sid, token, sender)
    if token:
        logger.warning("TWILIO_FROM (or TWILIO_ACCOUNT_SID) is not set: two-week check-ins "
                       "cannot be texted to SMS patients.")
    return None
