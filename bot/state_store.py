"""The intake's working state, kept beside the summary, outside Rasa's tracker store.

Rasa wraps its tracker store in a FailSafeTrackerStore: when the tracker database fails, a
conversation silently starts over and events go to memory only. Keeping the domain state here
too lets the actions notice a lost tracker (a first turn for a conversation we already know)
and restore every earlier answer instead of asking again.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from bot.intake import IntakeState

TABLE = "intake_state"


class StateStore:
    """One row per conversation: the latest IntakeState as JSON."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (conversation_id TEXT PRIMARY KEY,"
                         " turns INTEGER NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def save(self, conversation_id: str, state: IntakeState) -> None:
        """Store the state (last write wins: it always holds every answer so far)."""
        with self._connect() as conn:
            conn.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?) ON CONFLICT(conversation_id) "
                         "DO UPDATE SET turns=excluded.turns, state=excluded.state, "
                         "updated_at=excluded.updated_at",
                         (conversation_id, state.turns, state.model_dump_json(),
                          datetime.now(timezone.utc).isoformat()))

    def load(self, conversation_id: str) -> IntakeState | None:
        """The stored state, or None."""
        with self._connect() as conn:
            row = conn.execute(f"SELECT state FROM {TABLE} WHERE conversation_id = ?",
                               (conversation_id,)).fetchone()
        return IntakeState.model_validate_json(row[0]) if row else None

    def delete(self, conversation_id: str) -> None:
        """Forget a conversation's state (patient data deletion)."""
        with self._connect() as conn:
            conn.execute(f"DELETE FROM {TABLE} WHERE conversation_id = ?", (conversation_id,))
