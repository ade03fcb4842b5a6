"""The product as a new user runs it: real action server, Rasa server and web app on loopback."""
from __future__ import annotations

import httpx
import pytest

from tests.stack import ChatClient

pytestmark = pytest.mark.servers

SCRIPT = ["hi, botox for my 11s before my wedding in 9 days", "Maria Lopez", "both",
          "I'll bring them", "Eliquis and fish oil", "no", "nope", "n", "no", "no", "no",
          "had dysport 6 weeks ago", "none", "41", "maria@example.com"]


def run_script(chat: ChatClient, messages: list[str]) -> list[dict]:
    replies = []
    for message in messages:
        replies = chat.say(message)
        assert replies, f"no reply to {message!r}"
    return replies


def test_a_scripted_chat_lands_at_the_staff_api_with_the_right_flags(stack):
    chat = ChatClient(stack.web_url)
    last = run_script(chat, SCRIPT)
    assert "Is that right?" in last[-1]["text"]
    assert "Eliquis" not in last[-1]["text"] or "apixaban" in last[-1]["text"]
    done = chat.say("yes")
    assert any("sent to the clinic" in m["text"] for m in done)

    token = stack.staff_token()
    api = httpx.Client(base_url=stack.web_url, headers={"Authorization": f"Bearer {token}"})
    summary = api.get(f"/api/intakes/{chat.id}").json()
    assert summary["status"] == "completed"
    assert {f["code"] for f in summary["flags"]} == {
        "anticoagulant", "bleeding_risk_supplement", "recent_toxin_treatment",
        "event_within_two_weeks"}
    assert summary["recommendation"] == "clinician_review"
    assert all(f["evidence"] for f in summary["flags"])
    listed = api.get("/api/intakes", params={"recommendation": "clinician_review"}).json()
    assert chat.id in [s["conversation_id"] for s in listed["intakes"]]
    assert httpx.get(f"{stack.web_url}/api/intakes/{chat.id}").status_code == 401


def test_progress_is_saved_as_the_conversation_goes(stack):
    chat = ChatClient(stack.web_url)
    run_script(chat, ["hi", "Ana", "forehead lines when I frown", "bring them", "none",
                      "yes I am pregnant"])
    token = stack.staff_token()
    summary = httpx.get(f"{stack.web_url}/api/intakes/{chat.id}",
                        headers={"Authorization": f"Bearer {token}"}).json()
    assert summary["status"] == "in_progress"
    assert [f["code"] for f in summary["flags"]] == ["pregnant"]


def test_the_rasa_http_api_needs_a_jwt(stack):
    assert httpx.get(f"{stack.rasa_url}/status").status_code == 401
    assert httpx.get(f"{stack.rasa_url}/status", headers=stack.rasa_api_headers()).status_code == 200


def test_a_rasa_restart_mid_intake_resumes_where_it_was(stack):
    chat = ChatClient(stack.web_url)
    run_script(chat, ["hi", "Lee", "crow's feet", "both", "no photos"])
    stack.stop("rasa")
    stack.start("rasa")
    replies = chat.say("fish oil")
    assert any("pregnant" in m["text"].lower() for m in replies)  # the next question, not a restart
