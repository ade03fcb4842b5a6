"""Settings read from the environment, with defaults that work on a developer's machine.

Every process (Rasa actions, web app, CLI) reads the same variables, so one `.env`-style
export configures all of them. Nothing is read at import time: call `load_settings()`.
"""
from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseModel):
    """Runtime configuration shared by every process."""

    db_path: Path = ROOT / "var" / "intake.db"
    clinic_timezone: str = "America/New_York"
    clinic_name: str = "Brightside Aesthetics"
    clinic_phone: str = "(555) 010-0199"
    policy_path: Path | None = None
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    secret_key: str = ""
    today_override: str | None = None  # ISO date, for demos and reproducible tests

    def today(self) -> date:
        """Today's date in the clinic's timezone (relative dates resolve against it)."""
        if self.today_override:
            return date.fromisoformat(self.today_override)
        return datetime.now(self.tz).date()

    @property
    def tz(self) -> ZoneInfo:
        """The clinic's timezone, used to resolve relative dates like "next Saturday"."""
        return ZoneInfo(self.clinic_timezone)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build Settings from environment variables (INTAKE_DB, CLINIC_TZ, ...)."""
    env = dict(os.environ if env is None else env)
    values: dict[str, object] = {}
    mapping = {
        "INTAKE_DB": "db_path",
        "CLINIC_TZ": "clinic_timezone",
        "CLINIC_NAME": "clinic_name",
        "CLINIC_PHONE": "clinic_phone",
        "CLINIC_POLICY": "policy_path",
        "RASA_URL": "rasa_url",
        "RASA_TOKEN": "rasa_token",
        "INTAKE_SECRET_KEY": "secret_key",
        "INTAKE_TODAY": "today_override",
    }
    for var, field in mapping.items():
        if env.get(var):
            values[field] = env[var]
    return Settings(**values)
