"""Clinic staff accounts, intake reviews and the append-only audit log, in the intake database.

The tables live in the same database as IntakeStore (a SQLite file with WAL, a busy timeout and
BEGIN IMMEDIATE writes, or PostgreSQL with bot.db's write lock, exactly as bot/store.py), so
deleting a patient's data can sweep every table at once. The audit log has no update or delete
method here, and triggers refuse UPDATE and DELETE on it (on both backends), so a mistake
elsewhere cannot rewrite history either.

    >>> staff = StaffStore(None)
    >>> staff.create_user("dana", "clinician", "a long passphrase").role
    'clinician'
    >>> staff.authenticate("dana", "wrong password") is None
    True
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import shutil
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bot import db as backend

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
USERS = "staff_users"
REVIEWS = "staff_reviews"
AUDIT = "staff_audit"
SESSIONS = "staff_sessions"
ROLES = ("clinician", "front_desk")
# "changed_after_review": a reviewed intake changed (written by the intake store, actor
# "patient"). The audit table's CHECK is built from this list; ensure_schema migrates old files.
ACTIONS = ("view", "export", "review", "delete", "login", "logout", "print",
           "changed_after_review", "treatment", "checkin_handled")
MIN_PASSWORD_CHARS = 10
MAX_NOTE_CHARS = 4000
SESSION_ID_BYTES = 32
SESSION_ROWS_KEPT_DAYS = 30  # ended sessions stay listable this long, then are swept
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
# Opt-out records must survive a deletion request: the law requires honouring a STOP for good.
_KEPT_TABLE = re.compile(r"opt.*out", re.IGNORECASE)


def _audit_table_sql(name: str) -> str:
    """CREATE TABLE for the audit log under `name`; its CHECK allows exactly ACTIONS."""
    allowed = ", ".join(f"'{action}'" for action in ACTIONS)
    return f"""CREATE TABLE IF NOT EXISTS {name} (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ({allowed})),
    conversation_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
)"""


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {USERS} (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('clinician', 'front_desk')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS {REVIEWS} (
    id INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    note TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {REVIEWS}_conversation ON {REVIEWS} (conversation_id, id);
{_audit_table_sql(AUDIT)};
CREATE INDEX IF NOT EXISTS {AUDIT}_conversation ON {AUDIT} (conversation_id);
CREATE TABLE IF NOT EXISTS {SESSIONS} (
    id INTEGER PRIMARY KEY,
    id_hash TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS {SESSIONS}_username ON {SESSIONS} (username);
CREATE TRIGGER IF NOT EXISTS {AUDIT}_no_update BEFORE UPDATE ON {AUDIT}
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS {AUDIT}_no_delete BEFORE DELETE ON {AUDIT}
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


@dataclass(frozen=True)
class StaffUser:
    """A staff account as the app sees it (never with its password hash)."""

    username: str
    role: str
    created_at: str
    disabled: bool


@dataclass(frozen=True)
class StaffSession:
    """A signed-in staff session as the store keeps it (never with its secret id)."""

    id: int  # the row number, for listing and revoking one session; not the cookie's secret
    username: str
    created_at: str
    last_seen_at: str
    revoked_at: str | None
    revoked_reason: str
    client: str

    def state(self, now: float, idle_seconds: float, max_seconds: float) -> str:
        """"active", "expired" (idle or too old) or "revoked" at time `now`."""
        if self.revoked_at:
            return "revoked"
        idle = now - _epoch(self.last_seen_at)
        age = now - _epoch(self.created_at)
        return "expired" if idle > idle_seconds or age > max_seconds else "active"


@dataclass(frozen=True)
class Review:
    """A clinician's note that an intake has been read.

    `snapshot` is the intake's clinical snapshot (bot/changes.py) when it was reviewed, and
    `seen_change` the id of the intake's latest change the clinician had on screen: a later
    change means the intake needs review again. Reviews from before these existed have None.
    """

    conversation_id: str
    reviewer: str
    note: str
    reviewed_at: str
    snapshot: dict | None = None
    seen_change: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str
    actor: str
    action: str
    conversation_id: str | None
    detail: str


@dataclass
class DeletionReport:
    """What delete_patient_data removed, as counts (no patient data, so it can be audited)."""

    summary_deleted: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    tracker_events: int = 0
    photo_files: int = 0

    def describe(self) -> str:
        """A one-line account for the audit log."""
        tables = ", ".join(f"{name}={count}" for name, count in sorted(self.rows.items()) if count)
        return (f"summary={int(self.summary_deleted)}; rows: {tables or 'none'}; "
                f"tracker_events={self.tracker_events}; photo_files={self.photo_files}")


class StaffStore:
    """Staff accounts, reviews and the audit log (in the intake database file, or in memory)."""

    def __init__(self, path: str | Path | None, clock: Callable[[], float] = time.time,
                 hasher: PasswordHasher | None = None) -> None:
        """path: the intake database file, a PostgreSQL URL, or None for memory."""
        self.url = str(path) if backend.is_postgres(path) else None
        self.path = Path(path) if path is not None and self.url is None else None
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self._lock = threading.Lock()
        self._memory: sqlite3.Connection | None = None
        if self.path is None and self.url is None:
            self._memory = sqlite3.connect(":memory:", check_same_thread=False)
        self.ensure_schema()

    @property
    def location(self) -> str | Path | None:
        """Where the store lives: its PostgreSQL URL, its file, or None (memory)."""
        return self.url or self.path

    def ensure_schema(self) -> None:
        """Create the tables, indexes and audit triggers if missing; safe to call again."""
        if self.url is not None:
            with self._write() as conn:
                conn.executescript(_PG_SCHEMA)
            return
        with self._connect() as conn:
            if self._memory is None:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)
            _add_review_columns(conn)
            _allow_every_audit_action(conn)

    @cached_property
    def _dummy_hash(self) -> str:
        """A hash to verify against for unknown usernames (made on first use: it takes time).

        Checking it costs as much as a real check, so response times do not reveal which
        usernames exist.
        """
        return self.hasher.hash("not a real password, only for timing")

    # --- accounts -----------------------------------------------------------------------------

    def create_user(self, username: str, role: str, password: str) -> StaffUser:
        """Add an account; ValueError for a bad name, role, short password or taken name."""
        name = _check_username(username)
        _check_role(role)
        digest = self.hasher.hash(_check_password(password))
        try:
            with self._write() as conn:
                conn.execute(f"INSERT INTO {USERS} VALUES (?, ?, ?, ?, 0)",
                             (name, role, digest, self._now()))
        except backend.INTEGRITY_ERRORS:
            raise ValueError(f"There is already an account called {name!r}.") from None
        return self.get_user(name)  # type: ignore[return-value]

    def set_password(self, username: str, password: str) -> int:
        """Replace an account's password and end all its sessions; returns how many ended.

        ValueError if the password is too short or the account unknown.
        """
        name = username.strip().lower()
        digest = self.hasher.hash(_check_password(password))
        with self._write() as conn:
            cursor = conn.execute(f"UPDATE {USERS} SET password_hash = ? WHERE username = ?",
                                  (digest, name))
            if cursor.rowcount == 0:
                raise ValueError(f"No account called {username!r}.")
            # Whoever knew the old password may be signed in somewhere: that must end too.
            return self._revoke_where(conn, "username = ?", (name,), "password changed")

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable (or re-enable) an account; disabling ends its sessions at once."""
        name = username.strip().lower()
        with self._write() as conn:
            cursor = conn.execute(f"UPDATE {USERS} SET disabled = ? WHERE username = ?",
                                  (int(disabled), name))
            if cursor.rowcount == 0:
                raise ValueError(f"No account called {username!r}.")
            if disabled:
                self._revoke_where(conn, "username = ?", (name,), "account disabled")

    def get_user(self, username: str) -> StaffUser | None:
        """The account with that name, or None."""
        with self._connect() as conn:
            row = conn.execute(f"SELECT username, role, created_at, disabled FROM {USERS} "
                               "WHERE username = ?", (username.strip().lower(),)).fetchone()
        return _user(row) if row else None

    def list_users(self) -> list[StaffUser]:
        """Every account, by name."""
        with self._connect() as conn:
            rows = conn.execute(f"SELECT username, role, created_at, disabled FROM {USERS} "
                                "ORDER BY username").fetchall()
        return [_user(row) for row in rows]

    def authenticate(self, username: str, password: str) -> StaffUser | None:
        """The account if the password matches and it is enabled, else None."""
        name = username.strip().lower()
        with self._connect() as conn:
            row = conn.execute(f"SELECT password_hash FROM {USERS} WHERE username = ?",
                               (name,)).fetchone()
        if not _verify(self.hasher, row[0] if row else self._dummy_hash, password) or not row:
            return None
        if self.hasher.check_needs_rehash(row[0]):
            self._rehash(name, password)  # keeps hashes at the current cost parameters
        user = self.get_user(name)
        return user if user and not user.disabled else None

    def _rehash(self, name: str, password: str) -> None:
        """Store a fresh hash of the same password (its sessions stay: nothing changed)."""
        with self._write() as conn:
            conn.execute(f"UPDATE {USERS} SET password_hash = ? WHERE username = ?",
                         (self.hasher.hash(password), name))

    # --- sessions -----------------------------------------------------------------------------

    def start_session(self, username: str, client: str = "") -> str:
        """A new session for username; returns its secret id (only a hash of it is stored).

        `client` is a short, printable description of where it started (address, browser).
        """
        session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
        now = self._now()
        with self._write() as conn:
            self._sweep_old_sessions(conn)
            conn.execute(f"INSERT INTO {SESSIONS} (id_hash, username, created_at, last_seen_at, "
                         "client) VALUES (?, ?, ?, ?, ?)",
                         (_hash_session_id(session_id), username.strip().lower(), now, now,
                          _printable(client)[:200]))
        return session_id

    def resume_session(self, session_id: str, idle_seconds: float,
                       max_seconds: float) -> StaffSession | None:
        """The live session with that secret id, its last-seen time moved to now; else None.

        None if unknown, revoked, idle longer than idle_seconds or older than max_seconds.
        """
        if not session_id:
            return None
        digest = _hash_session_id(session_id)
        with self._write() as conn:
            row = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM {SESSIONS} WHERE id_hash = ?",
                               (digest,)).fetchone()
            session = _session(row) if row else None
            if session is None or session.state(self.clock(), idle_seconds,
                                                max_seconds) != "active":
                return None
            now = self._now()
            conn.execute(f"UPDATE {SESSIONS} SET last_seen_at = ? WHERE id = ?", (now, session.id))
        return StaffSession(**{**session.__dict__, "last_seen_at": now})

    def end_session(self, session_id: str, reason: str = "signed out") -> bool:
        """Revoke the session with that secret id (sign-out); True if it was live."""
        with self._write() as conn:
            return self._revoke_where(conn, "id_hash = ?", (_hash_session_id(session_id),),
                                      reason) > 0

    def revoke_session(self, row_id: int, reason: str = "revoked by an administrator") -> bool:
        """Revoke one session by its listed number; True if it was live."""
        with self._write() as conn:
            return self._revoke_where(conn, "id = ?", (row_id,), reason) > 0

    def revoke_sessions(self, username: str,
                        reason: str = "revoked by an administrator") -> int:
        """Revoke every live session of a user; returns how many."""
        with self._write() as conn:
            return self._revoke_where(conn, "username = ?", (username.strip().lower(),), reason)

    def list_sessions(self, username: str | None = None) -> list[StaffSession]:
        """Sessions, newest first, optionally of one user (ended ones too, for a while)."""
        where, args = ("WHERE username = ?", [username.strip().lower()]) if username else ("", [])
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM {SESSIONS} {where} "
                                "ORDER BY id DESC", args).fetchall()
        return [_session(row) for row in rows]

    def _revoke_where(self, conn: sqlite3.Connection, where: str, args: tuple,
                      reason: str) -> int:
        """Mark the matching live sessions revoked now, inside the caller's transaction."""
        cursor = conn.execute(f"UPDATE {SESSIONS} SET revoked_at = ?, revoked_reason = ? "
                              f"WHERE revoked_at IS NULL AND {where}",
                              (self._now(), reason, *args))
        return cursor.rowcount

    def _sweep_old_sessions(self, conn: sqlite3.Connection) -> None:
        """Forget sessions last used more than SESSION_ROWS_KEPT_DAYS ago (long dead anyway)."""
        cutoff = datetime.fromtimestamp(self.clock() - SESSION_ROWS_KEPT_DAYS * 86400,
                                        timezone.utc).isoformat(timespec="microseconds")
        conn.execute(f"DELETE FROM {SESSIONS} WHERE last_seen_at < ?", (cutoff,))

    # --- reviews ------------------------------------------------------------------------------

    def add_review(self, conversation_id: str, reviewer: str, note: str,
                   snapshot: dict | None = None, seen_change: int | None = None) -> Review:
        """Record that reviewer has read the intake, with a note (may be empty).

        `snapshot` and `seen_change` say what the review covered (see Review).
        """
        note = note.strip()
        if len(note) > MAX_NOTE_CHARS:
            raise ValueError(f"A review note is at most {MAX_NOTE_CHARS} characters.")
        review = Review(conversation_id, reviewer, note, self._now(), snapshot, seen_change)
        with self._write() as conn:
            conn.execute(f"INSERT INTO {REVIEWS} (conversation_id, reviewer, note, reviewed_at, "
                         "snapshot, seen_change) VALUES (?, ?, ?, ?, ?, ?)",
                         (conversation_id, reviewer, note, review.reviewed_at,
                          json.dumps(snapshot) if snapshot is not None else None, seen_change))
        return review

    def reviews(self, conversation_id: str) -> list[Review]:
        """An intake's reviews, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT conversation_id, reviewer, note, reviewed_at, snapshot, seen_change "
                f"FROM {REVIEWS} WHERE conversation_id = ? ORDER BY id",
                (conversation_id,)).fetchall()
        return [_review(row) for row in rows]

    def latest_reviews(self) -> dict[str, Review]:
        """The most recent review of every reviewed intake, by conversation id.

        Without snapshots (the queue needs only who, when and seen_change; they can be large).
        """
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT conversation_id, reviewer, note, reviewed_at, NULL, seen_change "
                f"FROM {REVIEWS} "
                f"WHERE id IN (SELECT max(id) FROM {REVIEWS} GROUP BY conversation_id)"
            ).fetchall()
        return {row[0]: _review(row) for row in rows}

    # --- audit --------------------------------------------------------------------------------

    def audit(self, actor: str, action: str, conversation_id: str | None = None,
              detail: str = "") -> None:
        """Append one line to the audit log (no patient data in `detail`: it is kept forever)."""
        if action not in ACTIONS:
            raise ValueError(f"Unknown audit action {action!r}.")
        with self._write() as conn:
            conn.execute(f"INSERT INTO {AUDIT} (at, actor, action, conversation_id, detail) "
                         "VALUES (?, ?, ?, ?, ?)", (self._now(), actor, action, conversation_id,
                                                    detail))

    def audit_log(self, limit: int = 500, conversation_id: str | None = None) -> list[AuditEntry]:
        """The latest audit entries, newest first, optionally for one conversation."""
        where, args = ("WHERE conversation_id = ?", [conversation_id]) if conversation_id \
            else ("", [])
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT id, at, actor, action, conversation_id, detail FROM {AUDIT} "
                f"{where} ORDER BY id DESC LIMIT ?", [*args, limit]).fetchall()
        return [AuditEntry(*row) for row in rows]

    # --- plumbing -----------------------------------------------------------------------------

    def _now(self) -> str:
        """The clock's time as a fixed-width UTC ISO timestamp (text order is time order)."""
        moment = datetime.fromtimestamp(self.clock(), timezone.utc)
        return moment.isoformat(timespec="microseconds")

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        """Yield a connection: the shared in-memory one, a fresh one to the file, or a pooled
        PostgreSQL one (committed at the end)."""
        if self.url is not None:
            with backend.pg_connect(self.url) as conn:
                yield conn
            return
        if self._memory is not None:
            with self._lock:
                yield self._memory
            return
        conn = _open(self.path)  # type: ignore[arg-type]
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """Yield a connection inside a transaction that already holds the write lock."""
        if self.url is not None:
            with backend.pg_write(self.url) as conn:
                yield conn
            return
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")  # wait for the lock now, not half-way (bot/store.py)
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()


def delete_patient_data(intake_store: Any, staff_store: StaffStore, conversation_id: str,
                        tracker_db_path: Path | str | None, photos_dir: Path | None,
                        actor: str = "system") -> DeletionReport:
    """Delete everything kept about one conversation, then audit the deletion.

    Removes the summary, every row of any intake-database table with a conversation_id column
    (except the audit log and opt-out tables), Rasa's tracker events for the conversation and
    its photo folder. The audit line holds only counts. tracker_db_path is Rasa's SQLite
    tracker file or, for a tracker store on PostgreSQL, its URL.
    """
    report = DeletionReport()
    try:
        report.summary_deleted = bool(intake_store.delete_intake(conversation_id))
        with staff_store._write() as conn:
            report.rows = _sweep_conversation_rows(conn, conversation_id)
        intake_path = getattr(intake_store, "path", None)
        intake_url = getattr(intake_store, "url", None)
        if intake_url is not None and intake_url != staff_store.url:
            with backend.pg_write(intake_url) as conn:
                report.rows.update(_sweep_conversation_rows(conn, conversation_id))
        if intake_path is not None and not _same_file(intake_path, staff_store.path):
            conn = _open(Path(intake_path))
            try:
                with conn:
                    report.rows.update(_sweep_conversation_rows(conn, conversation_id))
            finally:
                conn.close()
        if backend.is_postgres(tracker_db_path):
            report.tracker_events = _delete_pg_tracker_events(str(tracker_db_path),
                                                              conversation_id)
        elif tracker_db_path is not None:
            report.tracker_events = _delete_tracker_events(Path(tracker_db_path), conversation_id)
        if photos_dir is not None:
            report.photo_files = _delete_photo_folder(Path(photos_dir), conversation_id)
    except Exception as exc:
        staff_store.audit(actor, "delete", conversation_id,
                          f"failed ({type(exc).__name__}) after {report.describe()}")
        raise
    staff_store.audit(actor, "delete", conversation_id, report.describe())
    return report


def _sweep_conversation_rows(conn: Any, conversation_id: str) -> dict[str, int]:
    """Delete the conversation's rows from every table that has a conversation_id column."""
    counts = {}
    for table in _tables_with_conversation_id(conn):
        where = "conversation_id = ?"
        if table == "sms_contacts":
            # A number that texted STOP stays opted out, as the law requires: keep that row
            # (number and opt-out only); every other number's row goes.
            conn.execute("UPDATE sms_contacts SET buttons = '[]' WHERE conversation_id = ? AND "
                         "opted_out <> 0", (conversation_id,))
            where += " AND opted_out = 0"
        cursor = conn.execute(f"DELETE FROM {_quote(table)} WHERE {where}", (conversation_id,))
        counts[table] = cursor.rowcount
    return counts


def _tables_with_conversation_id(conn: Any) -> list[str]:
    """Tables holding per-conversation rows, minus the audit log and opt-out records."""
    return [name for name in backend.tables_with_column(conn, "conversation_id")
            if name != AUDIT and not _KEPT_TABLE.search(name)]


def _quote(name: str) -> str:
    """A table name quoted as an SQL identifier (names come from sqlite_master, not users)."""
    return '"' + name.replace('"', '""') + '"'


def _same_file(first: str | Path, second: str | Path | None) -> bool:
    """True if both paths name the same database file."""
    return second is not None and Path(first).resolve() == Path(second).resolve()


def _delete_tracker_events(tracker_db_path: Path, conversation_id: str) -> int:
    """Delete Rasa's SQL tracker store events for the conversation (sender_id); 0 if no tracker."""
    if not tracker_db_path.is_file():
        return 0
    conn = _open(tracker_db_path)
    try:
        has_events = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone()
        if not has_events:
            return 0
        with conn:
            cursor = conn.execute("DELETE FROM events WHERE sender_id = ?", (conversation_id,))
            return cursor.rowcount
    finally:
        conn.close()


def _delete_pg_tracker_events(url: str, conversation_id: str) -> int:
    """Delete Rasa's tracker events for the conversation from a PostgreSQL tracker store."""
    with backend.pg_connect(url) as conn:
        if not backend.table_exists(conn, "events"):
            return 0
        return conn.execute("DELETE FROM events WHERE sender_id = ?", (conversation_id,)).rowcount


def _delete_photo_folder(photos_dir: Path, conversation_id: str) -> int:
    """Remove photos_dir/<conversation_id> and return how many files it held."""
    # Only an id that names exactly one folder directly inside photos_dir can have photos (the
    # upload code refuses any other); never let one reach a path elsewhere.
    if conversation_id in ("", ".", "..") or any(c in conversation_id for c in "/\\\0"):
        return 0
    folder = photos_dir / conversation_id
    if folder.is_symlink():
        folder.unlink()
        return 0
    if not folder.is_dir():
        return 0
    count = sum(1 for path in folder.rglob("*") if path.is_file())
    shutil.rmtree(folder)
    return count


def _open(path: Path) -> sqlite3.Connection:
    """A connection to a database file that waits for locks like bot/store.py does."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _verify(hasher: PasswordHasher, digest: str, password: str) -> bool:
    """True if password matches the argon2 hash."""
    try:
        return hasher.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_SESSION_COLUMNS = ("id, username, created_at, last_seen_at, revoked_at, revoked_reason, "
                    "client")


def _session(row: tuple) -> StaffSession:
    """A sessions row as a StaffSession."""
    return StaffSession(*row)


def _hash_session_id(session_id: str) -> str:
    """SHA-256 of a session id: 256 random bits need no salt or slow hash, and a copy of the
    database then holds nothing that signs anyone in."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _epoch(iso: str) -> float:
    """Seconds since the epoch of one of the store's ISO timestamps."""
    return datetime.fromisoformat(iso).timestamp()


def _printable(text: str) -> str:
    """Text with anything but printable ASCII replaced (it is shown in a terminal later)."""
    return "".join(c if " " <= c <= "~" else "?" for c in text or "")


def _review(row: tuple) -> Review:
    """A reviews row (conversation_id, reviewer, note, reviewed_at, snapshot, seen_change)."""
    return Review(*row[:4], snapshot=json.loads(row[4]) if row[4] else None, seen_change=row[5])


def audit_change_after_review(conn: Any, conversation_id: str, detail: str,
                              at: str) -> bool:
    """Audit a change to an intake a clinician has reviewed, inside the caller's transaction.

    The intake store calls this when it records a change; the staff tables share its file in
    the app (bot/web/app.py), so the line is written in the same transaction as the change.
    Returns False, writing nothing, when the intake was never reviewed here, or when the file's
    audit table predates the action (the web app migrates it on start): saving the patient's
    answer must never fail because of the audit.
    """
    found = backend.table_exists(conn, REVIEWS, AUDIT)
    if found != {REVIEWS, AUDIT} or not conn.execute(
            f"SELECT 1 FROM {REVIEWS} WHERE conversation_id = ? LIMIT 1",
            (conversation_id,)).fetchone():
        return False
    try:
        conn.execute(f"INSERT INTO {AUDIT} (at, actor, action, conversation_id, detail) "
                     "VALUES (?, 'patient', 'changed_after_review', ?, ?)",
                     (at, conversation_id, detail))
    except sqlite3.IntegrityError:  # the CHECK of an audit table not migrated yet
        logger.warning("The audit log of this database predates 'changed_after_review'; start "
                       "the web app once to migrate it.")
        return False
    return True


def _add_review_columns(conn: sqlite3.Connection) -> None:
    """Give staff_reviews the snapshot and seen_change columns of newer versions (idempotent)."""
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info({REVIEWS})")}
    for name, kind in (("snapshot", "TEXT"), ("seen_change", "INTEGER")):
        if name in columns:
            continue
        try:
            conn.execute(f"ALTER TABLE {REVIEWS} ADD COLUMN {name} {kind}")
        except sqlite3.OperationalError as exc:  # another process added it a moment ago
            if "duplicate column" not in str(exc):
                raise
    conn.commit()


def _allow_every_audit_action(conn: sqlite3.Connection) -> None:
    """Rebuild the audit table if its CHECK predates an action in ACTIONS, keeping every row.

    SQLite cannot alter a CHECK, so the rows move to a new table in one transaction; the
    append-only triggers and the index are created again on it.
    """
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (AUDIT,)).fetchone()[0]
    if all(f"'{action}'" in sql for action in ACTIONS):
        return
    new = f"{AUDIT}_new"
    script = (f"BEGIN IMMEDIATE; DROP TABLE IF EXISTS {new}; {_audit_table_sql(new)}; "
              f"INSERT INTO {new} (id, at, actor, action, conversation_id, detail) "
              f"SELECT id, at, actor, action, conversation_id, detail FROM {AUDIT}; "
              f"DROP TABLE {AUDIT}; ALTER TABLE {new} RENAME TO {AUDIT}; {_SCHEMA} COMMIT;")
    try:
        conn.executescript(script)
    except sqlite3.Error:
        conn.rollback()
        raise


def _user(row: tuple) -> StaffUser:
    """A users row as a StaffUser."""
    return StaffUser(username=row[0], role=row[1], created_at=row[2], disabled=bool(row[3]))


def _check_username(username: str) -> str:
    """The username in lower case; ValueError unless it is a short plain identifier."""
    name = (username or "").strip().lower()
    if not _USERNAME.fullmatch(name):
        raise ValueError("A username is 1-64 letters, digits or . _ @ - (starting with a letter "
                         "or digit).")
    return name


def _check_role(role: str) -> None:
    """ValueError unless role is one of ROLES."""
    if role not in ROLES:
        raise ValueError(f"A role is one of: {', '.join(ROLES)}.")


def _check_password(password: str) -> str:
    """The password; ValueError if it is shorter than MIN_PASSWORD_CHARS."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"A password must be at least {MIN_PASSWORD_CHARS} characters.")
    return password


# The same tables for PostgreSQL (the audit table is created with every action of ACTIONS in
# its CHECK; there are no PostgreSQL files from before, so no migration).
_PG_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {USERS} (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('clinician', 'front_desk')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS {REVIEWS} (
    id BIGSERIAL PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    note TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    snapshot TEXT,
    seen_change INTEGER
);
CREATE INDEX IF NOT EXISTS {REVIEWS}_conversation ON {REVIEWS} (conversation_id, id);
{_audit_table_sql(AUDIT).replace("id INTEGER PRIMARY KEY", "id BIGSERIAL PRIMARY KEY")};
CREATE INDEX IF NOT EXISTS {AUDIT}_conversation ON {AUDIT} (conversation_id);
CREATE TABLE IF NOT EXISTS {SESSIONS} (
    id BIGSERIAL PRIMARY KEY,
    id_hash TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_reason TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS {SESSIONS}_username ON {SESSIONS} (username);
CREATE OR REPLACE FUNCTION {AUDIT}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE OR REPLACE TRIGGER {AUDIT}_no_change BEFORE UPDATE OR DELETE ON {AUDIT}
FOR EACH ROW EXECUTE FUNCTION {AUDIT}_append_only();
"""
