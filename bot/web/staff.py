"""Staff review: the clinic's daily workspace for intake summaries (server-rendered HTML).

Clinicians read flagged summaries, mark them reviewed, export FHIR, print and delete a patient's
data; the front desk sees who is waiting and why, never the medical answers. Every page checks
the role on the server, and every view, export, print, review, deletion and sign-in is audited.

Sessions live in the staff store; the cookie carries only a random session id, so signing out,
a password change, disabling the account or an administrator (bot/staff_cli.py) ends a session
for good. A session ends after 30 idle minutes or 12 hours (STAFF_IDLE_MINUTES,
STAFF_SESSION_HOURS); every POST form carries a CSRF token derived from the session id. Failed
sign-ins make further attempts wait longer and longer (bot/login_throttle.py), never lock an
account. Pages need no JavaScript at all, so the Content-Security-Policy allows none.

Mount it with `app.include_router(create_staff_router(settings, store, StaffStore(...)))`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import math
import os
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot import fhir, photo_guide
from bot.changes import clinical_snapshot
from bot.checkins import ANSWER_LABELS
from bot.labels import RECOMMENDATION_LABELS, answer_details, flag_label
from bot.config import Settings
from bot.login_throttle import LimitsCounter, LoginThrottle, wait_phrase
from bot.language import language_name
from bot.models import IntakeSummary, Recommendation, Severity, Status
from bot.staff_store import StaffStore, StaffUser, delete_patient_data
from bot.summary import AREA_LABELS, QUESTION_LABELS

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates" / "staff"
STAFF_CSS = WEB_DIR / "static" / "staff.css"

COOKIE = "staff_session"  # the random id of a server-side session, nothing else
LOGIN_COOKIE = "staff_login"  # signed: the sign-in form's CSRF token, before anyone signs in
DEVICE_COOKIE = "staff_device"  # signed: who has signed in from this browser before
COOKIE_PATH = "/staff"
IDLE_SECONDS = 30 * 60  # defaults; Settings.staff_idle_minutes and staff_session_hours rule
MAX_SESSION_SECONDS = 12 * 3600  # a working day; then sign in again even if active
DEVICE_SECONDS = 180 * 86400
DEVICE_NAMES = 5  # a shared front-desk computer remembers this many recent accounts
QUEUE_LIMIT = 1000
CONFIRM_WORD = "DELETE"
CLINICIAN, FRONT_DESK = "clinician", "front_desk"
ANY_STAFF = (CLINICIAN, FRONT_DESK)
STAFF_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
LOGIN_FAILED = "That username and password did not match an active account."
TOO_MANY_ATTEMPTS = "Too many sign-in attempts. Please wait {wait} and try again."
FORM_EXPIRED = ("This form has expired or did not come from this site. "
                "Reload the page and try again.")
NOT_ALLOWED = "Your role does not allow this."
NO_INTAKE = "No intake with that id."
SEVERITY_RANK = {Recommendation.DEFER: 0, Recommendation.NEEDS_CALL: 1,
                 Recommendation.CLINICIAN_REVIEW: 2, Recommendation.PROCEED: 3}
FLAG_RANK = {Severity.DEFER: 0, Severity.REVIEW: 1, Severity.ADVISORY: 2}
SEVERITY_LABELS = {"defer": "Defer", "review": "Review", "advisory": "Advisory"}
STATUS_LABELS = {"in_progress": "In progress", "completed": "Completed",
                 "abandoned": "Abandoned", "reviewed": "Reviewed"}
SHOWS_LABELS = {"rest": "at rest", "expression": "with expression",
                "both": "at rest and with expression"}
# The queue's status filter: "needs review" is any intake not reviewed since it last changed.
STATUS_FILTERS = {"needs_review": "Needs review (any status)", **STATUS_LABELS}
NOTICES = {"reviewed": "Marked as reviewed.", "deleted": "The patient's data has been deleted.",
           "treatment": "Treatment recorded; the two-week check-in is scheduled.",
           "handled": "Check-in reply marked as handled."}
CHECKIN_STATUS = {"scheduled": "Scheduled", "sent": "Sent, waiting for the reply",
                  "answered": "Answered", "cancelled": "Cancelled"}
MAX_TREATMENT_AGE_DAYS = 60  # a treatment date further back is a typo


class LoginRequired(Exception):
    """No valid staff session: HTML pages redirect to the sign-in page, the rest get 401."""


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member and their session."""

    user: StaffUser
    session: dict[str, Any]

    @property
    def is_clinician(self) -> bool:
        """True for clinicians, who may see medical answers."""
        return self.user.role == CLINICIAN


class StaffSessions:
    """Server-side staff sessions behind a cookie holding only their random id.

    Before sign-in, a signed LOGIN_COOKIE carries the sign-in form's CSRF token instead (no
    server row for every visitor of the sign-in page); after a successful sign-in, a signed
    DEVICE_COOKIE remembers who signed in from this browser (see bot/login_throttle.py).
    """

    def __init__(self, key: bytes, store: StaffStore, clock: Callable[[], float],
                 trust_forwarded: bool, idle_seconds: float = IDLE_SECONDS,
                 max_seconds: float = MAX_SESSION_SECONDS) -> None:
        self.serializer = URLSafeSerializer(key, salt="staff-session",
                                            signer_kwargs={"digest_method": hashlib.sha256})
        self.store = store
        self.clock = clock  # for the sign-in form's cookie; session times use the store's clock
        self.trust_forwarded = trust_forwarded
        self.idle_seconds = idle_seconds
        self.max_seconds = max_seconds

    def start(self, request: Request, username: str) -> dict[str, Any]:
        """A new server-side session for username (a new id at sign-in defeats fixation)."""
        client = f"{self.client_address(request)} {request.headers.get('user-agent', '')}"
        session_id = self.store.start_session(username, client)
        return {"id": session_id, "u": username, "c": _csrf_for(session_id)}

    def load(self, request: Request) -> dict[str, Any] | None:
        """The live signed-in session named by the cookie (its last-seen time moves), or None."""
        session_id = request.cookies.get(COOKIE, "")
        found = self.store.resume_session(session_id, self.idle_seconds, self.max_seconds)
        if found is None:
            return None
        return {"id": session_id, "u": found.username, "c": _csrf_for(session_id)}

    def end(self, session: dict[str, Any]) -> None:
        """Revoke the session in the store: its cookie opens nothing any more."""
        self.store.end_session(session["id"])

    def anonymous(self, request: Request) -> dict[str, Any]:
        """The sign-in form's session: the browser's, if still fresh, or a new one."""
        now = int(self.clock())
        found = self.load_anonymous(request)
        return {**found, "s": now} if found else {"c": secrets.token_urlsafe(32), "i": now,
                                                  "s": now}

    def load_anonymous(self, request: Request) -> dict[str, Any] | None:
        """The signed sign-in form session {c: CSRF token, i: issued, s: seen}, if fresh."""
        session = self._unsign(request.cookies.get(LOGIN_COOKIE, ""))
        if not isinstance(session, dict) or not isinstance(session.get("c"), str):
            return None
        now = int(self.clock())
        issued, seen = session.get("i"), session.get("s")
        if not isinstance(issued, int) or not isinstance(seen, int):
            return None
        if now - seen > self.idle_seconds or now - issued > self.max_seconds:
            return None
        return session

    def attach(self, request: Request, response: Response, session: dict[str, Any] | None) -> None:
        """Set the cookie for session on the response; delete the session cookie for None."""
        secure = self._is_https(request)
        if session is None:
            response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax",
                                   secure=secure)
        elif session.get("id"):
            response.set_cookie(COOKIE, session["id"], path=COOKIE_PATH, httponly=True,
                                samesite="lax", secure=secure)
        else:
            response.set_cookie(LOGIN_COOKIE, self.serializer.dumps(session), path=COOKIE_PATH,
                                httponly=True, samesite="lax", secure=secure)

    def known_device(self, request: Request, username: str) -> bool:
        """True if username has signed in from this browser before."""
        return username in self._device_names(request)

    def remember_device(self, request: Request, response: Response, username: str) -> None:
        """Note on the browser that username signed in here (kept DEVICE_SECONDS)."""
        names = [n for n in self._device_names(request) if n != username][-(DEVICE_NAMES - 1):]
        response.set_cookie(DEVICE_COOKIE, self.serializer.dumps({"d": [*names, username]}),
                            max_age=DEVICE_SECONDS, path="/staff/login", httponly=True,
                            samesite="lax", secure=self._is_https(request))

    def client_address(self, request: Request) -> str:
        """The client's IP: the TCP peer or, behind a trusted proxy, the address the proxy saw
        (the last X-Forwarded-For entry: the proxy adds it; earlier ones a client can forge)."""
        if self.trust_forwarded:
            forwarded = request.headers.get("x-forwarded-for", "").split(",")[-1].strip()
            if forwarded:
                return forwarded
        return request.client.host if request.client else "unknown"

    def _device_names(self, request: Request) -> list[str]:
        """The usernames in the browser's device cookie (none if it is missing or forged)."""
        value = self._unsign(request.cookies.get(DEVICE_COOKIE, ""))
        names = value.get("d") if isinstance(value, dict) else None
        return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []

    def _unsign(self, value: str) -> Any:
        """The signed cookie's content, or None if it is missing or forged."""
        try:
            return self.serializer.loads(value) if value else None
        except BadSignature:
            return None

    def _is_https(self, request: Request) -> bool:
        """True if the browser reached us over https (directly or via a trusted proxy)."""
        if request.url.scheme == "https":
            return True
        forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        return self.trust_forwarded and forwarded == "https"


def _csrf_for(session_id: str) -> str:
    """The session's CSRF token: derived from its secret id, so it is stored nowhere."""
    digest = hashlib.sha256(b"staff-csrf\0" + session_id.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def create_staff_router(
    settings: Settings,
    intake_store: Any,
    staff_store: StaffStore,
    tracker_db_path: Path | str | None = None,
    photos_dir: Path | None = None,
    clock: Callable[[], float] = time.time,
    trust_forwarded: bool | None = None,
    care: Any = None,
) -> APIRouter:
    """The /staff pages.

    `care` (a bot.checkins.CareService, optional) adds the checklist sent, the check-ins and the
    "treatment given" action to the intake page, and check-in replies to the queue.

    Session times come from staff_store's clock; `clock` drives the sign-in form's cookie and
    the sign-in throttle (tests give both the same fake clock; see bot/login_throttle.py).
    """
    if trust_forwarded is None:
        trust_forwarded = os.environ.get("TRUST_FORWARDED") == "1"
    sessions = StaffSessions(_secret_key(settings), staff_store, clock, trust_forwarded,
                             idle_seconds=settings.staff_idle_minutes * 60,
                             max_seconds=settings.staff_session_hours * 3600)
    throttle = LoginThrottle(LimitsCounter(settings.staff_throttle_storage, clock))
    pages = _environment()
    ctx = _Context(settings, intake_store, staff_store, sessions, pages, tracker_db_path,
                   Path(photos_dir) if photos_dir is not None else None, throttle, care)
    router = APIRouter(route_class=_route_class(ctx))
    _add_session_routes(router, ctx)
    _add_queue_routes(router, ctx)
    _add_intake_routes(router, ctx)
    _add_action_routes(router, ctx)
    return router


@dataclass
class _Context:
    """Everything the routes share."""

    settings: Settings
    intakes: Any
    staff: StaffStore
    sessions: StaffSessions
    pages: Environment
    tracker_db_path: Path | str | None
    photos_dir: Path | None
    throttle: LoginThrottle
    care: Any = None  # bot.checkins.CareService, when check-ins are on

    def render(self, request: Request, name: str, status_code: int = 200,
               **values: Any) -> HTMLResponse:
        """A rendered page (autoescaped) with the signed-in user and CSRF token, if any."""
        staff = getattr(request.state, "staff", None)
        session = getattr(request.state, "staff_session", None) or {}
        body = self.pages.get_template(name).render(
            staff=staff, csrf_token=session.get("c", ""), clinic_name=self.settings.clinic_name,
            **values)
        return HTMLResponse(body, status_code=status_code)

    def summary_or_404(self, conversation_id: str) -> IntakeSummary:
        """The intake summary, or 404."""
        summary = self.intakes.get_summary(conversation_id)
        if summary is None:
            raise HTTPException(404, NO_INTAKE)
        return summary


def _environment() -> Environment:
    """The Jinja2 environment for the staff templates, autoescaping everything."""
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(
        enabled_extensions=("html",), default_for_string=True, default=True))
    env.filters["label"] = lambda value, labels: labels.get(value, str(value).replace("_", " "))
    env.filters["flag_label"] = flag_label  # staff pages name flags, never show their codes
    env.globals["recommendation_labels"] = RECOMMENDATION_LABELS  # one catalogue: bot/labels.py
    return env


def _secret_key(settings: Settings) -> bytes:
    """The configured secret key, or a random one for this process only."""
    key = settings.secret_key or os.environ.get("INTAKE_SECRET_KEY", "")
    if key:
        return key.encode("utf-8")
    logger.warning("INTAKE_SECRET_KEY is not set: staff sessions end when this process restarts.")
    return secrets.token_bytes(32)


# --- the route class: errors, headers and the sliding session cookie ---------------------------


def _route_class(ctx: _Context) -> type[APIRoute]:
    """An APIRoute that renders errors as pages, adds security headers and refreshes the cookie."""

    class StaffRoute(APIRoute):
        """A route of the staff router."""

        def get_route_handler(self) -> Callable:
            """The endpoint's handler, wrapped."""
            handler = super().get_route_handler()
            is_page = "GET" in self.methods and self.response_class is HTMLResponse

            async def staff_handler(request: Request) -> Response:
                """Run the endpoint; errors become pages; the session cookie slides on."""
                try:
                    response = await handler(request)
                except LoginRequired:
                    response = _login_required(ctx, request, is_page)
                except HTTPException as exc:
                    response = ctx.render(request, "error.html", exc.status_code,
                                          code=exc.status_code, message=exc.detail)
                if hasattr(request.state, "staff_session"):
                    ctx.sessions.attach(request, response, request.state.staff_session)
                _security_headers(response)
                return response

            return staff_handler

    return StaffRoute


def _login_required(ctx: _Context, request: Request, is_page: bool) -> Response:
    """Pages send the browser to sign in; everything else is 401."""
    if is_page:
        return RedirectResponse("/staff/login", status_code=303)
    return ctx.render(request, "error.html", 401, code=401, message="Please sign in.")


def _security_headers(response: Response) -> None:
    """No scripts, no framing, no caching of patient data, no sniffing."""
    response.headers["Content-Security-Policy"] = STAFF_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("Cache-Control", "no-store")


# --- who is asking --------------------------------------------------------------------------------


def _signed_in(ctx: _Context) -> Callable:
    """A dependency returning the signed-in Staff, or raising LoginRequired."""

    def signed_in(request: Request) -> Staff:
        """The Staff behind the session cookie."""
        session = ctx.sessions.load(request)
        user = ctx.staff.get_user(session["u"]) if session and session.get("u") else None
        if user is None or user.disabled:  # disabling an account ends its sessions at once
            raise LoginRequired()
        staff = Staff(user, session)  # type: ignore[arg-type]
        request.state.staff_session = session
        request.state.staff = staff
        return staff

    return signed_in


def _role(ctx: _Context, *roles: str) -> Callable:
    """A dependency returning the signed-in Staff if their role is one of roles, else 403."""
    signed_in = _signed_in(ctx)

    def with_role(staff: Staff = Depends(signed_in)) -> Staff:
        """The Staff, if the role fits."""
        if staff.user.role not in roles:
            raise HTTPException(403, NOT_ALLOWED)
        return staff

    return with_role


def _csrf(ctx: _Context, *roles: str) -> Callable:
    """A dependency for POST forms: the Staff with a role in roles and the CSRF token, else 403."""
    with_role = _role(ctx, *roles)

    def checked(staff: Staff = Depends(with_role), csrf_token: str = Form("")) -> Staff:
        """The Staff, if the form's token is the session's."""
        _check_csrf(staff.session, csrf_token)
        return staff

    return checked


def _check_csrf(session: dict[str, Any] | None, token: str) -> None:
    """403 unless token is the session's CSRF token (compared in constant time)."""
    expected = (session or {}).get("c", "")
    if not expected or not hmac.compare_digest(expected.encode(), (token or "").encode()):
        raise HTTPException(403, FORM_EXPIRED)


# --- signing in and out ---------------------------------------------------------------------------


def _add_session_routes(router: APIRouter, ctx: _Context) -> None:
    """Sign in, sign out and the stylesheet."""
    signed_in = _signed_in(ctx)

    @router.get("/staff/static/staff.css", include_in_schema=False)
    def stylesheet() -> FileResponse:
        """The staff pages' stylesheet (served here so the router needs no static mount)."""
        return FileResponse(STAFF_CSS, media_type="text/css", headers={"Cache-Control": "no-cache"})

    @router.get("/staff/login", response_class=HTMLResponse)
    def login_page(request: Request) -> Response:
        """The sign-in form; a signed sign-in cookie carries its CSRF token."""
        session = ctx.sessions.load(request)
        if session and ctx.staff.get_user(session["u"]):
            return RedirectResponse("/staff", status_code=303)
        return _login_form(ctx, request)

    @router.post("/staff/login", response_class=HTMLResponse)
    def login(request: Request, username: str = Form(""), password: str = Form(""),
              csrf_token: str = Form("")) -> Response:
        """Check the password unless this client must wait; success starts a new session."""
        _check_csrf(ctx.sessions.load_anonymous(request), csrf_token)
        name = username.strip().lower()[:64]
        client = ctx.sessions.client_address(request)
        # Checked before the password, the same for every name: a wait says nothing about
        # whether the account exists, and a guess made while waiting is never tried.
        wait = ctx.throttle.wait(name, client, ctx.sessions.known_device(request, name))
        if wait > 0:
            return _login_throttled(ctx, request, name, wait)
        user = ctx.staff.authenticate(name, password)
        if user is None:
            ctx.throttle.fail(name, client)
            return _login_failed(ctx, request, name)
        ctx.throttle.succeed(name, client)
        request.state.staff_session = ctx.sessions.start(request, user.username)
        ctx.staff.audit(user.username, "login", detail="signed in")
        response = RedirectResponse("/staff", status_code=303)
        ctx.sessions.remember_device(request, response, user.username)
        return response

    @router.post("/staff/logout")
    def logout(request: Request, staff: Staff = Depends(signed_in),
               csrf_token: str = Form("")) -> Response:
        """End the session on the server and forget the cookie."""
        _check_csrf(staff.session, csrf_token)
        ctx.sessions.end(staff.session)
        ctx.staff.audit(staff.user.username, "logout", detail="signed out")
        request.state.staff_session = None
        return RedirectResponse("/staff/login", status_code=303)


def _login_form(ctx: _Context, request: Request, status_code: int = 200,
                **values: Any) -> HTMLResponse:
    """The sign-in page, with the form's CSRF token in a signed cookie."""
    request.state.staff_session = ctx.sessions.anonymous(request)
    return ctx.render(request, "login.html", status_code,
                      idle_minutes=f"{ctx.settings.staff_idle_minutes:g}", **values)


def _login_failed(ctx: _Context, request: Request, name: str) -> Response:
    """Audit a failed sign-in and show the form again with a generic message."""
    # Only a real account name goes in the log: a password typed into the wrong box must not.
    actor = name if ctx.staff.get_user(name) else "unknown"
    ctx.staff.audit(actor, "login", detail="failed")
    return _login_form(ctx, request, 401, error=LOGIN_FAILED, username=name)


def _login_throttled(ctx: _Context, request: Request, name: str, wait: float) -> Response:
    """429 saying plainly how long to wait (Retry-After too); the same for every username."""
    seconds = max(1, math.ceil(wait))
    response = _login_form(ctx, request, 429, username=name,
                           error=TOO_MANY_ATTEMPTS.format(wait=wait_phrase(seconds)))
    response.headers["Retry-After"] = str(seconds)
    return response


# --- the queue ------------------------------------------------------------------------------------


def _add_queue_routes(router: APIRouter, ctx: _Context) -> None:
    """The daily queue and the audit log."""
    any_staff = _role(ctx, *ANY_STAFF)
    clinician = _role(ctx, CLINICIAN)

    @router.get("/staff", response_class=HTMLResponse)
    def queue(request: Request, staff: Staff = Depends(any_staff), recommendation: str = "",
              status: str = "", date_from: str = Query("", alias="from"),
              date_to: str = Query("", alias="to"), q: str = "", done: str = "") -> Response:
        """Intakes to read: defer, then clinician review, then proceed; newest first in each."""
        filters = _QueueFilters.parse(recommendation, status, date_from, date_to, q)
        rows = _queue_rows(ctx, filters, staff)
        return ctx.render(request, "queue.html", rows=rows, filters=filters,
                          checkin_requests=_checkin_requests(ctx, staff),
                          notice=NOTICES.get(done), recommendation_labels=RECOMMENDATION_LABELS,
                          status_labels=STATUS_FILTERS, limit=QUEUE_LIMIT)

    @router.get("/staff/audit", response_class=HTMLResponse)
    def audit_log(request: Request, staff: Staff = Depends(clinician),
                  conversation_id: str = "") -> Response:
        """The audit log, newest first."""
        entries = ctx.staff.audit_log(limit=500, conversation_id=conversation_id or None)
        return ctx.render(request, "audit.html", entries=entries, conversation_id=conversation_id,
                          local=lambda iso: _local(iso, ctx.settings))


def _checkin_requests(ctx: _Context, staff: Staff) -> list[dict[str, Any]]:
    """Check-in replies staff must follow up (touch-up requests), side effects first; the
    patient's own words for clinicians only."""
    if ctx.care is None:
        return []
    rows = []
    for row in ctx.care.store.open_requests():
        summary = ctx.intakes.get_summary(row["conversation_id"])
        rows.append({"id": row["id"], "conversation_id": row["conversation_id"],
                     "name": (summary.patient_name if summary else None) or row["first_name"],
                     "answer": ANSWER_LABELS.get(row["answer"], row["answer"]),
                     "urgent": row["urgent"], "at": _local(row["answered_at"], ctx.settings),
                     "text": row["answer_text"] if staff.is_clinician else None})
    return rows


@dataclass
class _QueueFilters:
    """The queue's filters, as typed (for the form) and as parsed."""

    recommendation: str
    status: str
    date_from: str
    date_to: str
    q: str
    start: date | None
    end: date | None
    errors: list[str]

    @classmethod
    def parse(cls, recommendation: str, status: str, date_from: str, date_to: str,
              q: str) -> "_QueueFilters":
        """Keep known values; an unreadable date is ignored and reported."""
        errors: list[str] = []
        start, end = _parse_date(date_from, "From", errors), _parse_date(date_to, "To", errors)
        return cls(recommendation if recommendation in RECOMMENDATION_LABELS else "",
                   status if status in STATUS_FILTERS else "", date_from[:10], date_to[:10],
                   q.strip()[:100], start, end, errors)


def _parse_date(text: str, label: str, errors: list[str]) -> date | None:
    """An ISO date, or None (noting the error) when text is not one."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"{label} date ignored: use YYYY-MM-DD.")
        return None


def _queue_rows(ctx: _Context, filters: _QueueFilters, staff: Staff) -> list[dict[str, Any]]:
    """The filtered, ordered queue as rows for the template."""
    intake_status = filters.status if filters.status in {s.value for s in Status} else None
    ctx.intakes.mark_abandoned(24.0)  # an intake with no message for a day shows as abandoned
    summaries = ctx.intakes.list_summaries(status=intake_status,
                                           recommendation=filters.recommendation or None,
                                           limit=QUEUE_LIMIT)
    reviews = ctx.staff.latest_reviews()
    changed = _changed_since_review(reviews, ctx.intakes.latest_change_ids())
    chosen = [s for s in summaries if _matches(s, filters, reviews, changed, ctx.settings)]
    # Within a severity, an intake that changed after its review comes first: it is news.
    chosen.sort(key=lambda s: (SEVERITY_RANK[s.recommendation], s.conversation_id not in changed,
                               -_timestamp(s.started_at)))
    return [_queue_row(s, reviews.get(s.conversation_id), staff, ctx.settings,
                       s.conversation_id in changed) for s in chosen]


def _changed_since_review(reviews: dict, latest_changes: dict[str, int]) -> set[str]:
    """Reviewed intakes with a change recorded after the change their review had seen."""
    return {cid for cid, review in reviews.items()
            if latest_changes.get(cid, 0) > (review.seen_change or 0)}


def _matches(summary: IntakeSummary, filters: _QueueFilters, reviews: dict, changed: set[str],
             settings: Settings) -> bool:
    """True if the summary passes the status, date and name filters (the store did the rest)."""
    # Reviewed means reviewed as it stands: a change since the review puts it back to read.
    reviewed = summary.conversation_id in reviews and summary.conversation_id not in changed
    if filters.status == "reviewed" and not reviewed:
        return False
    if filters.status and filters.status != "reviewed" and reviewed:
        return False  # a status other than "reviewed" means "still to read"
    started = _as_utc(summary.started_at).astimezone(settings.tz).date()
    if (filters.start and started < filters.start) or (filters.end and started > filters.end):
        return False
    return not filters.q or filters.q.casefold() in (summary.patient_name or "").casefold()


def _queue_row(summary: IntakeSummary, review: Any, staff: Staff, settings: Settings,
               changed: bool = False) -> dict[str, Any]:
    """One queue line; front desk rows carry only what the front desk may see."""
    row = {
        "id": summary.conversation_id,
        "name": summary.patient_name,
        "contact": summary.contact,
        "status": summary.status.value,
        "recommendation": summary.recommendation.value,
        "started": _local(summary.started_at, settings),
        "review": review and {"by": review.reviewer, "at": _local(review.reviewed_at, settings)},
        "changed": changed,
        "wait_reasons": _wait_reasons(summary),
    }
    if staff.is_clinician:
        row["flags"] = [{"label": flag_label(f.code), "severity": f.severity.value}
                        for f in _sorted_flags(summary)]
    return row


def _wait_reasons(summary: IntakeSummary) -> list[str]:
    """Why treatment must wait: the reasons of defer flags (front desk may see these)."""
    reasons = [f.reason for f in summary.flags if f.severity == Severity.DEFER]
    return list(dict.fromkeys(reasons))


def _sorted_flags(summary: IntakeSummary) -> list:
    """Flags, most severe first."""
    return sorted(summary.flags, key=lambda f: FLAG_RANK[f.severity])


# --- one intake -----------------------------------------------------------------------------------


def _add_intake_routes(router: APIRouter, ctx: _Context) -> None:
    """The intake page, its print view, photos and FHIR export."""
    any_staff = _role(ctx, *ANY_STAFF)
    clinician = _role(ctx, CLINICIAN)

    @router.get("/staff/intakes/{conversation_id}", response_class=HTMLResponse)
    def intake_page(request: Request, conversation_id: str, staff: Staff = Depends(any_staff),
                    done: str = "") -> Response:
        """One intake, as much of it as the role may see; audited as a view."""
        seen_change = ctx.intakes.latest_change_id(conversation_id)  # before the summary
        view = _intake_view(ctx, ctx.summary_or_404(conversation_id), staff, seen_change)
        ctx.staff.audit(staff.user.username, "view", conversation_id)
        return ctx.render(request, "intake.html", v=view, printing=False, notice=NOTICES.get(done),
                          confirm_word=CONFIRM_WORD)

    @router.get("/staff/intakes/{conversation_id}/print", response_class=HTMLResponse)
    def print_view(request: Request, conversation_id: str,
                   staff: Staff = Depends(any_staff)) -> Response:
        """The same page laid out for paper; audited as a print."""
        view = _intake_view(ctx, ctx.summary_or_404(conversation_id), staff)
        ctx.staff.audit(staff.user.username, "print", conversation_id)
        return ctx.render(request, "intake.html", v=view, printing=True, notice=None,
                          confirm_word=CONFIRM_WORD)

    @router.get("/staff/intakes/{conversation_id}/photos/{number}")
    def photo(conversation_id: str, number: int, staff: Staff = Depends(clinician)) -> Response:
        """One of the intake's photos (clinicians only), numbered from 1."""
        summary = ctx.summary_or_404(conversation_id)
        found = _photo_file(ctx, summary, number)
        if found is None:
            raise HTTPException(404, "No such photo.")
        ctx.staff.audit(staff.user.username, "view", conversation_id, f"photo {number}")
        return FileResponse(found[0], media_type=found[1], content_disposition_type="inline")

    @router.get("/staff/checkins/{checkin_id}/photos/{number}")
    def checkin_photo(checkin_id: int, number: int,
                      staff: Staff = Depends(clinician)) -> Response:
        """A photo sent with a check-in (clinicians only), numbered from 1."""
        row = ctx.care.store.checkin(checkin_id) if ctx.care is not None else None
        if row is None or not 1 <= number <= len(row["photos"]) or ctx.photos_dir is None:
            raise HTTPException(404, "No such photo.")
        photo = row["photos"][number - 1]
        found = _inside_folder(ctx.photos_dir, row["conversation_id"], photo["file"],
                               photo["media_type"])
        if found is None:
            raise HTTPException(404, "No such photo.")
        ctx.staff.audit(staff.user.username, "view", row["conversation_id"],
                        f"check-in {checkin_id} photo {number}")
        return FileResponse(found[0], media_type=found[1], content_disposition_type="inline")

    @router.get("/staff/intakes/{conversation_id}/fhir")
    def fhir_export(conversation_id: str, staff: Staff = Depends(clinician)) -> Response:
        """The intake as a FHIR R4 QuestionnaireResponse (a download); audited as an export."""
        resource = fhir.questionnaire_response(ctx.summary_or_404(conversation_id))
        ctx.staff.audit(staff.user.username, "export", conversation_id,
                        "FHIR QuestionnaireResponse")
        filename = f"intake-{_file_safe(conversation_id)}.fhir.json"
        return Response(json.dumps(resource, indent=2, ensure_ascii=False),
                        media_type="application/fhir+json",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @router.get("/staff/fhir/Questionnaire")
    def fhir_questionnaire(staff: Staff = Depends(any_staff)) -> Response:
        """The FHIR R4 Questionnaire the exports answer (no patient data)."""
        return Response(json.dumps(fhir.questionnaire(), indent=2),
                        media_type="application/fhir+json")


def _intake_view(ctx: _Context, summary: IntakeSummary, staff: Staff,
                 seen_change: int = 0) -> dict[str, Any]:
    """What the intake page shows; medical details only for clinicians.

    `seen_change` is the intake's latest change id, read before the summary: the review form
    sends it back, so a change that lands while the clinician reads stays unreviewed.
    """
    settings = ctx.settings
    reviews = ctx.staff.reviews(summary.conversation_id)
    changes = _changes_since_review(ctx, summary.conversation_id, reviews[-1] if reviews else None)
    view: dict[str, Any] = {
        "id": summary.conversation_id,
        "name": summary.patient_name,
        "contact": summary.contact,
        "status": summary.status.value,
        "recommendation": summary.recommendation.value,
        "channel": summary.channel,
        "started": _local(summary.started_at, settings),
        "completed": _local(summary.completed_at, settings) if summary.completed_at else None,
        "wait_reasons": _wait_reasons(summary),
        "reviews": [{"by": r.reviewer, "at": _local(r.reviewed_at, settings), "note": r.note}
                    for r in reviews],
        "changed": bool(changes),
        "seen_change": seen_change,
        "needs_call": {"language": language_name(summary.language), "code": summary.language or "",
                       "messages": summary.unread_messages} if summary.unread_messages else None,
    }
    if staff.is_clinician:
        view.update(_medical_view(ctx, summary))
        view["changes"] = changes  # the patient's words: clinicians only
    if ctx.care is not None:
        view["checklist"] = _checklist_view(ctx, summary.conversation_id, staff)
        view["checkins"] = _checkins_view(ctx, summary.conversation_id, staff)
        view["areas"] = AREA_LABELS
        view["today"] = settings.today().isoformat()
    return view


def _checkins_view(ctx: _Context, conversation_id: str, staff: Staff) -> list[dict[str, Any]]:
    """The intake's two-week check-ins; answers in the patient's words for clinicians only."""
    views = []
    for row in ctx.care.store.checkins_for(conversation_id):
        views.append({
            "id": row["id"], "treated_on": row["treated_on"], "channel": row["channel"],
            "areas": [AREA_LABELS.get(a, a) for a in row["areas"]],
            "due": _local(row["due_at"], ctx.settings), "status": row["status"],
            "status_label": CHECKIN_STATUS.get(row["status"], row["status"]),
            "answer": ANSWER_LABELS.get(row["answer"], row["answer"]) if row["answer"] else None,
            "urgent": row["urgent"], "handled": bool(row["handled_at"]),
            "text": row["answer_text"] if staff.is_clinician else None,
            "photos": list(range(1, len(row["photos"]) + 1)) if staff.is_clinician else [],
            "by": row["scheduled_by"], "cancelled_by": row["cancelled_by"]})
    return views


def _checklist_view(ctx: _Context, conversation_id: str, staff: Staff) -> dict[str, Any] | None:
    """The pre-appointment checklist the patient was sent: when and how for everyone, the
    lines (which name medicines) for clinicians."""
    sent = ctx.care.store.checklist(conversation_id)
    if sent is None:
        return None
    return {"at": _local(sent["sent_at"], ctx.settings), "channel": sent["channel"],
            "texts": len(sent["texts"]),
            "lines": [line["text"] for line in sent["lines"]] if staff.is_clinician else None}


def _changes_since_review(ctx: _Context, conversation_id: str, review: Any
                          ) -> list[dict[str, Any]]:
    """Each change recorded after the change the latest review had seen, oldest first."""
    if review is None:
        return []
    rows = ctx.intakes.changes_after(conversation_id, review.seen_change or 0)
    return [{"at": _local(row["changed_at"], ctx.settings),
             "changes": [c.model_dump() for c in row["changes"]]} for row in rows]


def _medical_view(ctx: _Context, summary: IntakeSummary) -> dict[str, Any]:
    """The parts of an intake only a clinician sees."""
    today = ctx.settings.today()
    return {
        "age": summary.age,
        "flags": [{"label": flag_label(f.code), "severity": f.severity.value, "reason": f.reason,
                   "evidence": f.evidence} for f in _sorted_flags(summary)],
        "concerns": [{"area": AREA_LABELS.get(c.area, c.area.replace("_", " ")),
                      "shows": SHOWS_LABELS.get(c.shows or "", "not said"), "text": c.text}
                     for c in summary.concerns],
        "event": _event_view(summary, today),
        "prior": _prior_view(summary, today),
        "medications": [m.model_dump() for m in summary.medications + summary.supplements],
        "allergies": summary.allergies,
        "answers": _answers_view(summary),
        "photos": [n for n in range(1, len(summary.photos) + 1)
                   if _photo_file(ctx, summary, n) is not None],
        "photo_poses": _photo_poses_view(ctx, summary),
        "photos_answer": summary.photos_answer,
        "notes": summary.notes,
        "transcript": _transcript(ctx, summary.conversation_id),
    }


def _event_view(summary: IntakeSummary, today: date) -> dict[str, Any] | None:
    """The event with days remaining counted from today (not from when the patient said it)."""
    event = summary.event
    if event is None:
        return None
    days = (event.date - today).days if event.date else None
    return {"description": event.description, "date": event.date, "days": days,
            "when": _days_phrase(days), "soon": days is not None and 0 <= days < 14,
            "text": event.text}


def _prior_view(summary: IntakeSummary, today: date) -> dict[str, Any] | None:
    """Prior toxin treatment with how long ago, counted from today."""
    prior = summary.prior_treatment
    if prior is None:
        return None
    days_ago = (today - prior.date).days if prior.date else prior.days_ago
    return {"had_before": prior.had_before, "product": prior.product, "date": prior.date,
            "days_ago": days_ago, "recent": days_ago is not None and days_ago < 90,
            "complications": prior.complications, "text": prior.text}


def _days_phrase(days: int | None) -> str:
    """"in 5 days", "today", "3 days ago" or "date not given"."""
    if days is None:
        return "date not given"
    if days == 0:
        return "today"
    unit = "day" if abs(days) == 1 else "days"
    return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"


def _answers_view(summary: IntakeSummary) -> list[dict[str, Any]]:
    """The consult answers in consult order (QUESTION_LABELS), then any others."""
    order = list(QUESTION_LABELS) + [t for t in summary.answers if t not in QUESTION_LABELS]
    views = []
    for topic in order:
        answer = summary.answers.get(topic)
        if answer is None:
            continue
        views.append({"question": QUESTION_LABELS.get(topic, answer.question),
                      "reported": fhir.reported(answer) if topic in fhir.YES_NO_TOPICS else None,
                      "unclear": answer.status == "unclear", "text": answer.text,
                      "understood": answer_details(topic, answer.understood)})
    return views


def _transcript(ctx: _Context, conversation_id: str) -> list[dict[str, Any]] | None:
    """The chat transcript if the store keeps one, else None."""
    list_messages = getattr(ctx.intakes, "list_messages", None)
    if list_messages is None:
        return None
    try:
        rows = list_messages(conversation_id)
    except sqlite3.OperationalError:  # an older database without the messages table
        return None
    return [{"role": r.get("role"), "text": r.get("text"),
             "at": _local(r.get("created_at"), ctx.settings)} for r in rows]


def _photo_poses_view(ctx: _Context, summary: IntakeSummary) -> dict[str, Any]:
    """The photos laid out by pose of the guided set (bot.photo_guide), side by side, with the
    poses still missing named; only photos whose file is there."""
    numbered = [(n, summary.photo_poses.get(ref)) for n, ref in enumerate(summary.photos, 1)
                if _photo_file(ctx, summary, n) is not None]
    return {"groups": photo_guide.grouped(numbered),
            "missing": [p.label for p in photo_guide.missing(k for _, k in numbered)]}


def _photo_file(ctx: _Context, summary: IntakeSummary, number: int) -> tuple[Path, str] | None:
    """(file, media type) of the summary's photo `number`, if it is a file in its photo folder."""
    if ctx.photos_dir is None or not 1 <= number <= len(summary.photos):
        return None
    ref = summary.photos[number - 1]
    relative, media_type = ref, None
    get_photo = getattr(ctx.intakes, "get_photo", None)
    stored = get_photo(summary.conversation_id, ref) if get_photo else None
    if stored:  # refs are photo ids in the store's photos table; older ones may be paths
        relative, media_type = stored["file"], stored["media_type"]
    return _inside_folder(ctx.photos_dir, summary.conversation_id, relative, media_type)


def _inside_folder(root: Path, conversation_id: str, relative: str,
                   media_type: str | None) -> tuple[Path, str] | None:
    """The file if it lies inside root/<conversation_id> and is an image, else None."""
    types = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
             ".webp": "image/webp"}
    try:
        folder = (root / conversation_id).resolve()
        path = (root / relative).resolve()
    except (OSError, ValueError):
        return None
    # Another patient's folder, or anywhere else on disk, is never served.
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    guessed = types.get(path.suffix.lower())
    return (path, media_type or guessed) if guessed else None


# --- actions --------------------------------------------------------------------------------------


def _treatment_day(text: str, today: date) -> date:
    """The treatment date from the form: today or up to MAX_TREATMENT_AGE_DAYS back, else 422."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise HTTPException(422, "Give the treatment date as YYYY-MM-DD.") from None
    if day > today or (today - day).days > MAX_TREATMENT_AGE_DAYS:
        raise HTTPException(422, f"The treatment date must be today or in the last "
                                 f"{MAX_TREATMENT_AGE_DAYS} days.")
    return day


def _add_action_routes(router: APIRouter, ctx: _Context) -> None:
    """Mark reviewed, treatment given, check-in handled, and delete (clinicians only,
    CSRF-checked)."""
    clinician_form = _csrf(ctx, CLINICIAN)

    @router.post("/staff/intakes/{conversation_id}/review")
    def review(conversation_id: str, note: str = Form(""), seen_change: str = Form(""),
               staff: Staff = Depends(clinician_form)) -> Response:
        """Record that the clinician has read the intake as it was on their screen, with a note."""
        latest = ctx.intakes.latest_change_id(conversation_id)
        summary = ctx.summary_or_404(conversation_id)
        # The review covers the change the page showed, not a later one; a form without a
        # readable seen_change (an older page) covers what is there now.
        given = re.fullmatch(r"[0-9]{1,18}", seen_change)
        seen = min(int(seen_change), latest) if given else latest
        try:
            ctx.staff.add_review(conversation_id, staff.user.username, note,
                                 snapshot=clinical_snapshot(summary), seen_change=seen)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        ctx.staff.audit(staff.user.username, "review", conversation_id, f"seen change {seen}")
        return RedirectResponse(f"/staff/intakes/{conversation_id}?done=reviewed", status_code=303)

    @router.post("/staff/intakes/{conversation_id}/treatment")
    def treatment_given(conversation_id: str, treated_on: str = Form(""),
                        areas: list[str] = Form([]),
                        staff: Staff = Depends(clinician_form)) -> Response:
        """Record that the treatment was given (date, areas); schedule the two-week check-in."""
        if ctx.care is None:
            raise HTTPException(404, "Check-ins are not available on this server.")
        summary = ctx.summary_or_404(conversation_id)
        day = _treatment_day(treated_on, ctx.settings.today())
        chosen = [a for a in dict.fromkeys(areas) if a in AREA_LABELS]
        if not chosen:
            raise HTTPException(422, "Choose at least one treated area.")
        row = ctx.care.schedule(conversation_id, day, chosen, staff.user.username,
                                patient_name=summary.patient_name,
                                channel="sms" if summary.channel == "sms" else "web")
        ctx.staff.audit(staff.user.username, "treatment", conversation_id,
                        f"given {day.isoformat()}; check-in {row['id']} due {row['due_at']}")
        return RedirectResponse(f"/staff/intakes/{conversation_id}?done=treatment",
                                status_code=303)

    @router.post("/staff/checkins/{checkin_id}/handled")
    def checkin_handled(checkin_id: int, staff: Staff = Depends(clinician_form)) -> Response:
        """Take a check-in reply off the queue once someone has followed it up."""
        if ctx.care is None or not ctx.care.store.mark_handled(checkin_id, staff.user.username):
            raise HTTPException(404, "No open check-in reply with that id.")
        row = ctx.care.store.checkin(checkin_id)
        ctx.staff.audit(staff.user.username, "checkin_handled", row["conversation_id"],
                        f"check-in {checkin_id}")
        return RedirectResponse("/staff?done=handled", status_code=303)

    @router.post("/staff/intakes/{conversation_id}/delete")
    def delete(conversation_id: str, confirm: str = Form(""),
               staff: Staff = Depends(clinician_form)) -> Response:
        """Delete everything kept about the patient, once the clinician typed DELETE."""
        if confirm.strip() != CONFIRM_WORD:
            raise HTTPException(422, f"Type {CONFIRM_WORD} in the box to confirm the deletion.")
        delete_patient_data(ctx.intakes, ctx.staff, conversation_id, ctx.tracker_db_path,
                            ctx.photos_dir, actor=staff.user.username)
        return RedirectResponse("/staff?done=deleted", status_code=303)


# --- small helpers --------------------------------------------------------------------------------


def _as_utc(moment: datetime) -> datetime:
    """A datetime with a timezone (naive ones are UTC, as in the models)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _timestamp(moment: datetime) -> float:
    """Seconds since the epoch."""
    return _as_utc(moment).timestamp()


def _local(value: datetime | str | None, settings: Settings) -> str:
    """A time in the clinic's timezone, as "2025-03-01 09:05"."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return _as_utc(moment).astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")


def _file_safe(text: str) -> str:
    """Text reduced to characters safe in a download's file name."""
    return re.sub(r"[^A-Za-z0-9_-]", "", text)[:40] or "intake"
