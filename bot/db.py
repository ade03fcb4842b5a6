"""Where the intake database lives: a SQLite file (the default) or PostgreSQL.

`INTAKE_DATABASE_URL=postgresql://user:password@host:port/db` moves the intake, staff and state
stores to PostgreSQL, so several web apps and action servers on several machines share them.
The stores write one SQL, with sqlite3's `?` placeholders; on PostgreSQL `PgConnection`
translates them and a SQLAlchemy 1.4 engine pools the connections.

Writes keep SQLite's semantics on both backends: SQLite's `BEGIN IMMEDIATE` lets one writer in
at a time, and on PostgreSQL every write transaction first takes one transaction-level advisory
lock (`WRITE_LOCK`), so a read-then-write (compare-and-swap of a summary version, a count before
an insert) can never interleave with another writer's.

    >>> is_postgres("postgresql://intake@127.0.0.1/intake"), is_postgres("var/intake.db")
    (True, False)
"""
from __future__ import annotations

import os
import re
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

import psycopg2
import psycopg2.errors

ENV = "INTAKE_DATABASE_URL"
WRITE_LOCK = 0x1A7A4E  # the advisory lock key every write transaction holds on PostgreSQL
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg2.IntegrityError)
DATABASE_ERRORS = (sqlite3.DatabaseError, psycopg2.Error)

_engines: dict[str, Any] = {}
_engines_lock = threading.Lock()
# A `?` or a `:name` placeholder outside quotes; quoted text is matched first and kept.
_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|(?<!:):([A-Za-z_]\w*)|%")


def database_url(env: dict[str, str] | None = None) -> str | None:
    """The PostgreSQL URL from INTAKE_DATABASE_URL, or None for SQLite."""
    value = (env if env is not None else os.environ).get(ENV, "").strip()
    return value or None


def is_postgres(location: str | Path | None) -> bool:
    """True if a store location is a PostgreSQL URL (not a file path or None)."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://",
                                                              "postgresql+psycopg2://"))


def engine(url: str) -> Any:
    """The process's pooled SQLAlchemy engine for url (made on first use)."""
    with _engines_lock:
        if url not in _engines:
            from sqlalchemy import create_engine

            sa_url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg2://", url)
            _engines[url] = create_engine(sa_url, pool_size=5, max_overflow=20,
                                          pool_pre_ping=True, future=True)
        return _engines[url]


def dispose(url: str) -> None:
    """Close the pooled connections of url's engine and forget it (tests use many URLs)."""
    with _engines_lock:
        made = _engines.pop(url, None)
    if made is not None:
        made.dispose()


def pg_sql(sql: str) -> str:
    """sqlite3-style SQL for psycopg2: `?` -> `%s`, `:name` -> `%(name)s`, `%` -> `%%`.

    >>> pg_sql("select * from t where a = ? and b = :b and c like 'x?%'")
    "select * from t where a = %s and b = %(b)s and c like 'x?%%'"
    """
    def replace(match: re.Match) -> str:
        text = match.group(0)
        if text == "?":
            return "%s"
        if text == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return text.replace("%", "%%")  # quoted text: psycopg2 formats the whole string

    return _PLACEHOLDER.sub(replace, sql)


class PgConnection:
    """A pooled psycopg2 connection that runs sqlite3-style SQL (see pg_sql).

    Like a sqlite3 connection it has execute / executescript / commit / rollback, and cursors
    with fetchone, fetchall, rowcount and description. `conn` is itself, as on sqlite-utils'
    Database, so store code can pass either along.
    """

    dialect = "postgresql"

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    @property
    def conn(self) -> "PgConnection":
        return self

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        """Run one statement; returns the cursor."""
        cursor = self.raw.cursor()
        cursor.execute(pg_sql(sql), params if params is not None else ())
        return cursor

    def executescript(self, script: str) -> None:
        """Run several statements separated by `;` at line ends (no placeholders)."""
        cursor = self.raw.cursor()
        cursor.execute(script)

    def commit(self) -> None:
        self.raw.commit()

    def rollback(self) -> None:
        self.raw.rollback()

    def close(self) -> None:
        self.raw.close()  # back to the pool


@contextmanager
def pg_connect(url: str) -> Iterator[PgConnection]:
    """A pooled connection; what it did is committed at the end (rolled back on error)."""
    conn = PgConnection(engine(url).raw_connection())
    try:
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()


@contextmanager
def pg_write(url: str) -> Iterator[PgConnection]:
    """A write transaction holding WRITE_LOCK: one writer at a time, as with SQLite."""
    with pg_connect(url) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK])
        yield conn


@contextmanager
def write_transaction(url: str | None, connect: Any) -> Iterator[Any]:
    """A store's write transaction holding the write lock from the start: pg_write on
    PostgreSQL, else `connect()` (a SQLite connection) with BEGIN IMMEDIATE, which waits for the
    lock now instead of failing half-way."""
    if url is not None:
        with pg_write(url) as conn:
            yield conn
        return
    with connect() as conn:
        raw = getattr(conn, "conn", conn)  # a sqlite-utils Database or a sqlite3 connection
        raw.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            raw.rollback()
            raise
        raw.commit()


def is_pg_connection(conn: Any) -> bool:
    """True if conn (or the Database wrapping it) talks to PostgreSQL."""
    return getattr(conn, "dialect", None) == "postgresql"


def rows_as_dicts(cursor: Any) -> list[dict[str, Any]]:
    """Every row of a cursor as a dict by column name (sqlite3 and psycopg2 alike)."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def tables_with_column(conn: Any, column: str) -> list[str]:
    """Names of the tables that have `column` (either backend)."""
    if is_pg_connection(conn):
        rows = conn.execute("SELECT table_name FROM information_schema.columns WHERE "
                            "table_schema = current_schema() AND column_name = ? "
                            "ORDER BY table_name", [column]).fetchall()
        return [row[0] for row in rows]
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return [name for name in names
            if column in {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}]


def table_exists(conn: Any, *names: str) -> set[str]:
    """Which of the named tables exist (either backend)."""
    marks = ", ".join("?" for _ in names)
    if is_pg_connection(conn):
        sql = ("SELECT table_name FROM information_schema.tables WHERE "
               f"table_schema = current_schema() AND table_name IN ({marks})")
    else:
        sql = f"SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ({marks})"
    return {row[0] for row in conn.execute(sql, list(names)).fetchall()}
