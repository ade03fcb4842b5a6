"""Command line for clinic staff: create API tokens and list intakes.

    python -m bot.cli create-token --label "front desk laptop"
    python -m bot.cli list-intakes --status completed
    python -m bot.cli cleanup-photos --dry-run
    python -m bot.cli rasa-api-token        # a JWT for Rasa's HTTP API (needs RASA_JWT_SECRET)
    python -m bot.cli list-checkins --due   # two-week check-ins due now and not yet sent
    python -m bot.cli cancel-checkin 12     # cancel one (it is never sent)

The database is the one named by INTAKE_DB (see bot.config).
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from typing import Mapping, Sequence

from bot.care_catalogue import load_care_catalogue
from bot.care_scheduler import CareScheduler
from bot.care_store import CareStore
from bot.checkins import CareService, OfficeHours
from bot.config import Settings, database_url, load_settings
from bot.internal_auth import JWT_SECRET_ENV, MissingSecret, rasa_api_jwt, require_secret
from bot.screening import load_policy
from bot.models import Recommendation, Status
from bot.store import IntakeStore, open_store
from bot.web import photos


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with help on every command."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.cli",
        description="Manage the intake assistant's database (set INTAKE_DB to choose the file).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    create = commands.add_parser(
        "create-token",
        help="create a staff API token and print it",
        description="Create a staff API token and print it once; only its hash is stored.",
    )
    create.add_argument("--label", required=True, help="who or what the token is for")
    create.set_defaults(run=_create_token)

    listing = commands.add_parser(
        "list-intakes",
        help="print one line per intake: id, status, recommendation",
        description="Print intakes, most recently updated first, as tab-separated lines.",
    )
    listing.add_argument("--status", choices=[s.value for s in Status], help="only this status")
    listing.add_argument(
        "--recommendation",
        choices=[r.value for r in Recommendation],
        help="only this recommendation",
    )
    listing.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    listing.set_defaults(run=_list_intakes)

    abandon = commands.add_parser(
        "mark-abandoned",
        help="mark intakes idle for --hours (default 24) as abandoned",
        description="Mark in-progress intakes with no message for --hours as abandoned.",
    )
    abandon.add_argument("--hours", type=float, default=24.0, help="idle hours (default 24)")
    abandon.set_defaults(run=_mark_abandoned)

    policy = commands.add_parser(
        "check-policy",
        help="check the clinic policy file (CLINIC_POLICY) and print the severities in force",
        description="Load CLINIC_POLICY; an unknown flag code or severity is an error (exit 2).",
    )
    policy.set_defaults(run=_check_policy)

    cleanup = commands.add_parser(
        "cleanup-photos",
        help="remove photo files that belong to no intake (--dry-run lists them)",
        description="Remove files in the photo folder (next to INTAKE_DB) that no intake's photo "
                    "record names: staff can neither see nor delete them. Prints each file.",
    )
    cleanup.add_argument("--dry-run", action="store_true", help="list the files, remove nothing")
    cleanup.add_argument("--min-age-hours", type=float, default=1.0,
                         help="skip files younger than this (default 1), still being filed")
    cleanup.set_defaults(run=_cleanup_photos)

    jwt = commands.add_parser(
        "rasa-api-token",
        help="print a short-lived JWT for Rasa's HTTP API (reads RASA_JWT_SECRET)",
        description="Print an admin JWT for Rasa's HTTP API, signed with RASA_JWT_SECRET; send it "
                    "as 'Authorization: Bearer <jwt>'. It expires after --minutes.",
    )
    jwt.add_argument("--minutes", type=float, default=5.0, help="lifetime (default 5)")
    jwt.set_defaults(run=_rasa_api_token)

    checkins = commands.add_parser(
        "list-checkins",
        help="print the two-week check-ins: id, status, due time, channel, conversation",
        description="Print two-week check-ins, soonest due first, as tab-separated lines "
                    "(id, status, due at in UTC, channel, conversation id, answer).",
    )
    checkins.add_argument("--status", choices=["scheduled", "sent", "answered", "cancelled"],
                          help="only this status")
    checkins.add_argument("--due", action="store_true",
                          help="only scheduled check-ins whose time has come (not yet sent)")
    checkins.set_defaults(run=_list_checkins)

    cancel = commands.add_parser(
        "cancel-checkin",
        help="cancel a two-week check-in that has not been answered (it is never sent)",
        description="Cancel a scheduled (or sent, unanswered) check-in by its id and remove its "
                    "job from the scheduler's store. Exit 1 if there was nothing to cancel.",
    )
    cancel.add_argument("checkin_id", type=int, help="the id list-checkins prints")
    cancel.add_argument("--by", default="cli", help="who cancelled it, for the record")
    cancel.set_defaults(run=_cancel_checkin)
    return parser


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    if args.run is _rasa_api_token:
        return _rasa_api_token(os.environ if env is None else env, args)
    settings = load_settings(dict(env) if env is not None else None)
    if args.run in (_check_policy, _cleanup_photos, _list_checkins, _cancel_checkin):
        return args.run(settings, args)
    return args.run(open_store(settings), args)


def _check_policy(settings: Settings, args: argparse.Namespace) -> int:
    """Refuse to start with a policy file that names an unknown code."""
    try:
        severities = load_policy(settings.policy_path)
    except (ValueError, OSError) as exc:
        print(f"error: clinic policy: {exc}", file=sys.stderr)
        return 2
    for code, severity in severities.items():
        print(f"{code}\t{severity.value}")
    return 0


def _cleanup_photos(settings: Settings, args: argparse.Namespace) -> int:
    """Print each orphaned photo file (relative to the photo folder) and remove it."""
    root = photos.photos_root(settings.db_path)
    orphans = photos.orphan_photo_files(open_store(settings), root, args.min_age_hours * 3600)
    for path in orphans:
        print(path.relative_to(root).as_posix())
    if args.dry_run:
        print(f"{len(orphans)} orphaned photo file(s) found; nothing removed (--dry-run)",
              file=sys.stderr)
        return 0
    removed = photos.remove_photo_files(root, orphans)
    print(f"{removed} orphaned photo file(s) removed", file=sys.stderr)
    return 0


def _rasa_api_token(env: Mapping[str, str], args: argparse.Namespace) -> int:
    """Print a JWT and nothing else, so scripts can capture it."""
    try:
        secret = require_secret(JWT_SECRET_ENV, env.get(JWT_SECRET_ENV))
    except MissingSecret as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(rasa_api_jwt(secret, "cli", ttl_seconds=int(args.minutes * 60)))
    return 0


def _list_checkins(settings: Settings, args: argparse.Namespace) -> int:
    """Print one tab-separated line per check-in."""
    care = CareStore(settings.db_location)
    if args.due:
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")  # the store's form
        rows = care.list_checkins("scheduled", now)
    else:
        rows = care.list_checkins(args.status)
    for row in rows:
        print("\t".join(str(row[k] or "") for k in ("id", "status", "due_at", "channel",
                                                      "conversation_id", "answer")))
    return 0


def _cancel_checkin(settings: Settings, args: argparse.Namespace) -> int:
    """Cancel the check-in and drop its scheduler job; say what happened."""
    scheduler = CareScheduler(database_url(settings), runs_jobs=False, step=True)
    care = CareService(CareStore(settings.db_location), None, load_care_catalogue(),
                       OfficeHours.from_env({"CLINIC_TZ": settings.clinic_timezone}),
                       scheduler=scheduler)
    scheduler.start(care)  # paused: it only reaches the job store
    try:
        cancelled = care.cancel(args.checkin_id, args.by)
    finally:
        scheduler.shutdown()
    if not cancelled:
        print(f"check-in {args.checkin_id}: nothing to cancel (unknown, answered or cancelled)",
              file=sys.stderr)
        return 1
    print(f"check-in {args.checkin_id} cancelled")
    return 0


def _create_token(store: IntakeStore, args: argparse.Namespace) -> int:
    """Print a new token and nothing else, so scripts can capture it."""
    try:
        token = store.create_api_token(args.label)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(token)
    return 0


def _mark_abandoned(store: IntakeStore, args: argparse.Namespace) -> int:
    """Print how many intakes were marked abandoned."""
    print(store.mark_abandoned(args.hours))
    return 0


def _list_intakes(store: IntakeStore, args: argparse.Namespace) -> int:
    """Print id, status and recommendation of each intake, tab-separated."""
    for summary in store.list_summaries(args.status, args.recommendation, args.limit):
        print(f"{summary.conversation_id}\t{summary.status.value}\t{summary.recommendation.value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
