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
from tests.databases import fresh_postgres, stop_services  # noqa: E402


@pytest.fixture
def store() -> IntakeStore:
    """An empty in-memory intake store."""
    return IntakeStore(None)


@pytest.fixture(params=["sqlite", "postgres"])
def db_location(request, tmp_path):
    """Where a store under test lives: a SQLite file, then a fresh PostgreSQL schema (its URL).

    Tests that take it run once per backend: one store interface, one suite, both engines.
    """
    if request.param == "sqlite":
        yield tmp_path / "intake.db"
        return
    with fresh_postgres() as url:
        yield url


def pytest_sessionfinish(session, exitstatus):
    """Stop PostgreSQL and Redis if this session started them."""
    stop_services()


@pytest.fixture
def rasa() -> FakeRasaClient:
    """A fake Rasa that records calls and answers from a script."""
    return FakeRasaClient()


def pytest_runtest_setup(item):
    """A browser test without Chromium or Playwright fails in CI and under `make test`
    (REQUIRE_BROWSER=1), and is skipped, with the reason, only on a developer's machine."""
    if item.get_closest_marker("browser") is None:
        return
    from tests.browser import browser_required, missing_browser

    missing = missing_browser()
    if missing is None:
        return
    if browser_required():
        pytest.fail(f"browser test cannot run where it must (REQUIRE_BROWSER/CI): {missing}",
                    pytrace=False)
    pytest.skip(missing)
