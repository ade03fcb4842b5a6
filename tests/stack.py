"""Start the real product (action server, Rasa, web app) on loopback, as `scripts/run.sh` does.

Used by the server tests, the full-stack browser test and the benchmark. Each process can be
stopped and started again, so fault tests can take one away mid-intake. Like scripts/run.sh,
each process gets only the secrets of its own hops (bot/internal_auth.py), in its environment.
"""
from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bot.internal_auth import (ACTION_TOKEN_ENV, CHANNEL_SECRET_ENV, JWT_SECRET_ENV,
                               SIGNATURE_HEADER, rasa_api_jwt, sign_body)

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
# Secrets only the web app holds (conversation ids and cookies; Twilio's signatures and media).
WEB_APP_SECRETS = ("INTAKE_SECRET_KEY", "TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID")
# As scripts/run.sh: longer than a patient's pause between messages. With uvicorn's default (5 s)
# a browser that sends its next message as the server closes the idle connection gets a reset.
WEB_KEEP_ALIVE_SECONDS = 75


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """The three processes of the product, with their ports, logs and data in one temp folder."""

    def __init__(self, workdir: Path | None = None, model: Path | None = None) -> None:
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="intake-stack-"))
        self.model = model or ROOT / "models" / "intake.tar.gz"
        self.ports = {"actions": free_port(), "rasa": free_port(), "web": free_port()}
        # One secret per internal hop; a process is given only those of its own hops.
        self.hop_secrets = {CHANNEL_SECRET_ENV: secrets.token_hex(32),
                            ACTION_TOKEN_ENV: secrets.token_hex(32),
                            JWT_SECRET_ENV: secrets.token_hex(32)}
        self.media_port = free_port()  # for a stand-in of the SMS provider's media hosts
        self.env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
            "INTAKE_DB": str(self.dir / "intake.db"),
            "RASA_TRACKER_DB": str(self.dir / "tracker.db"),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['actions']}/webhook",
            "RASA_URL": f"http://127.0.0.1:{self.ports['rasa']}",
            "INTAKE_SECRET_KEY": secrets.token_hex(32),
            "SANIC_HOST": "127.0.0.1",
            # Scripted patients type at machine speed, all from 127.0.0.1; tests/test_limits.py
            # covers the rate limits.
            "INTAKE_RATE_LIMITS": "off",
            # MMS photos: the fetcher needs the account SID too; a local server on this port
            # stands in for Twilio's media hosts (tests/servers/test_sms_full.py starts it).
            "TWILIO_ACCOUNT_SID": "AC" + secrets.token_hex(16),
            "TWILIO_MEDIA_HOSTS": f"http://127.0.0.1:{self.media_port}",
        }
        self.issued_jwts: list[str] = []
        self.procs: dict[str, subprocess.Popen] = {}
        self.started_seconds: dict[str, float] = {}

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['web']}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['rasa']}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['actions']}"

    def command(self, name: str) -> list[str]:
        """The command line that starts one process (the same as scripts/run.sh): no secrets."""
        if name == "actions":
            return [str(VENV_BIN / "python"), "-m", "rasa_addons.action_server", "--actions",
                    "actions", "--port", str(self.ports["actions"])]
        if name == "rasa":
            return [str(VENV_BIN / "python"), "-m", "rasa_addons.rasa_server", "-i", "127.0.0.1",
                    "-p", str(self.ports["rasa"]), "-m", str(self.model),
                    "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
        return [str(VENV_BIN / "uvicorn"), "--factory", "bot.web.app:app_factory", "--host",
                "127.0.0.1", "--port", str(self.ports["web"]), "--ws", "none",
                "--timeout-keep-alive", str(WEB_KEEP_ALIVE_SECONDS)]

    def process_env(self, name: str) -> dict[str, str]:
        """The environment of one process: the shared settings plus its own secrets only
        (the web app's own keys stay with the web app, each hop's secret with its two ends)."""
        needs = {"actions": [ACTION_TOKEN_ENV], "web": [CHANNEL_SECRET_ENV],
                 "rasa": [CHANNEL_SECRET_ENV, ACTION_TOKEN_ENV, JWT_SECRET_ENV]}[name]
        not_here = set(self.hop_secrets) | {f"{var}_PREVIOUS" for var in self.hop_secrets}
        if name != "web":
            not_here |= set(WEB_APP_SECRETS)
        shared = {var: value for var, value in self.env.items() if var not in not_here}
        return {**shared, **{var: self.hop_secrets[var] for var in needs}}

    def secret_values(self) -> dict[str, str]:
        """Every secret this stack's processes hold, by variable name (for the log check)."""
        return {**self.hop_secrets,
                **{var: self.env[var] for var in WEB_APP_SECRETS if self.env.get(var)}}

    def rasa_api_headers(self) -> dict[str, str]:
        """Headers for Rasa's HTTP API: a short-lived JWT in Authorization (never `?token=`)."""
        token = rasa_api_jwt(self.hop_secrets[JWT_SECRET_ENV], "tests")
        self.issued_jwts.append(token)  # a JWT is a secret too while it lives (the log check)
        return {"Authorization": f"Bearer {token}"}

    def channel_headers(self, body: bytes) -> dict[str, str]:
        """Headers with which Rasa's webapp channel accepts `body`: the web app's signature."""
        return {"Content-Type": "application/json",
                SIGNATURE_HEADER: sign_body(self.hop_secrets[CHANNEL_SECRET_ENV], body)}

    def action_headers(self) -> dict[str, str]:
        """Headers with which the action server accepts a call: Rasa's token."""
        return {"Authorization": f"Bearer {self.hop_secrets[ACTION_TOKEN_ENV]}"}

    def start(self, name: str, timeout: float = 180.0) -> float:
        """Start one process and wait until it answers; returns seconds to ready."""
        log = open(self.dir / f"{name}.log", "ab")
        began = time.monotonic()
        self.procs[name] = subprocess.Popen(self.command(name), cwd=ROOT,
                                            env=self.process_env(name), stdout=log,
                                            stderr=subprocess.STDOUT)
        self._wait_ready(name, began + timeout)
        self.started_seconds[name] = time.monotonic() - began
        return self.started_seconds[name]

    def _wait_ready(self, name: str, deadline: float) -> None:
        url = {"actions": f"{self.actions_url}/health", "rasa": f"{self.rasa_url}/status",
               "web": f"{self.web_url}/healthz"}[name]
        while time.monotonic() < deadline:
            if self.procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited; log:\n{self.log(name)[-3000:]}")
            headers = self.rasa_api_headers() if name == "rasa" else {}
            try:
                if httpx.get(url, headers=headers, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{name} not ready; log:\n{self.log(name)[-3000:]}")

    def stop(self, name: str) -> None:
        """Stop one process (SIGTERM, then SIGKILL)."""
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def start_all(self) -> None:
        """Start actions, Rasa and the web app."""
        for name in ("actions", "rasa", "web"):
            self.start(name)

    def stop_all(self) -> None:
        """Stop everything this stack started."""
        for name in list(self.procs):
            self.stop(name)

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of each process (with its children), in MB."""
        sizes = {}
        for name, proc in self.procs.items():
            pids = [proc.pid] + _children(proc.pid)
            total = 0
            for pid in pids:
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    continue
            sizes[name] = total / 1024
        return sizes

    def staff_browser(self, username: str, role: str = "clinician") -> httpx.Client:
        """An HTTP client signed in to /staff as a new account made with the project's CLI."""
        password = secrets.token_urlsafe(16)
        subprocess.run([str(VENV_BIN / "python"), "-m", "bot.staff_cli", "create-user",
                        "--username", username, "--role", role], cwd=ROOT,
                       env={**self.env, "STAFF_PASSWORD": password}, check=True,
                       capture_output=True)
        browser = httpx.Client(base_url=self.web_url, timeout=30, follow_redirects=True)
        token = re.search(r'name="csrf_token" value="([^"]*)"', browser.get("/staff/login").text)
        signed_in = browser.post("/staff/login", data={
            "username": username, "password": password, "csrf_token": token.group(1)})
        if signed_in.status_code != 200 or "Sign out" not in signed_in.text:
            raise RuntimeError(f"staff sign-in failed: {signed_in.status_code}")
        return browser

    def staff_token(self) -> str:
        """A staff API token created with the project's own CLI."""
        out = subprocess.run([str(VENV_BIN / "python"), "-m", "bot.cli", "create-token", "--label",
                              "tests"], cwd=ROOT, env=self.env, capture_output=True, text=True,
                             check=True)
        return out.stdout.strip()


def _children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return []
    kids = [int(p) for p in out.split()]
    return kids + [k for kid in kids for k in _children(kid)]


class ChatClient:
    """A patient talking to the web app over HTTP, the way the widget or an API client does."""

    def __init__(self, base_url: str, client: httpx.Client | None = None) -> None:
        self.http = client or httpx.Client(base_url=base_url, timeout=60)
        response = self.http.post("/api/conversations")
        response.raise_for_status()
        self.id = response.json()["conversation_id"]

    def say(self, text: str) -> list[dict]:
        """Send one message; returns the bot's messages."""
        response = self.http.post("/webhooks/rest/webhook",
                                  json={"sender": self.id, "message": text})
        response.raise_for_status()
        return response.json()
