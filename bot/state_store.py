"""The intake's working state, kept beside the summary, outside Rasa's tracker store.

Rasa wraps its tracker store in a FailSafeTrackerStore: when the tracker database fails, a
conversation silently starts over and events go to memory only. Keeping the domain state here
too lets the actions notice a lost tracker (a first turn for a conversation we already know)
and restore every earlier answer instead of asking again. Like the intake store it lives in a
SQLite file or, with a PostgreSQL URL, in PostgreSQL (bot/db.py).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from bot import db as backend
from bot.intake import IntakeState

TABLE = "intake_state"


class StateStore:
    """One row per conversation: the latest IntakeState as JSON."""

    def __init__(self, path: str | Path) -> None:
        """path: a SQLite file or a PostgreSQL URL."""
        self.url = str(path) if backend.is_postgres(path) else None
        self.path = None if self.url else Path(path)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect(schema=True) as conn:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (conversation_id TEXT PRIMARY KEY,"
                         " turns INTEGER NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL)")

    @contextmanager
    def _connect(self, schema: bool = False) -> Iterator[Any]:
        """A connection that commits each statement (SQLite autocommit; PostgreSQL at the end).

        Each statement is one atomic step, so PostgreSQL needs the stores' write lock only for
        the schema (two processes creating the table at once would otherwise collide).
        """
        if self.url is not None:
            with (backend.pg_write if schema else backend.pg_connect)(self.url) as conn:
                yield conn
            return
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            yield conn
        finally:
            conn.close()

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
