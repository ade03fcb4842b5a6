"""Command line for staff accounts on the review pages (/staff).

    STAFF_PASSWORD=... python -m bot.staff_cli create-user --username dana --role clinician
    python -m bot.staff_cli list-users
    python -m bot.staff_cli list-sessions --username dana
    python -m bot.staff_cli revoke-sessions --username dana

Without STAFF_PASSWORD the password is asked for twice (not echoed). Accounts live in the
database named by INTAKE_DB (see bot.config).
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Callable, Mapping, Sequence

from bot.config import Settings, load_settings
from bot.staff_store import MIN_PASSWORD_CHARS, ROLES, StaffStore


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with help and a description on every command."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.staff_cli",
        description="Manage staff accounts for the intake review pages (set INTAKE_DB to "
                    "choose the database).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    create = commands.add_parser(
        "create-user", help="create a staff account",
        description=f"Create a staff account. The password (at least {MIN_PASSWORD_CHARS} "
                    "characters) comes from STAFF_PASSWORD or is asked for twice.")
    create.add_argument("--username", required=True, help="the name used to sign in")
    create.add_argument("--role", required=True, choices=ROLES,
                        help="clinician (everything) or front_desk (queue and contact details)")
    create.set_defaults(run=_create_user)

    password = commands.add_parser(
        "set-password", help="replace a staff account's password",
        description="Replace a password; it comes from STAFF_PASSWORD or is asked for twice. "
                    "Every session of the account ends.")
    password.add_argument("--username", required=True, help="the account to change")
    password.set_defaults(run=_set_password)

    disable = commands.add_parser(
        "disable-user", help="stop an account from signing in (ends its sessions)",
        description="Disable an account, e.g. when someone leaves; --enable turns it back on.")
    disable.add_argument("--username", required=True, help="the account to disable")
    disable.add_argument("--enable", action="store_true", help="re-enable instead of disabling")
    disable.set_defaults(run=_disable_user)

    listing = commands.add_parser(
        "list-users", help="print one line per account: username, role, created, state",
        description="Print every staff account as tab-separated lines (never passwords).")
    listing.set_defaults(run=_list_users)

    sessions = commands.add_parser(
        "list-sessions", help="print staff sign-in sessions: number, user, times, state, client",
        description="Print sessions, newest first, as tab-separated lines: number, username, "
                    "created, last seen, state (active, expired or revoked and why) and where it "
                    "started. Session secrets are never stored, so never shown.")
    sessions.add_argument("--username", help="only this account's sessions")
    sessions.add_argument("--active", action="store_true", help="only sessions still active")
    sessions.set_defaults(run=_list_sessions)

    revoke = commands.add_parser(
        "revoke-sessions", help="end one session (--id) or all of an account's (--username)",
        description="Sign a session out on the server at once; its cookie opens nothing "
                    "afterwards. Numbers come from list-sessions.")
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, help="the session number shown by list-sessions")
    which.add_argument("--username", help="end every session of this account")
    revoke.set_defaults(run=_revoke_sessions)
    return parser


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None,
         prompt: Callable[[str], str] = getpass.getpass) -> int:
    """Run one command; returns the process exit code."""
    env = dict(os.environ if env is None else env)
    args = build_parser().parse_args(argv)
    settings = load_settings(env)
    if not settings.database_url:
        Path(settings.db_path).parent.mkdir(parents=True, exist_ok=True)
    store = StaffStore(settings.db_location)
    args.settings = settings  # session states depend on the configured lifetimes
    try:
        return args.run(store, args, env, prompt)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _password(env: Mapping[str, str], prompt: Callable[[str], str]) -> str:
    """STAFF_PASSWORD, or the password typed twice; ValueError if the two differ."""
    if env.get("STAFF_PASSWORD"):
        return env["STAFF_PASSWORD"]
    first = prompt("Password: ")
    if first != prompt("Password again: "):
        raise ValueError("The two passwords did not match.")
    return first


def _create_user(store: StaffStore, args: argparse.Namespace, env: Mapping[str, str],
                 prompt: Callable[[str], str]) -> int:
    """Create the account and say so."""
    user = store.create_user(args.username, args.role, _password(env, prompt))
    print(f"created {user.username} ({user.role})")
    return 0


def _set_password(store: StaffStore, args: argparse.Namespace, env: Mapping[str, str],
                  prompt: Callable[[str], str]) -> int:
    """Replace the password (ending the account's sessions) and say so."""
    ended = store.set_password(args.username, _password(env, prompt))
    print(f"password changed for {args.username.strip().lower()}; {_sessions(ended)} ended")
    return 0


def _disable_user(store: StaffStore, args: argparse.Namespace, env: Mapping[str, str],
                  prompt: Callable[[str], str]) -> int:
    """Disable or re-enable the account and say so."""
    store.set_disabled(args.username, not args.enable)
    print(f"{'enabled' if args.enable else 'disabled'} {args.username.strip().lower()}")
    return 0


def _list_users(store: StaffStore, args: argparse.Namespace, env: Mapping[str, str],
                prompt: Callable[[str], str]) -> int:
    """Print username, role, created time and state, tab-separated."""
    for user in store.list_users():
        state = "disabled" if user.disabled else "active"
        print(f"{user.username}\t{user.role}\t{user.created_at}\t{state}")
    return 0


def _list_sessions(store: StaffStore, args: argparse.Namespace, env: Mapping[str, str],
                   prompt: Callable[[str], str]) -> int:
    """Print number, username, created, last seen, state and client, tab-separated."""
    settings: Settings = args.settings
    idle, longest = settings.staff_idle_minutes * 60, settings.staff_session_hours * 3600
    now = store.clock()
    for session in store.list_sessions(args.username):
        state = session.state(now, idle, longest)
        if args.active and state != "active":
            continue
        if state == "revoked":
            state = f"revoked ({session.revoked_reason})"
        print(f"{session.id}\t{session.username}\t{session.created_at}\t"
              f"{session.last_seen_at}\t{state}\t{session.client}")
    return 0


def _revoke_sessions(store: StaffStore, args: argparse.Namespace, env: Mapping[str, str],
                     prompt: Callable[[str], str]) -> int:
    """End one session or every session of an account, and say how many ended."""
    if args.id is not None:
        ended = int(store.revoke_session(args.id))
        print(f"{_sessions(ended)} ended (session {args.id})")
        return 0 if ended else 1
    ended = store.revoke_sessions(args.username)
    print(f"{_sessions(ended)} ended for {args.username.strip().lower()}")
    return 0


def _sessions(count: int) -> str:
    """"1 session" or "3 sessions"."""
    return f"{count} session{'s' if count != 1 else ''}"


if __name__ == "__main__":
    sys.exit(main())
