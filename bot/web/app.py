"""The web app: the patient chat endpoint in front of Rasa, and the staff API.

Rasa's REST channel trusts whatever `sender` a client sends, so patients never talk to Rasa
directly: this app issues signed conversation ids and forwards only messages that carry one.

Run with: uvicorn --factory bot.web.app:app_factory
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
from typing import Any, Callable

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from bot.config import Settings, load_settings
from bot.models import Recommendation, Status
from bot.store import IntakeStore, open_store
from bot.web.rasa_client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 2000
NO_TEXT_REPLY = "I didn't catch any text there. Could you type your answer?"
TOO_LONG_REPLY = (
    "That's a lot to take in at once. Could you send a shorter version, "
    "under 2,000 characters?"
)
RASA_DOWN_REPLY = (
    "Sorry, I'm having a moment. Please try again in a minute; your earlier answers are saved."
)
# C0 controls except tab and newline, DEL, C1 controls, and lone surrogates (which cannot be
# encoded as UTF-8 further down the line). Zero-width joiners (format characters) stay: emoji
# sequences need them.
_UNWANTED_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Labels the HMAC input so a signature made for conversation ids is useless anywhere else that
# might share the secret key.
_ID_PURPOSE = b"conversation-id:"


def create_app(
    settings: Settings | None = None,
    store: IntakeStore | None = None,
    rasa: RasaClient | None = None,
) -> FastAPI:
    """Build the web app; tests pass an in-memory store and a FakeRasaClient."""
    settings = settings or load_settings()
    store = store or open_store(settings)
    rasa = rasa or RasaClient(settings.rasa_url)
    key = _signing_key(settings)
    app = FastAPI(title="Intake assistant")
    app.middleware("http")(_security_headers)
    _add_chat_routes(app, key, rasa)
    _add_staff_routes(app, store)

    @app.get("/healthz")
    def healthz() -> dict[str, bool]:
        """Liveness check for the process manager."""
        return {"ok": True}

    return app


def app_factory() -> FastAPI:
    """The production app, configured from the environment (for uvicorn --factory)."""
    settings = load_settings()
    return create_app(settings, open_store(settings), RasaClient(settings.rasa_url))


def issue_conversation_id(key: bytes) -> str:
    """A new unguessable conversation id, `<random>.<signature>`."""
    random_part = secrets.token_urlsafe(24)
    return f"{random_part}.{_sign(key, random_part)}"


def is_signed_conversation_id(value: object, key: bytes) -> bool:
    """True if value is a conversation id this server issued with this key."""
    if not isinstance(value, str):
        return False
    random_part, dot, signature = value.partition(".")
    if not dot or not random_part:
        return False
    expected = _sign(key, random_part)
    return hmac.compare_digest(signature.encode("utf-8"), expected.encode("utf-8"))


def clean_message(message: object) -> str:
    """The patient's text without control characters or surrounding space ("" if not text)."""
    if not isinstance(message, str):
        return ""
    text = message.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED_CHARS.sub("", text).strip()


def _sign(key: bytes, random_part: str) -> str:
    """URL-safe HMAC-SHA256 of the random part of a conversation id."""
    digest = hmac.new(key, _ID_PURPOSE + random_part.encode("utf-8"), hashlib.sha256).digest()
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


async def _security_headers(request: Request, call_next: Callable) -> Any:
    """Add security headers; keep patient data out of caches."""
    response = await call_next(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.url.path.startswith(("/api", "/webhooks")):
        response.headers["Cache-Control"] = "no-store"
    return response


def _add_chat_routes(app: FastAPI, key: bytes, rasa: RasaClient) -> None:
    """Routes a patient's browser uses: start a conversation, send a message."""

    @app.post("/api/conversations")
    def start_conversation() -> dict[str, str]:
        """Issue a new signed conversation id."""
        return {"conversation_id": issue_conversation_id(key)}

    @app.post("/webhooks/rest/webhook")
    async def chat(request: Request) -> JSONResponse:
        """Rasa's REST channel protocol, for signed conversation ids only."""
        payload = _parse_chat_payload(await _read_limited_body(request))
        sender = payload["sender"]
        if not is_signed_conversation_id(sender, key):
            raise HTTPException(403, "Unknown conversation. Start one with POST /api/conversations.")
        text = clean_message(payload.get("message"))
        if not text:
            return _bot_says(sender, NO_TEXT_REPLY)
        if len(text) > MAX_MESSAGE_CHARS:
            return _bot_says(sender, TOO_LONG_REPLY)
        try:
            replies = await rasa.send(sender, text, payload.get("metadata"))
        except RasaUnavailable as exc:
            # Not the id: it lets anyone holding it continue the conversation.
            logger.error("Rasa unavailable, patient got the apology reply: %s", exc)
            return _bot_says(sender, RASA_DOWN_REPLY)
        return JSONResponse(replies)


async def _read_limited_body(request: Request) -> bytes:
    """The request body, or 413 once it passes MAX_BODY_BYTES (declared or streamed)."""
    too_large = HTTPException(413, f"Request body is larger than {MAX_BODY_BYTES} bytes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_large
    return bytes(body)


def _parse_chat_payload(body: bytes) -> dict[str, Any]:
    """The JSON object of a chat request, or 400/422 with a message saying what is wrong."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: deeply nested arrays
        raise HTTPException(400, "Request body must be JSON.") from None
    if not isinstance(payload, dict):
        raise HTTPException(422, 'Expected a JSON object like {"sender": "...", "message": "..."}.')
    if not isinstance(payload.get("sender"), str):
        raise HTTPException(422, '"sender" must be the conversation id, as a string.')
    if payload.get("metadata") is not None and not isinstance(payload["metadata"], dict):
        raise HTTPException(422, '"metadata" must be a JSON object when present.')
    return payload


def _bot_says(sender: str, text: str) -> JSONResponse:
    """A reply in Rasa's REST format written by this app rather than by Rasa."""
    return JSONResponse([{"recipient_id": sender, "text": text}])


def _add_staff_routes(app: FastAPI, store: IntakeStore) -> None:
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
