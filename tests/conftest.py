"""Shared fixtures. Environment first: no telemetry, a throwaway store per test session."""
from __future__ import annotations

import os
import tempfile

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if "INTAKE_DB" not in os.environ:
    os.environ["INTAKE_DB"] = os.path.join(tempfile.mkdtemp(prefix="intake-test-"), "intake.db")
