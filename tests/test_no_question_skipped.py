"""Issue #8: no question can be closed by a remark that is not the patient's own clear answer.

Each question of the intake is reached in order. Before answering it, the patient says something
a stranger might: about another person, the past, a plan, a question back, another question's
subject, or a number that is not the answer. The question must still be asked (or checked with
the patient), no flag may appear, and the real answer given next must be the one recorded.
"""
from __future__ import annotations

from datetime import date

import pytest

from bot.intake import CONFIRM, QUESTIONS, IntakeState, outstanding, take_turn
from bot.screening import screen
from bot.summary import build_summary

TODAY = date(2026, 5, 4)

# question -> (distracting remark, the patient's real answer)
WALK = {
    "name": ("what is this for?", "Dana Whitfield"),
    "concerns": ("my friend had her crow's feet done", "frown lines"),
    "concern_timing": ("what do you mean?", "both"),
    "photos": ("can I do that later?", "I'll bring them"),
    "medications": ("my husband takes warfarin", "none"),
    "pregnancy": ("my sister is pregnant", "no"),
    "breastfeeding": ("my friend is breastfeeding her twins", "no"),
    "trying_to_conceive": ("my brother and his wife are trying for a baby", "no"),
    "neuromuscular": ("my aunt had ALS", "no"),
    "breathing": ("my son has asthma", "no"),
    "skin_infection": ("what if I get a cold sore before my appointment?", "no"),
    "event": ("I'd like the forehead done", "yes, a wedding"),
    "event_date": ("it's at 5pm", "june 20"),
    "prior_treatment": ("my mom gets botox", "yes botox"),
    "prior_treatment_date": ("my sister went last week", "about a year ago"),
    "allergies": ("my son is allergic to milk", "none"),
    "age": ("my daughter is 16", "41"),
    "contact": ("I'm 5'4, 60 kg", "dana@example.com"),
}


def _walk(first_answers_only: bool = False):
    state, seen = IntakeState(), []
    next_question = outstanding(state)[0]
    while next_question and next_question != "confirm":
        remark, answer = WALK[next_question]
        if not first_answers_only:
            turn = take_turn(state, remark, next_question, TODAY)
            seen.append((next_question, remark, turn))
            state = turn.state
            if turn.next_question == CONFIRM:  # checked with the patient: they say it isn't so
                state = take_turn(state, "no", CONFIRM, TODAY).state
        turn = take_turn(state, answer, next_question, TODAY)
        state, next_question = turn.state, turn.next_question
    return state, seen


def test_the_walk_covers_every_question():
    assert set(WALK) == set(QUESTIONS) - {"confirm"}


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q != "confirm"])
def test_a_distracting_remark_never_closes_the_question(question):
    _, seen = _walk()
    (asked, remark, turn), = [s for s in seen if s[0] == question]
    assert turn.next_question in (question, CONFIRM), (
        f"{remark!r} to {question} moved on to {turn.next_question}")
    assert question in outstanding(turn.state) or turn.next_question == CONFIRM
    assert screen(turn.state.answers, TODAY) == [], f"{remark!r} raised a flag"


def test_the_real_answers_are_the_ones_recorded_and_the_remarks_are_kept_as_notes():
    with_remarks, _ = _walk()
    plain, _ = _walk(first_answers_only=True)
    summary = build_summary("walk", with_remarks, TODAY)
    assert summary.patient_name == "Dana Whitfield" and summary.age == 41
    assert summary.contact == "dana@example.com"
    assert [c.area for c in summary.concerns] == ["frown_lines"]
    assert summary.flags == [] and summary.medications == []
    assert summary.event and summary.event.date == date(2026, 6, 20)
    for topic in ("pregnancy", "breastfeeding", "neuromuscular", "breathing", "allergies"):
        recorded = with_remarks.answers[topic]
        assert recorded.status == "answered"
        assert [f.polarity for f in recorded.findings] == [
            f.polarity for f in plain.answers[topic].findings], topic
    notes = " ".join(summary.notes)
    for remark in ("my sister is pregnant", "my husband takes warfarin", "my aunt had ALS"):
        assert remark in notes  # said, not an answer: still shown to the clinician
