"""Several Rasa servers: the web app moves a conversation to another server when its own is
gone, and a resent message that was handled already is answered from the tracker, not twice."""
from __future__ import annotations

import json

import httpx
import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.web.rasa_client import RasaClient, RasaUnavailable
from rasa_addons.channel import replies_after

SECRET = "s" * 64


def client(handler) -> RasaClient:
    return RasaClient("http://rasa-a:5005, http://rasa-b:5005/", SECRET,
                      transport=httpx.MockTransport(handler))


async def test_a_conversation_keeps_its_server_while_it_answers():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        return httpx.Response(200, json=[{"text": "ok"}])

    rasa = client(handler)
    for _ in range(3):
        await rasa.send("conv-1", "hi")
    assert len(set(seen)) == 1
    others = {rasa._servers_for(f"conv-{n}")[0] for n in range(40)}
    assert len(others) == 2  # conversations are spread over both servers


async def test_a_refused_or_dropped_connection_moves_the_message_to_the_next_server():
    bodies = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append((request.url.host, json.loads(request.content)))
        if len(bodies) == 1:
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        return httpx.Response(200, json=[{"text": "next question"}])

    assert await client(handler).send("conv-1", "no", {"channel": "web"}) == [
        {"text": "next question"}]
    (first_host, first), (second_host, second) = bodies
    assert first_host != second_host
    assert first["metadata"]["message_id"] == second["metadata"]["message_id"]
    assert "retry" not in first["metadata"] and second["metadata"]["retry"] is True


async def test_a_timeout_is_never_resent_and_no_server_at_all_is_rasa_unavailable():
    calls = []

    def slow(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(RasaUnavailable):
        await client(slow).send("conv-1", "no")
    assert len(calls) == 1  # it may still be handling it

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(RasaUnavailable, match="rasa-a.*rasa-b|rasa-b.*rasa-a"):
        await client(down).send("conv-1", "no")


def test_a_handled_message_is_answered_with_the_replies_saved_after_it():
    events = [
        UserUttered("hi", metadata={"message_id": "m1"}),
        BotUttered("What's your name?"),
        UserUttered("Ana", metadata={"message_id": "m2"}),
        ActionExecuted("intake_form"), SlotSet("name", "Ana"),
        BotUttered("Thanks Ana."), BotUttered("Are you pregnant?",
                                             data={"buttons": [{"title": "No", "payload": "no"}]}),
        UserUttered("no", metadata={"message_id": "m3"}),
    ]
    assert replies_after(events, "m2") == [
        {"text": "Thanks Ana."},
        {"text": "Are you pregnant?", "buttons": [{"title": "No", "payload": "no"}]}]
    assert replies_after(events, "m3") == []
    assert replies_after(events, "never-seen") is None
