"""Custom actions: a tracker in, events and messages out (no Rasa server, no model)."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as acts
from bot.intake import QUESTIONS
from bot.store import open_store


def kept_between_calls() -> list:
    """Every factory in actions.py that keeps what it built (settings, stores, the policy),
    found by looking, so a factory added later cannot be forgotten here."""
    return [f for f in vars(acts).values() if callable(getattr(f, "cache_clear", None))]


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_DB", str(tmp_path / "intake.db"))
    for cached in kept_between_calls():
        cached.cache_clear()
    yield
    for cached in kept_between_calls():  # nothing one test stored may reach the next
        cached.cache_clear()


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


async def test_espanol_as_the_first_message_opens_the_intake_in_spanish_with_one_welcome():
    dispatcher, events = await run(acts.ValidateIntakeForm(), tracker("Español"))
    said = [(m["response"], m.get("language")) for m in dispatcher.messages]
    assert said == [("utter_welcome", "es")]  # no "we'll carry on in Spanish" before anything
    assert slots_from(events)["intake_meta"]["conversation_language"] == "es"
    assert slots_from(events)["requested_slot"] == QUESTIONS[0]
    assert acts.store().get_summary("conv-1").conversation_language == "es"


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


async def test_submit_sends_the_checklist_by_sms_and_keeps_what_was_sent():
    _, events = await run(acts.ValidateIntakeForm(),
                          tracker("botox for my 11s, I take Eliquis and fish oil", sender="c10"))
    dispatcher, _ = await run(acts.ActionSubmitIntake(), tracker("yes", slots_from(events),
                                                                 sender="c10"))
    texts = [m["text"] for m in dispatcher.messages if m.get("text")]
    assert texts[0].startswith("Before your consult at")
    joined = "\n".join(texts)
    assert "Keep taking apixaban exactly as prescribed" in joined
    assert "unless the clinic advises you to pause them" in joined
    sent = acts.care_store().checklist("c10")
    assert sent["channel"] == "sms" and sent["texts"] == texts
    assert [line["code"] for line in sent["lines"]] == [
        "concerns", "photos", "prescribed", "supplements", "review"]


async def test_a_broken_clinic_catalogue_never_blocks_the_submission(tmp_path, monkeypatch):
    bad = tmp_path / "clinic.yml"
    bad.write_text("checklist:\n  heading: 'At {clinc}'\n")
    monkeypatch.setenv("CLINIC_CARE_CATALOGUE", str(bad))
    _, events = await run(acts.ValidateIntakeForm(), tracker("botox for my 11s", sender="c12"))
    dispatcher, out = await run(acts.ActionSubmitIntake(), tracker("yes", slots_from(events),
                                                                   sender="c12"))
    assert dispatcher.messages[0]["response"] == "utter_submitted"
    assert SlotSet("intake_complete", True) in out
    assert acts.care_store().checklist("c12") is None


async def test_a_deferred_patient_gets_no_checklist():
    _, events = await run(acts.ValidateIntakeForm(), tracker("I have a cold sore", sender="c11"))
    await run(acts.ActionSubmitIntake(), tracker("yes", slots_from(events), sender="c11"))
    assert acts.care_store().checklist("c11") is None


async def test_restart_clears_every_answer():
    _, events = await run(acts.ValidateIntakeForm(), tracker("Jane, I take fish oil"))
    slots = slots_from(events)
    slots["requested_slot"] = "concerns"
    _, events = await run(acts.ValidateIntakeForm(), tracker("start over", slots))
    after = carry(slots, events)
    assert all(after.get(q) is None for q in QUESTIONS)
    assert after["requested_slot"] == "name"


def carry(slots: dict, events) -> dict:
    """The tracker's slots after Rasa applies the action's events (what the next turn sees)."""
    return {**slots, **slots_from(events)}


async def play(messages: list[str], sender: str) -> dict:
    """Send messages one by one, each on a tracker holding the slots the earlier turns set."""
    slots: dict = {}
    for text in messages:
        _, events = await run(acts.ValidateIntakeForm(), tracker(text, slots, sender=sender))
        slots = carry(slots, events)
    return slots


@pytest.mark.parametrize("timing, shows", [
    ("both", "both"), ("at rest", "rest"), ("only with expression", "expression"),
    ("when I frown mostly", "expression"),
])
async def test_a_follow_up_answer_survives_the_next_message(timing, shows):
    """The answer to "at rest, with expression, or both?" is still there messages later."""
    await play(["hi", "Jane", "my 11s", timing, "I'll bring them", "none"], sender="c-follow")
    summary = open_store(acts.settings()).get_summary("c-follow")
    assert [(c.area, c.shows) for c in summary.concerns] == [("frown_lines", shows)]


PLAIN = {"name": "Jane", "concerns": "crow's feet", "concern_timing": "both",
         "photos": "I'll bring them", "medications": "none", "pregnancy": "no",
         "breastfeeding": "no", "trying_to_conceive": "no", "neuromuscular": "no",
         "breathing": "no", "skin_infection": "no", "event": "no", "prior_treatment": "no",
         "allergies": "none", "age": "34", "contact": "jane@example.com"}


async def answer_until(question: str, sender: str, plain: dict | None = None) -> dict:
    """Answer each question plainly, as asked, until `question` is the one being asked."""
    slots = carry({}, (await run(acts.ValidateIntakeForm(), tracker("hi", sender=sender)))[1])
    while slots["requested_slot"] != question:
        text = (plain or PLAIN)[slots["requested_slot"]]
        slots = carry(slots, (await run(acts.ValidateIntakeForm(),
                                        tracker(text, slots, sender=sender)))[1])
    return slots


async def test_yes_botox_then_six_weeks_ago_keeps_the_recent_treatment_flag():
    """A last-treatment date given as a follow-up raises review, and keeps it afterwards."""
    slots = await answer_until("prior_treatment", "c-prior")
    _, events = await run(acts.ValidateIntakeForm(), tracker("yes botox", slots, sender="c-prior"))
    slots = carry(slots, events)
    assert slots["requested_slot"] == "prior_treatment_date"
    for text in ["6 weeks ago", "none"]:  # the date, then the allergy answer
        _, events = await run(acts.ValidateIntakeForm(), tracker(text, slots, sender="c-prior"))
        slots = carry(slots, events)
    assert slots["requested_slot"] == "age"
    summary = open_store(acts.settings()).get_summary("c-prior")
    assert "recent_toxin_treatment" in {f.code for f in summary.flags}
    assert 35 <= summary.prior_treatment.days_ago <= 49


async def test_an_event_date_given_as_a_follow_up_is_kept():
    slots = await answer_until("event", "c-event")
    for text in ["my wedding", "in 10 days", "no"]:
        _, events = await run(acts.ValidateIntakeForm(), tracker(text, slots, sender="c-event"))
        slots = carry(slots, events)
    summary = open_store(acts.settings()).get_summary("c-event")
    assert summary.event is not None and summary.event.days_away == 10
    assert "event_within_two_weeks" in {f.code for f in summary.flags}


async def test_an_sms_patient_is_not_asked_for_the_number_they_text_from():
    open_store(acts.settings()).touch_sms_contact("c-sms", "+15550001234")
    asked = []
    slots = carry({}, (await run(acts.ValidateIntakeForm(), tracker("hi", sender="c-sms")))[1])
    while slots["requested_slot"] != "confirm":
        asked.append(slots["requested_slot"])
        slots = carry(slots, (await run(acts.ValidateIntakeForm(), tracker(
            PLAIN[slots["requested_slot"]], slots, sender="c-sms")))[1])
    assert "contact" not in asked and "age" in asked
    assert open_store(acts.settings()).get_summary("c-sms").contact == "+15550001234"


async def test_this_chat_as_contact_becomes_the_sms_number():
    open_store(acts.settings()).touch_sms_contact("c-sms2", "+15550004321")
    slots = {"requested_slot": "contact", "contact": {
        "topic": "contact", "status": "answered", "text": "this number", "findings": [
            {"topic": "contact", "item": "contact", "polarity": "present",
             "evidence": "this number", "detail": {"contact": "this chat"}}]}}
    await run(acts.ValidateIntakeForm(), tracker("ok", slots, sender="c-sms2"))
    assert open_store(acts.settings()).get_summary("c-sms2").contact == "+15550004321"


async def test_a_web_patient_is_still_asked_for_a_contact():
    t = tracker("hi", sender="c-web")
    t.latest_message["metadata"] = {"channel": "web"}
    open_store(acts.settings()).touch_sms_contact("c-web", "+15550009999")  # never used for web
    await run(acts.ValidateIntakeForm(), t)
    assert open_store(acts.settings()).get_summary("c-web").contact is None


async def test_restart_typed_after_the_intake_was_sent_keeps_the_clinics_copy():
    slots = await answer_until("confirm", "c-done")
    _, events = await run(acts.ActionSubmitIntake(), tracker("yes", slots, sender="c-done"))
    slots = carry(slots, events)
    sent = open_store(acts.settings()).get_summary("c-done")
    dispatcher, events = await run(acts.ValidateIntakeForm(), tracker("restart", slots,
                                                                     sender="c-done"))
    kept = open_store(acts.settings()).get_summary("c-done")
    assert [m["response"] for m in dispatcher.messages] == ["utter_already_submitted"]
    assert kept.status.value == "completed"
    assert kept.model_dump(exclude={"updated_at"}) == sent.model_dump(exclude={"updated_at"})


async def test_a_partly_read_spanish_answer_is_kept_across_turns_and_reaches_the_stored_summary():
    first = {"intake_meta": {"conversation_language": "es"}, "requested_slot": "skin_infection"}
    _, events = await run(acts.ValidateIntakeForm(),
                          tracker("no, pero ando bien chipil y me arde la boquita", first))
    slots = slots_from(events)
    assert "boquita" in slots["intake_meta"]["partly_read"][0]
    # the next turn starts from those slots: the note is still there, and the summary says review
    _, later = await run(acts.ValidateIntakeForm(), tracker("no", {**first, **slots,
                                                                  "requested_slot": "event"}))
    assert "boquita" in slots_from(later)["intake_meta"]["partly_read"][0]
    stored = acts.store().get_summary("conv-1")
    assert stored.recommendation.value == "clinician_review"
    assert any("boquita" in note for note in stored.notes)
