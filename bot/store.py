"""Storage for intake summaries, chat history, photos and staff API tokens.

A SQLite file (sqlite-utils) by default, or PostgreSQL when INTAKE_DATABASE_URL is set
(bot/db.py): the same SQL and the same tests run on both. The Rasa action server and the web app
write the same database from different processes (on PostgreSQL, from several machines), so
every write takes the write lock up front (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory
lock in bot.db.pg_write) and waits instead of failing half-way. A SQLite file runs in WAL mode
and every connection waits up to 5 s for a lock.

Both processes rewrite an intake's summary JSON (the action server on every message, the web
app when it links a photo), so each row has a version: a writer that computed its summary from
an older read is refused (VersionConflict) and `update_summary` reads again and retries. The
photo_refs table is the record of photos: every save carries all recorded refs into the summary.

    >>> store = IntakeStore(None)
    >>> store.save_summary(IntakeSummary(conversation_id="abc"))  # the new version
    1
    >>> store.get_summary("abc").status.value
    'in_progress'
"""
from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlite_utils import Database

from bot import db as backend
from bot.changes import Change, clinical_snapshot, describe_changes
from bot.config import Settings, load_settings
from bot.models import IntakeSummary, Recommendation, Status
from bot.staff_store import audit_change_after_review

BUSY_TIMEOUT_MS = 5000
INTAKES = "intakes"
TOKENS = "api_tokens"
MESSAGES = "messages"
PHOTOS = "photos"
PHOTO_REFS = "photo_refs"
SMS_CONTACTS = "sms_contacts"
SMS_MESSAGES = "sms_messages"
SMS_NUMBERS = "sms_numbers"  # a number's current conversation (a restart moves it to a new one)
# Opt-outs by number, kept through deletions (its name matches staff_store._KEPT_TABLE).
SMS_OPT_OUTS = "sms_opt_out_numbers"
CHANGES = "intake_changes"


UPDATE_ATTEMPTS = 50  # compare-and-swap tries before update_summary gives up


class PhotoLimitReached(Exception):
    """The conversation already has the most photos an intake may carry."""


class VersionConflict(Exception):
    """The intake was saved by someone else since the version this write was based on."""


class IntakeStore:
    """Intake summaries and staff API tokens in one SQLite file, in PostgreSQL, or in memory."""

    def __init__(self, path: str | Path | None) -> None:
        """path: a SQLite file, a PostgreSQL URL (postgresql://...), or None for memory."""
        self.url = str(path) if backend.is_postgres(path) else None
        self.path = Path(path) if path is not None and self.url is None else None
        self._memory: Database | None = None
        self._lock = threading.Lock()
        if self.path is None and self.url is None:
            # One shared connection, because each new ":memory:" connection is a new, empty
            # database; FastAPI runs sync endpoints in a thread pool, hence check_same_thread.
            self._memory = Database(sqlite3.connect(":memory:", check_same_thread=False))
        self.ensure_schema()

    @property
    def location(self) -> str | Path | None:
        """Where the store lives: its PostgreSQL URL, its file, or None (memory)."""
        return self.url or self.path

    def ensure_schema(self) -> None:
        """Create tables and indexes if missing and switch the file to WAL; safe to call again."""
        if self.url is not None:
            with self._write() as db:
                db.executescript(_PG_SCHEMA)
            return
        with self._connect() as db:
            if self._memory is None:
                db.enable_wal()  # persistent in the file; lets readers and a writer overlap
        with self._write() as db:
            db[INTAKES].create(
                {
                    "conversation_id": str,
                    "status": str,
                    "recommendation": str,
                    "patient_name": str,
                    "started_at": str,
                    "updated_at": str,
                    "summary": str,
                    "version": int,
                },
                pk="conversation_id",
                not_null={"status", "recommendation", "updated_at", "summary", "version"},
                defaults={"version": 0},
                if_not_exists=True,
            )
            if "version" not in db[INTAKES].columns_dict:  # a file from before versions
                db[INTAKES].add_column("version", int, not_null_default=0)
            for column in ("status", "recommendation", "updated_at"):
                db[INTAKES].create_index([column], if_not_exists=True)
            db[TOKENS].create(
                {"token_sha256": str, "label": str, "created_at": str},
                pk="token_sha256",
                not_null={"label", "created_at"},
                if_not_exists=True,
            )
            _create_chat_tables(db)
            _create_sms_tables(db)
            _create_changes_table(db)

    def save_summary(self, summary: IntakeSummary, expected_version: int | None = None) -> int:
        """Insert or replace the summary for its conversation_id, recording what changed;
        returns the new version.

        With expected_version (0: no summary yet), the write happens only if the stored version
        is still that one, else VersionConflict. The previous version is read in the same write
        transaction, so two saves at once cannot both compare against the same old summary.
        """
        with self._write() as db:
            return _put_summary(db, summary, expected_version)

    def get_summary_version(self, conversation_id: str) -> tuple[IntakeSummary | None, int]:
        """The stored summary and its version; (None, 0) when there is none."""
        with self._connect() as db:
            row = db.execute(f"select summary, version from {INTAKES} where conversation_id = ?",
                             [conversation_id]).fetchone()
        return (IntakeSummary.model_validate_json(row[0]), row[1]) if row else (None, 0)

    def update_summary(
        self, conversation_id: str, change: Callable[[IntakeSummary | None], IntakeSummary]
    ) -> IntakeSummary:
        """Save change(stored summary) by compare-and-swap, reading again after a conflict.

        `change` may run several times and must only compute (no I/O). Example:
        `store.update_summary("abc", lambda old: new_summary_keeping(old))`.
        """
        for attempt in range(UPDATE_ATTEMPTS):
            stored, version = self.get_summary_version(conversation_id)
            summary = change(stored)
            try:
                self.save_summary(summary, expected_version=version)
                return summary
            except VersionConflict:
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # let the other writer finish
        raise VersionConflict(f"{conversation_id}: still changing after {UPDATE_ATTEMPTS} tries")

    def latest_change_ids(self) -> dict[str, int]:
        """The id of every intake's latest recorded change, by conversation id."""
        with self._connect() as db:
            rows = db.execute(f"select conversation_id, max(id) from {CHANGES} "
                              "group by conversation_id").fetchall()
        return {row[0]: row[1] for row in rows}

    def latest_change_id(self, conversation_id: str) -> int:
        """The id of the intake's latest recorded change (0 when it has none)."""
        with self._connect() as db:
            row = db.execute(f"select max(id) from {CHANGES} where conversation_id = ?",
                             [conversation_id]).fetchone()
        return row[0] or 0

    def changes_after(self, conversation_id: str, after_id: int = 0) -> list[dict[str, Any]]:
        """Recorded changes with an id above after_id, oldest first: {id, changed_at, changes}."""
        with self._connect() as db:
            rows = _select(db, f"select id, changed_at, changes from {CHANGES} "
                           "where conversation_id = ? and id > ? order by id",
                           [conversation_id, after_id])
        return [{**row, "changes": [Change.model_validate(c) for c in json.loads(row["changes"])]}
                for row in rows]

    def get_summary(self, conversation_id: str) -> IntakeSummary | None:
        """The stored summary for a conversation, or None if there is none."""
        with self._connect() as db:
            row = db.execute(f"select summary from {INTAKES} where conversation_id = ?",
                             [conversation_id]).fetchone()
        return IntakeSummary.model_validate_json(row[0]) if row else None

    def list_summaries(
        self, status: str | None = None, recommendation: str | None = None, limit: int = 200
    ) -> list[IntakeSummary]:
        """Summaries matching the filters, most recently updated first.

        Raises ValueError for a status or recommendation that is not a known value.
        """
        clauses, args = [], []
        if status is not None:
            clauses.append("status = ?")
            args.append(Status(status).value)
        if recommendation is not None:
            clauses.append("recommendation = ?")
            args.append(Recommendation(recommendation).value)
        where = f"where {' and '.join(clauses)} " if clauses else ""
        with self._connect() as db:
            rows = db.execute(f"select summary from {INTAKES} {where}"
                              "order by updated_at desc, conversation_id limit ?",
                              [*args, limit]).fetchall()
        return [IntakeSummary.model_validate_json(row[0]) for row in rows]

    def mark_abandoned(self, idle_hours: float = 24.0, now: datetime | None = None) -> int:
        """Mark in-progress intakes idle for `idle_hours` as abandoned; returns how many.

        A patient who comes back later simply continues: the next save sets in_progress again.
        """
        now = now or datetime.now(timezone.utc)
        cutoff = (now - timedelta(hours=idle_hours)).isoformat()
        with self._connect() as db:
            rows = _select(db, f"select summary, version from {INTAKES} "
                           "where status = ? and updated_at < ?",
                           [Status.IN_PROGRESS.value, cutoff])
        marked = 0
        with self._write() as db:
            for row in rows:
                summary = IntakeSummary.model_validate_json(row["summary"])
                summary.status = Status.ABANDONED
                # Only the version read above: a save since then means the patient is back.
                cursor = db.execute(
                    f"update {INTAKES} set status = ?, summary = ?, version = version + 1 "
                    "where conversation_id = ? and version = ?",
                    [Status.ABANDONED.value, summary.model_dump_json(), summary.conversation_id,
                     row["version"]])
                marked += cursor.rowcount
        return marked

    def delete_intake(self, conversation_id: str) -> bool:
        """Delete one intake; True if it existed."""
        with self._write() as db:
            cursor = db.execute(f"delete from {INTAKES} where conversation_id = ?", [conversation_id])
            return cursor.rowcount > 0

    def create_api_token(self, label: str) -> str:
        """Create a staff API token and return it; only its SHA-256 is stored, so show it once."""
        if not label.strip():
            raise ValueError("A token needs a label saying who or what it is for.")
        token = secrets.token_urlsafe(32)
        row = {"token_sha256": _sha256(token), "label": label.strip(), "created_at": _utc_iso(None)}
        with self._write() as db:
            _insert(db, TOKENS, row)
        return token

    def verify_api_token(self, token: str) -> bool:
        """True if the token was issued by create_api_token."""
        if not isinstance(token, str) or not token:
            return False
        digest = _sha256(token)
        with self._connect() as db:
            stored = [row[0] for row in db.execute(f"select token_sha256 from {TOKENS}")]
        # Compare against every hash without stopping early, so timing reveals nothing.
        found = False
        for candidate in stored:
            found |= hmac.compare_digest(candidate, digest)
        return found

    def add_message(
        self,
        conversation_id: str,
        role: str,
        text: str,
        buttons: list[dict[str, str]] | None = None,
        photo_id: str | None = None,
    ) -> None:
        """Append one chat message ("patient" or "bot") to a conversation's history."""
        row = {
            "conversation_id": conversation_id,
            "role": role,
            "text": text,
            "buttons": json.dumps(buttons or []),
            "photo_id": photo_id,
            "created_at": _utc_iso(None),
        }
        with self._write() as db:
            _insert(db, MESSAGES, row)

    def list_messages(self, conversation_id: str, limit: int = 1000) -> list[dict[str, Any]]:
        """A conversation's latest messages, oldest first (role, text, buttons, photo_id, created_at)."""
        with self._connect() as db:
            rows = _select(db, f"select role, text, buttons, photo_id, created_at from {MESSAGES} "
                           "where conversation_id = ? order by id desc limit ?",
                           [conversation_id, limit])
        for row in rows:
            row["buttons"] = json.loads(row["buttons"] or "[]")
        return rows[::-1]

    def add_photo(
        self, conversation_id: str, photo_id: str, file: str, media_type: str, limit: int,
        pose: str | None = None,
    ) -> None:
        """Record a stored photo file (with its pose of the guided set, if known: see
        bot.photo_guide) and link it to the intake; PhotoLimitReached past `limit`.

        The count and the insert share one write transaction, so two uploads at once cannot
        both take the last place.
        """
        row = {
            "photo_id": photo_id,
            "conversation_id": conversation_id,
            "file": file,
            "media_type": media_type,
            "pose": pose,
            "created_at": _utc_iso(None),
        }
        with self._write() as db:
            if _count_refs(db, conversation_id) >= limit:
                raise PhotoLimitReached(conversation_id)
            _insert(db, PHOTOS, row)
            _link_photo_refs(db, conversation_id, [photo_id])

    def get_photo(self, conversation_id: str, photo_id: str) -> dict[str, Any] | None:
        """The stored file (relative path) and media type of one photo of a conversation."""
        with self._connect() as db:
            rows = _select(db, f"select photo_id, file, media_type, pose, created_at from {PHOTOS} "
                           "where conversation_id = ? and photo_id = ?", [conversation_id, photo_id])
        return rows[0] if rows else None

    def photo_poses(self, conversation_id: str) -> dict[str, str | None]:
        """The pose of each of a conversation's stored photos, by photo id (None: no pose)."""
        with self._connect() as db:
            return _poses(db, conversation_id)

    def add_photo_refs(self, conversation_id: str, refs: list[str]) -> None:
        """Link photo references to an intake.

        They are always recorded (see photo_refs) and appended to the summary's photos if the
        summary exists; refs recorded before it existed are appended on the next call.
        """
        with self._write() as db:
            _link_photo_refs(db, conversation_id, refs)

    def photo_refs(self, conversation_id: str) -> list[str]:
        """Every photo reference linked to a conversation, oldest first."""
        with self._connect() as db:
            return _refs(db, conversation_id)

    def touch_sms_contact(self, conversation_id: str, phone: str) -> dict[str, Any]:
        """Record that a phone number texted its conversation; return its contact row.

        The row (conversation_id, phone, opted_out, buttons, created_at, updated_at) is the only
        place an SMS patient's number is kept, for staff who need to call back.
        """
        now = _utc_iso(None)
        with self._write() as db:
            db.execute(
                f"insert into {SMS_CONTACTS} (conversation_id, phone, opted_out, buttons, "
                "created_at, updated_at) values (?, ?, 0, '[]', ?, ?) "
                "on conflict(conversation_id) do update set phone = excluded.phone, "
                "updated_at = excluded.updated_at",
                [conversation_id, phone, now, now],
            )
            return _sms_contact(db, conversation_id)

    def sms_contact(self, conversation_id: str) -> dict[str, Any] | None:
        """The SMS contact row of a conversation (opted_out as bool, buttons as a list), or None."""
        with self._connect() as db:
            rows = _select(db, f"select * from {SMS_CONTACTS} where conversation_id = ?",
                           [conversation_id])
        return _sms_row(rows[0]) if rows else None

    def sms_conversations_of(self, phone: str) -> list[str]:
        """Every conversation a phone number has texted in, oldest first."""
        with self._connect() as db:
            rows = db.execute(f"select conversation_id from {SMS_CONTACTS} where phone = ? "
                              "order by created_at", [phone]).fetchall()
        return [row[0] for row in rows]

    def set_sms_opted_out(self, conversation_id: str, opted_out: bool) -> None:
        """Mark an SMS contact as opted out (STOP) or back in (START)."""
        with self._write() as db:
            db.execute(
                f"update {SMS_CONTACTS} set opted_out = ?, opted_out_at = ?, updated_at = ? "
                "where conversation_id = ?",
                [int(opted_out), _utc_iso(None) if opted_out else None, _utc_iso(None),
                 conversation_id],
            )

    def set_sms_buttons(self, conversation_id: str, buttons: list[dict[str, str]]) -> None:
        """Remember the buttons last offered by SMS, so a reply "2" can pick the second."""
        with self._write() as db:
            db.execute(
                f"update {SMS_CONTACTS} set buttons = ? where conversation_id = ?",
                [json.dumps(buttons), conversation_id],
            )

    def set_sms_pose_asked(self, conversation_id: str, pose: str | None) -> None:
        """Remember the photo pose the last text asked for (bot.photo_guide key), or None once
        the last text asked something else: an MMS photo then gets that pose, and "skip"
        skips it."""
        with self._write() as db:
            db.execute(f"update {SMS_CONTACTS} set pose_asked = ? where conversation_id = ?",
                       [pose, conversation_id])

    def claim_sms_message(self, message_sid: str, conversation_id: str) -> bool:
        """True the first time a provider message id is seen; False for a repeat (retry, replay)."""
        row = {"message_sid": message_sid, "conversation_id": conversation_id,
               "received_at": _utc_iso(None)}
        with self._write() as db:
            cursor = db.execute(
                f"insert into {SMS_MESSAGES} (message_sid, conversation_id, received_at) "
                "values (:message_sid, :conversation_id, :received_at) on conflict do nothing",
                row,
            )
            return cursor.rowcount == 1

    def sms_current_conversation(self, number_key: str) -> str | None:
        """The conversation a number's texts go to now, if one was ever recorded for it."""
        with self._connect() as db:
            row = db.execute(f"select conversation_id from {SMS_NUMBERS} where number_key = ?",
                             [number_key]).fetchone()
        return row[0] if row else None

    def switch_sms_conversation(self, number_key: str, current: str, new: str) -> str:
        """Point the number at `new` unless another text already moved it off `current`;
        the conversation its texts go to now.

        Two texts racing to start a new intake then share one new conversation.
        """
        with self._write() as db:
            row = db.execute(f"select conversation_id from {SMS_NUMBERS} where number_key = ?",
                             [number_key]).fetchone()
            if row and row[0] != current:
                return row[0]
            _upsert(db, SMS_NUMBERS, {"number_key": number_key, "conversation_id": new,
                                      "updated_at": _utc_iso(None)}, pk="number_key")
            return new

    def sms_number_opted_out(self, number_key: str) -> bool:
        """True while the number's last word was STOP (or an opt-out phrase)."""
        with self._connect() as db:
            row = db.execute(f"select opted_out from {SMS_OPT_OUTS} where number_key = ?",
                             [number_key]).fetchone()
        return bool(row and row[0])

    def set_sms_number_opted_out(self, number_key: str, phone: str, opted_out: bool) -> None:
        """Opt a number out (STOP) or back in (START) across every conversation it has had."""
        now = _utc_iso(None)
        with self._write() as db:
            _upsert(db, SMS_OPT_OUTS, {"number_key": number_key, "opted_out": int(opted_out),
                                       "changed_at": now}, pk="number_key")
            # The per-conversation flag too: deletion keeps an opted-out contact row.
            db.execute(
                f"update {SMS_CONTACTS} set opted_out = ?, opted_out_at = ?, updated_at = ? "
                "where phone = ?", [int(opted_out), now if opted_out else None, now, phone])

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        """Yield a Database: the shared in-memory one, or a fresh connection to the file
        (on PostgreSQL a pooled connection, committed at the end)."""
        if self.url is not None:
            with backend.pg_connect(self.url) as conn:
                yield conn
            return
        if self._memory is not None:
            with self._lock:
                yield self._memory
            return
        # A connection per call: sqlite3 connections must not cross threads, and opening one
        # on a local file costs well under a millisecond.
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            yield Database(conn)
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """Yield a Database inside a transaction that already holds the write lock."""
        if self.url is not None:
            with backend.pg_write(self.url) as conn:
                yield conn
            return
        with self._connect() as db:
            # A deferred transaction that reads first can fail with SQLITE_BUSY when it later
            # needs to write, without waiting; IMMEDIATE waits for the lock at the start.
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.conn.rollback()
                raise
            db.conn.commit()


def open_store(settings: Settings | None = None) -> IntakeStore:
    """Open the store at settings.database_url, else settings.db_path (creating its folder)."""
    settings = settings or load_settings()
    if settings.database_url:
        return IntakeStore(settings.database_url)
    path = Path(settings.db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return IntakeStore(path)


def _create_chat_tables(db: Database) -> None:
    """The chat history and photo tables (part of ensure_schema)."""
    db[MESSAGES].create(
        {
            "id": int,
            "conversation_id": str,
            "role": str,
            "text": str,
            "buttons": str,
            "photo_id": str,
            "created_at": str,
        },
        pk="id",
        not_null={"conversation_id", "role", "text", "created_at"},
        if_not_exists=True,
    )
    db[MESSAGES].create_index(["conversation_id", "id"], if_not_exists=True)
    db[PHOTOS].create(
        {
            "photo_id": str,
            "conversation_id": str,
            "file": str,
            "media_type": str,
            "pose": str,
            "created_at": str,
        },
        pk="photo_id",
        not_null={"conversation_id", "file", "media_type", "created_at"},
        if_not_exists=True,
    )
    if "pose" not in db[PHOTOS].columns_dict:  # a file from before the guided photo set
        db[PHOTOS].add_column("pose", str)
    db[PHOTOS].create_index(["conversation_id"], if_not_exists=True)
    db[PHOTO_REFS].create(
        {"conversation_id": str, "ref": str, "created_at": str},
        pk=("conversation_id", "ref"),
        not_null={"created_at"},
        if_not_exists=True,
    )


def _create_sms_tables(db: Database) -> None:
    """SMS contacts (the only place a phone number is kept) and seen message ids."""
    db[SMS_CONTACTS].create(
        {
            "conversation_id": str,
            "phone": str,
            "opted_out": int,
            "opted_out_at": str,
            "buttons": str,
            "pose_asked": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="conversation_id",
        not_null={"phone", "opted_out", "buttons", "created_at", "updated_at"},
        defaults={"opted_out": 0, "buttons": "[]"},
        if_not_exists=True,
    )
    if "pose_asked" not in db[SMS_CONTACTS].columns_dict:  # before the guided photo set
        db[SMS_CONTACTS].add_column("pose_asked", str)
    db[SMS_MESSAGES].create(
        {"message_sid": str, "conversation_id": str, "received_at": str},
        pk="message_sid",
        not_null={"conversation_id", "received_at"},
        if_not_exists=True,
    )
    db[SMS_CONTACTS].create_index(["phone"], if_not_exists=True)
    # Keyed by a keyed hash of the number, never the number itself.
    db[SMS_NUMBERS].create(
        {"number_key": str, "conversation_id": str, "updated_at": str},
        pk="number_key",
        not_null={"conversation_id", "updated_at"},
        if_not_exists=True,
    )
    db[SMS_OPT_OUTS].create(
        {"number_key": str, "opted_out": int, "changed_at": str},
        pk="number_key",
        not_null={"opted_out", "changed_at"},
        if_not_exists=True,
    )


def _sms_contact(db: Any, conversation_id: str) -> dict[str, Any]:
    """One SMS contact row, decoded (it must exist)."""
    return _sms_row(_select(db, f"select * from {SMS_CONTACTS} where conversation_id = ?",
                            [conversation_id])[0])


def _sms_row(row: dict[str, Any]) -> dict[str, Any]:
    """An sms_contacts row with opted_out as a bool and buttons as a list."""
    return {**row, "opted_out": bool(row["opted_out"]), "buttons": json.loads(row["buttons"])}


def _count_refs(db: Any, conversation_id: str) -> int:
    """How many photos are linked to a conversation."""
    return db.execute(f"select count(*) from {PHOTO_REFS} where conversation_id = ?",
                      [conversation_id]).fetchone()[0]


def _refs(db: Any, conversation_id: str) -> list[str]:
    """Every photo ref linked to a conversation, in the order they were recorded."""
    # SQLite's rowid; on PostgreSQL a serial column (seq) keeps the order of insertion.
    order = "seq" if backend.is_pg_connection(db) else "rowid"
    rows = db.execute(f"select ref from {PHOTO_REFS} where conversation_id = ? order by {order}",
                      [conversation_id]).fetchall()
    return [row[0] for row in rows]


def _poses(db: Any, conversation_id: str) -> dict[str, str | None]:
    """photo_id -> pose of every stored photo of a conversation."""
    rows = db.execute(f"select photo_id, pose from {PHOTOS} where conversation_id = ?",
                      [conversation_id]).fetchall()
    return {row[0]: row[1] for row in rows}


def _link_photo_refs(db: Any, conversation_id: str, refs: list[str]) -> None:
    """Record refs for the conversation and add them to its summary, if there is one.

    Every recorded ref, not just these: refs recorded before the summary existed catch up.
    Read and write share the caller's write transaction, so no version check is needed.
    """
    now = _utc_iso(None)
    rows = [{"conversation_id": conversation_id, "ref": ref, "created_at": now} for ref in refs]
    for row in rows:
        _insert(db, PHOTO_REFS, row, ignore=True)
    found = db.execute(f"select summary from {INTAKES} where conversation_id = ?",
                       [conversation_id]).fetchone()
    if not found:
        return
    summary = IntakeSummary.model_validate_json(found[0])
    recorded = set(_refs(db, conversation_id))
    if recorded - set(summary.photos):
        _put_summary(db, summary)  # adds every recorded ref


def _create_changes_table(db: Database) -> None:
    """What changed in each intake, and when (part of ensure_schema)."""
    db[CHANGES].create(
        {"id": int, "conversation_id": str, "changed_at": str, "changes": str},
        pk="id",
        not_null={"conversation_id", "changed_at", "changes"},
        if_not_exists=True,
    )
    db[CHANGES].create_index(["conversation_id", "id"], if_not_exists=True)


def _put_summary(db: Any, summary: IntakeSummary, expected_version: int | None = None) -> int:
    """Upsert a summary (with every recorded photo ref) and return its new version; if its
    clinical content differs from the stored one, record how.

    Runs inside a write transaction, so comparing the version and writing are one step.
    Runs on every patient message, so it compares snapshots and renders nothing. The first
    version of an intake is not a change. After a review, each change is also audited.
    """
    found = db.execute(f"select summary, version from {INTAKES} where conversation_id = ?",
                       [summary.conversation_id]).fetchone()
    version = found[1] if found else 0
    if expected_version is not None and expected_version != version:
        raise VersionConflict(summary.conversation_id)
    recorded = _refs(db, summary.conversation_id)
    summary.photos = summary.photos + [ref for ref in recorded if ref not in summary.photos]
    poses = _poses(db, summary.conversation_id)
    summary.photo_poses = {ref: poses[ref] for ref in summary.photos if poses.get(ref)}
    if found:
        changes = _changes_from(found[0], summary)
        if changes:
            _record_changes(db, summary.conversation_id, changes)
    _upsert(db, INTAKES, {**_intake_row(summary), "version": version + 1}, pk="conversation_id")
    return version + 1


def _changes_from(stored_json: str, summary: IntakeSummary) -> list[Change]:
    """What differs between a stored summary and a new one (a change on any doubt)."""
    try:
        before = clinical_snapshot(IntakeSummary.model_validate_json(stored_json))
    except ValueError:  # written by an older version we cannot read: never block the save
        before = {}
    return describe_changes(before, clinical_snapshot(summary))


def _record_changes(db: Any, conversation_id: str, changes: list[Change]) -> None:
    """Append one intake_changes row, and an audit line if a clinician has reviewed the intake."""
    now = _utc_iso(None)
    change_id = db.execute(
        f"insert into {CHANGES} (conversation_id, changed_at, changes) values (?, ?, ?) "
        "returning id", [conversation_id, now, json.dumps([c.model_dump() for c in changes])]
    ).fetchone()[0]
    kinds = ", ".join(dict.fromkeys(c.kind for c in changes))
    # Only kinds of change go in the audit log (it is kept forever, even after a deletion).
    audit_change_after_review(db.conn, conversation_id, f"change {change_id}: {kinds}", now)


def _select(db: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """Rows of a query as dicts (either backend)."""
    return backend.rows_as_dicts(db.execute(sql, params))


def _insert(db: Any, table: str, row: dict[str, Any], ignore: bool = False) -> None:
    """Insert one row; with ignore, a row whose key exists already is skipped."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    tail = " on conflict do nothing" if ignore else ""
    db.execute(f"insert into {table} ({columns}) values ({marks}){tail}", list(row.values()))


def _upsert(db: Any, table: str, row: dict[str, Any], pk: str) -> None:
    """Insert one row, or update every given column of the row with the same key."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != pk)
    db.execute(f"insert into {table} ({columns}) values ({marks}) "
               f"on conflict ({pk}) do update set {updates}", list(row.values()))


def _intake_row(summary: IntakeSummary) -> dict[str, Any]:
    """The row stored for a summary: its full JSON plus the columns we filter and sort on."""
    return {
        "conversation_id": summary.conversation_id,
        "status": summary.status.value,
        "recommendation": summary.recommendation.value,
        "patient_name": summary.patient_name,
        "started_at": _utc_iso(summary.started_at),
        "updated_at": _utc_iso(summary.updated_at),
        "summary": summary.model_dump_json(),
    }


def _utc_iso(moment: datetime | None) -> str:
    """A fixed-width UTC ISO timestamp (now if None), so text order is time order."""
    moment = moment or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # the models default to UTC
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _sha256(token: str) -> str:
    """Hex SHA-256 of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# The same tables as ensure_schema builds with sqlite-utils, for PostgreSQL (all text columns
# hold the same ISO timestamps and JSON as on SQLite; photo_refs.seq stands in for rowid).
_PG_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {INTAKES} (
    conversation_id TEXT PRIMARY KEY, status TEXT NOT NULL, recommendation TEXT NOT NULL,
    patient_name TEXT, started_at TEXT, updated_at TEXT NOT NULL, summary TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS idx_{INTAKES}_status ON {INTAKES} (status);
CREATE INDEX IF NOT EXISTS idx_{INTAKES}_recommendation ON {INTAKES} (recommendation);
CREATE INDEX IF NOT EXISTS idx_{INTAKES}_updated_at ON {INTAKES} (updated_at);
CREATE TABLE IF NOT EXISTS {TOKENS} (
    token_sha256 TEXT PRIMARY KEY, label TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS {MESSAGES} (
    id BIGSERIAL PRIMARY KEY, conversation_id TEXT NOT NULL, role TEXT NOT NULL,
    text TEXT NOT NULL, buttons TEXT, photo_id TEXT, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idx_{MESSAGES}_conversation ON {MESSAGES} (conversation_id, id);
CREATE TABLE IF NOT EXISTS {PHOTOS} (
    photo_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, file TEXT NOT NULL,
    media_type TEXT NOT NULL, pose TEXT, created_at TEXT NOT NULL);
ALTER TABLE {PHOTOS} ADD COLUMN IF NOT EXISTS pose TEXT;
CREATE INDEX IF NOT EXISTS idx_{PHOTOS}_conversation ON {PHOTOS} (conversation_id);
CREATE TABLE IF NOT EXISTS {PHOTO_REFS} (
    conversation_id TEXT NOT NULL, ref TEXT NOT NULL, created_at TEXT NOT NULL,
    seq BIGSERIAL, PRIMARY KEY (conversation_id, ref));
CREATE TABLE IF NOT EXISTS {SMS_CONTACTS} (
    conversation_id TEXT PRIMARY KEY, phone TEXT NOT NULL, opted_out INTEGER NOT NULL DEFAULT 0,
    opted_out_at TEXT, buttons TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, pose_asked TEXT);
ALTER TABLE {SMS_CONTACTS} ADD COLUMN IF NOT EXISTS pose_asked TEXT;
CREATE INDEX IF NOT EXISTS idx_{SMS_CONTACTS}_phone ON {SMS_CONTACTS} (phone);
CREATE TABLE IF NOT EXISTS {SMS_MESSAGES} (
    message_sid TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS {SMS_NUMBERS} (
    number_key TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS {SMS_OPT_OUTS} (
    number_key TEXT PRIMARY KEY, opted_out INTEGER NOT NULL, changed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS {CHANGES} (
    id BIGSERIAL PRIMARY KEY, conversation_id TEXT NOT NULL, changed_at TEXT NOT NULL,
    changes TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idx_{CHANGES}_conversation ON {CHANGES} (conversation_id, id);
"""
