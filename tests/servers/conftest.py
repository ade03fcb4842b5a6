"""One real product stack (action server, Rasa, web app) shared by the server tests."""
from __future__ import annotations

import secrets

import pytest

from tests.stack import Stack

LOG_CHECK = "test_no_secret_appears_in_any_log_of_the_run"


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


def pytest_collection_modifyitems(items):
    """The log check (test_internal_auth.py) reads the logs every other server test left, so it
    runs last."""
    last = [item for item in items if item.name == LOG_CHECK]
    items[:] = [item for item in items if item.name != LOG_CHECK] + last
