"""Size and rate limits as a patient, a runaway script and Twilio meet them.

Rates run on a FakeClock, so "10 seconds later" takes no time. The key promise: a patient who
answers as fast as a person can (one message every 2 s) is never slowed down.
"""
from __future__ import annotations

import doctest
import json
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from bot.config import Settings
from bot.web import limits, photos
from bot.web.app import create_app, reply_text
from bot.web.limits import (
    BODY_LIMITS,
    BodySizeLimit,
    DEFAULT_BODY_BYTES,
    SLOW_DOWN,
    TOO_LARGE,
    TOO_MANY_CONVERSATIONS,
    FakeClock,
    Rate,
    RateLimiter,
    RateLimits,
)

SETTINGS = Settings(secret_key="test-secret")
TOKEN = "test-twilio-auth-token"
SMS_URL = "http://testserver/sms/twilio"
PHONE = "+15550100123"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def client(store, rasa, clock, monkeypatch) -> TestClient:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("INTAKE_SECRET_KEY", "test-secret")
    return TestClient(create_app(SETTINGS, store, rasa, limits=RateLimits.default(clock)))


def chat(client: TestClient, text: str = "hello"):
    return client.post("/api/chat", json={"message": text})


def text_message(client: TestClient, body: str, sid: int, number: str = PHONE) -> list[str]:
    """Send one signed SMS; the <Message> texts of the TwiML answer."""
    fields = {"MessageSid": f"SM{sid:032d}", "From": number, "To": "+15550109999", "Body": body}
    signature = RequestValidator(TOKEN).compute_signature(SMS_URL, fields)
    response = client.post("/sms/twilio", data=fields, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200, response.text
    return [m.text or "" for m in ET.fromstring(response.content).findall("Message")]


# --- the token buckets ---------------------------------------------------------------------


def test_docstring_example():
    assert doctest.testmod(limits).failed == 0


def test_a_burst_is_allowed_up_to_the_limit_then_refused_with_a_wait(clock):
    limiter = RateLimiter([Rate(20, 10.0)], clock)
    assert all(limiter.check("c").allowed for _ in range(20))
    refused = limiter.check("c")
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(0.5)  # 2 tokens a second come back
    clock.advance(0.5)
    assert limiter.check("c").allowed


def test_the_long_window_catches_a_steady_stream_the_burst_allows(clock):
    limiter = RateLimiter(limits.CONVERSATION_RATES, clock)
    allowed = 0
    for _ in range(300):  # one message a second for 5 minutes: never a burst
        allowed += limiter.check("c").allowed
        clock.advance(1.0)
    # 120 at once, then one every 5 s refills the 10-minute bucket.
    assert 170 <= allowed <= 185


def test_refused_events_are_not_counted(clock):
    limiter = RateLimiter([Rate(2, 10.0)], clock)
    limiter.check("c"), limiter.check("c")
    for _ in range(50):
        assert not limiter.check("c").allowed
    clock.advance(5.0)
    assert limiter.check("c").allowed


def test_keys_are_independent(clock):
    limiter = RateLimiter([Rate(1, 10.0)], clock)
    assert limiter.check("a").allowed
    assert not limiter.check("a").allowed
    assert limiter.check("b").allowed


def test_the_sender_is_told_once_per_window(clock):
    limiter = RateLimiter([Rate(1, 10.0)], clock)
    limiter.check("c")
    assert limiter.check("c").notify
    assert not limiter.check("c").notify
    clock.advance(9.0)
    assert not limiter.check("c").notify
    clock.advance(1.0)  # allowed again: one token back
    assert limiter.check("c").allowed
    assert limiter.check("c").notify  # 10 s since the last notice


def test_memory_is_bounded_by_forgetting_the_least_recent_keys(clock):
    limiter = RateLimiter([Rate(1, 60.0)], clock, max_keys=3)
    for key in "abcd":
        limiter.check(key)
    assert list(limiter._keys) == ["b", "c", "d"]
    assert limiter.check("a").allowed  # forgotten, so fresh


def test_no_rates_means_no_limit():
    limiter = RateLimits.off().conversation
    assert all(limiter.check("c").allowed for _ in range(1000))


def test_env_switch_turns_the_limits_off():
    assert RateLimits.from_env({"INTAKE_RATE_LIMITS": "off"}).conversation.rates == ()
    assert RateLimits.from_env({}).conversation.rates == limits.CONVERSATION_RATES


# --- a real patient's pace ------------------------------------------------------------------


def test_a_patient_answering_every_2_seconds_is_never_slowed_down(client, rasa, clock):
    for i in range(40):
        response = chat(client, f"answer {i}")
        assert response.status_code == 200, (i, response.text)
        clock.advance(2.0)
    assert len(rasa.calls) == 40


def test_an_sms_patient_texting_every_2_seconds_is_never_slowed_down(client, rasa, clock):
    for i in range(40):
        assert text_message(client, f"answer {i}", sid=i) == ["ok"], i
        clock.advance(2.0)
    assert len(rasa.calls) == 40


def test_a_patient_tapping_buttons_quickly_is_not_slowed_down(client, rasa, clock):
    for i in range(15):  # 15 taps half a second apart, then a normal pace
        assert chat(client, f"/affirm{i}").status_code == 200
        clock.advance(0.5)
    for i in range(25):
        assert chat(client, f"answer {i}").status_code == 200
        clock.advance(2.0)


# --- web chat -------------------------------------------------------------------------------


def test_a_flood_from_one_conversation_gets_429_and_nothing_reaches_rasa(client, rasa, store, clock):
    for _ in range(20):
        assert chat(client).status_code == 200
    response = chat(client, "one too many")
    assert response.status_code == 429
    assert response.json() == {"detail": SLOW_DOWN}
    assert response.headers["retry-after"] == "1"
    assert response.headers["cache-control"] == "no-store"
    assert len(rasa.calls) == 20
    conversation_id = rasa.calls[0]["sender"]
    assert "one too many" not in [m["text"] for m in store.list_messages(conversation_id)]
    clock.advance(1.0)
    assert chat(client).status_code == 200


def test_the_rest_webhook_shares_the_conversation_limit(client, rasa):
    sender = client.post("/api/conversations").json()["conversation_id"]
    for _ in range(10):
        assert chat(client).status_code == 200
    for _ in range(10):
        body = {"sender": sender, "message": "hi"}
        assert client.post("/webhooks/rest/webhook", json=body).status_code == 200
    response = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": "hi"})
    assert response.status_code == 429
    assert response.json()["detail"] == SLOW_DOWN
    assert len(rasa.calls) == 20


def test_one_flooding_conversation_does_not_slow_another(store, rasa, clock):
    app = create_app(SETTINGS, store, rasa, limits=RateLimits.default(clock))
    flooder, patient = TestClient(app), TestClient(app)
    while chat(flooder).status_code == 200:
        pass
    assert chat(patient).status_code == 200


def test_photo_uploads_count_against_the_conversation(client, clock):
    for _ in range(20):
        chat(client)
    response = client.post("/api/chat/photos", files={"photo": ("a.jpg", b"x", "image/jpeg")})
    assert response.status_code == 429


def test_starting_conversations_is_limited_per_client_address(store, rasa, clock):
    app = create_app(SETTINGS, store, rasa, limits=RateLimits.default(clock))
    farm = TestClient(app, client=("203.0.113.7", 40000))
    for _ in range(30):
        assert farm.post("/api/conversations").status_code == 200
    refused = farm.post("/api/conversations")
    assert refused.status_code == 429
    assert refused.json() == {"detail": TOO_MANY_CONVERSATIONS}
    assert "set-cookie" not in refused.headers
    # Other ways to get a fresh conversation count too; an existing one is not affected.
    assert TestClient(app, client=("203.0.113.7", 40001)).post("/api/chat", json={
        "message": "hi"}).status_code == 429
    assert farm.post("/api/chat/restart").status_code == 429
    assert farm.post("/api/chat", json={"message": "hi"}).status_code == 200
    assert TestClient(app, client=("198.51.100.2", 1)).post("/api/conversations").status_code == 200
    clock.advance(2.0)  # 30 a minute: one back every 2 s
    assert farm.post("/api/conversations").status_code == 200


def test_limits_can_be_switched_off_for_load_tests(store, rasa, monkeypatch):
    monkeypatch.setenv("INTAKE_RATE_LIMITS", "off")
    client = TestClient(create_app(SETTINGS, store, rasa))
    assert all(client.post("/api/conversations").status_code == 200 for _ in range(40))
    assert all(chat(client).status_code == 200 for _ in range(30))


# --- SMS ------------------------------------------------------------------------------------


def test_an_sms_flood_is_told_once_then_ignored(client, rasa, clock):
    for i in range(20):
        assert text_message(client, "hi", sid=i) == ["ok"]
    assert text_message(client, "hi", sid=100) == [SLOW_DOWN]
    assert text_message(client, "hi", sid=101) == []
    assert text_message(client, "hi", sid=102) == []
    assert len(rasa.calls) == 20
    clock.advance(0.5)  # one token back
    assert text_message(client, "hi", sid=103) == ["ok"]
    # Out of tokens again, but within 10 s of the notice: no second notice yet.
    assert text_message(client, "hi", sid=104) == []
    clock.advance(10.0)
    assert text_message(client, "hi", sid=105) == ["ok"]
    for i in range(200, 240):
        text_message(client, "hi", sid=i)
    assert text_message(client, "hi", sid=300) == []


def test_stop_is_honoured_while_rate_limited(client, rasa, store):
    for i in range(25):
        text_message(client, "hi", sid=i)
    reply = text_message(client, "STOP", sid=99)
    assert reply and "unsubscribed" in reply[0]
    assert text_message(client, "hi", sid=100) == []  # opted out: silence, not a notice


def test_numbers_are_limited_separately(client, rasa):
    for i in range(21):
        text_message(client, "hi", sid=i)
    assert text_message(client, "hi", sid=50, number="+15550100999") == ["ok"]


def test_an_auto_responder_loop_is_capped_for_the_day(clock):
    limiter = RateLimiter(limits.SMS_RATES, clock)
    allowed = 0
    for _ in range(24 * 3600 // 3):  # a text every 3 s, all day
        allowed += limiter.check("sms-loop").allowed
        clock.advance(3.0)
    assert allowed <= 600


# --- body size ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(BODY_LIMITS))
def test_every_path_with_its_own_limit_is_a_route_that_takes_posts(client, path):
    assert client.post(path, content=b"{}").status_code not in (404, 405)


@pytest.mark.parametrize("path", ["/api/chat", "/webhooks/rest/webhook", "/api/conversations",
                                  "/api/intakes", "/api/chat/photos", "/staff/login"])
def test_a_declared_body_over_the_path_limit_gets_a_kind_json_413(client, rasa, path):
    size = BODY_LIMITS.get(path, DEFAULT_BODY_BYTES) + 1
    response = client.post(path, content=b"x" * size, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    if path.startswith("/api") or path.startswith("/webhooks"):
        expected = photos.refusal(photos.TOO_BIG) if path == "/api/chat/photos" else TOO_LARGE
        assert response.json() == {"detail": expected}
        assert response.headers["cache-control"] == "no-store"
    else:
        assert response.text == TOO_LARGE
    assert response.headers["x-content-type-options"] == "nosniff"
    assert rasa.calls == []


def test_a_streamed_body_without_length_is_counted(client, rasa):
    def chunks():
        yield b'{"message": "'
        for _ in range(100):
            yield b"a" * 1024
        yield b'"}'

    response = client.post("/api/chat", content=chunks(),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE}
    assert rasa.calls == []


def test_the_middleware_counts_any_route_s_streamed_body_against_the_default():
    async def echo_length(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    app = Starlette(routes=[Route("/later-route", echo_length, methods=["POST"])])
    app.add_middleware(BodySizeLimit)
    client = TestClient(app)

    def chunks(kilobytes: int):
        for _ in range(kilobytes):
            yield b"a" * 1024

    assert client.post("/later-route", content=chunks(16)).text == str(16 * 1024)
    response = client.post("/later-route", content=chunks(17))
    assert response.status_code == 413
    assert response.text == TOO_LARGE


def test_sms_over_the_limit_gets_plain_text(client, rasa):
    body = "Body=" + "%F0%9F%98%80" * 3000  # 36 KB of URL-encoded emoji
    response = client.post("/sms/twilio", content=body.encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/plain")
    assert rasa.calls == []


def test_a_longest_twilio_text_fits_under_the_sms_limit(client, rasa):
    body = "\u6f22" * 1600  # 1,600 CJK characters: 14 KB once URL-encoded
    assert text_message(client, body, sid=1) == ["ok"]
    assert rasa.calls[0]["message"] == body


def test_a_body_just_under_the_chat_limit_gets_the_app_s_own_answer(client, rasa):
    body = json.dumps({"message": "a" * (60 * 1024)}).encode()
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.json()["messages"][0]["text"] == reply_text("too_long")
