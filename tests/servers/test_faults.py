"""Faults with real processes: the action server goes away, the tracker database breaks, and
many patients write at once. The patient always gets a kind answer and no answer is lost."""
from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.stack import ChatClient

pytestmark = pytest.mark.servers


def staff(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.web_url, timeout=60,
                        headers={"Authorization": f"Bearer {stack.staff_token()}"})


def test_action_server_down_mid_intake_gets_a_kind_retry_and_nothing_is_lost(stack):
    chat = ChatClient(stack.web_url)
    for message in ["hi", "Robin", "forehead lines", "both"]:
        chat.say(message)
    stack.stop("actions")
    try:
        replies = chat.say("I'll bring them")
        assert len(replies) == 1 and "send it again" in replies[0]["text"]
        assert "Traceback" not in replies[0]["text"]
    finally:
        stack.start("actions")
    replies = chat.say("I'll bring them")  # the patient sends it again
    assert any("medicines or supplements" in m["text"] for m in replies)
    summary = staff(stack).get(f"/api/intakes/{chat.id}").json()
    assert summary["patient_name"] == "Robin"
    assert summary["concerns"][0]["area"] == "forehead_lines"
    assert summary["photos_answer"] == "I'll bring them"


def test_a_broken_tracker_database_does_not_start_the_patient_over(stack):
    chat = ChatClient(stack.web_url)
    for message in ["hi", "Sasha", "crow's feet", "when I smile", "no photos"]:
        chat.say(message)
    tracker_db = stack.dir / "tracker.db"
    backup = stack.dir / "tracker.db.bak"
    shutil.copy(tracker_db, backup)
    try:
        tracker_db.write_bytes(b"this is not a database" * 100)
        replies = chat.say("fish oil")
        texts = " ".join(m["text"] for m in replies)
        assert "what name" not in texts.lower()  # not started over
        assert "pregnant" in texts.lower()  # the next question after medicines
    finally:
        shutil.copy(backup, tracker_db)
    assert "TRACKER STORE LOST STATE" in stack.log("actions")
    summary = staff(stack).get(f"/api/intakes/{chat.id}").json()
    assert summary["patient_name"] == "Sasha"
    assert [s["name"] for s in summary["supplements"]] == ["fish oil"]


def name(i: int) -> str:
    return f"Pat {chr(65 + i // 26)}{chr(97 + i % 26)}"


def test_many_patients_at_once_all_get_stored(stack):
    def one_patient(i: int) -> str:
        chat = ChatClient(stack.web_url)
        for message in ["hi", name(i), "jaw clenching"]:
            assert chat.say(message)
        return chat.id

    with ThreadPoolExecutor(max_workers=100) as pool:
        ids = list(pool.map(one_patient, range(100)))
    api = staff(stack)
    names = {api.get(f"/api/intakes/{cid}").json()["patient_name"] for cid in ids}
    assert names == {name(i) for i in range(100)}
    assert "database is locked" not in stack.log("actions") + stack.log("web")
