"""Storage for aftercare: the pre-appointment checklist each patient was sent, and two-week
check-ins (scheduled, sent, answered or cancelled), in the intake database: the SQLite file or
PostgreSQL (INTAKE_DATABASE_URL, bot/db.py), wherever the intake store lives, with the same SQL.

A small interface on purpose: bot/checkins.py and the web adapters use only these methods. Like
bot/store.py, every call opens its own connection (SQLite waits up to 5 s for a lock; PostgreSQL
connections come from the pool), and every write takes the write lock up front. Rows carry a conversation_id column, so deleting a patient's data
(bot/staff_store.delete_patient_data) removes them too.

    >>> import tempfile, pathlib
    >>> care = CareStore(pathlib.Path(tempfile.mkdtemp()) / "intake.db")
    >>> checkin_id = care.add_checkin("conv-1", "sms", "Ana", "2025-03-03", ["frown_lines"],
    ...                               "2025-03-17T14:00:00+00:00", "dr.lee")
    >>> care.checkin(checkin_id)["status"]
    'scheduled'
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from bot import db as backend

BUSY_TIMEOUT_MS = 5000
CHECKLISTS = "care_checklists"
CHECKINS = "care_checkins"
SCHEDULED, SENT, ANSWERED, CANCELLED = "scheduled", "sent", "answered", "cancelled"
HAPPY = "happy"


class CareStore:
    """Checklists sent and check-ins, beside the intakes (a SQLite file or PostgreSQL)."""

    def __init__(self, location: str | Path) -> None:
        """location: the intake store's (IntakeStore.location): a SQLite file or a PostgreSQL
        URL."""
        self.url = str(location) if backend.is_postgres(location) else None
        self.path = Path(location) if self.url is None else None
        self.ensure_schema()

    def ensure_schema(self) -> None:
        """Create the tables and indexes if missing; safe to call again."""
        schema = _SCHEMA.format(
            id_type="BIGSERIAL PRIMARY KEY" if self.url else "INTEGER PRIMARY KEY")
        with self._write() as db:  # statement by statement: sqlite3's executescript commits
            for statement in filter(str.strip, schema.split(";\n")):
                db.execute(statement)

    # --- the checklist -------------------------------------------------------------------------

    def record_checklist(self, conversation_id: str, channel: str, lines: list[dict[str, str]],
                         texts: list[str], sent_at: datetime | None = None) -> None:
        """Keep what the patient was sent (the latest checklist replaces an earlier one)."""
        row = {"conversation_id": conversation_id, "channel": channel, "sent_at": _iso(sent_at),
               "lines": json.dumps(lines), "texts": json.dumps(texts)}
        columns = ", ".join(row)
        updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "conversation_id")
        with self._write() as db:
            db.execute(f"insert into {CHECKLISTS} ({columns}) values ({_marks(row)}) "
                       f"on conflict (conversation_id) do update set {updates}", list(row.values()))

    def checklist(self, conversation_id: str) -> dict[str, Any] | None:
        """The checklist sent for a conversation {channel, sent_at, lines, texts}, or None."""
        with self._connect() as db:
            rows = backend.rows_as_dicts(db.execute(
                f"select * from {CHECKLISTS} where conversation_id = ?", [conversation_id]))
        if not rows:
            return None
        row = rows[0]
        return {**row, "lines": json.loads(row["lines"]), "texts": json.loads(row["texts"])}

    # --- check-ins -----------------------------------------------------------------------------

    def add_checkin(self, conversation_id: str, channel: str, first_name: str | None,
                    treated_on: str, areas: list[str], due_at: str, scheduled_by: str) -> int:
        """A new scheduled check-in; its id."""
        row = {"conversation_id": conversation_id, "channel": channel, "first_name": first_name,
               "treated_on": treated_on, "areas": json.dumps(areas), "due_at": due_at,
               "status": SCHEDULED, "scheduled_by": scheduled_by, "created_at": _iso(None),
               "urgent": 0, "photos": "[]"}
        with self._write() as db:
            return db.execute(f"insert into {CHECKINS} ({', '.join(row)}) values ({_marks(row)}) "
                              "returning id", list(row.values())).fetchone()[0]

    def checkin(self, checkin_id: int) -> dict[str, Any] | None:
        """One check-in, decoded, or None."""
        return self._one("id = ?", [checkin_id])

    def checkin_by_secret(self, secret_sha256: str) -> dict[str, Any] | None:
        """The check-in whose link carries the secret with this SHA-256, or None."""
        return self._one("secret_sha256 = ?", [secret_sha256])

    def checkins_for(self, conversation_id: str) -> list[dict[str, Any]]:
        """A conversation's check-ins, oldest first."""
        return self._many("conversation_id = ?", [conversation_id], "id")

    def list_checkins(self, status: str | None = None, due_before: str | None = None
                      ) -> list[dict[str, Any]]:
        """Check-ins, soonest due first; optionally one status, or due before a UTC ISO time."""
        clauses, args = [], []
        if status:
            clauses.append("status = ?")
            args.append(status)
        if due_before:
            clauses.append("due_at <= ?")
            args.append(due_before)
        return self._many(" and ".join(clauses) or None, args, "due_at, id")

    def awaiting_sms_reply(self, conversation_ids: list[str]) -> dict[str, Any] | None:
        """The latest check-in sent by SMS to one of these conversations and not yet answered."""
        if not conversation_ids:
            return None
        marks = ", ".join("?" for _ in conversation_ids)
        found = self._many(f"status = ? and channel = 'sms' and conversation_id in ({marks})",
                           [SENT, *conversation_ids], "sent_at desc, id desc")
        return found[0] if found else None

    def open_requests(self) -> list[dict[str, Any]]:
        """Answered check-ins that need staff (anything but happy, not yet handled): urgent
        first, then the oldest answer first."""
        return self._many("status = ? and answer != ? and handled_at is null", [ANSWERED, HAPPY],
                          "urgent desc, answered_at, id")

    def mark_sent(self, checkin_id: int, secret_sha256: str, sent_at: datetime | None = None
                  ) -> bool:
        """Record that the check-in went out (with its link's secret hash); False unless it was
        still scheduled (cancelled meanwhile, or sent by another run)."""
        return self._update("id = ? and status = ?", [checkin_id, SCHEDULED],
                            {"status": SENT, "secret_sha256": secret_sha256,
                             "sent_at": _iso(sent_at)})

    def unsend(self, checkin_id: int) -> bool:
        """Put a check-in whose text failed back to scheduled (its link's secret forgotten)."""
        return self._update("id = ? and status = ?", [checkin_id, SENT],
                            {"status": SCHEDULED, "secret_sha256": None, "sent_at": None})

    def reschedule(self, checkin_id: int, due_at: str) -> bool:
        """Move a scheduled check-in to a new due time."""
        return self._update("id = ? and status = ?", [checkin_id, SCHEDULED], {"due_at": due_at})

    def cancel(self, checkin_id: int, by: str, at: datetime | None = None) -> bool:
        """Cancel a check-in not yet answered (scheduled, or sent and waiting); True if it was."""
        return self._update("id = ? and status in (?, ?)", [checkin_id, SCHEDULED, SENT],
                            {"status": CANCELLED, "cancelled_at": _iso(at), "cancelled_by": by})

    def record_answer(self, checkin_id: int, answer: str, text: str, urgent: bool,
                      at: datetime | None = None) -> bool:
        """Record the patient's answer once; False if it was not waiting for one."""
        return self._update("id = ? and status = ?", [checkin_id, SENT],
                            {"status": ANSWERED, "answer": answer, "answer_text": text,
                             "urgent": int(urgent), "answered_at": _iso(at)})

    def add_photo(self, checkin_id: int, photo: dict[str, str]) -> None:
        """Link a stored photo {id, file, media_type} (bot/web/photos.py) to the check-in."""
        with self._write() as db:
            row = db.execute(f"select photos from {CHECKINS} where id = ?",
                             [checkin_id]).fetchone()
            if row is not None:
                db.execute(f"update {CHECKINS} set photos = ? where id = ?",
                           [json.dumps(json.loads(row[0]) + [photo]), checkin_id])

    def mark_handled(self, checkin_id: int, by: str, at: datetime | None = None) -> bool:
        """Take an answered check-in off the staff queue."""
        return self._update("id = ? and status = ? and handled_at is null",
                            [checkin_id, ANSWERED], {"handled_at": _iso(at), "handled_by": by})

    # --- plumbing --------------------------------------------------------------------------------

    def _one(self, where: str, args: list[Any]) -> dict[str, Any] | None:
        found = self._many(where, args, "id")
        return found[0] if found else None

    def _many(self, where: str | None, args: list[Any], order_by: str) -> list[dict[str, Any]]:
        sql = f"select * from {CHECKINS}" + (f" where {where}" if where else "")
        with self._connect() as db:
            rows = backend.rows_as_dicts(db.execute(f"{sql} order by {order_by}", args))
        return [_decoded(row) for row in rows]

    def _update(self, where: str, args: list[Any], values: dict[str, Any]) -> bool:
        """Set values on the rows matching where, in one write transaction; True if any."""
        columns = ", ".join(f"{name} = ?" for name in values)
        with self._write() as db:
            cursor = db.execute(f"update {CHECKINS} set {columns} where {where}",
                                [*values.values(), *args])
            return cursor.rowcount > 0

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        """A fresh connection per call (sqlite3 connections must not cross threads); on
        PostgreSQL a pooled one, committed at the end."""
        if self.url is not None:
            with backend.pg_connect(self.url) as conn:
                yield conn
            return
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            yield conn
        finally:
            conn.close()

    def _write(self) -> Any:
        """A transaction that holds the write lock from the start (waits instead of failing)."""
        return backend.write_transaction(self.url, self._connect)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {CHECKLISTS} (
    conversation_id TEXT PRIMARY KEY, channel TEXT NOT NULL, sent_at TEXT NOT NULL,
    lines TEXT NOT NULL, texts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS {CHECKINS} (
    id {{id_type}}, conversation_id TEXT NOT NULL, channel TEXT NOT NULL, first_name TEXT,
    treated_on TEXT NOT NULL, areas TEXT NOT NULL, due_at TEXT NOT NULL, status TEXT NOT NULL,
    scheduled_by TEXT, created_at TEXT NOT NULL, sent_at TEXT, secret_sha256 TEXT, answer TEXT,
    answer_text TEXT, urgent INTEGER NOT NULL DEFAULT 0, answered_at TEXT,
    photos TEXT NOT NULL DEFAULT '[]', handled_at TEXT, handled_by TEXT, cancelled_at TEXT,
    cancelled_by TEXT);
CREATE INDEX IF NOT EXISTS idx_{CHECKINS}_conversation_id ON {CHECKINS} (conversation_id);
CREATE INDEX IF NOT EXISTS idx_{CHECKINS}_status_due_at ON {CHECKINS} (status, due_at);
CREATE UNIQUE INDEX IF NOT EXISTS idx_{CHECKINS}_secret_sha256 ON {CHECKINS} (secret_sha256);
"""


def _marks(row: dict[str, Any]) -> str:
    """One `?` per column."""
    return ", ".join("?" for _ in row)


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    """A check-in row with its JSON columns as lists and urgent as a bool."""
    return {**row, "areas": json.loads(row["areas"]), "photos": json.loads(row["photos"]),
            "urgent": bool(row["urgent"])}


def _iso(moment: datetime | None) -> str:
    """A fixed-width UTC ISO timestamp (now if None), so text order is time order."""
    moment = moment or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
