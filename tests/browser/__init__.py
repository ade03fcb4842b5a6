"""Helpers for tests that drive a real browser against a real web server on loopback.

    with serve_app(create_app(settings, store, any_rasa_adapter)) as base_url:
        page.goto(base_url)

`serve_app` takes any ASGI app, so the same helper serves the app in front of a scripted
fake Rasa (tests/browser/test_widget_browser.py) or in front of a real Rasa server.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import uvicorn

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The system Chromium (or the binary named by CHROMIUM), or None when it is not installed."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).exists() else None


def browser_required() -> bool:
    """True in CI and under `make test` (REQUIRE_BROWSER=1): a browser test may not skip there."""
    flag = os.environ.get("REQUIRE_BROWSER") or os.environ.get("CI") or ""
    return flag.lower() not in ("", "0", "false", "no")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here (no Chromium, no Playwright), or None."""
    if chromium_path() is None:
        return "Chromium is not installed (`SETUP_BROWSER=1 bash scripts/setup.sh` installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Playwright Python package is not installed (it is in requirements.lock)"
    return None


def launch_chromium(playwright: Any) -> Any:
    """Headless system Chromium through Playwright, with no background network traffic."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


@contextmanager
def serve_app(app: Any, host: str = "127.0.0.1", startup_timeout: float = 10.0) -> Iterator[str]:
    """Run app under uvicorn on a free loopback port in a background thread; yield its base URL."""
    # ws="none": the websockets version Rasa pins breaks uvicorn's websocket loader.
    config = uvicorn.Config(app, host=host, port=0, ws="none", lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test web server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
