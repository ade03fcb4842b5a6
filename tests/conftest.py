"""Shared fixtures. Environment first: no telemetry, a throwaway store per test session."""
from __future__ import annotations

import os
import tempfile

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if "INTAKE_DB" not in os.environ:
    os.environ["INTAKE_DB"] = os.path.join(tempfile.mkdtemp(prefix="intake-test-"), "intake.db")


import pytest  # noqa: E402  (after the environment is set)

from bot.store import IntakeStore  # noqa: E402
from bot.web.rasa_client import FakeRasaClient  # noqa: E402


@pytest.fixture
def store() -> IntakeStore:
    """An empty in-memory intake store."""
    return IntakeStore(None)


@pytest.fixture
def rasa() -> FakeRasaClient:
    """A fake Rasa that records calls and answers from a script."""
    return FakeRasaClient()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI and `make test`, a browser test that would skip fails instead (with the reason)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("browser"):
        from tests.browser import browser_required, missing_browser

        if browser_required():
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            report.outcome = "failed"
            report.longrepr = (f"browser test skipped where it must run (REQUIRE_BROWSER/CI): "
                               f"{reason}; {missing_browser() or 'Chromium and Playwright found'}")
