"""Custom actions for the intake form.

They stay thin: rebuild the intake state from slots, call `bot` (the domain decides), save the
summary, utter responses by name, and return events.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import photo_guide
from bot.care_catalogue import CareCatalogue, load_care_catalogue
from bot.care_store import CareStore
from bot.checklist import build_checklist, should_send_checklist
from bot.config import Settings, load_settings
from bot.intake import (QUESTIONS, IntakeState, Turn, clear_defers, take_turn, updated_answers,
                        with_known_contact)
from bot.language import reply_for
from bot.models import Answer, Finding, IntakeSummary, Status
from bot.screening import load_policy
from bot.state_store import StateStore
from bot.store import IntakeStore, open_store
from bot.summary import build_summary, readback

logger = logging.getLogger(__name__)
STATE_SLOTS = QUESTIONS + ["eyelids"]


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings, read once per process."""
    return load_settings()


@lru_cache(maxsize=1)
def store() -> IntakeStore:
    """The intake store, opened on first use (no I/O at import time)."""
    return open_store(settings())


@lru_cache(maxsize=1)
def state_store() -> StateStore:
    """Where the working state is kept beside the summary (survives a lost tracker)."""
    return StateStore(settings().db_location)


@lru_cache(maxsize=1)
def care_store() -> CareStore:
    """Checklists sent and check-ins, in the intake database (opened on first use)."""
    return CareStore(settings().db_location)


@lru_cache(maxsize=None)
def care_catalogue(language: str = "en") -> CareCatalogue:
    """The checklist's wording in `language`, with the clinic's CLINIC_CARE_CATALOGUE over the
    default."""
    return load_care_catalogue(language=language)


@lru_cache(maxsize=1)
def severities():
    """Flag severities with the clinic's policy applied."""
    return load_policy(settings().policy_path)


def state_from_tracker(tracker: Tracker) -> IntakeState:
    """The intake state held in the tracker's slots."""
    meta = tracker.get_slot("intake_meta") or {}
    answers = {topic: Answer.model_validate(tracker.get_slot(topic))
               for topic in STATE_SLOTS if tracker.get_slot(topic)}
    return IntakeState(answers=answers, attempts=meta.get("attempts", {}),
                       turns=meta.get("turns", 0), language=meta.get("language"),
                       conversation_language=meta.get("conversation_language") or "en",
                       unread=meta.get("unread", []), partly_read=meta.get("partly_read", []),
                       noted=[Finding.model_validate(f) for f in meta.get("noted", [])],
                       pending=Finding.model_validate(meta["pending"]) if meta.get("pending")
                       else None)


def state_events(state: IntakeState, started_at: str, topics: list[str] | None = None
                 ) -> list[EventType]:
    """Slot events for the answers that changed (all of them when `topics` is None).

    Only changed answers: Rasa stores every event and sends the whole event list to the action
    server on every call, so repeating unchanged slots would make each message slower.
    """
    wanted = STATE_SLOTS if topics is None else [t for t in STATE_SLOTS if t in topics]
    events = [SlotSet(topic, state.answers[topic].model_dump(mode="json")
                      if topic in state.answers else None) for topic in wanted]
    meta = {"attempts": state.attempts, "turns": state.turns, "started_at": started_at,
            "language": state.language, "unread": state.unread, "partly_read": state.partly_read,
            "conversation_language": state.conversation_language,
            "noted": [f.model_dump(mode="json") for f in state.noted],
            "pending": state.pending.model_dump(mode="json") if state.pending else None}
    return events + [SlotSet("intake_meta", meta)]


def patient_outcome(state: IntakeState, summary: IntakeSummary) -> str:
    """What the patient is told at the end: "wait" only after a clear yes to a defer question;
    an unsure or unclear answer gets the neutral clinician-review line."""
    if summary.recommendation.value == "defer" and not clear_defers(state):
        return "clinician_review"
    if summary.recommendation.value not in ("defer", "clinician_review", "proceed"):
        return "clinician_review"  # e.g. needs_call: someone will be in touch
    return summary.recommendation.value


def channel_of(tracker: Tracker) -> str:
    """The channel a conversation came in on ("web", "sms", ...)."""
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("channel") or tracker.get_latest_input_channel() or "web"


def save_summary(tracker: Tracker, state: IntakeState, status: Status, started_at: str
                 ) -> IntakeSummary:
    """Build and store the summary; storing is what makes an answer safe from a lost session.

    The web app links photos to the same summary meanwhile: the store saves by compare-and-swap
    and calls `keep` again on the newer summary if one was saved since it was read.
    """
    conf = settings()
    built = build_summary(tracker.sender_id, state, conf.today(), channel=channel_of(tracker),
                          status=status, severities=severities(),
                          started_at=datetime.fromisoformat(started_at))

    def keep(before: IntakeSummary | None) -> IntakeSummary:
        summary = built.model_copy(deep=True)
        summary.photos = list(before.photos) if before else []  # the store adds new photo refs
        if before is not None and before.completed_at and status == Status.COMPLETED:
            summary.completed_at = before.completed_at  # when it was sent, not when last updated
        return summary

    return store().update_summary(tracker.sender_id, keep)


def clinic_slots() -> list[EventType]:
    """Clinic name and phone, for responses that mention them."""
    conf = settings()
    return [SlotSet("clinic_name", conf.clinic_name), SlotSet("clinic_phone", conf.clinic_phone)]


class ValidateIntakeForm(FormValidationAction):
    """Reads every patient message during the intake and decides the next question."""

    def name(self) -> str:
        return "validate_intake_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        from_tracker = state_from_tracker(tracker)
        state = with_sms_number(tracker, recover_lost_tracker(tracker, from_tracker))
        recovered = state.turns > from_tracker.turns
        meta = tracker.get_slot("intake_meta") or {}
        started_at = meta.get("started_at") or datetime.now(timezone.utc).isoformat()
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        first_turn = state.turns == 0
        turn = take_turn(state, message.get("text") or "", tracker.get_slot("requested_slot"),
                         settings().today(), intent.get("name"), intent.get("confidence") or 0.0)
        complete = bool(tracker.get_slot("intake_complete"))
        if complete and turn.restarted:
            # The channels start a new conversation for this; here, never wipe a sent intake.
            turn = Turn(state=state, replies=["utter_already_submitted"])
        events = clinic_slots() if first_turn or recovered else []
        # Named here, not left to the slot: this message may be the one that chose it.
        language = turn.state.conversation_language
        if first_turn:
            dispatcher.utter_message(response="utter_welcome", language=language, **_clinic())
        for reply in turn.replies:
            if first_turn and reply == "utter_language_changed":
                continue  # "Español" as the first message: the welcome is already in Spanish
            dispatcher.utter_message(response=reply, language=language, **_clinic(),
                                     **_reply_words(reply, turn, channel_of(tracker)))
        if complete and not turn.restarted and not turn.replies:
            dispatcher.utter_message(response="utter_update_saved" if turn.changed
                                     else "utter_already_submitted", language=language,
                                     **_clinic())
        if turn.restarted:
            started_at = datetime.now(timezone.utc).isoformat()
            complete = False
            events.append(SlotSet("intake_complete", False))
        state_store().save(tracker.sender_id, turn.state)
        save_summary(tracker, turn.state, Status.COMPLETED if complete else Status.IN_PROGRESS,
                     started_at)
        # Every answer that differs from what the tracker holds, compared whole: a follow-up
        # that completes its parent answer (a date, "both") is saved with it.
        topics = updated_answers(from_tracker, turn.state)
        return events + state_events(turn.state, started_at, topics) + [
            SlotSet("rephrase", turn.rephrase), SlotSet("requested_slot", turn.next_question)]


def with_sms_number(tracker: Tracker, state: IntakeState) -> IntakeState:
    """For an SMS patient, the number they text from is their contact: never ask for it."""
    if channel_of(tracker) != "sms":
        return state
    contact = store().sms_contact(tracker.sender_id)
    return with_known_contact(state, contact["phone"]) if contact and contact.get("phone") else state


def recover_lost_tracker(tracker: Tracker, state: IntakeState) -> IntakeState:
    """Use the stored state when the tracker holds less than we already know.

    That happens when Rasa's tracker database failed (its fail-safe store starts the patient
    over, in memory) or was restored from an older copy. Log it loudly: staff must know.
    """
    stored = state_store().load(tracker.sender_id)
    if stored is None or stored.turns <= state.turns:
        return state
    logger.error("TRACKER STORE LOST STATE for conversation %s: tracker has %d turns, intake "
                 "store has %d; restoring %d answers from the intake store",
                 tracker.sender_id[:8], state.turns, stored.turns, len(stored.answers))
    return stored


def _reply_words(reply: str, turn: Turn, channel: str = "web") -> dict[str, str]:
    """Words a response needs beyond the clinic's: the reply in the patient's own language,
    how to send the guided photos on this channel."""
    if reply == "utter_photo_guide":
        return {"photo_how": photo_guide.how_to_send(channel, turn.state.conversation_language)}
    if reply != "utter_other_language":
        return {}
    conf = settings()
    text = reply_for(turn.state.language)
    return {"other_language_reply": text.format(clinic=conf.clinic_name, phone=conf.clinic_phone)}


def _clinic() -> dict[str, str]:
    conf = settings()
    return {"clinic_name": conf.clinic_name, "clinic_phone": conf.clinic_phone}


class ActionAskConfirm(Action):
    """Reads the answers back and asks the patient to confirm or correct them."""

    def name(self) -> str:
        return "action_ask_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        state = state_from_tracker(tracker)
        summary = build_summary(tracker.sender_id, state, settings().today(),
                                severities=severities())
        dispatcher.utter_message(response="utter_ask_confirm",
                                 language=state.conversation_language,
                                 readback=readback(summary, settings().today(),
                                                   state.conversation_language))
        return []


class ActionAskConfirmAnswer(Action):
    """Asks a plain yes/no about a reading that must be checked ("You wrote ... is that a no?")."""

    def name(self) -> str:
        return "action_ask_confirm_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        state = state_from_tracker(tracker)
        pending = state.pending
        if pending is None:  # nothing to check (never expected): ask the form's next question
            return [SlotSet("requested_slot", None)]
        words = pending.evidence if len(pending.evidence) <= 160 else pending.evidence[:157] + "..."
        ask = pending.detail.get("ask") or pending.topic  # a second-reading check names its question
        dispatcher.utter_message(response=f"utter_confirm_{ask}", confirm_words=words,
                                 language=state.conversation_language)
        return []


class ActionSubmitIntake(Action):
    """Marks the intake completed, stores it, and tells the patient what happens next."""

    def name(self) -> str:
        return "action_submit_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        state = state_from_tracker(tracker)
        meta = tracker.get_slot("intake_meta") or {}
        started_at = meta.get("started_at") or datetime.now(timezone.utc).isoformat()
        already = bool(tracker.get_slot("intake_complete"))
        summary = save_summary(tracker, state, Status.COMPLETED, started_at)
        if not already:
            language = state.conversation_language
            dispatcher.utter_message(response="utter_submitted", language=language)
            dispatcher.utter_message(response=f"utter_outcome_{patient_outcome(state, summary)}",
                                     language=language)
            if should_send_checklist(summary) and patient_outcome(state, summary) != "defer":
                send_checklist(dispatcher, summary, language)
        logger.info("intake %s completed: %s", tracker.sender_id[:8], summary.recommendation.value)
        return [SlotSet("intake_complete", True), SlotSet("rephrase", False)]


def send_checklist(dispatcher: CollectingDispatcher, summary: IntakeSummary,
                   language: str = "en") -> None:
    """Send the pre-appointment checklist (by SMS: texts of at most 2 segments, cut between
    items) and keep what was sent for the staff page."""
    conf = settings()
    try:
        catalogue = care_catalogue(language)
    except (OSError, ValueError) as exc:  # the intake is saved; never fail the patient here
        logger.error("No checklist sent: the care catalogue cannot be read (%s)", exc)
        return
    checklist = build_checklist(summary, conf.today(), summary.channel, catalogue,
                                conf.clinic_name, conf.clinic_phone, language)
    texts = checklist.sms_texts() if summary.channel == "sms" else [checklist.as_text()]
    for text in texts:
        dispatcher.utter_message(text=text)
    care_store().record_checklist(summary.conversation_id, summary.channel,
                                  [{"code": line.code, "text": line.text}
                                   for line in checklist.lines], texts)
