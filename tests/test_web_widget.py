"""The website chat as a patient's browser sees it: the page, the session cookie, history."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.store import IntakeStore
from bot.web.app import NOT_YOUR_CONVERSATION, SESSION_COOKIE, create_app
from bot.web.rasa_client import FakeRasaClient

WEBHOOK = "/webhooks/rest/webhook"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(secret_key="widget-secret", db_path=tmp_path / "intake.db", clinic_name="Glow & <Co>")


@pytest.fixture
def app(settings, store, rasa):
    return create_app(settings, store, rasa)


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


def bot(text: str, buttons: list[dict] | None = None) -> dict:
    reply = {"recipient_id": "x", "text": text}
    if buttons:
        reply["buttons"] = buttons
    return reply


# --- the page ---------------------------------------------------------------------------------


def test_page_names_the_clinic_escaped_and_loads_only_local_script(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert "Glow &amp; &lt;Co&gt;" in page and "<Co>" not in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/chat.js" defer>']
    assert "http://" not in page and "https://" not in page  # no CDN
    assert 'role="log"' in page and 'aria-live="polite"' in page
    assert '<label for="message"' in page and 'aria-label="Attach photos"' in page
    assert 'name="viewport"' in page


def test_page_has_a_strict_content_security_policy(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "default-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_widget_assets_are_served_locally(client):
    script = client.get("/static/chat.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "innerHTML" not in script.text  # message text only ever goes in as textContent
    assert client.get("/static/chat.css").status_code == 200


# --- the session cookie -----------------------------------------------------------------------


def test_starting_a_conversation_sets_an_httponly_lax_cookie(client):
    response = client.post("/api/conversations")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert response.json()["conversation_id"] in cookie


def test_cookie_is_secure_over_https_or_a_trusted_proxy(settings, store, rasa):
    direct = TestClient(create_app(settings, store, rasa), base_url="https://clinic.test")
    assert "Secure" in direct.post("/api/conversations").headers["set-cookie"]
    proxied = {"X-Forwarded-Proto": "https"}
    trusting = TestClient(create_app(settings, store, rasa, trust_forwarded=True))
    assert "Secure" in trusting.post("/api/conversations", headers=proxied).headers["set-cookie"]
    untrusting = TestClient(create_app(settings, store, rasa, trust_forwarded=False))
    assert "Secure" not in untrusting.post("/api/conversations", headers=proxied).headers["set-cookie"]


def test_knowing_an_id_is_not_enough_without_its_cookie(app, client, rasa):
    sender = client.post("/api/conversations").json()["conversation_id"]
    stranger = TestClient(app)
    response = stranger.post(WEBHOOK, json={"sender": sender, "message": "what did I say?"})
    assert response.status_code == 403
    assert response.json()["detail"] == NOT_YOUR_CONVERSATION
    stranger.post("/api/conversations")  # a session of its own, for a different id
    assert stranger.post(WEBHOOK, json={"sender": sender, "message": "hi"}).status_code == 403
    assert rasa.calls == []


def test_forged_cookie_is_ignored(client, rasa):
    sender = client.post("/api/conversations").json()["conversation_id"]
    value = client.cookies[SESSION_COOKIE]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.post(WEBHOOK, json={"sender": sender, "message": "hi"}).status_code == 403
    assert client.get("/api/chat/history").json() == {"messages": []}


def test_cross_site_browser_requests_are_refused(client, rasa):
    response = client.post("/api/chat", json={"message": "hi"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert rasa.calls == []


# --- chatting through the widget endpoint -----------------------------------------------------


def test_first_message_starts_a_conversation_and_returns_buttons(client, rasa):
    rasa.replies = [[bot("Hi! I'm the intake assistant.\nWhat's your name?"),
                     bot("Ready?", [{"title": "Yes", "payload": "/affirm"}])]]
    response = client.post("/api/chat", json={"message": "hello"})
    assert response.status_code == 200
    assert SESSION_COOKIE in response.cookies
    assert response.json() == {"messages": [
        {"role": "bot", "text": "Hi! I'm the intake assistant.\nWhat's your name?", "buttons": []},
        {"role": "bot", "text": "Ready?", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
    ]}
    [call] = rasa.calls
    assert call["message"] == "hello" and call["metadata"] == {"channel": "web"}
    assert call["sender"] == client.cookies[SESSION_COOKIE].split("~")[0]


def test_conversation_comes_from_the_cookie_not_the_client(client, rasa):
    client.post("/api/chat", json={"message": "hello"})
    client.post("/api/chat", json={"message": "Dana", "sender": "someone-else"})
    assert len({call["sender"] for call in rasa.calls}) == 1
    assert "someone-else" not in {call["sender"] for call in rasa.calls}


def test_history_survives_a_new_browser_tab_with_the_same_cookie(app, client, rasa):
    rasa.replies = [[bot("What's your name?")],
                    [bot("Do the lines show at rest?", [{"title": "At rest", "payload": "at rest"}])]]
    client.post("/api/chat", json={"message": "hello"})
    client.post("/api/chat", json={"message": "Dana <b>Lee</b>"})
    later = TestClient(app, cookies={SESSION_COOKIE: client.cookies[SESSION_COOKIE]})
    history = later.get("/api/chat/history")
    assert history.headers["Cache-Control"] == "no-store"
    assert [(m["role"], m["text"]) for m in history.json()["messages"]] == [
        ("patient", "hello"),
        ("bot", "What's your name?"),
        ("patient", "Dana <b>Lee</b>"),
        ("bot", "Do the lines show at rest?"),
    ]
    assert history.json()["messages"][-1]["buttons"] == [{"title": "At rest", "payload": "at rest"}]
    later.post("/api/chat", json={"message": "at rest", "title": "At rest"})
    assert rasa.calls[-1]["sender"] == rasa.calls[0]["sender"]  # carried on, same conversation


def test_button_answer_shows_its_title_only_for_an_offered_button(client, rasa):
    rasa.replies = [[bot("Photos?", [{"title": "Skip", "payload": "no"}])]]
    client.post("/api/chat", json={"message": "hello"})
    client.post("/api/chat", json={"message": "no", "title": "Skip"})
    client.post("/api/chat", json={"message": "no", "title": "I am a doctor"})
    texts = [m["text"] for m in client.get("/api/chat/history").json()["messages"] if m["role"] == "patient"]
    assert texts == ["hello", "Skip", "no"]
    assert [c["message"] for c in rasa.calls] == ["hello", "no", "no"]


def test_rest_webhook_messages_are_recorded_too(client, rasa):
    sender = client.post("/api/conversations").json()["conversation_id"]
    rasa.replies = [[bot("Hi!")]]
    client.post(WEBHOOK, json={"sender": sender, "message": "hello"})
    assert [m["text"] for m in client.get("/api/chat/history").json()["messages"]] == ["hello", "Hi!"]


def test_rasa_down_is_recorded_so_the_patient_sees_why(store, settings):
    client = TestClient(create_app(settings, store, FakeRasaClient(down=True)))
    messages = client.post("/api/chat", json={"message": "hello"}).json()["messages"]
    assert "try again" in messages[0]["text"]
    assert [m["role"] for m in client.get("/api/chat/history").json()["messages"]] == ["patient", "bot"]


def test_empty_message_is_answered_but_not_recorded(client, rasa):
    messages = client.post("/api/chat", json={"message": "  "}).json()["messages"]
    assert "didn't catch" in messages[0]["text"]
    assert client.get("/api/chat/history").json() == {"messages": []}
    assert rasa.calls == []


def test_start_over_gives_a_new_conversation_and_an_empty_history(client, rasa):
    client.post("/api/chat", json={"message": "hello"})
    before = client.cookies[SESSION_COOKIE]
    response = client.post("/api/chat/restart")
    assert response.status_code == 200 and response.json() == {"messages": []}
    assert client.cookies[SESSION_COOKIE].split("~")[0] != before.split("~")[0]
    assert client.get("/api/chat/history").json() == {"messages": []}
    client.post("/api/chat", json={"message": "hi again"})
    assert rasa.calls[1]["sender"] != rasa.calls[0]["sender"]
    assert rasa.calls[1]["message"] == "hi again"  # no "/restart": the new id is the fresh start


def test_history_without_a_session_is_empty_and_issues_nothing(client):
    response = client.get("/api/chat/history")
    assert response.json() == {"messages": []}
    assert "set-cookie" not in response.headers
