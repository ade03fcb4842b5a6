"""Settings read from the environment, with defaults that work on a developer's machine.

Every process (Rasa actions, web app, CLI) reads the same variables, so one `.env`-style
export configures all of them. Nothing is read at import time: call `load_settings()`.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, field_validator

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseModel):
    """Runtime configuration shared by every process."""

    db_path: Path = ROOT / "var" / "intake.db"
    # PostgreSQL for the intake, staff and state stores instead of the db_path file (bot/db.py);
    # photos stay in files beside db_path. A secret (it holds the password): kept out of repr().
    database_url: str | None = Field(None, repr=False)
    clinic_timezone: str = "America/New_York"
    clinic_name: str = "Brightside Aesthetics"
    clinic_phone: str = "(555) 010-0199"
    policy_path: Path | None = None
    rasa_url: str = "http://127.0.0.1:5005"
    # Secrets stay out of repr(), so a logged Settings shows none of them.
    rasa_channel_secret: str = Field("", repr=False)  # signs every message the web app sends Rasa
    secret_key: str = Field("", repr=False)
    today_override: str | None = None  # ISO date, for demos and reproducible tests
    # Staff sessions end after this long without a request, and this long after sign-in at most.
    staff_idle_minutes: float = Field(30.0, gt=0)
    staff_session_hours: float = Field(12.0, gt=0)
    # Where sign-in failures are counted (a `limits` storage URI); "redis://host:6379" shares
    # the counts between worker processes (INTAKE_REDIS_URL sets it when this is not set).
    # It may hold a password: kept out of repr().
    staff_throttle_storage: str = Field("memory://", repr=False)
    # The line under the chat saying where answers go, and the link to the clinic's notice:
    # "/..." on this site, or an http(s) address; anything else (javascript:, data:) is refused.
    privacy_text: str = "Your answers go only to the care team at {clinic}."
    privacy_text_es: str = "Sus respuestas solo llegan al equipo de atención de {clinic}."
    privacy_url: str = "/privacy"
    api_docs: bool = False  # serve the OpenAPI description at /openapi.json (JSON only)

    @property
    def db_location(self) -> str | Path:
        """Where the stores live: the PostgreSQL URL if one is set, else the SQLite file."""
        return self.database_url or self.db_path

    def today(self) -> date:
        """Today's date in the clinic's timezone (relative dates resolve against it)."""
        if self.today_override:
            return date.fromisoformat(self.today_override)
        return datetime.now(self.tz).date()

    @field_validator("privacy_url")
    @classmethod
    def _privacy_url_is_a_web_link(cls, value: str) -> str:
        """Refuse a privacy link that is not a path on this site or an http(s) address."""
        if not is_web_link(value):
            raise ValueError("CLINIC_PRIVACY_URL must start with https://, http:// or a single /")
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The clinic's timezone, used to resolve relative dates like "next Saturday"."""
        return ZoneInfo(self.clinic_timezone)


def is_web_link(url: str) -> bool:
    """True for a path on this site ("/privacy") or an http(s) address, never javascript: etc."""
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        return False
    if url.startswith("/"):
        return not url.startswith(("//", "/\\"))  # "//host" would leave the site
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def database_url(settings: Settings | None = None, env: dict[str, str] | None = None) -> str:
    """The SQLAlchemy URL of the intake database: INTAKE_DATABASE_URL if set, else the SQLite
    file the intake store uses (INTAKE_DB). The check-in scheduler keeps its jobs there."""
    env = dict(os.environ if env is None else env)
    if env.get("INTAKE_DATABASE_URL", "").strip():
        return env["INTAKE_DATABASE_URL"].strip()
    settings = settings or load_settings(env)
    return f"sqlite:///{Path(settings.db_path).resolve()}"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build Settings from environment variables (INTAKE_DB, CLINIC_TZ, ...)."""
    env = dict(os.environ if env is None else env)
    values: dict[str, object] = {}
    mapping = {
        "INTAKE_DB": "db_path",
        "INTAKE_DATABASE_URL": "database_url",
        "CLINIC_TZ": "clinic_timezone",
        "CLINIC_NAME": "clinic_name",
        "CLINIC_PHONE": "clinic_phone",
        "CLINIC_POLICY": "policy_path",
        "RASA_URL": "rasa_url",
        "RASA_CHANNEL_SECRET": "rasa_channel_secret",
        "INTAKE_SECRET_KEY": "secret_key",
        "INTAKE_TODAY": "today_override",
        "STAFF_IDLE_MINUTES": "staff_idle_minutes",
        "STAFF_SESSION_HOURS": "staff_session_hours",
        "STAFF_THROTTLE_STORAGE": "staff_throttle_storage",
        "CLINIC_PRIVACY_TEXT": "privacy_text",
        "CLINIC_PRIVACY_TEXT_ES": "privacy_text_es",
        "CLINIC_PRIVACY_URL": "privacy_url",
        "INTAKE_API_DOCS": "api_docs",
    }
    for var, field in mapping.items():
        if env.get(var):
            values[field] = env[var]
    if "staff_throttle_storage" not in values and env.get("INTAKE_REDIS_URL"):
        # Several web apps: sign-in failures are counted where all of them see them.
        values["staff_throttle_storage"] = env["INTAKE_REDIS_URL"]
    return Settings(**values)
