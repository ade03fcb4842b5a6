"""Custom actions: a tracker in, events and messages out (no Rasa server, no model)."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as acts
from bot.intake import QUESTIONS
from bot.store import open_store


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_DB", str(tmp_path / "intake.db"))
    acts.settings.cache_clear()
    acts.store.cache_clear()
    acts.severities.cache_clear()
    yield
    acts.settings.cache_clear()
    acts.store.cache_clear()


def tracker(text: str, slots: dict | None = None, intent: str = "inform",
            sender: str = "conv-1") -> Tracker:
    return Tracker.from_dict({
        "sender_id": sender,
        "slots": {"requested_slot": None, **(slots or {})},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9},
                           "entities": [], "metadata": {"channel": "sms"}},
        "events": [], "paused": False, "followup_action": None,
        "active_loop": {"name": "intake_form"}, "latest_action_name": "action_listen",
    })


def slots_from(events) -> dict:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher, events


async def test_first_message_welcomes_keeps_volunteered_answers_and_asks_the_name():
    dispatcher, events = await run(acts.ValidateIntakeForm(),
                                   tracker("botox for my 11s, I'm breastfeeding"))
    slots = slots_from(events)
    assert dispatcher.messages[0]["response"] == "utter_welcome"
    assert "utter_defer_breastfeeding" in [m["response"] for m in dispatcher.messages]
    assert slots["requested_slot"] == "name"
    assert slots["breastfeeding"]["findings"][0]["polarity"] == "present"
    assert slots["concerns"]["findings"][0]["item"] == "frown_lines"


async def test_each_message_saves_progress_for_staff():
    await run(acts.ValidateIntakeForm(), tracker("I take warfarin", sender="conv-save"))
    summary = open_store(acts.settings()).get_summary("conv-save")
    assert summary.status.value == "in_progress"
    assert summary.channel == "sms"
    assert [f.code for f in summary.flags] == ["anticoagulant"]
    assert summary.flags[0].evidence == "I take warfarin"


async def test_an_answer_that_says_nothing_asks_again_in_other_words():
    _, first = await run(acts.ValidateIntakeForm(), tracker("hi"))
    state = slots_from(first)
    state["requested_slot"] = "pregnancy"
    _, events = await run(acts.ValidateIntakeForm(), tracker("purple", state))
    slots = slots_from(events)
    assert slots["rephrase"] is True
    assert slots["requested_slot"] == "pregnancy"
    assert slots["intake_meta"]["attempts"] == {"pregnancy": 1}


async def test_the_read_back_lists_the_answers():
    _, events = await run(acts.ValidateIntakeForm(), tracker("I take fish oil, not pregnant"))
    dispatcher, _ = await run(acts.ActionAskConfirm(), tracker("", slots_from(events)))
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_confirm"
    assert "fish oil" in message["readback"] and "Pregnant: no" in message["readback"]


async def test_submit_marks_completed_and_tells_the_patient_the_outcome():
    _, events = await run(acts.ValidateIntakeForm(), tracker("I have a cold sore", sender="c9"))
    dispatcher, out = await run(acts.ActionSubmitIntake(), tracker("yes", slots_from(events),
                                                                   sender="c9"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_submitted", "utter_outcome_defer"]
    assert SlotSet("intake_complete", True) in out
    summary = open_store(acts.settings()).get_summary("c9")
    assert summary.status.value == "completed" and summary.completed_at is not None


async def test_restart_clears_every_answer():
    _, events = await run(acts.ValidateIntakeForm(), tracker("Jane, I take fish oil"))
    slots = slots_from(events)
    slots["requested_slot"] = "concerns"
    _, events = await run(acts.ValidateIntakeForm(), tracker("start over", slots))
    after = slots_from(events)
    assert all(after[q] is None for q in QUESTIONS)
    assert after["requested_slot"] == "name"
