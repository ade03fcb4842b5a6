"""Authentication between the product's own processes: no process trusts another unasked.

Three secrets, one per hop, each generated per install (scripts/run.sh) and passed in the
environment, never on a command line, in a URL or in a log:

- RASA_CHANNEL_SECRET: the web app signs every message body it sends to Rasa's channel
  (HMAC-SHA256 over a timestamp and the body), so only the web app can speak as a patient and
  the sender and channel in the body are the web app's word.
- ACTION_SERVER_TOKEN: Rasa sends it to the action server as `Authorization: Bearer ...`.
- RASA_JWT_SECRET: Rasa's HTTP API accepts only a JWT signed with it, in the Authorization header.

While a secret is rotated, the receiving side also accepts `<NAME>_PREVIOUS` (docs/deploy.md).

    >>> header = sign_body("k" * 32, b'{"sender": "abc"}', now=1000)
    >>> body_signature_ok("k" * 32, b'{"sender": "abc"}', header, now=1010)
    True
    >>> body_signature_ok("k" * 32, b'{"sender": "xyz"}', header, now=1010)
    False
"""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import Mapping

SIGNATURE_HEADER = "X-Intake-Signature"
MAX_AGE_SECONDS = 300  # a signed message older (or newer) than this is refused: no late replays
MIN_SECRET_LENGTH = 32

CHANNEL_SECRET_ENV = "RASA_CHANNEL_SECRET"
ACTION_TOKEN_ENV = "ACTION_SERVER_TOKEN"
JWT_SECRET_ENV = "RASA_JWT_SECRET"
JWT_METHOD = "HS256"


class MissingSecret(Exception):
    """A process was started without a secret it needs (or with one too short to be safe)."""


def require_secret(name: str, value: str | None) -> str:
    """The secret, or MissingSecret naming the variable (never the value)."""
    if not value or len(value) < MIN_SECRET_LENGTH:
        raise MissingSecret(f"{name} must be set to a random secret of at least "
                            f"{MIN_SECRET_LENGTH} characters (scripts/run.sh creates one in var/)")
    return value


def accepted_secrets(name: str, env: Mapping[str, str]) -> list[str]:
    """The secret a receiver checks against, and during a rotation the previous one too."""
    accepted = [require_secret(name, env.get(name))]
    if env.get(f"{name}_PREVIOUS"):
        accepted.append(require_secret(f"{name}_PREVIOUS", env[f"{name}_PREVIOUS"]))
    return accepted


def sign_body(secret: str, body: bytes, now: float | None = None) -> str:
    """The signature header for a request body: "t=<unix seconds>,s=<hex HMAC-SHA256>"."""
    stamp = str(int(time.time() if now is None else now))
    return f"t={stamp},s={_mac(secret, stamp, body)}"


def body_signature_ok(secret: str, body: bytes, header: str | None, now: float | None = None,
                      max_age: float = MAX_AGE_SECONDS) -> bool:
    """True if `header` is sign_body(secret, body) made within max_age seconds of now."""
    fields = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
    stamp, signature = fields.get("t", ""), fields.get("s", "")
    if not stamp.isdigit() or not signature:
        return False
    now = time.time() if now is None else now
    if abs(now - int(stamp)) > max_age:
        return False
    return hmac.compare_digest(_mac(secret, stamp, body), signature)


def bearer_ok(authorization: str | None, token: str) -> bool:
    """True if an Authorization header is exactly "Bearer <token>" (compared in constant time)."""
    scheme, _, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


def rasa_api_jwt(secret: str, subject: str = "ops", ttl_seconds: int = 300,
                 now: float | None = None) -> str:
    """A short-lived admin JWT for Rasa's HTTP API (`Authorization: Bearer <jwt>`)."""
    import jwt  # PyJWT, installed with Rasa; imported here so the web app never needs it

    issued = int(time.time() if now is None else now)
    # No "iat": a host whose clock runs a little behind would call the token not yet valid.
    claims = {"user": {"username": subject, "role": "admin"}, "exp": issued + ttl_seconds}
    return jwt.encode(claims, secret, algorithm=JWT_METHOD)


def _mac(secret: str, stamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
