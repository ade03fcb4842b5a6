"""The checks between the product's processes: signed bodies, bearer tokens, JWTs, start-up.

The real processes refusing unauthenticated calls are in tests/servers/test_internal_auth.py.
"""
from __future__ import annotations

import jwt
import pytest

from bot.internal_auth import (MissingSecret, accepted_secrets, bearer_ok, body_signature_ok,
                               rasa_api_jwt, require_secret, sign_body)
from rasa_addons.rasa_server import rasa_argv

SECRET = "s" * 64
BODY = b'{"sender": "abc", "message": "hi", "metadata": {"channel": "web"}}'
NOW = 1_800_000_000


@pytest.mark.parametrize("header, body, now, ok", [
    (sign_body(SECRET, BODY, now=NOW), BODY, NOW, True),
    (sign_body(SECRET, BODY, now=NOW), BODY, NOW + 299, True),  # clocks of two hosts differ
    (sign_body(SECRET, BODY, now=NOW), BODY, NOW + 301, False),  # a late replay
    (sign_body(SECRET, BODY, now=NOW + 400), BODY, NOW, False),  # from the future
    (sign_body(SECRET, BODY, now=NOW), BODY.replace(b"abc", b"xyz"), NOW, False),  # other sender
    (sign_body(SECRET, BODY, now=NOW), BODY.replace(b"web", b"sms"), NOW, False),  # other channel
    (sign_body("o" * 64, BODY, now=NOW), BODY, NOW, False),  # another secret
    (None, BODY, NOW, False),
    ("", BODY, NOW, False),
    (SECRET, BODY, NOW, False),  # the secret itself
    (f"t={NOW}", BODY, NOW, False),
    (f"t=soon,s={sign_body(SECRET, BODY, now=NOW).split('s=')[1]}", BODY, NOW, False),
    (sign_body(SECRET, BODY, now=NOW).replace(f"t={NOW}", f"t={NOW + 1}"), BODY, NOW, False),
])
def test_only_a_fresh_signature_of_this_body_with_this_secret_passes(header, body, now, ok):
    assert body_signature_ok(SECRET, body, header, now=now) is ok


@pytest.mark.parametrize("authorization, ok", [
    (f"Bearer {SECRET}", True),
    (f"bearer {SECRET}", True),
    (SECRET, False),
    (f"Bearer {SECRET[:-1]}", False),
    (f"Bearer {SECRET}x", False),
    (f"Basic {SECRET}", False),
    ("Bearer ", False),
    (None, False),
])
def test_a_bearer_token_must_match_exactly(authorization, ok):
    assert bearer_ok(authorization, SECRET) is ok


@pytest.mark.parametrize("value", [None, "", "short"])
def test_a_process_will_not_start_without_a_real_secret(value):
    with pytest.raises(MissingSecret, match="ACTION_SERVER_TOKEN") as refused:
        require_secret("ACTION_SERVER_TOKEN", value)
    assert "short" not in str(refused.value)  # names the variable, never the value


def test_the_rasa_api_jwt_is_a_short_lived_admin_token_signed_with_the_secret():
    token = rasa_api_jwt(SECRET, "ops", ttl_seconds=60, now=NOW)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims == {"user": {"username": "ops", "role": "admin"}, "exp": NOW + 60}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "o" * 64, algorithms=["HS256"], options={"verify_exp": False})


def test_rasa_runs_with_jwt_auth_and_the_secret_never_on_its_command_line():
    argv = rasa_argv(["-i", "127.0.0.1", "-p", "5005"], SECRET)
    assert argv[:2] == ["rasa", "run"]
    assert argv[-5:] == ["--enable-api", "--jwt-secret", SECRET, "--jwt-method", "HS256"]


@pytest.mark.parametrize("option", ["--auth-token", "--auth-tok=x", "--au", "-t", "-tx", "-vt",
                                    "--jwt-secret", "--jwt-s=x", "--jwt-method=RS256",
                                    "--jwt-private-key", "--connector", "--conn=rest"])
def test_rasa_refuses_a_query_string_token_another_jwt_setting_or_another_channel(option):
    with pytest.raises(SystemExit, match="not allowed"):
        rasa_argv(["-p", "5005", option], SECRET)


def test_rasa_takes_its_other_options():
    options = ["-v", "-i", "127.0.0.1", "--cors", "https://clinic.example", "--credentials",
               "credentials.yml", "--ssl-certificate", "c.pem", "--ssl-keyfile=k.pem"]
    assert rasa_argv(options, SECRET)[2:-5] == options


def test_during_a_rotation_the_receiver_also_takes_the_previous_secret():
    assert accepted_secrets("X", {"X": SECRET}) == [SECRET]
    assert accepted_secrets("X", {"X": SECRET, "X_PREVIOUS": "o" * 64}) == [SECRET, "o" * 64]
    with pytest.raises(MissingSecret, match="X_PREVIOUS"):
        accepted_secrets("X", {"X": SECRET, "X_PREVIOUS": "short"})


def test_the_webapp_channel_checks_the_signature_with_the_current_or_previous_secret(monkeypatch):
    from rasa_addons.channel import WebAppInput  # imports Rasa (seconds): only in this test

    monkeypatch.setenv("RASA_CHANNEL_SECRET_PREVIOUS", "o" * 64)
    channel = WebAppInput.from_credentials({"secret": SECRET})
    assert channel.signed_by_the_web_app(BODY, sign_body(SECRET, BODY))
    assert channel.signed_by_the_web_app(BODY, sign_body("o" * 64, BODY))
    assert not channel.signed_by_the_web_app(BODY, sign_body("n" * 64, BODY))
    assert not channel.signed_by_the_web_app(BODY, None)
    with pytest.raises(MissingSecret, match="RASA_CHANNEL_SECRET"):
        WebAppInput.from_credentials({})


def test_the_cli_prints_a_rasa_api_jwt_only_with_the_secret(capsys):
    from bot import cli

    assert cli.main(["rasa-api-token", "--minutes", "1"], env={"RASA_JWT_SECRET": SECRET}) == 0
    token = capsys.readouterr().out.strip()
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["user"]["role"] == "admin"
    assert cli.main(["rasa-api-token"], env={}) == 2
    assert "RASA_JWT_SECRET must be set" in capsys.readouterr().err
