"""The web app: the clinic page with its chat widget, the chat API in front of Rasa, and the
staff API.

Rasa takes messages only from this app (each body signed with RASA_CHANNEL_SECRET, checked by
rasa_addons/channel.py) and trusts the `sender` it names, so patients never talk to Rasa
directly. This app issues unguessable, signed conversation ids and ties each one to a browser
session: an HttpOnly cookie holding the id, signed again for that purpose. The widget's
endpoints (`/api/chat...`) take the conversation from the cookie only; the REST-protocol
endpoint also requires the `sender` to match it, so knowing an id is not enough.

Every patient message and bot reply that passes through is kept in the store, so a patient
who reloads or comes back later sees the conversation and carries on.

Run with: uvicorn --factory bot.web.app:app_factory --ws none
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import logging
import os
import re
import secrets
import time
from contextlib import asynccontextmanager
from pathlib import Path
from string import Template
from typing import Any, Callable

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from bot import photo_guide
from bot.care_scheduler import CareScheduler, scheduler_runs_jobs
from bot.checkins import CareService, care_from_env
from bot.config import Settings, database_url, is_web_link, load_settings
from bot.intake import is_restart
from bot.language import SPOKEN, patient_catalogue, patient_text
from bot.models import Recommendation, Status
from bot.store import IntakeStore, open_store
from bot.web import photos
from bot.web.checkin import create_checkin_router
from bot.web.limits import BodySizeLimit, RateLimits, read_limited_body
from bot.web.rasa_client import RasaClient, RasaUnavailable
from bot.staff_store import StaffStore
from bot.web.staff import create_staff_router
from bot.web.sms import MediaFetcher, create_sms_router, media_fetcher_from_env

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
PAGE_TEMPLATE = WEB_DIR / "templates" / "index.html"

MAX_BODY_BYTES = 64 * 1024
MAX_UPLOAD_BYTES = photos.MAX_PHOTO_BYTES + 64 * 1024  # one photo plus multipart framing
MAX_MESSAGE_CHARS = 2000
UNKNOWN_CONVERSATION = "Unknown conversation. Start one with POST /api/conversations."
NOT_YOUR_CONVERSATION = (
    "This conversation belongs to another browser session. "
    "Start one with POST /api/conversations and send its cookie."
)
CROSS_SITE = "Requests from other websites are not accepted."
# The bot's welcome (domain.yml utter_welcome, responses.es.yml) says the same.
TIME_ESTIMATE = {"en": "about 5 minutes", "es": "unos 5 minutos"}
PRIVACY_TEMPLATE = WEB_DIR / "templates" / "privacy.html"

ABANDON_AFTER_HOURS = 24.0  # an intake with no message for a day shows as abandoned
SESSION_COOKIE = "intake_session"
SESSION_MAX_AGE = 14 * 24 * 3600  # long enough to finish an intake started days before
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# C0 controls except tab and newline, DEL, C1 controls, and lone surrogates (which cannot be
# encoded as UTF-8 further down the line), U+FFFE/U+FFFF (not allowed in XML). Zero-width
# joiners (format characters) stay: emoji sequences need them.
_UNWANTED_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Labels the HMAC input so a signature made for one purpose is useless for another that might
# share the secret key.
_ID_PURPOSE = b"conversation-id:"
_SESSION_PURPOSE = b"web-session:"


def create_app(
    settings: Settings | None = None,
    store: IntakeStore | None = None,
    rasa: RasaClient | None = None,
    trust_forwarded: bool | None = None,
    media: MediaFetcher | None = None,
    limits: RateLimits | None = None,
    care: CareService | None = None,
) -> FastAPI:
    """Build the web app; tests pass an in-memory store and a FakeRasaClient.

    care (default: built from the environment when the store is a file) sends and receives the
    two-week check-ins; its scheduler starts and stops with the app (INTAKE_SCHEDULER=0: opened
    but paused in this process, see bot/care_scheduler.py).

    trust_forwarded (default: env TRUST_FORWARDED=1) believes X-Forwarded-Proto from a reverse
    proxy when deciding whether the session cookie must be Secure. limits (default: the
    production rate limits, or none with INTAKE_RATE_LIMITS=off) can carry a fake clock.
    """
    settings = settings or load_settings()
    store = store or open_store(settings)
    rasa = rasa or RasaClient(settings.rasa_url, settings.rasa_channel_secret)
    if trust_forwarded is None:
        trust_forwarded = os.environ.get("TRUST_FORWARDED") == "1"
    limits = limits or RateLimits.from_env(os.environ)
    sessions = Sessions(_signing_key(settings), trust_forwarded)
    chat = Chat(store, rasa)
    # No HTML docs pages at all (Swagger UI and ReDoc load scripts from a CDN); the JSON
    # description only when INTAKE_API_DOCS turns it on.
    if care is None and store.location is not None:
        url = store.url or database_url(settings.model_copy(update={"db_path": store.path}), env={})
        care = care_from_env(settings, store, os.environ,
                             scheduler=CareScheduler(url, scheduler_runs_jobs(os.environ)))
    app = FastAPI(title="Intake assistant", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json" if settings.api_docs else None,
                  lifespan=_care_lifespan(care))
    app.add_middleware(BodySizeLimit)  # added first, so inside _security_headers: 413s get them
    app.middleware("http")(_security_headers)
    _add_page_routes(app, settings)
    _add_chat_routes(app, sessions, chat, limits)
    _add_photo_routes(app, sessions, chat, photos.photos_root(settings.db_path), limits)
    _add_staff_routes(app, store, photos.photos_root(settings.db_path))

    @app.get("/healthz")
    def healthz() -> dict[str, bool]:
        """Liveness check for the process manager."""
        return {"ok": True}

    app.include_router(create_sms_router(settings, store, rasa, media, limiter=limits.sms,
                                         care=care))
    if care is not None:
        app.include_router(create_checkin_router(care, photos.photos_root(settings.db_path)))
    # Rasa's tracker (deleting a patient's data removes their events): a PostgreSQL URL when the
    # tracker store is on PostgreSQL (endpoints.replicas.yml), else the SQLite file.
    tracker_url = os.environ.get("RASA_TRACKER_DATABASE_URL")
    tracker_db = os.environ.get("RASA_TRACKER_DB")
    app.include_router(create_staff_router(
        settings, store, StaffStore(store.location),
        tracker_db_path=tracker_url or (Path(tracker_db) if tracker_db else None),
        photos_dir=photos.photos_root(settings.db_path), trust_forwarded=trust_forwarded,
        care=care))
    return app


def _care_lifespan(care: CareService | None) -> Callable:
    """Start the check-in scheduler with the app and stop it with the app."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        scheduler = getattr(care, "scheduler", None)
        if isinstance(scheduler, CareScheduler):
            scheduler.start(care)
        try:
            yield
        finally:
            if isinstance(scheduler, CareScheduler):
                scheduler.shutdown()

    return lifespan


def app_factory() -> FastAPI:
    """The production app, configured from the environment (for uvicorn --factory)."""
    settings = load_settings()
    # MMS photos are downloaded, checked and stripped of metadata like website uploads when
    # Twilio credentials are set; raw media URLs are never shown to staff.
    return create_app(settings, open_store(settings),
                      RasaClient(settings.rasa_url, settings.rasa_channel_secret),
                      media=media_fetcher_from_env())


def issue_conversation_id(key: bytes) -> str:
    """A new unguessable conversation id, `<random>.<signature>` (192 random bits)."""
    random_part = secrets.token_urlsafe(24)
    return f"{random_part}.{_sign(key, _ID_PURPOSE, random_part)}"


def is_signed_conversation_id(value: object, key: bytes) -> bool:
    """True if value is a conversation id this server issued with this key."""
    if not isinstance(value, str):
        return False
    random_part, dot, signature = value.partition(".")
    if not dot or not random_part:
        return False
    expected = _sign(key, _ID_PURPOSE, random_part)
    return hmac.compare_digest(signature.encode("utf-8"), expected.encode("utf-8"))


def clean_message(message: object) -> str:
    """The patient's text without control characters or surrounding space ("" if not text)."""
    if not isinstance(message, str):
        return ""
    text = message.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED_CHARS.sub("", text).strip()


def _sign(key: bytes, purpose: bytes, value: str) -> str:
    """URL-safe HMAC-SHA256 of a value, labelled with what it is for."""
    digest = hmac.new(key, purpose + value.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _signing_key(settings: Settings) -> bytes:
    """The configured secret key, or a random one for this process only."""
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    logger.warning(
        "INTAKE_SECRET_KEY is not set: using a random key, so conversation ids stop working "
        "when this process restarts and are not shared between worker processes."
    )
    return secrets.token_bytes(32)


# --- browser sessions -------------------------------------------------------------------------


class Sessions:
    """The signed session cookie that ties a browser to its conversation id."""

    def __init__(self, key: bytes, trust_forwarded: bool = False) -> None:
        self.key = key
        self.trust_forwarded = trust_forwarded

    def new_conversation(self) -> str:
        """A new signed conversation id."""
        return issue_conversation_id(self.key)

    def conversation_of(self, request: Request) -> str | None:
        """The conversation id in the request's session cookie, if the cookie is valid and fresh."""
        value = request.cookies.get(SESSION_COOKIE, "")
        conversation_id, _, rest = value.partition("~")
        issued, _, signature = rest.partition("~")
        if not (conversation_id and issued.isdigit() and signature):
            return None
        expected = _sign(self.key, _SESSION_PURPOSE, f"{conversation_id}~{issued}")
        if not hmac.compare_digest(signature.encode("utf-8"), expected.encode("utf-8")):
            return None
        if time.time() - int(issued) > SESSION_MAX_AGE:
            return None
        return conversation_id if is_signed_conversation_id(conversation_id, self.key) else None

    def conversation_for(self, request: Request, response: Response) -> str:
        """The request's conversation, or a new one whose cookie is set on the response."""
        conversation_id = self.conversation_of(request)
        if conversation_id is None:
            conversation_id = self.new_conversation()
            self.attach(request, response, conversation_id)
        return conversation_id

    def attach(self, request: Request, response: Response, conversation_id: str) -> None:
        """Set the session cookie for conversation_id on the response."""
        payload = f"{conversation_id}~{int(time.time())}"
        response.set_cookie(
            SESSION_COOKIE,
            f"{payload}~{_sign(self.key, _SESSION_PURPOSE, payload)}",
            max_age=SESSION_MAX_AGE,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self._is_https(request),
        )

    def _is_https(self, request: Request) -> bool:
        """True if the browser reached us over https (directly or via a trusted proxy)."""
        if request.url.scheme == "https":
            return True
        forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        return self.trust_forwarded and forwarded == "https"


def _refuse_cross_site(request: Request) -> None:
    """403 for requests a browser marks as made by another site (CSRF; SameSite=Lax is the
    first line). API clients send no Sec-Fetch-Site and pass."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, CROSS_SITE)


# --- conversations ----------------------------------------------------------------------------


class Chat:
    """Passes patient messages to Rasa and keeps the transcript in the store."""

    def __init__(self, store: IntakeStore, rasa: RasaClient) -> None:
        self.store = store
        self.rasa = rasa

    async def converse(
        self, conversation_id: str, message: object, metadata: dict | None, title: object = None
    ) -> list[dict]:
        """The bot's replies (Rasa REST format) to one patient message, recorded on the way.

        `title` is the label of the quick-reply button that sent `message` as its payload; the
        transcript shows the label, as the patient saw it, when it matches an offered button.
        """
        text = clean_message(message)
        if not text or len(text) > MAX_MESSAGE_CHARS:
            language = await run_in_threadpool(self.language, conversation_id)
            return [_reply(conversation_id, reply_text("no_text" if not text else "too_long",
                                                       language))]
        shown = await run_in_threadpool(self._shown_text, conversation_id, text, title)
        await run_in_threadpool(self.store.add_message, conversation_id, "patient", shown)
        try:
            # The channel is the server's word, not the client's: staff filter on it.
            replies = await self.rasa.send(conversation_id, text, {**(metadata or {}),
                                                                   "channel": "web"})
        except RasaUnavailable as exc:
            # Not the id: it lets anyone holding it continue the conversation.
            logger.error("Rasa unavailable, patient got the apology reply: %s", exc)
            language = await run_in_threadpool(self.language, conversation_id)
            replies = [_reply(conversation_id, reply_text("rasa_down", language))]
        if not replies:
            # Every patient message gets at least the next question; no reply at all means an
            # action failed (e.g. the action server is down) and the message was not taken in.
            logger.error("Rasa sent no reply (action server down?); patient asked to retry")
            language = await run_in_threadpool(self.language, conversation_id)
            replies = [_reply(conversation_id, reply_text("retry", language))]
        for reply in replies:
            await run_in_threadpool(self.record_bot, conversation_id, reply)
        return replies

    def language(self, conversation_id: str | None) -> str:
        """The language the conversation's intake is held in ("en" before it has begun)."""
        summary = self.store.get_summary(conversation_id) if conversation_id else None
        return summary.conversation_language if summary is not None else "en"

    def restarts_a_sent_intake(self, conversation_id: str, message: object) -> bool:
        """True when the message asks to start over and this conversation's intake was sent."""
        if not is_restart(clean_message(message)):
            return False
        summary = self.store.get_summary(conversation_id)
        return summary is not None and summary.status == Status.COMPLETED

    def answer_itself(self, conversation_id: str, message: object, text: str) -> list[dict]:
        """Record the patient's message and this app's own reply to it, without Rasa."""
        self.store.add_message(conversation_id, "patient", clean_message(message))
        reply = _reply(conversation_id, text)
        self.record_bot(conversation_id, reply)
        return [reply]

    def record_bot(self, conversation_id: str, reply: dict) -> None:
        """Record one bot reply, unless it has neither text nor buttons to show."""
        message = _as_message(reply)
        if message["text"] or message["buttons"]:
            self.store.add_message(conversation_id, "bot", message["text"], message["buttons"])

    def history(self, conversation_id: str | None) -> list[dict]:
        """The conversation's messages for the widget, oldest first."""
        if conversation_id is None:
            return []
        return [_history_message(row) for row in self.store.list_messages(conversation_id)]

    def _shown_text(self, conversation_id: str, text: str, title: object) -> str:
        """The button title if (title, text) is a button the bot just offered, else the text."""
        if not isinstance(title, str):
            return text
        for row in reversed(self.store.list_messages(conversation_id, limit=10)):
            if row["role"] != "bot":
                break
            if {"title": title, "payload": text} in row["buttons"]:
                return title
        return text


def reply_text(key: str, language: str = "en", **values: object) -> str:
    """One of this app's own replies (patient.<lang>.yml `replies`) in a conversation's language.

    >>> reply_text("no_text")
    "I didn't catch any text there. Could you type your answer?"
    """
    return patient_text("replies", key, language, **values)


def _reply(sender: str, text: str) -> dict:
    """A reply in Rasa's REST format written by this app rather than by Rasa."""
    return {"recipient_id": sender, "text": text}


def _buttons(value: object) -> list[dict[str, str]]:
    """The well-formed {title, payload} buttons of a Rasa reply."""
    if not isinstance(value, list):
        return []
    return [
        {"title": b["title"], "payload": b["payload"]}
        for b in value
        if isinstance(b, dict)
        and isinstance(b.get("title"), str)
        and isinstance(b.get("payload"), str)
    ]


def _history_message(row: dict) -> dict:
    """A stored message as the widget shows it."""
    message = {"role": row["role"], "text": row["text"], "buttons": row["buttons"]}
    if row["photo_id"]:
        message["photo_url"] = f"/api/chat/photos/{row['photo_id']}"
    return message


async def _security_headers(request: Request, call_next: Callable) -> Any:
    """Add security headers; keep patient data out of caches."""
    response = await call_next(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.url.path.startswith(("/api", "/webhooks")):
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Content-Security-Policy", API_CSP)
    return response


def _add_page_routes(app: FastAPI, settings: Settings) -> None:
    """The clinic page with the chat widget, the built-in privacy notice, and static files."""
    page = _render_page(PAGE_TEMPLATE, settings)
    privacy = _render_page(PRIVACY_TEMPLATE, settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    headers = {"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store"}

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def index() -> HTMLResponse:
        """The clinic's page; the widget script picks up the conversation from the cookie."""
        return HTMLResponse(page, headers=headers)

    @app.api_route("/privacy", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def privacy_notice() -> HTMLResponse:
        """What happens to a patient's answers (the default CLINIC_PRIVACY_URL)."""
        return HTMLResponse(privacy, headers=headers)


def _render_page(template: Path, settings: Settings) -> str:
    """A page template with the clinic's settings and the widget's English labels (`$w_<key>`)
    filled in, every value HTML-escaped, and the labels in every language the intake is held in
    as JSON (`$widget_text`) for the widget to switch to."""
    clinic = settings.clinic_name
    if not is_web_link(settings.privacy_url):  # also when set after validation
        raise ValueError("CLINIC_PRIVACY_URL must start with https://, http:// or a single /")
    labels = {language: widget_text(settings, language) for language in SPOKEN}
    return Template(template.read_text(encoding="utf-8")).substitute(
        {f"w_{key}": html.escape(text) for key, text in labels["en"].items()},
        clinic_name=html.escape(clinic),
        clinic_phone=html.escape(settings.clinic_phone),
        privacy_url=html.escape(settings.privacy_url, quote=True),
        privacy_text=html.escape(labels["en"]["privacy_text"]),
        widget_text=_script_json(labels),
    )


def widget_text(settings: Settings, language: str) -> dict[str, str]:
    """The widget's labels in a language (patient.<lang>.yml `widget`), with the clinic's name,
    phone, time estimate and privacy line filled in."""
    values = {"clinic": settings.clinic_name, "phone": settings.clinic_phone,
              "time": TIME_ESTIMATE[language]}
    privacy = settings.privacy_text_es if language == "es" else settings.privacy_text
    labels = {key: text.format(**values) if "{" in text and not _fills_later(text) else text
              for key, text in patient_catalogue(language)["widget"].items()}
    return {**labels, "privacy_text": privacy.replace("{clinic}", settings.clinic_name)}


def _fills_later(text: str) -> bool:
    """True for a label the widget fills in itself ("Photo {number} of {total}:")."""
    return any(f"{{{name}}}" in text for name in ("number", "total", "title"))


def _script_json(value: object) -> str:
    """JSON safe inside a <script type="application/json"> element (no "</script>", no "<!--")."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _add_chat_routes(app: FastAPI, sessions: Sessions, chat: Chat, limits: RateLimits) -> None:
    """Routes a patient's browser uses: start a conversation, send a message, see history."""
    same_site = [Depends(_refuse_cross_site)]

    @app.post("/api/conversations", dependencies=same_site)
    def start_conversation(request: Request, response: Response) -> dict[str, str]:
        """Issue a new signed conversation id and tie it to this browser with the cookie."""
        limits.check_new_conversation(request)
        conversation_id = sessions.new_conversation()
        sessions.attach(request, response, conversation_id)
        return {"conversation_id": conversation_id}

    @app.post("/webhooks/rest/webhook", dependencies=same_site)
    async def rest_webhook(request: Request) -> JSONResponse:
        """Rasa's REST channel protocol, for the caller's own signed conversation id only."""
        payload = _parse_chat_payload(await _read_limited_body(request))
        sender = payload["sender"]
        if not is_signed_conversation_id(sender, sessions.key):
            raise HTTPException(403, UNKNOWN_CONVERSATION)
        if sessions.conversation_of(request) != sender:
            raise HTTPException(403, NOT_YOUR_CONVERSATION)
        limits.check_conversation(sender)
        if await run_in_threadpool(chat.restarts_a_sent_intake, sender, payload.get("message")):
            # The client names the conversation here, so we cannot move it to a new one: say
            # how instead, and never let the restart reach (and empty) the clinic's intake.
            already_sent = reply_text("already_sent",
                                      await run_in_threadpool(chat.language, sender))
            return JSONResponse(await run_in_threadpool(chat.answer_itself, sender,
                                                        payload["message"], already_sent))
        replies = await chat.converse(sender, payload.get("message"), payload.get("metadata"))
        return JSONResponse(replies)

    @app.post("/api/chat", dependencies=same_site)
    async def widget_chat(request: Request, response: Response) -> dict[str, Any]:
        """The widget's send: `{"message", "title"?}` in, `{"messages": [...]}` out (with
        `"restarted": true` when it started a new conversation after a sent intake).

        The conversation comes from the cookie; a browser without one gets a new conversation.
        """
        payload = _parse_json_object(await _read_limited_body(request))
        conversation_id = _limited_conversation(request, response, sessions, limits)
        restarted = await run_in_threadpool(chat.restarts_a_sent_intake, conversation_id,
                                            payload.get("message"))
        if restarted:
            # Start over as the restart button does: the sent intake stays as the clinic has it.
            limits.check_new_conversation(request)
            conversation_id = sessions.new_conversation()
            sessions.attach(request, response, conversation_id)
        replies = await chat.converse(
            conversation_id, payload.get("message"), {"channel": "web"}, payload.get("title")
        )
        shown = [_as_message(reply) for reply in replies]
        answer: dict[str, Any] = {"messages": [m for m in shown if m["text"] or m["buttons"]],
                                  "language": await run_in_threadpool(chat.language,
                                                                      conversation_id)}
        if restarted:
            answer["restarted"] = True  # the widget clears the old conversation from view
        return answer

    @app.get("/api/chat/history")
    def history(request: Request) -> dict[str, Any]:
        """This browser's conversation so far (empty if it has none) and its language."""
        conversation_id = sessions.conversation_of(request)
        return {"messages": chat.history(conversation_id),
                "language": chat.language(conversation_id)}

    @app.post("/api/chat/restart", dependencies=same_site)
    def restart(request: Request, response: Response) -> dict[str, list]:
        """Start over: a fresh conversation for this browser (the old one stays with the clinic)."""
        limits.check_new_conversation(request)
        sessions.attach(request, response, sessions.new_conversation())
        return {"messages": []}


def _limited_conversation(
    request: Request, response: Response, sessions: Sessions, limits: RateLimits
) -> str:
    """The request's conversation (a new one counts against the client's address), or 429."""
    if sessions.conversation_of(request) is None:
        limits.check_new_conversation(request)
    conversation_id = sessions.conversation_for(request, response)
    limits.check_conversation(conversation_id)
    return conversation_id


def _as_message(reply: dict) -> dict:
    """A Rasa reply as the widget shows it."""
    text = reply.get("text") if isinstance(reply.get("text"), str) else ""
    return {"role": "bot", "text": text, "buttons": _buttons(reply.get("buttons"))}


def _add_photo_routes(
    app: FastAPI, sessions: Sessions, chat: Chat, root: Path, limits: RateLimits
) -> None:
    """Photo upload from the widget, and the patient's own thumbnails."""
    store = chat.store

    @app.post("/api/chat/photos", dependencies=[Depends(_refuse_cross_site)])
    async def upload_photo(request: Request) -> dict[str, Any]:
        """Accept one photo (multipart field "photo", and "pose": a key of the guided set, see
        bot.photo_guide) for this browser's conversation, once its intake has begun: a photo
        must belong to an intake staff can see (and delete)."""
        conversation_id = sessions.conversation_of(request)
        if conversation_id is None:
            raise HTTPException(409, reply_text("photo_needs_conversation"))
        limits.check_conversation(conversation_id)
        summary = await run_in_threadpool(store.get_summary, conversation_id)
        if summary is None:
            raise HTTPException(409, reply_text("photo_needs_conversation"))
        language = summary.conversation_language
        if len(await run_in_threadpool(store.photo_refs, conversation_id)) >= photos.MAX_PHOTOS:
            raise HTTPException(409, photos.refusal(photos.TOO_MANY, language))
        data, pose = await _read_photo_upload(request, language)
        try:
            clean = await run_in_threadpool(photos.clean_photo, data)
        except photos.PhotoRefused as refused:
            status = 413 if refused.key in (photos.TOO_BIG, photos.TOO_LARGE_IMAGE) else 422
            raise HTTPException(status, refused.message(language)) from None
        photo_id = await run_in_threadpool(_keep_photo, store, root, conversation_id, clean, pose,
                                           language)
        count = len(await run_in_threadpool(store.photo_refs, conversation_id))
        if pose:
            thanks = reply_text("photo_pose_thanks", language,
                                title=photo_guide.title(photo_guide.pose(pose), language))
        else:
            thanks = reply_text("photo_thanks", language, count=count, limit=photos.MAX_PHOTOS)
        await run_in_threadpool(store.add_message, conversation_id, "bot", thanks)
        guide = await run_in_threadpool(_photo_guide, store, conversation_id, language)
        return {
            "photo": {"id": photo_id, "url": f"/api/chat/photos/{photo_id}", "pose": pose},
            "messages": [{"role": "bot", "text": thanks, "buttons": []}],
            "guide": guide,
        }

    @app.get("/api/chat/photo-guide")
    def photo_guide_state(request: Request) -> dict[str, Any]:
        """The guided photo set for this browser's conversation: each pose, what to do for it,
        and whether a photo of it has arrived (the widget's photo guide)."""
        conversation_id = sessions.conversation_of(request)
        if conversation_id is not None:
            limits.check_conversation(conversation_id)
        return _photo_guide(store, conversation_id, chat.language(conversation_id))

    @app.get("/api/chat/photos/{photo_id}")
    def own_photo(request: Request, photo_id: str) -> FileResponse:
        """One of this browser's own photos (for thumbnails in the restored conversation)."""
        conversation_id = sessions.conversation_of(request)
        return _photo_response(store, root, conversation_id or "", photo_id)


def _photo_guide(store: IntakeStore, conversation_id: str | None, language: str = "en"
                 ) -> dict[str, Any]:
    """Each pose of the guided set, in the conversation's language, with whether this
    conversation has a photo of it."""
    taken = set(store.photo_poses(conversation_id).values()) if conversation_id else set()
    poses = [{"key": p.key, "title": photo_guide.title(p, language),
              "ask": photo_guide.ask(p, language), "optional": p.optional,
              "taken": p.key in taken} for p in photo_guide.POSES]
    upcoming = photo_guide.next_pose(taken)
    return {"poses": poses, "next": upcoming.key if upcoming else None,
            "limit": photos.MAX_PHOTOS}


def _keep_photo(
    store: IntakeStore, root: Path, conversation_id: str, clean: photos.CleanPhoto,
    pose: str | None = None, language: str = "en",
) -> str:
    """Save the photo, link it to the intake and the transcript; its id. 409 past the limit."""
    photo_id = photos.keep_photo(store, root, conversation_id, clean, pose)
    if photo_id is None:
        raise HTTPException(409, photos.refusal(photos.TOO_MANY, language))
    return photo_id


def _photo_response(
    store: IntakeStore, root: Path, conversation_id: str, photo_id: str
) -> FileResponse:
    """The stored photo file, or 404."""
    row = store.get_photo(conversation_id, photo_id)
    if row is None:
        raise HTTPException(404, "No photo with that id in this conversation.")
    path = photos.photo_file(root, row["file"])
    if not path.is_file():
        raise HTTPException(404, "That photo's file is missing.")
    return FileResponse(path, media_type=row["media_type"], content_disposition_type="inline")


async def _read_photo_upload(request: Request, language: str = "en"
                             ) -> tuple[bytes, str | None]:
    """The bytes of the "photo" file in a multipart body, with the size limit enforced, and its
    "pose" field (None if absent; 422 for a pose outside the guided set)."""
    too_big = HTTPException(413, photos.refusal(photos.TOO_BIG, language))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise too_big
    received = 0

    async def counting_receive() -> dict:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > MAX_UPLOAD_BYTES:
            raise too_big
        return message

    limited = Request(request.scope, counting_receive)
    async with limited.form(max_files=1, max_fields=5) as form:
        upload = form.get("photo")
        if not isinstance(upload, UploadFile):
            raise HTTPException(422, 'Attach the photo as a file in the "photo" field.')
        pose = form.get("pose")
        if pose is not None and (not isinstance(pose, str) or photo_guide.pose(pose) is None):
            raise HTTPException(422, "That photo pose is not one of the guided set; "
                                     "please choose it again from the photo guide.")
        data = await upload.read(photos.MAX_PHOTO_BYTES + 1)
    if len(data) > photos.MAX_PHOTO_BYTES:
        raise too_big
    return data, pose or None


async def _read_limited_body(request: Request) -> bytes:
    """The request body, or 413 once it passes MAX_BODY_BYTES (declared or streamed)."""
    return await read_limited_body(request, MAX_BODY_BYTES)


def _parse_json_object(body: bytes, example: str = '{"message": "..."}') -> dict[str, Any]:
    """The JSON object in a request body, or 400/422 with a message saying what is wrong."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: deeply nested arrays
        raise HTTPException(400, "Request body must be JSON.") from None
    if not isinstance(payload, dict):
        raise HTTPException(422, f"Expected a JSON object like {example}.")
    return payload


def _parse_chat_payload(body: bytes) -> dict[str, Any]:
    """The JSON object of a REST-protocol chat request, or 400/422 saying what is wrong."""
    payload = _parse_json_object(body, '{"sender": "...", "message": "..."}')
    if not isinstance(payload.get("sender"), str):
        raise HTTPException(422, '"sender" must be the conversation id, as a string.')
    if payload.get("metadata") is not None and not isinstance(payload["metadata"], dict):
        raise HTTPException(422, '"metadata" must be a JSON object when present.')
    return payload


def _add_staff_routes(app: FastAPI, store: IntakeStore, photo_root: Path) -> None:
    """Read-only intake routes for clinic staff, behind a bearer token."""

    def require_staff_token(authorization: str | None = Header(default=None)) -> None:
        """401 unless the request carries a valid staff API token."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not store.verify_api_token(token.strip()):
            raise HTTPException(
                401, "A valid staff API token is required.", headers={"WWW-Authenticate": "Bearer"}
            )

    staff = [Depends(require_staff_token)]

    @app.get("/api/intakes", dependencies=staff)
    def list_intakes(
        status: Status | None = None,
        recommendation: Recommendation | None = None,
        limit: int = Query(200, ge=1, le=1000),
    ) -> JSONResponse:
        """Intakes, newest update first, optionally filtered."""
        store.mark_abandoned(ABANDON_AFTER_HOURS)  # so "in progress" means someone is still typing
        summaries = store.list_summaries(
            status=status.value if status else None,
            recommendation=recommendation.value if recommendation else None,
            limit=limit,
        )
        return JSONResponse({"intakes": [s.model_dump(mode="json") for s in summaries]})

    @app.get("/api/intakes/{conversation_id}", dependencies=staff)
    def get_intake(conversation_id: str) -> JSONResponse:
        """One intake summary, or 404."""
        summary = store.get_summary(conversation_id)
        if summary is None:
            raise HTTPException(404, "No intake with that conversation id.")
        return JSONResponse(summary.model_dump(mode="json"))

    @app.get("/api/intakes/{conversation_id}/photos/{photo_id}", dependencies=staff)
    def get_intake_photo(conversation_id: str, photo_id: str) -> FileResponse:
        """One photo of an intake (metadata already stripped), or 404."""
        return _photo_response(store, photo_root, conversation_id, photo_id)
