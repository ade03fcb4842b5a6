"""The SMS channel: Twilio's Messaging webhook in front of Rasa, answered with TwiML.

Twilio posts each text (form fields From, Body, NumMedia, MediaUrl0.., MessageSid) to
`POST /sms/twilio` and sends whatever `<Message>` elements the answer holds back to the
patient. Nothing is processed before the `X-Twilio-Signature` checks out against the URL
Twilio called, which behind a proxy is rebuilt from PUBLIC_BASE_URL (or, with
TRUST_FORWARDED=1, from X-Forwarded-Proto/Host).

The phone number is never the conversation id. A number's first conversation id is an HMAC of
the number under INTAKE_SECRET_KEY; a new intake after a completed one (a "restart", or a text
long after it was sent) gets a new random id, and `sms_numbers` maps a keyed hash of the number
to its current conversation. The submitted intake is never touched again by the new one. The
number itself is kept only in `sms_contacts` (one row per conversation), for staff, and never
logged or sent to Rasa. STOP holds for the number, whichever conversation it came in.

    >>> key = b"example key"
    >>> sms_conversation_id("+1 (555) 010-0100", key) == sms_conversation_id("+15550100100", key)
    True
    >>> sms_segments("Name: Zoé, age 34")
    Segments(encoding='GSM-7', count=1)
    >>> is_opt_out("Please stop texting me!"), is_opt_out("I stopped taking aspirin")
    (True, False)

Environment (read when the router is built): TWILIO_AUTH_TOKEN (required, or the endpoint
answers 503 to everything), INTAKE_SECRET_KEY (required when the token is set),
TWILIO_ACCOUNT_SID (needed to fetch MMS photos), PUBLIC_BASE_URL, TRUST_FORWARDED,
SMS_NEW_INTAKE_AFTER_DAYS, TWILIO_MEDIA_HOSTS (tests only: a local stand-in for Twilio's media).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import string
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlparse
from xml.sax.saxutils import escape

import httpx
from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MultiDict
from twilio.request_validator import RequestValidator

from bot import photo_guide
from bot.checkins import CareService
from bot.config import Settings
from bot.intake import is_restart
from bot.language import patient_text
from bot.models import Status
# The SMS length rules live in the domain (the checklist and check-ins count segments too);
# their names stay importable from here.
from bot.sms_text import (GSM7_PART, GSM7_SINGLE, MAX_SEGMENTS, UCS2_PART,  # noqa: F401
                          UCS2_SINGLE, Segments, gsm_friendly, sms_segments, split_message)
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
NEW_INTAKE_AFTER = timedelta(days=30)  # a text this long after a sent intake starts a new one
MAX_MEDIA_REDIRECTS = 3

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP", "YES"}
HELP_WORDS = {"HELP", "INFO"}
# Whole-message opt-out phrasings beyond the carrier keywords, matched after lower-casing and
# turning punctuation into spaces. Whole message only: an answer that merely contains "stop"
# ("I stopped taking aspirin") is an answer.
_PLEASE = r"(?:(?:please|pls|plz|kindly|just|ok|okay|hey) )*"
_TAIL = r"(?: (?:please|pls|plz|now|thanks|thank you|thx|anymore|any more|again|asap|ever))*"
_ME = r"(?: me| us)?"
_TEXTS = r"(?:texts?|txts?|messages?|msgs?|sms|notifications?|reminders?)"
OPT_OUT_PHRASES = tuple(re.compile(pattern) for pattern in (
    rf"{_PLEASE}(?:stop|quit)(?: it| all| this| that)?{_TAIL}",
    rf"{_PLEASE}(?:stop|quit|no more) (?:texting|txting|messaging|msging|contacting|sending|"
    rf"sending me|spamming|bothering){_ME}(?: (?:these |the |your |any )?{_TEXTS})?{_TAIL}",
    rf"{_PLEASE}(?:stop|no more|enough)(?: (?:all |these |the |your |with the ))?(?: ?{_TEXTS})"
    rf"{_TAIL}",
    rf"{_PLEASE}(?:unsubscribe|opt out|opt-out|optout){_ME}(?: (?:from|of) "
    rf"(?:this|these|the|your|all|that)(?: \w+)?)?{_TAIL}",
    rf"{_PLEASE}opt me out(?: (?:from|of) (?:this|these|the|your|all|that)(?: \w+)?)?{_TAIL}",
    rf"{_PLEASE}(?:remove|take|delete) (?:me|my number)(?: (?:off|from) (?:this|these|the|your|"
    rf"that|ur)(?: \w+)?(?: list)?)?{_TAIL}",
    rf"{_PLEASE}(?:don't|dont|do not) (?:text|txt|message|msg|contact|sms) me{_TAIL}",
    rf"(?:i want to|i'd like to|i would like to|i wish to|let me) (?:unsubscribe|opt out|"
    rf"stop (?:getting|receiving) (?:these |your |the )?{_TEXTS}){_TAIL}",
    rf"{_PLEASE}leave me alone{_TAIL}",
))

# Spanish keywords and whole-message phrasings, honoured in any conversation (the carrier's own
# STOP handling knows only the English ones): the answer is then in Spanish.
STOP_WORDS_ES = {"PARAR", "ALTO", "BAJA", "CANCELAR", "DETENER", "DESUSCRIBIR"}
START_WORDS_ES = {"COMENZAR", "REANUDAR", "INICIAR"}
HELP_WORDS_ES = {"AYUDA"}
_POR_FAVOR = r"(?:(?:por favor|porfa|porfavor|xfa|ya|oigan|hola) )*"
_MENSAJES = r"(?:mensajes|msjs?|textos|sms|mensajitos|recordatorios)"
OPT_OUT_PHRASES_ES = tuple(re.compile(pattern) for pattern in (
    rf"{_POR_FAVOR}(?:no|ya no) me (?:manden|mande|envien|envie|escriban|escriba|mensajeen) "
    rf"(?:mas )?(?:{_MENSAJES})?(?: ?mas)?(?: por favor| gracias)?",
    rf"{_POR_FAVOR}(?:dejen|deje) de (?:escribirme|mandarme|enviarme|mensajearme)(?: {_MENSAJES})?"
    r"(?: por favor| gracias)?",
    rf"{_POR_FAVOR}(?:quiero |quisiera )?(?:darme|dar me|denme|deme|me doy) de baja(?: por favor)?",
    rf"{_POR_FAVOR}ya no quiero (?:recibir |mas )?{_MENSAJES}(?: por favor)?",
))
PHOTO_MESSAGE = photos.PHOTO_MESSAGE
# In the transcript staff see, where the photo would have been.
PHOTO_NOT_RECEIVED = "Photo sent by text, but it could not be received (asked to bring it instead)"

_ID_PURPOSE = b"sms-conversation-id:"  # labels the HMAC input, as the web app's ids do
_NUMBER_PURPOSE = b"sms-number-key:"  # a different label: a number key is not a conversation id
# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF: not
# allowed in XML 1.0 (one echoed back makes the whole TwiML answer unreadable to Twilio) or
# useless in a text message.
_UNWANTED_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_KEYWORD_TRIM = string.whitespace + string.punctuation + "\u00a1\u00bf\u2019\u201d\u2026"
_NUMBERED_REPLY = re.compile(r"#?(\d{1,2})[.)]?")
_DIAL_NOISE = re.compile(r"[\s().\-\u00a0]")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_PHRASE_NOISE = re.compile(r"[^\w' -]+")
# Twilio's MediaUrl is on api.twilio.com (HTTP basic auth with the account SID and auth token).
# It redirects to the file: to a short-lived mms.twiliocdn.com URL when the account enforces
# HTTP auth on media, else to s3-external-1.amazonaws.com (Twilio support, "Protect Media Access
# with HTTP Basic Authentication for Programmable Messaging"); media.twiliocdn.com has been seen
# too. Credentials go to the first host only.
TWILIO_MEDIA_SOURCES = ("https://api.twilio.com",)
TWILIO_MEDIA_REDIRECTS = ("https://mms.twiliocdn.com", "https://media.twiliocdn.com",
                          "https://s3-external-1.amazonaws.com")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


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


@dataclass(frozen=True)
class MediaHosts:
    """Where MMS media may be fetched from: `sources` get the account's credentials (the
    MediaUrl itself), `redirects` only the redirected request. Origins, e.g. "https://api.twilio.com".
    """

    sources: tuple[str, ...] = TWILIO_MEDIA_SOURCES
    redirects: tuple[str, ...] = TWILIO_MEDIA_REDIRECTS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MediaHosts:
        """Twilio's hosts, or TWILIO_MEDIA_HOSTS (comma-separated origins) for a local stand-in.

        Plain http is allowed only for a loopback host named with its scheme
        ("http://127.0.0.1:8123"), so no setting can send credentials in the clear elsewhere.
        """
        raw = env.get("TWILIO_MEDIA_HOSTS", "").strip()
        if not raw:
            return cls()
        origins = tuple(_media_origin(entry) for entry in raw.split(",") if entry.strip())
        return cls(origins, origins)

    def is_source(self, url: str) -> bool:
        """True if url is on a host the credentials may go to."""
        return _origin(url) in self.sources

    def allows(self, url: str) -> bool:
        """True if url may be fetched at all (a source, or where a source redirects to)."""
        return _origin(url) in self.sources + self.redirects


def _media_origin(entry: str) -> str:
    """One TWILIO_MEDIA_HOSTS entry as an origin; SmsNotConfigured for http off loopback."""
    entry = entry.strip().rstrip("/")
    origin = _origin(entry if "://" in entry else f"https://{entry}")
    parsed = urlparse(origin)
    if parsed.scheme != "https" and parsed.hostname not in _LOOPBACK:
        raise SmsNotConfigured(f"TWILIO_MEDIA_HOSTS: {entry!r} must be https (http only on loopback)")
    return origin


def _origin(url: str) -> str:
    """scheme://host[:port] of an http(s) URL, lower-cased, default ports left out ("" if none)."""
    try:
        parsed = urlparse(url.strip())
        port = parsed.port
    except ValueError:
        return ""
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return ""
    host = f"[{parsed.hostname}]" if ":" in parsed.hostname else parsed.hostname
    default = {"http": 80, "https": 443}[parsed.scheme]
    return f"{parsed.scheme}://{host}" + (f":{port}" if port and port != default else "")


class TwilioMediaFetcher:
    """Downloads MMS media from Twilio with the account's credentials (HTTP basic auth).

    Only MediaHosts.sources URLs are fetched, and the credentials go only there; redirects are
    followed by hand, at most MAX_MEDIA_REDIRECTS, and only to MediaHosts.redirects.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        hosts: MediaHosts | None = None,
        timeout: float = 8.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._auth = (account_sid, auth_token)
        self.hosts = hosts or MediaHosts()
        self.timeout = timeout  # Twilio waits 15 s for the whole webhook answer
        self._transport = transport

    async def fetch(self, url: str) -> bytes:
        """The media file, cut off just past the photo size limit."""
        if not self.hosts.is_source(url):
            raise MediaUnavailable("not a media URL of the SMS provider")
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False,
                                         transport=self._transport) as client:
                for _ in range(MAX_MEDIA_REDIRECTS + 1):
                    auth = self._auth if self.hosts.is_source(url) else None
                    async with client.stream("GET", url, auth=auth) as response:
                        if not response.is_redirect:
                            return await _read_media(response)
                        url = str(response.url.join(response.headers["location"]))
                    if not self.hosts.allows(url):
                        raise MediaUnavailable("media redirected off the provider's hosts")
        except httpx.HTTPError as exc:
            raise MediaUnavailable(f"cannot fetch media: {exc!r}") from exc
        raise MediaUnavailable("too many media redirects")


async def _read_media(response: httpx.Response) -> bytes:
    """The body of a media response, at most photos.MAX_PHOTO_BYTES + 1 bytes of it."""
    if not response.is_success:
        raise MediaUnavailable(f"media answered HTTP {response.status_code}")
    limit = photos.MAX_PHOTO_BYTES + 1
    data = bytearray()
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) >= limit:
            break
    return bytes(data[:limit])


def media_fetcher_from_env(env: Mapping[str, str] | None = None) -> TwilioMediaFetcher | None:
    """A TwilioMediaFetcher if TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else None
    (MMS photos are then declined, and the patient asked to bring them)."""
    env = os.environ if env is None else env
    sid, token = env.get("TWILIO_ACCOUNT_SID", "").strip(), env.get("TWILIO_AUTH_TOKEN", "").strip()
    if token and not sid:
        logger.warning("TWILIO_ACCOUNT_SID is not set: MMS photos cannot be fetched, and patients "
                       "who text one are asked to bring their photos to the consult.")
    return TwilioMediaFetcher(sid, token, MediaHosts.from_env(env)) if sid and token else None


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


def sms_number_key(number: str, key: bytes) -> str:
    """The keyed hash a number's current conversation and opt-out are filed under."""
    digest = hmac.new(key, _NUMBER_PURPOSE + normalise_number(number).encode("utf-8"),
                      hashlib.sha256)
    return "num-" + base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


def new_sms_conversation_id() -> str:
    """A fresh, unguessable conversation id for a number's next intake (same shape as the first)."""
    return "sms-" + secrets.token_urlsafe(32)


def keyword(text: str) -> str:
    """The message as an upper-case keyword candidate: "  stop! " -> "STOP"."""
    return text.strip(_KEYWORD_TRIM).upper()


def is_opt_out(text: str) -> bool:
    """True for a carrier STOP keyword or a whole-message opt-out phrase ("stop texting me"), in
    English or Spanish ("ALTO", "ya no me manden mensajes")."""
    if keyword(text) in STOP_WORDS:
        return True
    phrase = _PHRASE_NOISE.sub(" ", text.lower().replace("\u2019", "'"))
    phrase = " ".join(phrase.split()).strip(" '-")
    return any(pattern.fullmatch(phrase) for pattern in OPT_OUT_PHRASES) or \
        _spanish_opt_out(text)


def _spanish_opt_out(text: str) -> bool:
    """A Spanish opt-out keyword or whole-message phrase ("PARAR", "dejen de escribirme")."""
    if _plain_keyword(text) in STOP_WORDS_ES:
        return True
    phrase = _PHRASE_NOISE.sub(" ", _unaccented(text.lower()))
    phrase = " ".join(phrase.split()).strip(" '-")
    return any(pattern.fullmatch(phrase) for pattern in OPT_OUT_PHRASES_ES)


def _unaccented(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if unicodedata.category(ch) != "Mn")


def _plain_keyword(text: str) -> str:
    """The keyword without accents: "Ayúda" -> "AYUDA"."""
    return _unaccented(keyword(text))


def keyword_language(text: str) -> str | None:
    """"es" when the message is one of the Spanish keywords or opt-out phrasings, else None."""
    word = _plain_keyword(text)
    return "es" if word in START_WORDS_ES | HELP_WORDS_ES or _spanish_opt_out(text) else None


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


def sms_text(key: str, language: str = "en", **values: object) -> str:
    """One of the SMS channel's own texts (patient.<lang>.yml `sms`) in the intake's language."""
    return patient_text("sms", key, language, **values)


def options_line(buttons: list[dict[str, str]], first: int = 1, language: str = "en") -> str:
    """Buttons as one SMS line: "Reply 1 for Yes, 2 for No, 3 for Not sure."."""
    choices = [sms_text("option", language, number=first + i, title=b["title"])
               for i, b in enumerate(buttons)]
    return sms_text("options", language, choices=", ".join(choices))


def twiml(messages: list[str]) -> str:
    """A TwiML answer with one <Message> per text (`<Response/>` when there are none)."""
    if not messages:
        return '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    body = "".join(f"<Message>{escape(_UNWANTED_CHARS.sub('', m))}</Message>" for m in messages)
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


def as_sms(replies: list[dict], language: str = "en") -> tuple[list[str], list[dict[str, str]]]:
    """Rasa replies as SMS texts (buttons numbered, long texts split) and the buttons offered,
    numbered across the whole turn in order."""
    texts: list[str] = []
    offered: list[dict[str, str]] = []
    for reply in replies:
        text = clean_text(reply["text"]) if isinstance(reply.get("text"), str) else ""
        buttons = _buttons(reply.get("buttons"))
        if buttons:
            line = options_line(buttons, first=len(offered) + 1, language=language)
            text = f"{text}\n{line}" if text else line
            offered.extend(buttons)
        texts.extend(split_message(gsm_friendly(text)))
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
    new_intake_after: timedelta = NEW_INTAKE_AFTER

    @classmethod
    def from_env(cls, settings: Settings, env: Mapping[str, str]) -> SmsConfig:
        """Read TWILIO_AUTH_TOKEN, INTAKE_SECRET_KEY, PUBLIC_BASE_URL, TRUST_FORWARDED and
        SMS_NEW_INTAKE_AFTER_DAYS.

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
        return cls(token, key.encode("utf-8"), base, env.get("TRUST_FORWARDED") == "1",
                   _days(env.get("SMS_NEW_INTAKE_AFTER_DAYS", "")))


def _days(raw: str) -> timedelta:
    """SMS_NEW_INTAKE_AFTER_DAYS as a timedelta (NEW_INTAKE_AFTER when empty)."""
    if not raw.strip():
        return NEW_INTAKE_AFTER
    try:
        days = float(raw)
    except ValueError:
        days = -1.0
    if not days > 0:
        raise SmsNotConfigured(f"SMS_NEW_INTAKE_AFTER_DAYS must be a positive number (got {raw!r}).")
    return timedelta(days=days)


def create_sms_router(
    settings: Settings,
    store: IntakeStore,
    rasa: RasaClient,
    media: MediaFetcher | None = None,
    *,
    env: Mapping[str, str] | None = None,
    limiter: RateLimiter | None = None,
    clock: Callable[[], datetime] | None = None,
    care: CareService | None = None,
) -> APIRouter:
    """The `POST /sms/twilio` webhook; environment from `env` (default os.environ).

    With `care`, a reply to a two-week check-in goes to the check-in, not the intake assistant,
    and STOP also cancels the number's check-ins.

    With a MediaFetcher each MMS photo is downloaded, stripped of metadata and stored like a
    website upload; without one (no TWILIO_ACCOUNT_SID) the patient is asked to bring photos.
    `limiter` counts texts per number (default: limits.SMS_RATES on the real clock); `clock`
    (default: now, UTC) decides when a sent intake is old enough for a text to start a new one.
    """
    env = os.environ if env is None else env
    config = SmsConfig.from_env(settings, env)
    if not config.auth_token:
        logger.warning("TWILIO_AUTH_TOKEN is not set: %s refuses every request.", ROUTE)
    limiter = limiter or RateLimits.from_env(env).sms
    channel = SmsChannel(settings, store, rasa, media, config.id_key, limiter,
                         new_intake_after=config.new_intake_after, clock=clock, care=care)
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
        *,
        new_intake_after: timedelta = NEW_INTAKE_AFTER,
        clock: Callable[[], datetime] | None = None,
        care: CareService | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.rasa = rasa
        self.media = media
        self.id_key = id_key
        self.limiter = limiter or RateLimiter(())
        self.new_intake_after = new_intake_after
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.care = care

    async def receive(self, form: MultiDict) -> list[str]:
        """The texts to send back for one incoming message (none for a repeat or after STOP)."""
        sender = form.get("From", "")
        if not sender.strip():
            raise HTTPException(422, "The form has no From field.")
        number = normalise_number(sender)
        conversation_id = await run_in_threadpool(self._current_conversation, number)
        sid = form.get("MessageSid", "")
        if sid and not await run_in_threadpool(self.store.claim_sms_message, sid, conversation_id):
            logger.info("Ignored a repeated SMS webhook for message %s.", sid)
            return []
        contact = await run_in_threadpool(self.store.touch_sms_contact, conversation_id, number)
        text = clean_text(form.get("Body", ""))
        answer = await self._keywords(conversation_id, number, contact["opted_out"], text)
        if answer is not None:
            return answer
        verdict = self.limiter.check(sms_number_key(number, self.id_key))
        if not verdict.allowed:
            logger.warning("An SMS number passed the rate limit; its text was not taken in.")
            return split_message(SLOW_DOWN) if verdict.notify else []
        if self.care is not None and text:
            answered = await run_in_threadpool(self._checkin_reply, number, text)
            if answered is not None:
                return answered
        offered, note = contact["buttons"], []
        if await run_in_threadpool(self._starts_new_intake, conversation_id, text):
            conversation_id, new_note = await run_in_threadpool(self._new_conversation, number,
                                                                conversation_id)
            offered, note = [], [new_note]
        pose_asked = None if note else contact.get("pose_asked")
        return note + await self._converse(conversation_id, text, _media(form), offered,
                                           pose_asked)

    async def _keywords(self, conversation_id: str, number: str, opted_out: bool, text: str
                        ) -> list[str] | None:
        """The answer to STOP, START or HELP, or silence for any other text from an opted-out
        number; None for an ordinary text. These come before any rate limit or intake logic."""
        word = _plain_keyword(text)
        opted_out = opted_out or await run_in_threadpool(
            self.store.sms_number_opted_out, sms_number_key(number, self.id_key))
        if opted_out:
            if word in START_WORDS | START_WORDS_ES:
                return await self._opt(conversation_id, number, text, opted_out=False)
            if word in HELP_WORDS | HELP_WORDS_ES:  # always answered, even to an opted-out number
                return await self._canned(conversation_id, text, await self._help(
                    "help_opted_out", conversation_id, text))
            return []
        if is_opt_out(text):
            return await self._opt(conversation_id, number, text, opted_out=True)
        if word in HELP_WORDS | HELP_WORDS_ES:
            return await self._canned(conversation_id, text,
                                      await self._help("help", conversation_id, text))
        return None

    def _checkin_reply(self, number: str, text: str) -> list[str] | None:
        """The answer to a reply to a two-week check-in, or None if none is waiting."""
        assert self.care is not None
        return self.care.sms_reply(self.store.sms_conversations_of(number), text)

    def _current_conversation(self, number: str) -> str:
        """The conversation the number's texts go to: the recorded one, else its first."""
        recorded = self.store.sms_current_conversation(sms_number_key(number, self.id_key))
        return recorded or sms_conversation_id(number, self.id_key)

    def _starts_new_intake(self, conversation_id: str, text: str) -> bool:
        """True when the conversation's intake was sent and the patient asks to start over,
        or writes again long after sending it: the sent intake must stay as the clinic has it."""
        summary = self.store.get_summary(conversation_id)
        if summary is None or summary.status != Status.COMPLETED:
            return False
        if is_restart(text):
            return True
        sent = summary.completed_at
        if sent is None:
            return False
        sent = sent if sent.tzinfo else sent.replace(tzinfo=timezone.utc)  # models use UTC
        return self.clock() - sent >= self.new_intake_after

    def _language(self, conversation_id: str) -> str:
        """The language the conversation's intake is held in ("en" before it has begun)."""
        summary = self.store.get_summary(conversation_id)
        return summary.conversation_language if summary is not None else "en"

    def _new_conversation(self, number: str, current: str) -> tuple[str, str]:
        """Move the number to a new conversation (with its own contact row); its id and the
        note saying so, in the language of the intake just sent."""
        note = sms_text("new_intake", self._language(current))
        moved = self.store.switch_sms_conversation(
            sms_number_key(number, self.id_key), current, new_sms_conversation_id())
        self.store.touch_sms_contact(moved, number)
        self.store.add_message(moved, "bot", note)
        logger.info("SMS conversation %s was sent; the number goes on in %s.", current, moved)
        return moved, note

    async def _help(self, key: str, conversation_id: str, text: str) -> str:
        """A keyword's reply (sms.<key> in the patient catalogue) naming the clinic and its
        phone, in Spanish for a Spanish keyword or intake, else in English."""
        language = keyword_language(text) or await run_in_threadpool(self._language,
                                                                     conversation_id)
        return sms_text(key, language, clinic=self.settings.clinic_name,
                        phone=self.settings.clinic_phone)

    async def _converse(
        self,
        conversation_id: str,
        text: str,
        media: list[tuple[str, str]],
        offered: list[dict[str, str]],
        pose_asked: str | None = None,
    ) -> list[str]:
        """Record any photos, then pass the text (or the picked button's payload) to Rasa.

        Photos follow the guided set (bot.photo_guide): each MMS photo gets the pose last asked
        for (else the first one missing), and a photo without text is answered with the next
        pose to send; SKIP or DONE right after a pose was asked answer the photo guide, not
        the intake's question.
        """
        language = await run_in_threadpool(self._language, conversation_id)
        texts, asked = (await self._photos(conversation_id, media, pose_asked, not text, language)
                        if media else ([], None))
        if media and not text:
            if asked != pose_asked:
                await run_in_threadpool(self.store.set_sms_pose_asked, conversation_id, asked)
            return texts
        if not media and pose_asked and text and photo_guide.command(text, language):
            return await self._pose_command(conversation_id, text, pose_asked, language)
        if not text:
            return texts or split_message(sms_text("no_text", language))
        if len(text) > MAX_TEXT_CHARS:
            return texts + split_message(sms_text("too_long", language))
        chosen = numbered_choice(text, offered)
        shown, message = (chosen["title"], chosen["payload"]) if chosen else (text, text)
        await run_in_threadpool(self.store.add_message, conversation_id, "patient", shown)
        try:
            replies = await self.rasa.send(conversation_id, message, {"channel": "sms"})
        except RasaUnavailable as exc:
            logger.error("Rasa unavailable, SMS patient got the apology reply: %s", exc)
            return texts + split_message(sms_text("rasa_down", language))
        replies = [r for r in replies if isinstance(r, dict)]
        # This message may be the one that chose the language ("Español", or Spanish words).
        language = await run_in_threadpool(self._language, conversation_id)
        answer, buttons = as_sms(replies, language)
        if not answer:
            # As on the web: every message gets at least the next question, so silence means
            # an action failed. The buttons stay, so the patient can send the same number again.
            logger.error("Rasa sent no reply (action server down?); SMS patient asked to retry")
            return texts + split_message(sms_text("retry", language))
        await run_in_threadpool(self._record_turn, conversation_id, replies, buttons,
                                pose_asked is not None)
        return texts + answer

    def _record_turn(self, conversation_id: str, replies: list[dict], buttons: list,
                     pose_was_asked: bool = False) -> None:
        """Keep the bot's replies in the transcript and remember the buttons just offered
        (and that the last text no longer asks for a photo pose)."""
        for reply in replies:
            text = clean_text(reply["text"]) if isinstance(reply.get("text"), str) else ""
            reply_buttons = _buttons(reply.get("buttons"))
            if text or reply_buttons:
                self.store.add_message(conversation_id, "bot", text, reply_buttons)
        self.store.set_sms_buttons(conversation_id, buttons)
        if pose_was_asked:
            self.store.set_sms_pose_asked(conversation_id, None)

    async def _pose_command(self, conversation_id: str, text: str, pose_asked: str,
                            language: str = "en") -> list[str]:
        """SKIP (ask for the next pose) or DONE (no more photos) after a pose was asked for."""
        taken = (await run_in_threadpool(self.store.photo_poses, conversation_id)).values()
        following = photo_guide.next_pose(taken, after=pose_asked)
        skipped = photo_guide.sms_text("sms_skipped", language)
        if photo_guide.command(text, language) == "done":
            reply, asked = photo_guide.sms_text("sms_stopped", language), None
        elif following is None:
            reply, asked = f"{skipped} {photo_guide.sms_text('sms_finished', language)}", None
        else:
            reply, asked = f"{skipped} {photo_guide.sms_ask(following, language)}", following.key
        await run_in_threadpool(self.store.set_sms_pose_asked, conversation_id, asked)
        return await self._canned(conversation_id, text, reply)

    async def _opt(self, conversation_id: str, number: str, text: str, opted_out: bool
                   ) -> list[str]:
        """Opt the number out (STOP) or back in (START), in all its conversations; confirm once."""
        await run_in_threadpool(self.store.set_sms_number_opted_out,
                                sms_number_key(number, self.id_key), number, opted_out)
        if opted_out and self.care is not None:  # no check-in texts after STOP
            await run_in_threadpool(self.care.cancel_for_conversations,
                                    self.store.sms_conversations_of(number), "patient texted STOP")
        logger.info("SMS conversation %s opted %s.", conversation_id, "out" if opted_out else "in")
        return await self._canned(conversation_id, text, await self._help(
            "opted_out" if opted_out else "opted_in", conversation_id, text))

    async def _canned(self, conversation_id: str, text: str, reply: str) -> list[str]:
        """Answer with a fixed reply (not from Rasa), keeping both sides in the transcript."""
        await run_in_threadpool(self.store.add_message, conversation_id, "patient", text)
        await run_in_threadpool(self.store.add_message, conversation_id, "bot", reply)
        return split_message(reply)

    async def _photos(self, conversation_id: str, media: list[tuple[str, str]],
                      pose_asked: str | None, ask_next: bool, language: str = "en"
                      ) -> tuple[list[str], str | None]:
        """Fetch, clean and keep the MMS photos, each with its pose; the texts that acknowledge
        them (and, with ask_next, ask for the next pose), and the pose now asked for."""
        have = len(await run_in_threadpool(self.store.photo_refs, conversation_id))
        limit = photos.MAX_PHOTOS
        if have >= limit:
            return [photos.refusal(photos.TOO_MANY, language)], None
        bring_instead = sms_text("photo_bring_instead", language)
        if self.media is None:
            added, problem = [], bring_instead
            await run_in_threadpool(self.store.add_message, conversation_id, "patient",
                                    PHOTO_NOT_RECEIVED)
        else:
            added, problem = await self._download(conversation_id, media, limit - have,
                                                  pose_asked, language)
        texts = [problem] if problem else []
        if problem == bring_instead:
            await run_in_threadpool(self.store.add_message, conversation_id, "bot", problem)
        if not added:
            return texts, pose_asked if problem != bring_instead else None
        thanks = photo_guide.sms_thanks(added, language)
        asked = None
        if ask_next and have + len(added) < limit:
            taken = (await run_in_threadpool(self.store.photo_poses, conversation_id)).values()
            following = (photo_guide.next_pose(taken, after=added[-1])
                         or photo_guide.next_pose(taken))
            asked = following.key if following else None
            thanks += " " + (photo_guide.sms_ask(following, language) if following
                             else photo_guide.sms_text("sms_finished", language))
        await run_in_threadpool(self.store.add_message, conversation_id, "bot", thanks)
        texts[:0] = split_message(thanks)  # a Spanish text is UCS-2: it may need parts
        return texts, asked

    async def _download(
        self, conversation_id: str, media: list[tuple[str, str]], room: int,
        pose_asked: str | None, language: str = "en",
    ) -> tuple[list[str | None], str | None]:
        """Fetch, clean and store up to `room` photos, the first as the pose asked for (else the
        first missing) and each next one as the next missing pose; (their poses, a problem to
        tell, if any)."""
        fetcher = self.media
        assert fetcher is not None
        root = photos.photos_root(self.settings.db_path)
        taken = set((await run_in_threadpool(self.store.photo_poses, conversation_id)).values())
        first = photo_guide.pose(pose_asked) or photo_guide.next_pose(taken)
        pose = first.key if first else None
        added: list[str | None] = []
        problem = None
        for url, _kind in media:
            if len(added) >= room:
                break
            try:
                clean = await run_in_threadpool(photos.clean_photo, await fetcher.fetch(url))
            except MediaUnavailable as exc:
                # Sending it again would meet the same refusal: the consult is the sure way.
                logger.error("Could not fetch an MMS photo: %s", exc)
                problem = sms_text("photo_bring_instead", language)
                await run_in_threadpool(self.store.add_message, conversation_id, "patient",
                                        PHOTO_NOT_RECEIVED)
                continue
            except photos.PhotoRefused as refused:
                problem = problem or refused.message(language)
                continue
            if await run_in_threadpool(_keep_photo, self.store, root, conversation_id, clean,
                                       pose):
                added.append(pose)
                taken.add(pose)
                following = (photo_guide.next_pose(taken, after=pose)
                             or photo_guide.next_pose(taken))
                pose = following.key if following else None
        return added, problem


def _keep_photo(
    store: IntakeStore, root: Path, conversation_id: str, clean: photos.CleanPhoto,
    pose: str | None = None,
) -> bool:
    """Save a cleaned photo with its pose and link it to the intake and the transcript; False
    past the limit."""
    return photos.keep_photo(store, root, conversation_id, clean, pose) is not None


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
