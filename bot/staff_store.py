"""Clinic staff accounts, intake reviews and the append-only audit log, in the intake database.

The tables live in the same SQLite file as IntakeStore (WAL, a busy timeout, BEGIN IMMEDIATE
writes, exactly as bot/store.py), so deleting a patient's data can sweep every table at once.
The audit log has no update or delete method here, and SQLite triggers refuse UPDATE and DELETE
on it, so a mistake elsewhere cannot rewrite history either.

    >>> staff = StaffStore(None)
    >>> staff.create_user("dana", "clinician", "a long passphrase").role
    'clinician'
    >>> staff.authenticate("dana", "wrong password") is None
    True
"""
from __future__ import annotations

import re
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

BUSY_TIMEOUT_MS = 5000
USERS = "staff_users"
REVIEWS = "staff_reviews"
AUDIT = "staff_audit"
ROLES = ("clinician", "front_desk")
ACTIONS = ("view", "export", "review", "delete", "login", "logout", "print")
MIN_PASSWORD_CHARS = 10
MAX_NOTE_CHARS = 4000
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
# Opt-out records must survive a deletion request: the law requires honouring a STOP for good.
_KEPT_TABLE = re.compile(r"opt.*out", re.IGNORECASE)

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
CREATE TABLE IF NOT EXISTS {AUDIT} (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL
        CHECK (action IN ('view', 'export', 'review', 'delete', 'login', 'logout', 'print')),
    conversation_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS {AUDIT}_conversation ON {AUDIT} (conversation_id);
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
class Review:
    """A clinician's note that an intake has been read."""

    conversation_id: str
    reviewer: str
    note: str
    reviewed_at: str


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
        self.path = Path(path) if path is not None else None
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self._lock = threading.Lock()
        self._memory: sqlite3.Connection | None = None
        if self.path is None:
            self._memory = sqlite3.connect(":memory:", check_same_thread=False)
        self.ensure_schema()

    def ensure_schema(self) -> None:
        """Create the tables, indexes and audit triggers if missing; safe to call again."""
        with self._connect() as conn:
            if self._memory is None:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

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
        except sqlite3.IntegrityError:
            raise ValueError(f"There is already an account called {name!r}.") from None
        return self.get_user(name)  # type: ignore[return-value]

    def set_password(self, username: str, password: str) -> None:
        """Replace an account's password; ValueError if it is too short or the account unknown."""
        digest = self.hasher.hash(_check_password(password))
        with self._write() as conn:
            cursor = conn.execute(f"UPDATE {USERS} SET password_hash = ? WHERE username = ?",
                                  (digest, username.strip().lower()))
        if cursor.rowcount == 0:
            raise ValueError(f"No account called {username!r}.")

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable (or re-enable) an account; a disabled one can neither sign in nor stay in."""
        with self._write() as conn:
            cursor = conn.execute(f"UPDATE {USERS} SET disabled = ? WHERE username = ?",
                                  (int(disabled), username.strip().lower()))
        if cursor.rowcount == 0:
            raise ValueError(f"No account called {username!r}.")

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
            self.set_password(name, password)  # keeps hashes at the current cost parameters
        user = self.get_user(name)
        return user if user and not user.disabled else None

    # --- reviews ------------------------------------------------------------------------------

    def add_review(self, conversation_id: str, reviewer: str, note: str) -> Review:
        """Record that reviewer has read the intake, with a note (may be empty)."""
        note = note.strip()
        if len(note) > MAX_NOTE_CHARS:
            raise ValueError(f"A review note is at most {MAX_NOTE_CHARS} characters.")
        review = Review(conversation_id, reviewer, note, self._now())
        with self._write() as conn:
            conn.execute(f"INSERT INTO {REVIEWS} (conversation_id, reviewer, note, reviewed_at) "
                         "VALUES (?, ?, ?, ?)",
                         (conversation_id, reviewer, note, review.reviewed_at))
        return review

    def reviews(self, conversation_id: str) -> list[Review]:
        """An intake's reviews, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT conversation_id, reviewer, note, reviewed_at FROM {REVIEWS} "
                "WHERE conversation_id = ? ORDER BY id", (conversation_id,)).fetchall()
        return [Review(*row) for row in rows]

    def latest_reviews(self) -> dict[str, Review]:
        """The most recent review of every reviewed intake, by conversation id."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT conversation_id, reviewer, note, reviewed_at FROM {REVIEWS} "
                f"WHERE id IN (SELECT max(id) FROM {REVIEWS} GROUP BY conversation_id)"
            ).fetchall()
        return {row[0]: Review(*row) for row in rows}

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
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """Yield a connection: the shared in-memory one, or a fresh one to the file."""
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
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Yield a connection inside a transaction that already holds the write lock."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")  # wait for the lock now, not half-way (bot/store.py)
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()


def delete_patient_data(intake_store: Any, staff_store: StaffStore, conversation_id: str,
                        tracker_db_path: Path | None, photos_dir: Path | None,
                        actor: str = "system") -> DeletionReport:
    """Delete everything kept about one conversation, then audit the deletion.

    Removes the summary, every row of any intake-database table with a conversation_id column
    (except the audit log and opt-out tables), Rasa's tracker events for the conversation and
    its photo folder. The audit line holds only counts.
    """
    report = DeletionReport()
    try:
        report.summary_deleted = bool(intake_store.delete_intake(conversation_id))
        with staff_store._write() as conn:
            report.rows = _sweep_conversation_rows(conn, conversation_id)
        intake_path = getattr(intake_store, "path", None)
        if intake_path is not None and not _same_file(intake_path, staff_store.path):
            conn = _open(Path(intake_path))
            try:
                with conn:
                    report.rows.update(_sweep_conversation_rows(conn, conversation_id))
            finally:
                conn.close()
        if tracker_db_path is not None:
            report.tracker_events = _delete_tracker_events(Path(tracker_db_path), conversation_id)
        if photos_dir is not None:
            report.photo_files = _delete_photo_folder(Path(photos_dir), conversation_id)
    except Exception as exc:
        staff_store.audit(actor, "delete", conversation_id,
                          f"failed ({type(exc).__name__}) after {report.describe()}")
        raise
    staff_store.audit(actor, "delete", conversation_id, report.describe())
    return report


def _sweep_conversation_rows(conn: sqlite3.Connection, conversation_id: str) -> dict[str, int]:
    """Delete the conversation's rows from every table that has a conversation_id column."""
    counts = {}
    for table in _tables_with_conversation_id(conn):
        where = "conversation_id = ?"
        if table == "sms_contacts":
            # A number that texted STOP stays opted out, as the law requires: keep that row
            # (number and opt-out only); every other number's row goes.
            conn.execute("UPDATE sms_contacts SET buttons = '[]' WHERE conversation_id = ? AND "
                         "opted_out", (conversation_id,))
            where += " AND NOT opted_out"
        cursor = conn.execute(f"DELETE FROM {_quote(table)} WHERE {where}", (conversation_id,))
        counts[table] = cursor.rowcount
    return counts


def _tables_with_conversation_id(conn: sqlite3.Connection) -> list[str]:
    """Tables holding per-conversation rows, minus the audit log and opt-out records."""
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    found = []
    for name in names:
        if name == AUDIT or _KEPT_TABLE.search(name):
            continue
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({_quote(name)})")}
        if "conversation_id" in columns:
            found.append(name)
    return found


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
