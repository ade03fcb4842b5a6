"""Two web apps, two Rasa servers and two action servers on one PostgreSQL and one Redis.

The chain-of-clinics layout of docs/deploy.md on loopback: Rasa servers share the SQL tracker
store and the Redis lock store (endpoints.replicas.yml); each Rasa server calls its own action
server; both web apps know both Rasa servers (RASA_URL lists them); the intake, staff and state
stores are in PostgreSQL (INTAKE_DATABASE_URL) and the limits in Redis (INTAKE_REDIS_URL).
Secrets per hop as in tests/stack.py: each process gets only those of its own hops.
"""
from __future__ import annotations

import secrets
import signal
import subprocess
import time
from urllib.parse import urlsplit

import httpx

from bot import db as backend
from tests.stack import ROOT, VENV_BIN, WEB_KEEP_ALIVE_SECONDS, Stack, free_port

LOCK_LIFETIME = 10  # seconds a dead Rasa server's conversation locks outlive it (TICKET_LOCK_LIFETIME)
NAMES = ("actions1", "actions2", "rasa1", "rasa2", "web1", "web2")


def new_database(server_url: str, prefix: str) -> str:
    """Create an empty database on the server of server_url; its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    conn = backend.engine(server_url).raw_connection()
    try:
        conn.set_isolation_level(0)  # CREATE DATABASE cannot run inside a transaction
        conn.cursor().execute(f"CREATE DATABASE {name}")
    finally:
        conn.close()
    return server_url.rsplit("/", 1)[0] + "/" + name


class ReplicaStack(Stack):
    """The six processes; `kind(name)` is what Stack calls it ("rasa1" -> "rasa")."""

    def __init__(self, database_server_url: str, redis_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ports = {name: free_port() for name in NAMES}
        self.intake_db = new_database(database_server_url, "intake")
        self.tracker_db = new_database(database_server_url, "tracker")
        tracker, lock = urlsplit(self.tracker_db), urlsplit(redis_url)
        self.env.update({
            "INTAKE_DATABASE_URL": self.intake_db,
            "INTAKE_REDIS_URL": redis_url,
            "RASA_TRACKER_DATABASE_URL": self.tracker_db,  # the web app deletes events there
            "RASA_URL": ",".join(self.url(name) for name in ("rasa1", "rasa2")),
            "RASA_TRACKER_DB_HOST": tracker.hostname, "RASA_TRACKER_DB_PORT": str(tracker.port),
            "RASA_TRACKER_DB_NAME": tracker.path.lstrip("/"),
            "RASA_TRACKER_DB_USER": tracker.username,
            "RASA_TRACKER_DB_PASSWORD": tracker.password or "",
            "RASA_LOCK_REDIS_HOST": lock.hostname, "RASA_LOCK_REDIS_PORT": str(lock.port),
            "RASA_LOCK_REDIS_PASSWORD": lock.password or "",
            "RASA_LOCK_REDIS_DB": lock.path.lstrip("/") or "0",
            # A server that dies holding a conversation's lock holds it this long: Rasa's 60 s
            # default outlasts the web app's 30 s wait for a reply (docs/deploy.md).
            "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME),
        })
        self.env.pop("RASA_TRACKER_DB", None)

    @staticmethod
    def kind(name: str) -> str:
        return name.rstrip("12")

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def web_urls(self) -> list[str]:
        return [self.url("web1"), self.url("web2")]

    def command(self, name: str) -> list[str]:
        port = str(self.ports[name])
        kind = self.kind(name)
        if kind == "actions":
            return [str(VENV_BIN / "python"), "-m", "rasa_addons.action_server", "--actions",
                    "actions", "--port", port]
        if kind == "rasa":
            return [str(VENV_BIN / "python"), "-m", "rasa_addons.rasa_server", "-i", "127.0.0.1",
                    "-p", port, "-m", str(self.model), "--endpoints", "endpoints.replicas.yml",
                    "--credentials", "credentials.yml"]
        return [str(VENV_BIN / "uvicorn"), "--factory", "bot.web.app:app_factory", "--host",
                "127.0.0.1", "--port", port, "--ws", "none",
                "--timeout-keep-alive", str(WEB_KEEP_ALIVE_SECONDS)]

    def process_env(self, name: str) -> dict[str, str]:
        env = super().process_env(self.kind(name))
        if self.kind(name) == "rasa":  # each Rasa server calls its own action server
            env["ACTION_ENDPOINT_URL"] = f"{self.url('actions' + name[-1])}/webhook"
        return env

    def start_all(self, timeout: float = 300.0) -> float:
        """Start all six at once (they load in parallel); seconds until all answer."""
        began = time.monotonic()
        for name in NAMES:
            log = open(self.dir / f"{name}.log", "ab")
            self.procs[name] = subprocess.Popen(self.command(name), cwd=ROOT,
                                                env=self.process_env(name), stdout=log,
                                                stderr=subprocess.STDOUT)
        for name in NAMES:
            self._wait_ready(name, began + timeout)
        return time.monotonic() - began

    def _wait_ready(self, name: str, deadline: float) -> None:
        path = {"actions": "/health", "rasa": "/status", "web": "/healthz"}[self.kind(name)]
        while time.monotonic() < deadline:
            if self.procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited; log:\n{self.log(name)[-3000:]}")
            headers = self.rasa_api_headers() if self.kind(name) == "rasa" else {}
            try:
                if httpx.get(self.url(name) + path, headers=headers, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{name} not ready; log:\n{self.log(name)[-3000:]}")

    def kill(self, name: str) -> None:
        """SIGKILL: no goodbye, whatever it was doing (a crash or a lost machine)."""
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
