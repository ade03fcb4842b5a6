"""The SMS channel: Twilio's Messaging webhook in front of Rasa, answered with TwiML.

Twilio posts each text (form fields From, Body, NumMedia, MediaUrl0.., MessageSid) to
`POST /sms/twilio` and sends whatever `<Message>` elements the answer holds back to the
patient. Nothing is processed before the `X-Twilio-Signature` checks out against the URL
Twilio called, which behind a proxy is rebuilt from PUBLIC_BASE_URL (or, with
TRUST_FORWARDED=1, from X-Forwarded-Proto/Host).

The phone number is never the conversation id: the id is an HMAC of the number under
INTAKE_SECRET_KEY, so it is stable across restarts but says nothing about the number. The
number itself is kept only in `sms_contacts`, for staff, and never logged or sent to Rasa.

    >>> key = b"example key"
    >>> sms_conversation_id("+1 (555) 010-0100", key) == sms_conversation_id("+15550100100", key)
    True
    >>> split_message("One. Two.", limit=5)
    ['One.', 'Two.']

Environment (read when the router is built): TWILIO_AUTH_TOKEN (required, or the endpoint
answers 503 to everything), INTAKE_SECRET_KEY (required when the token is set),
PUBLIC_BASE_URL, TRUST_FORWARDED.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlparse
from xml.sax.saxutils import escape

import httpx
from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MultiDict
from twilio.request_validator import RequestValidator

from bot.config import Settings
from bot.store import IntakeStore
from bot.web import photos
from bot.web.limits import SLOW_DOWN, RateLimiter, RateLimits, read_limited_body
from bot.web.rasa_client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

ROUTE = "/sms/twilio"
MAX_BODY_BYTES = 64 * 1024  # a Twilio post with 1,600 characters and 10 media URLs is < 20 KB
MAX_FORM_FIELDS = 200
MAX_TEXT_CHARS = 1600  # Twilio's own limit for one (concatenated) message
MAX_MEDIA = 10  # Twilio sends at most 10 media per MMS
SPLIT_AT = 320  # two SMS segments: short enough to read, few enough to keep costs down

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP", "YES"}
HELP_WORDS = {"HELP", "INFO"}

OPTED_OUT_REPLY = "You're unsubscribed from {clinic} messages. Reply START to resume."
OPTED_IN_REPLY = (
    "You're subscribed to {clinic} messages again. Text me to carry on where you left off. "
    "Reply HELP for help, STOP to unsubscribe."
)
HELP_REPLY = (
    "{clinic}: I'm the clinic's intake assistant. To talk to a person, call {phone}. "
    "Reply STOP to unsubscribe."
)
NO_TEXT_REPLY = "I didn't get any text in that message. Could you type your answer?"
TOO_LONG_REPLY = (
    "That's a lot for one text. Could you send a shorter version, under 1,600 characters?"
)
RETRY_REPLY = (
    "One moment, please: I couldn't take that in just now. Please send it again in a minute; "
    "your earlier answers are saved."
)
RASA_DOWN_REPLY = (
    "Sorry, I'm having a moment. Please try again in a minute; your earlier answers are saved."
)
PHOTO_THANKS = "Thanks, I've got your photo ({count} of {limit})."
PHOTOS_THANKS = "Thanks, I've got your {added} photos ({count} of {limit})."
NOT_A_PHOTO = "I can only take photos by text (JPEG, PNG or WebP), so I couldn't use that file."
PHOTO_FETCH_FAILED = (
    "Sorry, I couldn't get that photo just now. Could you try sending it again in a minute?"
)
PHOTO_MESSAGE = photos.PHOTO_MESSAGE

_ID_PURPOSE = b"sms-conversation-id:"  # labels the HMAC input, as the web app's ids do
# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF: not
# allowed in XML 1.0 (one echoed back makes the whole TwiML answer unreadable to Twilio) or
# useless in a text message.
_UNWANTED_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_KEYWORD_TRIM = string.whitespace + string.punctuation + "\u00a1\u00bf\u2019\u201d\u2026"
_NUMBERED_REPLY = re.compile(r"#?(\d{1,2})[.)]?")
_DIAL_NOISE = re.compile(r"[\s().\-\u00a0]")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_ALLOWED_MEDIA_HOSTS = ("api.twilio.com",)


class SmsNotConfigured(RuntimeError):
    """The SMS channel is enabled (TWILIO_AUTH_TOKEN set) but cannot run safely."""


class MediaUnavailable(Exception):
    """A media file could not be fetched from the SMS provider."""


class MediaFetcher(Protocol):
    """Downloads the bytes of one MMS media URL (raises MediaUnavailable)."""

    async def fetch(self, url: str) -> bytes:
        """The file at url, at most photos.MAX_PHOTO_BYTES + 1 bytes of it."""
        ...


@dataclass
class FakeMediaFetcher:
    """Stands in for TwilioMediaFetcher: answers from `files`, records every URL asked for."""

    files: dict[str, bytes] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)

    async def fetch(self, url: str) -> bytes:
        """The scripted bytes for url, or MediaUnavailable."""
        self.fetched.append(url)
        if url not in self.files:
            raise MediaUnavailable(f"no such file in the fake: {url}")
        return self.files[url]


class TwilioMediaFetcher:
    """Downloads MMS media from Twilio with the account's credentials (HTTP basic auth).

    Only https://api.twilio.com URLs are fetched, so the credentials never go anywhere else;
    Twilio redirects to its file storage, and httpx drops the credentials on that hop.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        timeout: float = 8.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._auth = (account_sid, auth_token)
        self.timeout = timeout  # Twilio waits 15 s for the whole webhook answer
        self._transport = transport

    async def fetch(self, url: str) -> bytes:
        """The media file, cut off just past the photo size limit."""
        parsed = urlparse(url)
        if parsed.scheme != "https" or parsed.hostname not in _ALLOWED_MEDIA_HOSTS:
            raise MediaUnavailable("not a Twilio media URL")
        limit = photos.MAX_PHOTO_BYTES + 1
        data = bytearray()
        try:
            async with httpx.AsyncClient(
                auth=self._auth, timeout=self.timeout, follow_redirects=True,
                transport=self._transport,
            ) as client:
                async with client.stream("GET", url) as response:
                    if not response.is_success:
                        raise MediaUnavailable(f"media answered HTTP {response.status_code}")
                    async for chunk in response.aiter_bytes():
                        data += chunk
                        if len(data) >= limit:
                            break
        except httpx.HTTPError as exc:
            raise MediaUnavailable(f"cannot fetch media: {exc!r}") from exc
        return bytes(data[:limit])


def media_fetcher_from_env(env: Mapping[str, str] | None = None) -> TwilioMediaFetcher | None:
    """A TwilioMediaFetcher if TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else None."""
    env = os.environ if env is None else env
    sid, token = env.get("TWILIO_ACCOUNT_SID", ""), env.get("TWILIO_AUTH_TOKEN", "")
    return TwilioMediaFetcher(sid, token) if sid and token else None


# --- pure helpers -------------------------------------------------------------------------------


def normalise_number(raw: str) -> str:
    """The sender address in one canonical form: E.164 ("+15550100100") when it is a number.

    Spaces, dashes, dots and brackets go; a leading "00" becomes "+". Anything else (a short
    code, "whatsapp:+1...") is kept as given, lower-cased, so it still maps to one id.
    """
    text = raw.strip()
    prefix, colon, rest = text.rpartition(":")
    number = _DIAL_NOISE.sub("", rest)
    if number.startswith("00"):
        number = "+" + number[2:]
    if _E164.fullmatch(number) or number.isdigit():
        return f"{prefix.lower()}{colon}{number}"
    return text.lower()


def sms_conversation_id(number: str, key: bytes) -> str:
    """The pseudonymous conversation id of a phone number: `sms-` + HMAC-SHA256(key, number)."""
    digest = hmac.new(key, _ID_PURPOSE + normalise_number(number).encode("utf-8"), hashlib.sha256)
    return "sms-" + base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


def keyword(text: str) -> str:
    """The message as an upper-case keyword candidate: "  stop! " -> "STOP"."""
    return text.strip(_KEYWORD_TRIM).upper()


def clean_text(text: str) -> str:
    """Text without control characters, with newlines normalised and outer space stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED_CHARS.sub("", text).strip()


def numbered_choice(text: str, buttons: list[dict[str, str]]) -> dict[str, str] | None:
    """The button a reply like "2", "2." or " 2 " picks from the offered ones, if any."""
    match = _NUMBERED_REPLY.fullmatch(text.strip())
    if not match:
        return None
    index = int(match.group(1)) - 1
    return buttons[index] if 0 <= index < len(buttons) else None


def options_line(buttons: list[dict[str, str]], first: int = 1) -> str:
    """Buttons as one SMS line: "Reply 1 for Yes, 2 for No, 3 for Not sure."."""
    choices = [f"{first + i} for {b['title']}" for i, b in enumerate(buttons)]
    return "Reply " + ", ".join(choices) + "."


def split_message(text: str, limit: int = SPLIT_AT) -> list[str]:
    """Text cut into parts of at most `limit` characters, at a paragraph, line, sentence or
    word boundary (the latest strong one in the second half of a part, else the latest word
    boundary); a single word longer than `limit` is the only thing ever cut."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def _cut_point(text: str, limit: int) -> int:
    """Where to end the next part of text (see split_message)."""
    window = text[: limit + 1]  # a boundary right after the limit still leaves a full part
    for pattern in (r"\n\s*\n", r"\n", r"[.!?…][)\"'”’]*\s"):
        ends = [m.end() for m in re.finditer(pattern, window) if m.end() - 1 <= limit]
        if ends and ends[-1] > limit // 2:
            return min(ends[-1], limit)
    spaces = [m.start() for m in re.finditer(r"\s", window)]
    return spaces[-1] if spaces and spaces[-1] > 0 else limit


def twiml(messages: list[str]) -> str:
    """A TwiML answer with one <Message> per text (`<Response/>` when there are none)."""
    if not messages:
        return '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    body = "".join(f"<Message>{escape(_UNWANTED_CHARS.sub('', m))}</Message>" for m in messages)
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


def as_sms(replies: list[dict]) -> tuple[list[str], list[dict[str, str]]]:
    """Rasa replies as SMS texts (buttons numbered, long texts split) and the buttons offered,
    numbered across the whole turn in order."""
    texts: list[str] = []
    offered: list[dict[str, str]] = []
    for reply in replies:
        text = clean_text(reply["text"]) if isinstance(reply.get("text"), str) else ""
        buttons = _buttons(reply.get("buttons"))
        if buttons:
            line = options_line(buttons, first=len(offered) + 1)
            text = f"{text}\n{line}" if text else line
            offered.extend(buttons)
        texts.extend(split_message(text))
    return texts, offered


def _buttons(value: object) -> list[dict[str, str]]:
    """The well-formed {title, payload} buttons of a Rasa reply."""
    if not isinstance(value, list):
        return []
    return [
        {"title": clean_text(b["title"]), "payload": b["payload"]}
        for b in value
        if isinstance(b, dict) and isinstance(b.get("title"), str)
        and isinstance(b.get("payload"), str)
    ]


# --- the webhook --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsConfig:
    """What the SMS channel reads from the environment."""

    auth_token: str
    id_key: bytes
    public_base_url: str
    trust_forwarded: bool

    @classmethod
    def from_env(cls, settings: Settings, env: Mapping[str, str]) -> SmsConfig:
        """Read TWILIO_AUTH_TOKEN, INTAKE_SECRET_KEY, PUBLIC_BASE_URL and TRUST_FORWARDED.

        Raises SmsNotConfigured when SMS is on (a token is set) without a secret key: a
        per-process random key would hand a returning patient a new, empty conversation.
        """
        token = env.get("TWILIO_AUTH_TOKEN", "").strip()
        key = settings.secret_key or env.get("INTAKE_SECRET_KEY", "")
        if token and not key:
            raise SmsNotConfigured(
                "TWILIO_AUTH_TOKEN is set but INTAKE_SECRET_KEY is empty. SMS conversation ids "
                "are derived from the phone number with that key, so it must be set and stay "
                "the same across restarts."
            )
        base = env.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
        if base and urlparse(base).scheme not in ("http", "https"):
            raise SmsNotConfigured(f"PUBLIC_BASE_URL must be an https:// URL (got {base!r}).")
        return cls(token, key.encode("utf-8"), base, env.get("TRUST_FORWARDED") == "1")


def create_sms_router(
    settings: Settings,
    store: IntakeStore,
    rasa: RasaClient,
    media: MediaFetcher | None = None,
    *,
    env: Mapping[str, str] | None = None,
    limiter: RateLimiter | None = None,
) -> APIRouter:
    """The `POST /sms/twilio` webhook; environment from `env` (default os.environ).

    Without a MediaFetcher, MMS media URLs are linked to the intake as they are; with one,
    each photo is downloaded, stripped of metadata and stored like a website upload.
    `limiter` counts texts per number (default: limits.SMS_RATES on the real clock).
    """
    env = os.environ if env is None else env
    config = SmsConfig.from_env(settings, env)
    if not config.auth_token:
        logger.warning("TWILIO_AUTH_TOKEN is not set: %s refuses every request.", ROUTE)
    limiter = limiter or RateLimits.from_env(env).sms
    channel = SmsChannel(settings, store, rasa, media, config.id_key, limiter)
    router = APIRouter()

    @router.post(ROUTE)
    async def twilio_webhook(request: Request) -> Response:
        """Twilio's Messaging webhook: a signed form post in, TwiML out."""
        if not config.auth_token:
            raise HTTPException(503, "SMS is not configured on this server.")
        form = await _read_form(request)
        if not _signed_by_twilio(request, form, config):
            logger.warning("Refused an SMS webhook request with a missing or invalid signature.")
            raise HTTPException(403, "Invalid or missing X-Twilio-Signature.")
        messages = await channel.receive(form)
        return Response(
            twiml(messages), media_type="application/xml", headers={"Cache-Control": "no-store"}
        )

    return router


class SmsChannel:
    """Turns one verified incoming text into the texts that answer it."""

    def __init__(
        self,
        settings: Settings,
        store: IntakeStore,
        rasa: RasaClient,
        media: MediaFetcher | None,
        id_key: bytes,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.rasa = rasa
        self.media = media
        self.id_key = id_key
        self.limiter = limiter or RateLimiter(())

    async def receive(self, form: MultiDict) -> list[str]:
        """The texts to send back for one incoming message (none for a repeat or after STOP)."""
        sender = form.get("From", "")
        if not sender.strip():
            raise HTTPException(422, "The form has no From field.")
        conversation_id = sms_conversation_id(sender, self.id_key)
        sid = form.get("MessageSid", "")
        if sid and not await run_in_threadpool(self.store.claim_sms_message, sid, conversation_id):
            logger.info("Ignored a repeated SMS webhook for message %s.", sid)
            return []
        contact = await run_in_threadpool(
            self.store.touch_sms_contact, conversation_id, normalise_number(sender)
        )
        text = clean_text(form.get("Body", ""))
        word = keyword(text)
        if contact["opted_out"]:
            if word in START_WORDS:
                return await self._opt(conversation_id, text, opted_out=False)
            return []
        if word in STOP_WORDS:
            return await self._opt(conversation_id, text, opted_out=True)
        if word in HELP_WORDS:
            reply = HELP_REPLY.format(
                clinic=self.settings.clinic_name, phone=self.settings.clinic_phone
            )
            return await self._canned(conversation_id, text, reply)
        # After the keywords: STOP, START and HELP are always honoured.
        verdict = self.limiter.check(conversation_id)
        if not verdict.allowed:
            logger.warning("An SMS number passed the rate limit; its text was not taken in.")
            return split_message(SLOW_DOWN) if verdict.notify else []
        return await self._converse(conversation_id, text, _media(form), contact["buttons"])

    async def _converse(
        self,
        conversation_id: str,
        text: str,
        media: list[tuple[str, str]],
        offered: list[dict[str, str]],
    ) -> list[str]:
        """Record any photos, then pass the text (or the picked button's payload) to Rasa."""
        texts = await self._photos(conversation_id, media) if media else []
        if not text:
            return texts or split_message(NO_TEXT_REPLY)
        if len(text) > MAX_TEXT_CHARS:
            return texts + split_message(TOO_LONG_REPLY)
        chosen = numbered_choice(text, offered)
        shown, message = (chosen["title"], chosen["payload"]) if chosen else (text, text)
        await run_in_threadpool(self.store.add_message, conversation_id, "patient", shown)
        try:
            replies = await self.rasa.send(conversation_id, message, {"channel": "sms"})
        except RasaUnavailable as exc:
            logger.error("Rasa unavailable, SMS patient got the apology reply: %s", exc)
            return texts + split_message(RASA_DOWN_REPLY)
        replies = [r for r in replies if isinstance(r, dict)]
        answer, buttons = as_sms(replies)
        if not answer:
            # As on the web: every message gets at least the next question, so silence means
            # an action failed. The buttons stay, so the patient can send the same number again.
            logger.error("Rasa sent no reply (action server down?); SMS patient asked to retry")
            return texts + split_message(RETRY_REPLY)
        await run_in_threadpool(self._record_turn, conversation_id, replies, buttons)
        return texts + answer

    def _record_turn(self, conversation_id: str, replies: list[dict], buttons: list) -> None:
        """Keep the bot's replies in the transcript and remember the buttons just offered."""
        for reply in replies:
            text = clean_text(reply["text"]) if isinstance(reply.get("text"), str) else ""
            reply_buttons = _buttons(reply.get("buttons"))
            if text or reply_buttons:
                self.store.add_message(conversation_id, "bot", text, reply_buttons)
        self.store.set_sms_buttons(conversation_id, buttons)

    async def _opt(self, conversation_id: str, text: str, opted_out: bool) -> list[str]:
        """Opt the number out (STOP) or back in (START), and confirm it once."""
        await run_in_threadpool(self.store.set_sms_opted_out, conversation_id, opted_out)
        logger.info("SMS conversation %s opted %s.", conversation_id, "out" if opted_out else "in")
        template = OPTED_OUT_REPLY if opted_out else OPTED_IN_REPLY
        return await self._canned(
            conversation_id, text, template.format(clinic=self.settings.clinic_name)
        )

    async def _canned(self, conversation_id: str, text: str, reply: str) -> list[str]:
        """Answer with a fixed reply (not from Rasa), keeping both sides in the transcript."""
        await run_in_threadpool(self.store.add_message, conversation_id, "patient", text)
        await run_in_threadpool(self.store.add_message, conversation_id, "bot", reply)
        return split_message(reply)

    async def _photos(self, conversation_id: str, media: list[tuple[str, str]]) -> list[str]:
        """Link the MMS media to the intake; the texts that acknowledge them."""
        have = len(await run_in_threadpool(self.store.photo_refs, conversation_id))
        limit = photos.MAX_PHOTOS
        if have >= limit:
            return [photos.TOO_MANY]
        if self.media is None:
            added, problem = await self._link_urls(conversation_id, media, limit - have)
        else:
            added, problem = await self._download(conversation_id, media, limit - have)
        texts = [problem] if problem else []
        if added:
            count = have + added
            thanks = PHOTO_THANKS if added == 1 else PHOTOS_THANKS
            texts.insert(0, thanks.format(added=added, count=count, limit=limit))
        return texts

    async def _link_urls(
        self, conversation_id: str, media: list[tuple[str, str]], room: int
    ) -> tuple[int, str | None]:
        """Link up to `room` image URLs to the intake as they are; (how many, a problem)."""
        urls = [url for url, kind in media if kind.lower().startswith("image/")]
        problem = NOT_A_PHOTO if len(urls) < len(media) else None
        urls = urls[:room]
        if urls:
            await run_in_threadpool(self.store.add_photo_refs, conversation_id, urls)
        for _ in urls:
            await run_in_threadpool(
                self.store.add_message, conversation_id, "patient", PHOTO_MESSAGE
            )
        return len(urls), problem

    async def _download(
        self, conversation_id: str, media: list[tuple[str, str]], room: int
    ) -> tuple[int, str | None]:
        """Fetch, clean and store up to `room` photos; (how many, a problem to tell, if any)."""
        fetcher = self.media
        assert fetcher is not None
        root = photos.photos_root(self.settings.db_path)
        added, problem = 0, None
        for url, _kind in media:
            if added >= room:
                break
            try:
                clean = await run_in_threadpool(photos.clean_photo, await fetcher.fetch(url))
            except MediaUnavailable as exc:
                logger.error("Could not fetch an MMS photo: %s", exc)
                problem = PHOTO_FETCH_FAILED
                continue
            except photos.PhotoRefused as refused:
                problem = str(refused)
                continue
            if await run_in_threadpool(_keep_photo, self.store, root, conversation_id, clean):
                added += 1
        return added, problem


def _keep_photo(
    store: IntakeStore, root: Path, conversation_id: str, clean: photos.CleanPhoto
) -> bool:
    """Save a cleaned photo and link it to the intake and the transcript; False past the limit."""
    return photos.keep_photo(store, root, conversation_id, clean) is not None


def _media(form: MultiDict) -> list[tuple[str, str]]:
    """The (url, content type) of each media item in a Twilio form."""
    try:
        count = min(int(form.get("NumMedia", "0") or 0), MAX_MEDIA)
    except ValueError:
        return []
    items = [(form.get(f"MediaUrl{i}", ""), form.get(f"MediaContentType{i}", ""))
             for i in range(count)]
    return [(url, kind) for url, kind in items if url]


async def _read_form(request: Request) -> MultiDict:
    """The url-encoded form of the request, or 413 past MAX_BODY_BYTES."""
    body = await read_limited_body(request, MAX_BODY_BYTES)
    try:
        pairs = parse_qsl(
            body.decode("latin-1"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS,
            encoding="utf-8", errors="replace",
        )
    except ValueError:
        raise HTTPException(413, "Too many form fields.") from None
    return MultiDict(pairs)


def public_url(request: Request, config: SmsConfig) -> str:
    """The URL Twilio called, as it saw it (the proxy's public address, not ours)."""
    path_and_query = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if config.public_base_url:
        return config.public_base_url + path_and_query
    if config.trust_forwarded:
        proto = _first(request.headers.get("x-forwarded-proto")) or request.url.scheme
        host = _first(request.headers.get("x-forwarded-host")) or request.headers.get("host", "")
        return f"{proto.lower()}://{host}{path_and_query}"
    return str(request.url)


def _first(value: str | None) -> str:
    """The first (client-side) entry of a comma-separated forwarded header."""
    return (value or "").split(",")[0].strip()


def _signed_by_twilio(request: Request, form: MultiDict, config: SmsConfig) -> bool:
    """True if X-Twilio-Signature is Twilio's HMAC of the public URL and the form fields."""
    signature = request.headers.get("x-twilio-signature", "")
    if not signature:
        return False
    validator = RequestValidator(config.auth_token)
    return validator.validate(public_url(request, config), form, signature)
