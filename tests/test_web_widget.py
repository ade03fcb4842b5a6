"""The website chat as a patient's browser sees it: the page, the session cookie, history."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import yaml
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import ValidationError

from bot.config import ROOT, Settings, load_settings
from bot.language import foreign_language, patient_catalogue, response_catalogue
from bot.spanish import language_choice as choose_language
from bot.models import IntakeSummary, Status
from bot.web.app import (NOT_YOUR_CONVERSATION, SESSION_COOKIE, TIME_ESTIMATE, create_app,
                         reply_text)
from bot.web.rasa_client import FakeRasaClient
from tests.staff_samples import PASSWORD, deferred, proceeding, stores

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
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/chat.js" defer>',
        '<script type="application/json" id="widget-text">']  # the labels: data, never run
    assert "http://" not in page and "https://" not in page  # no CDN
    assert 'role="log"' in page and 'aria-live="polite"' in page
    assert '<label for="message"' in page and 'aria-label="Open the photo guide"' in page
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
    assert client.get("/api/chat/history").json() == {"messages": [], "language": "en"}


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
    ], "language": "en"}
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
    assert client.get("/api/chat/history").json() == {"messages": [], "language": "en"}
    assert rasa.calls == []


def test_start_over_gives_a_new_conversation_and_an_empty_history(client, rasa):
    client.post("/api/chat", json={"message": "hello"})
    before = client.cookies[SESSION_COOKIE]
    response = client.post("/api/chat/restart")
    assert response.status_code == 200 and response.json() == {"messages": []}
    assert client.cookies[SESSION_COOKIE].split("~")[0] != before.split("~")[0]
    assert client.get("/api/chat/history").json() == {"messages": [], "language": "en"}
    client.post("/api/chat", json={"message": "hi again"})
    assert rasa.calls[1]["sender"] != rasa.calls[0]["sender"]
    assert rasa.calls[1]["message"] == "hi again"  # no "/restart": the new id is the fresh start


def test_history_without_a_session_is_empty_and_issues_nothing(client):
    response = client.get("/api/chat/history")
    assert response.json() == {"messages": [], "language": "en"}
    assert "set-cookie" not in response.headers


# --- what the page promises: time, privacy, no third-party code -----------------------------


def test_the_page_and_the_bots_welcome_give_the_same_time_estimate(client):
    page = client.get("/").text
    said = re.compile(r"about (\w+) minutes?")
    on_page = said.findall(re.search(r'class="lede"[^>]*>([^<]+)<', page).group(1))
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    welcomes = [variant["text"] for variant in domain["responses"]["utter_welcome"]]
    assert on_page == said.findall(TIME_ESTIMATE["en"]) == ["5"]
    assert welcomes and all(said.findall(text) == on_page for text in welcomes), welcomes
    # The Spanish page (the widget's labels) and the Spanish welcome say the same.
    labels = json.loads(re.search(r'id="widget-text">([^<]+)<', page).group(1))
    spanish = [v["text"] for v in response_catalogue("es")["utter_welcome"]]
    said_es = re.compile(r"unos (\w+) minutos")
    assert said_es.findall(labels["es"]["lede"]) == ["5"]
    assert spanish and all(said_es.findall(text) == ["5"] for text in spanish), spanish


def test_privacy_line_names_the_clinic_escaped_and_links_to_the_notice(client):
    page = client.get("/").text
    assert ('<p class="privacy"><span data-text="privacy_text">Your answers go only to the care '
            'team at Glow &amp; &lt;Co&gt;.</span> <a href="/privacy" target="_blank" '
            'rel="noopener noreferrer" data-text="privacy_link">Privacy notice</a></p>') in page
    notice = client.get("/privacy")
    assert notice.status_code == 200 and "Glow &amp; &lt;Co&gt;" in notice.text
    assert "(555) 010-0199" in notice.text  # how to ask for the answers to be deleted


def test_privacy_line_and_link_come_from_the_settings(tmp_path, store, rasa):
    settings = load_settings({"INTAKE_DB": str(tmp_path / "i.db"), "CLINIC_NAME": "Glow",
                              "CLINIC_PRIVACY_TEXT": "Only {clinic}'s nurses read this <b>.",
                              "CLINIC_PRIVACY_URL": "https://glow.example/privacy?a=1&b=2"})
    page = TestClient(create_app(settings, store, rasa)).get("/").text
    assert "Only Glow&#x27;s nurses read this &lt;b&gt;.</span> " in page
    assert 'href="https://glow.example/privacy?a=1&amp;b=2"' in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
                                 "//evil.example/privacy", "java\tscript:alert(1)", "privacy.html",
                                 "ftp://clinic.example/p", "https:/no-host", " /privacy"])
def test_a_privacy_link_that_is_not_a_web_address_is_refused_at_start_up(url, settings, store,
                                                                          rasa):
    with pytest.raises(ValidationError, match="CLINIC_PRIVACY_URL"):
        load_settings({"CLINIC_PRIVACY_URL": url})
    settings.privacy_url = url  # set after validation, the app still refuses to start
    with pytest.raises(ValueError, match="CLINIC_PRIVACY_URL"):
        create_app(settings, store, rasa)


def test_api_docs_are_off_unless_turned_on(settings, store, rasa, client):
    for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
        assert client.get(path).status_code == 404, path
    with_docs = TestClient(create_app(settings.model_copy(update={"api_docs": True}), store, rasa))
    description = with_docs.get("/openapi.json")
    assert description.status_code == 200 and "/api/intakes" in description.json()["paths"]
    assert with_docs.get("/docs").status_code == 404  # never an HTML page with CDN scripts
    assert with_docs.get("/redoc").status_code == 404
    assert load_settings({"INTAKE_API_DOCS": "1"}).api_docs is True
    assert load_settings({}).api_docs is False


class _Loads(HTMLParser):
    """Collects every address an HTML page makes the browser load (scripts, styles, frames)."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe", "embed", "source", "audio", "video") and values.get("src"):
            self.loads.append(values["src"])
        if tag == "link" and values.get("href"):
            self.loads.append(values["href"])
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.loads.append("inline script")  # a JSON data block is never run


def page_paths(routes: list) -> set[str]:
    """The paths of GET routes without parameters, inside included routers too."""
    found = set()
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's included routers
        if included is not None:
            found |= page_paths(included.routes)
        elif isinstance(route, APIRoute) and "GET" in route.methods and "{" not in route.path:
            found.add(route.path)
    return found


def test_no_page_loads_anything_from_another_site(tmp_path, rasa):
    intakes, _staff = stores(tmp_path / "intake.db")  # with a clinician account
    intakes.save_summary(deferred("conv-defer"))
    app = create_app(Settings(secret_key="s", db_path=tmp_path / "intake.db"), intakes, rasa)
    client = TestClient(app)
    paths = page_paths(app.routes) | {"/staff/intakes/conv-defer", "/staff/intakes/conv-defer/print"}
    assert {"/", "/privacy", "/staff/login", "/staff"} <= paths
    pages = {"/staff/login": client.get("/staff/login").text}
    token = re.search(r'name="csrf_token" value="([^"]+)"', pages["/staff/login"]).group(1)
    client.post("/staff/login", data={"username": "dr.lee", "password": PASSWORD,
                                      "csrf_token": token})
    for path in sorted(paths):
        response = client.get(path)
        if response.headers.get("content-type", "").startswith("text/html"):
            pages[str(response.url.path)] = response.text
    assert {"/", "/privacy", "/staff", "/staff/intakes/conv-defer/print"} <= set(pages)
    for path, page in pages.items():
        parser = _Loads()
        parser.feed(page)
        assert parser.loads, path
        for address in parser.loads:
            assert address.startswith("/") and not address.startswith("//"), (path, address)


# --- typing "restart" after the intake was sent -----------------------------------------------


def conversation_of(client: TestClient) -> str:
    return client.cookies[SESSION_COOKIE].split("~")[0]


@pytest.mark.parametrize("said", ["restart", "Start over!", "new intake"])
def test_restart_typed_after_sending_starts_a_new_conversation_and_keeps_the_sent_one(
        client, rasa, store, said):
    client.post("/api/chat", json={"message": "hello"})
    sent = conversation_of(client)
    store.save_summary(proceeding(sent))
    before = store.get_summary(sent).model_dump()
    rasa.replies = [[bot("Hi! I'm the intake assistant.\nWhat's your first name?")]]
    answer = client.post("/api/chat", json={"message": said}).json()
    assert answer["restarted"] is True  # the widget clears the old conversation from view
    assert answer["messages"][0]["text"].endswith("What's your first name?")
    fresh = conversation_of(client)
    assert fresh != sent
    assert rasa.calls[-1] == {"sender": fresh, "message": said, "metadata": {"channel": "web"}}
    assert [call["sender"] for call in rasa.calls].count(sent) == 1  # only the first "hello"
    assert store.get_summary(sent).model_dump() == before
    assert [m["text"] for m in client.get("/api/chat/history").json()["messages"]] == [
        said, "Hi! I'm the intake assistant.\nWhat's your first name?"]


def test_restart_during_an_unsent_intake_goes_to_the_bot_in_the_same_conversation(
        client, rasa, store):
    client.post("/api/chat", json={"message": "hello"})
    ongoing = conversation_of(client)
    store.save_summary(proceeding(ongoing, status=Status.IN_PROGRESS))
    client.post("/api/chat", json={"message": "restart"})
    assert conversation_of(client) == ongoing
    assert rasa.calls[-1]["sender"] == ongoing and rasa.calls[-1]["message"] == "restart"


def test_a_sentence_mentioning_restart_is_an_answer_not_a_restart(client, rasa, store):
    client.post("/api/chat", json={"message": "hello"})
    sent = conversation_of(client)
    store.save_summary(proceeding(sent))
    client.post("/api/chat", json={"message": "can I restart my botox after the wedding?"})
    assert conversation_of(client) == sent and rasa.calls[-1]["sender"] == sent


def test_restart_on_the_rest_webhook_after_sending_is_answered_here(client, rasa, store):
    sender = client.post("/api/conversations").json()["conversation_id"]
    store.save_summary(proceeding(sender))
    before = store.get_summary(sender).model_dump()
    response = client.post(WEBHOOK, json={"sender": sender, "message": "start over"})
    assert response.status_code == 200
    assert response.json() == [{"recipient_id": sender, "text": reply_text("already_sent")}]
    assert rasa.calls == []  # the restart never reached the bot
    assert store.get_summary(sender).model_dump() == before
    assert conversation_of(client) == sender
    assert [m["text"] for m in client.get("/api/chat/history").json()["messages"]] == [
        "start over", reply_text("already_sent")]


# --- Spanish: the widget's words and the app's own replies in the conversation's language -----


def test_a_spanish_conversation_gets_the_apps_own_replies_in_spanish(client, rasa, store):
    client.post("/api/chat", json={"message": "hola"})
    conversation_id = client.cookies[SESSION_COOKIE].split("~")[0]
    store.save_summary(IntakeSummary(conversation_id=conversation_id, conversation_language="es"))
    empty = client.post("/api/chat", json={"message": "   "}).json()
    assert empty == {"messages": [{"role": "bot", "text": reply_text("no_text", "es"),
                                   "buttons": []}], "language": "es"}
    assert empty["messages"][0]["text"].startswith("No recibí ningún texto")
    assert client.get("/api/chat/history").json()["language"] == "es"
    rasa.down = True
    down = client.post("/api/chat", json={"message": "mi frente"}).json()
    assert down["messages"][0]["text"] == reply_text("rasa_down", "es")


def test_the_page_carries_the_widgets_words_in_english_and_spanish(client):
    page = client.get("/").text
    labels = json.loads(re.search(r'id="widget-text">([^<]+)<', page).group(1))
    assert labels["en"].keys() == labels["es"].keys()
    assert labels["es"]["send"] == "Enviar" and labels["es"]["intro"].startswith("¡Hola! Soy el asistente de Glow & <Co>")
    assert "&lt;Co&gt;" in page and "<Co>" not in page  # escaped in the JSON block as in the page
    # The language button names the other language and sends what the assistant reads as a
    # choice of language; the start button's payload opens the intake in that language.
    assert choose_language(labels["en"]["switch_language"]) == "es"
    assert choose_language(labels["es"]["switch_language"]) == "en"
    assert foreign_language(labels["es"]["start_payload"]) == "es"
    assert '<button type="button" id="language" class="language" lang="es"' in page


def test_the_upload_buttons_the_widget_knows_are_the_photo_questions_own():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    for language, responses in (("en", domain), ("es", response_catalogue("es"))):
        payloads = {b["payload"] for variant in responses["utter_ask_photos"]
                    for b in variant.get("buttons", [])}
        assert patient_catalogue(language)["widget"]["upload_payload"] in payloads, language
