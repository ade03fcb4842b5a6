"""The web app as a browser, Rasa and clinic staff see it; plus the RasaClient adapter and the CLI."""
from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys

import httpx
import pytest
from fastapi.testclient import TestClient

from bot import cli
from bot.config import ROOT, Settings
from bot.internal_auth import SIGNATURE_HEADER, MissingSecret, body_signature_ok
from bot.models import IntakeSummary, Recommendation, Status
from bot.store import IntakeStore
from bot.web.app import create_app, reply_text
from bot.web.rasa_client import FakeRasaClient, RasaClient, RasaUnavailable

WEBHOOK = "/webhooks/rest/webhook"
SETTINGS = Settings(secret_key="test-secret", rasa_url="http://rasa.invalid:5005")


@pytest.fixture
def client(store, rasa) -> TestClient:
    return TestClient(create_app(SETTINGS, store, rasa))


@pytest.fixture
def sender(client) -> str:
    return client.post("/api/conversations").json()["conversation_id"]


@pytest.fixture
def staff(store) -> dict[str, str]:
    return {"Authorization": f"Bearer {store.create_api_token('tests')}"}


def say(client: TestClient, sender: str, message: object) -> httpx.Response:
    return client.post(WEBHOOK, json={"sender": sender, "message": message})


# --- conversations and the chat endpoint ---------------------------------------------------


def test_conversation_ids_are_new_each_time(client):
    first, second = (client.post("/api/conversations").json()["conversation_id"] for _ in range(2))
    assert first != second
    assert len(first.split(".")[0]) >= 32  # 24 random bytes in base64


def test_valid_message_is_forwarded_and_rasa_replies_returned(client, rasa, sender):
    reply = [{"recipient_id": sender, "text": "Hi! What's your name?", "buttons": [{"title": "Skip", "payload": "/skip"}]}]
    rasa.replies = [reply]
    response = client.post(WEBHOOK, json={"sender": sender, "message": "hello", "metadata": {"tz": "UTC"}})
    assert response.status_code == 200
    assert response.json() == reply
    assert rasa.calls == [{"sender": sender, "message": "hello",
                           "metadata": {"tz": "UTC", "channel": "web"}}]  # channel set by the server


@pytest.mark.parametrize(
    "forged",
    ["someone-elses-id", "abc.def", "", ".", "x" * 32 + "."],
)
def test_unsigned_sender_is_refused(client, rasa, forged):
    response = say(client, forged, "hello")
    assert response.status_code == 403
    assert "conversation" in response.json()["detail"].lower()
    assert rasa.calls == []


def test_tampered_or_foreign_sender_is_refused(client, rasa, sender, store):
    random_part, signature = sender.split(".")
    tampered = random_part[:-1] + ("A" if random_part[-1] != "A" else "B") + "." + signature
    other_server = TestClient(create_app(Settings(secret_key="other-secret"), store, FakeRasaClient()))
    foreign = other_server.post("/api/conversations").json()["conversation_id"]
    assert say(client, tampered, "hi").status_code == 403
    assert say(client, foreign, "hi").status_code == 403
    assert rasa.calls == []


@pytest.mark.parametrize("message", ["", "   \n\t ", None, 42, ["hi"], "\x00\x07\x1b"])
def test_no_text_gets_a_kind_answer_and_is_not_forwarded(client, rasa, sender, message):
    response = say(client, sender, message)
    assert response.status_code == 200
    assert response.json() == [{"recipient_id": sender, "text": reply_text("no_text")}]
    assert rasa.calls == []


def test_missing_message_gets_the_same_kind_answer(client, rasa, sender):
    response = client.post(WEBHOOK, json={"sender": sender})
    assert response.json() == [{"recipient_id": sender, "text": reply_text("no_text")}]
    assert rasa.calls == []


@pytest.mark.parametrize("emoji", ["👍", "🤷‍♀️", "😬😬"])
def test_emoji_only_message_is_a_real_answer(client, rasa, sender, emoji):
    say(client, sender, emoji)
    assert rasa.calls[0]["message"] == emoji  # the zero-width joiner in 🤷‍♀️ survives


def test_very_long_message_asks_for_a_shorter_one(client, rasa, sender):
    response = say(client, sender, "a" * 10_000)
    assert response.status_code == 200
    [reply] = response.json()
    assert reply["recipient_id"] == sender
    assert "shorter" in reply["text"] and "2,000" in reply["text"]
    assert rasa.calls == []


def test_message_at_the_limit_is_forwarded(client, rasa, sender):
    say(client, sender, "a" * 2000)
    assert len(rasa.calls[0]["message"]) == 2000


def test_control_characters_are_stripped_but_lines_kept(client, rasa, sender):
    say(client, sender, "I take\x00 aspirin\x1b[31m\r\nand\tfish oil\x7f")
    assert rasa.calls[0]["message"] == "I take aspirin[31m\nand\tfish oil"


@pytest.mark.parametrize(
    "body, status",
    [
        (b"not json", 400),
        (b"[" * 50_000 + b"]" * 10_000, 400),  # nested deeper than the JSON parser recurses
        (b'["sender", "message"]', 422),
        (b'"hello"', 422),
        (b'{"message": "hello"}', 422),
        (b'{"sender": 12, "message": "hello"}', 422),
    ],
)
def test_wrong_json_gets_a_clear_json_error(client, rasa, body, status):
    response = client.post(WEBHOOK, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert isinstance(response.json()["detail"], str)
    assert rasa.calls == []


def test_metadata_that_is_not_an_object_is_refused(client, rasa, sender):
    response = client.post(WEBHOOK, json={"sender": sender, "message": "hi", "metadata": "x"})
    assert response.status_code == 422
    assert rasa.calls == []


def test_oversized_body_is_refused(client, rasa, sender):
    response = client.post(WEBHOOK, json={"sender": sender, "message": "a" * 70_000})
    assert response.status_code == 413
    assert rasa.calls == []


def test_oversized_body_without_content_length_is_refused(client, rasa, sender):
    def chunks():
        yield json.dumps({"sender": sender, "message": ""}).encode()[:-2]
        for _ in range(70):
            yield b" " * 1024
        yield b'"}'

    response = client.post(WEBHOOK, content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert rasa.calls == []


def test_rasa_down_gets_an_apology_and_a_loud_log(store, caplog):
    down = FakeRasaClient(down=True)
    client = TestClient(create_app(SETTINGS, store, down))
    sender = client.post("/api/conversations").json()["conversation_id"]
    with caplog.at_level(logging.ERROR, logger="bot.web.app"):
        response = say(client, sender, "hello")
    assert response.status_code == 200
    assert response.json() == [{"recipient_id": sender, "text": reply_text("rasa_down")}]
    assert any(r.levelno == logging.ERROR for r in caplog.records)
    assert sender not in caplog.text  # the id is a key to the conversation


def test_missing_secret_key_still_works_for_this_process(store, rasa, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.web.app"):
        client = TestClient(create_app(Settings(secret_key=""), store, rasa))
    assert "INTAKE_SECRET_KEY" in caplog.text
    sender = client.post("/api/conversations").json()["conversation_id"]
    assert say(client, sender, "hi").status_code == 200
    assert len(rasa.calls) == 1


# --- staff API ------------------------------------------------------------------------------


def test_staff_api_needs_a_valid_token(client):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic dXNlcjpwYXNz"}):
        for path in ("/api/intakes", "/api/intakes/anything"):
            response = client.get(path, headers=headers)
            assert response.status_code == 401
            assert response.headers["WWW-Authenticate"] == "Bearer"


def test_unknown_intake_is_404(client, staff):
    response = client.get("/api/intakes/nope", headers=staff)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_intake_is_returned_with_script_tags_as_plain_data(client, store, staff):
    name = '<script>alert("hi")</script> Dana'
    store.save_summary(IntakeSummary(conversation_id="c1", patient_name=name, status=Status.COMPLETED))
    response = client.get("/api/intakes/c1", headers=staff)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["patient_name"] == name
    assert response.json()["status"] == "completed"


def test_intake_list_filters(client, store, staff):
    store.save_summary(IntakeSummary(conversation_id="a", status=Status.COMPLETED, recommendation=Recommendation.DEFER))
    store.save_summary(IntakeSummary(conversation_id="b", status=Status.IN_PROGRESS))

    def ids(query: str) -> list[str]:
        return sorted(i["conversation_id"] for i in client.get(f"/api/intakes{query}", headers=staff).json()["intakes"])

    assert ids("") == ["a", "b"]
    assert ids("?status=completed") == ["a"]
    assert ids("?recommendation=proceed") == ["b"]
    assert ids("?status=in_progress&recommendation=defer") == []


@pytest.mark.parametrize("query", ["?status=done", "?recommendation=maybe", "?limit=0"])
def test_invalid_filter_is_422(client, staff, query):
    assert client.get(f"/api/intakes{query}", headers=staff).status_code == 422


# --- headers and health ---------------------------------------------------------------------


def test_security_headers(client, staff, sender):
    for response in (
        client.get("/api/intakes", headers=staff),
        client.get("/api/intakes"),  # errors too
        say(client, sender, "hi"),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"
    health = client.get("/healthz")
    assert health.json() == {"ok": True}
    assert health.headers["X-Content-Type-Options"] == "nosniff"


# --- RasaClient against a mock transport ----------------------------------------------------


CHANNEL_SECRET = "c" * 32


def rasa_with(handler) -> RasaClient:
    return RasaClient("http://rasa:5005/", CHANNEL_SECRET, transport=httpx.MockTransport(handler))


def test_rasa_client_posts_signed_messages_to_the_webapp_channel():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), json.loads(request.content)))
        assert body_signature_ok(CHANNEL_SECRET, request.content,
                                 request.headers[SIGNATURE_HEADER])
        assert CHANNEL_SECRET not in str(request.url) + str(request.headers)
        return httpx.Response(200, json=[{"recipient_id": "s", "text": "hi"}])

    replies = asyncio.run(rasa_with(handler).send("s", "hello", {"k": 1}))
    assert replies == [{"recipient_id": "s", "text": "hi"}]
    assert seen == [("http://rasa:5005/webhooks/webapp/webhook",
                     {"sender": "s", "message": "hello", "metadata": {"k": 1}})]


@pytest.mark.parametrize("secret", ["", "too-short"])
def test_the_web_app_will_not_talk_to_rasa_without_a_real_channel_secret(secret):
    with pytest.raises(MissingSecret, match="RASA_CHANNEL_SECRET"):
        RasaClient("http://rasa:5005/", secret)


@pytest.mark.parametrize(
    "handler",
    [
        lambda request: httpx.Response(500, text="boom"),
        lambda request: httpx.Response(200, text="<html>"),
        lambda request: httpx.Response(200, json={"not": "a list"}),
        lambda request: (_ for _ in ()).throw(httpx.ConnectError("refused", request=request)),
        lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=request)),
    ],
    ids=["5xx", "not-json", "not-a-list", "connection-refused", "timeout"],
)
def test_rasa_client_failures_become_rasa_unavailable(handler):
    with pytest.raises(RasaUnavailable):
        asyncio.run(rasa_with(handler).send("s", "hello"))


# --- CLI ------------------------------------------------------------------------------------


def test_cli_token_works_against_the_api(tmp_path, capsys):
    env = {"INTAKE_DB": str(tmp_path / "intake.db")}
    assert cli.main(["create-token", "--label", "front desk"], env=env) == 0
    token = capsys.readouterr().out.strip()
    assert token and "\n" not in token  # the token and nothing else

    store = IntakeStore(tmp_path / "intake.db")
    store.save_summary(IntakeSummary(conversation_id="c1", status=Status.COMPLETED))
    client = TestClient(create_app(SETTINGS, store, FakeRasaClient()))
    response = client.get("/api/intakes/c1", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200

    assert cli.main(["list-intakes"], env=env) == 0
    assert capsys.readouterr().out == "c1\tcompleted\tproceed\n"


def test_every_cli_command_has_help(capsys):
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0]  # argparse keeps subcommands here
    assert {"create-token", "list-intakes", "check-policy"} <= set(commands.choices)
    for action in commands._choices_actions:
        assert action.help
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"], env={})
    assert exit_info.value.code == 0
    assert "create-token" in capsys.readouterr().out


def test_web_app_does_not_import_rasa():
    code = "import sys, bot.web.app; print(sorted({m.split('.')[0] for m in sys.modules} & {'rasa', 'rasa_sdk'}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
