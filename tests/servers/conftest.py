"""One real product stack (action server, Rasa, web app) shared by the server tests."""
from __future__ import annotations

import secrets

import pytest

from tests.stack import Stack


@pytest.fixture(scope="session")
def stack():
    stack = Stack()
    stack.env["TWILIO_AUTH_TOKEN"] = secrets.token_hex(16)
    stack.env["PUBLIC_BASE_URL"] = "https://clinic.example.test"  # as Twilio sees it, behind a proxy
    try:
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()
