"""Patients writing in a language the assistant does not speak yet are kept and seen by staff."""
from __future__ import annotations

from datetime import date

import pytest

from bot.intake import IntakeState, take_turn
from bot.language import foreign_language, reply_for
from bot.models import Recommendation
from bot.summary import build_summary

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize("text, code", [
    ("hola", "es"), ("gracias", "es"), ("hola, necesito una cita para botox", "es"),
    ("no tomo nada de medicamentos", "es"), ("cuanto cuesta x favor", "es"),
    ("je suis enceinte", "fr"), ("estou grávida", "pt"), ("ich bin schwanger", "de"),
    ("我怀孕了", "zh"), ("tôi đang mang thai", "vi"), ("임신 중이에요", "ko"),
])
def test_another_language_is_recognised(text, code):
    assert foreign_language(text) == code


@pytest.mark.parametrize("text", [
    "n", "no", "y", "idk", "ya", "nada", "nope nothing", "Jane Doe", "Maria Guadalupe Hernandez",
    "Xarelto", "I take vitamina E", "botox for my 11s", "soy milk makes me bloated",
    "hola! botox for my 11s please", "I had nada reactions lol", "my 11s, both", "34",
])
def test_english_is_never_taken_for_another_language(text):
    assert foreign_language(text) is None


def test_the_reply_is_in_the_patients_language_and_in_english():
    reply = reply_for("es")
    assert "inglés" in reply and "English" in reply
    assert reply_for("xx") == reply_for(None)  # unknown: English only


def test_a_message_in_spanish_turns_the_intake_to_spanish_and_is_read():
    state = take_turn(IntakeState(), "hi", None, TODAY).state
    turn = take_turn(state, "hola, estoy embarazada y quiero botox", "name", TODAY)
    assert turn.state.conversation_language == "es"
    assert turn.replies == ["utter_defer_pregnant"]
    assert "name" not in turn.state.answers  # "hola" is not a name
    summary = build_summary("c1", turn.state, TODAY)
    assert summary.recommendation == Recommendation.DEFER and not summary.unread_messages
    assert summary.conversation_language == "es"
    assert [(f.code, f.evidence) for f in summary.flags] == [
        ("pregnant", "hola, estoy embarazada y quiero botox")]  # the patient's own words


def test_a_message_in_another_language_is_kept_and_the_intake_needs_a_call_never_proceed():
    state = take_turn(IntakeState(), "hi", None, TODAY).state
    turn = take_turn(state, "olá, estou grávida e quero botox", "name", TODAY)
    assert turn.replies == ["utter_other_language"]
    assert "name" not in turn.state.answers and turn.state.conversation_language == "en"
    summary = build_summary("c1", turn.state, TODAY)
    assert summary.recommendation == Recommendation.NEEDS_CALL
    assert summary.unread_messages == ["olá, estou grávida e quero botox"]
    assert summary.language == "pt" and "Portuguese" in summary.notes[0]


def test_a_defer_in_english_still_outranks_a_needed_call():
    state = take_turn(IntakeState(), "I'm pregnant", "pregnancy", TODAY).state
    state = take_turn(state, "obrigada, não falo bem inglês", "breastfeeding", TODAY).state
    assert build_summary("c2", state, TODAY).recommendation == Recommendation.DEFER


def test_spanish_later_in_an_english_intake_carries_on_in_spanish_keeping_every_answer():
    state = take_turn(IntakeState(), "I take fish oil", "medications", TODAY).state
    turn = take_turn(state, "perdón, no hablo bien inglés", "pregnancy", TODAY)
    assert turn.state.conversation_language == "es" and turn.next_question == "pregnancy"
    turn = take_turn(turn.state, "no, no estoy embarazada", "pregnancy", TODAY)
    assert turn.state.answers["pregnancy"].findings[0].evidence == "no, no estoy embarazada"
    assert [f.code for f in build_summary("c4", turn.state, TODAY).flags] == [
        "bleeding_risk_supplement"]


def test_every_unread_message_is_kept_in_order():
    state = IntakeState()
    for text in ["bonjour", "j'ai besoin d'aide avec le botox s'il vous plaît", "merci"]:
        state = take_turn(state, text, "name", TODAY).state
    assert build_summary("c3", state, TODAY).unread_messages == [
        "bonjour", "j'ai besoin d'aide avec le botox s'il vous plaît", "merci"]


def test_staff_see_who_needs_a_call_and_clinicians_see_the_words(tmp_path, monkeypatch):
    from tests.staff_samples import proceeding
    from tests.test_staff_web import Clinic, sign_in

    clinic = Clinic(tmp_path, monkeypatch=monkeypatch)
    summary = proceeding("conv-es")
    summary.recommendation = Recommendation.NEEDS_CALL
    summary.language, summary.unread_messages = "es", ["estoy <b>embarazada</b>, llámeme"]
    clinic.intakes.save_summary(summary)
    clinic.staff.create_user("dr.ruiz", "clinician", "correct horse battery")
    clinic.staff.create_user("desk.ana", "front_desk", "correct horse battery")
    doctor, desk = clinic.client(), clinic.client()
    sign_in(doctor, "dr.ruiz", "correct horse battery")
    sign_in(desk, "desk.ana", "correct horse battery")
    queue = doctor.get("/staff").text
    assert ">Needs a call<" in queue and ">needs_call<" not in queue
    page = doctor.get("/staff/intakes/conv-es").text
    assert "Needs a call: wrote in Spanish" in page
    assert "estoy &lt;b&gt;embarazada&lt;/b&gt;, llámeme" in page  # their words, escaped
    front = desk.get("/staff/intakes/conv-es").text
    assert "Needs a call: wrote in Spanish" in front and "embarazada" not in front
