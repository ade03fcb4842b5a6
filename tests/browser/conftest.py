"""Browser fixtures shared by the browser tests: one headless Chromium per module."""
from __future__ import annotations

import pytest

from tests.browser import launch_chromium


@pytest.fixture(scope="module")
def playwright_instance():
    from playwright.sync_api import sync_playwright  # checked before setup (tests/conftest.py)

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_instance):
    browser = launch_chromium(playwright_instance)
    yield browser
    browser.close()
