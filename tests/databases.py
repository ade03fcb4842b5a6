"""PostgreSQL and Redis for tests, and the two database backends side by side.

`services()` starts both once per test session with scripts/services.sh (Debian packages on
127.0.0.1, data in a temp dir), unless INTAKE_TEST_DATABASE_URL and INTAKE_TEST_REDIS_URL say
where they already run. Where they cannot start, a test that needs them fails under
REQUIRE_SERVICES=1 (`make test`, CI) and is skipped, with the reason, elsewhere.

Each PostgreSQL test gets its own schema (`fresh_postgres`), which is dropped afterwards.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

import pytest

from bot import db as backend
from bot.config import ROOT

_started: dict[str, Any] = {}


def services_required() -> bool:
    """True where a test needing PostgreSQL/Redis must fail rather than skip."""
    return os.environ.get("REQUIRE_SERVICES") == "1" or bool(os.environ.get("CI"))


def services() -> dict[str, str]:
    """{"database_url", "redis_url"} of running services, started on first use."""
    if "urls" in _started:
        return _started["urls"]
    if "error" in _started:
        _missing(_started["error"])
    db_url = os.environ.get("INTAKE_TEST_DATABASE_URL")
    redis_url = os.environ.get("INTAKE_TEST_REDIS_URL")
    if not (db_url and redis_url):
        result = subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), "start"],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            _started["error"] = f"scripts/services.sh start failed: {result.stderr[-2000:]}"
            _missing(_started["error"])
        exports = dict(line.removeprefix("export ").split("=", 1)
                       for line in result.stdout.splitlines() if line.startswith("export "))
        exports = {k: v.strip("'") for k, v in exports.items()}
        _started["dir"] = exports["SERVICES_DIR"]
        db_url, redis_url = exports["INTAKE_TEST_DATABASE_URL"], exports["INTAKE_TEST_REDIS_URL"]
    _started["urls"] = {"database_url": db_url, "redis_url": redis_url}
    return _started["urls"]


def stop_services() -> None:
    """Stop the services this session started (none if they were given by the environment)."""
    if "dir" in _started:
        subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), "stop", _started.pop("dir")],
                       capture_output=True, timeout=120)


def _missing(reason: str) -> None:
    if services_required():
        pytest.fail(f"PostgreSQL/Redis needed here (REQUIRE_SERVICES/CI): {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """A URL whose connections use a new, empty schema; the schema is dropped afterwards."""
    base = services()["database_url"]
    schema = f"t_{secrets.token_hex(6)}"
    with backend.pg_connect(base) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{base}?options={quote(f'-csearch_path={schema}')}"
    try:
        yield url
    finally:
        backend.dispose(url)
        with backend.pg_connect(base) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def raw(location: str | Path) -> Iterator[Any]:
    """A plain connection to a store's database (committed at the end), either backend."""
    if backend.is_postgres(location):
        with backend.pg_connect(str(location)) as conn:
            yield conn
        return
    conn = sqlite3.connect(location)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def env_for(location: str | Path) -> dict[str, str]:
    """The environment that points the processes and CLIs at this database."""
    if backend.is_postgres(location):
        return {"INTAKE_DATABASE_URL": str(location)}
    return {"INTAKE_DB": str(location)}
