"""The second reading (bot/second_reading.py): a doubted "nothing to flag" is checked with the
patient, and only the patient's own yes raises the flag.

The mechanism is tested with the model's probability fixed (so these cannot pass by luck of the
weights); a few tests use the shipped model on answers of the regression suites it was trained
on, and on plain answers it must leave alone.
"""
from __future__ import annotations

from datetime import date

import pytest

from bot import second_reading
from bot.intake import CONFIRM, IntakeState, take_turn
from bot.models import Recommendation
from bot.screening import screen
from bot.summary import build_summary
from tests.nlu.phrase_eval import start_state
from tests.test_phrase_suites import PHRASES

TODAY = date(2028, 6, 16)


def codes(state: IntakeState) -> set[str]:
    return {flag.code for flag in screen(state.answers, TODAY)}


def evidence(state: IntakeState, code: str) -> str:
    return next(flag.evidence for flag in screen(state.answers, TODAY) if flag.code == code)


@pytest.fixture
def doubting(monkeypatch):
    """The model thinks every answer names a flag."""
    monkeypatch.setattr(second_reading, "likelihood", lambda topic, text: 0.99)


@pytest.fixture
def trusting(monkeypatch):
    """The model thinks no answer names a flag."""
    monkeypatch.setattr(second_reading, "likelihood", lambda topic, text: 0.01)


def test_a_doubted_no_is_checked_and_the_patients_yes_raises_the_flag_with_their_words(doubting):
    words = "nope, skin's all good I think"
    turn = take_turn(start_state("skin_infection", TODAY), words, "skin_infection", TODAY)
    assert turn.next_question == CONFIRM
    assert "skin_infection" not in codes(turn.state)  # nothing is said about waiting yet
    assert turn.state.pending.detail["ask"] == "skin_infection"
    after = take_turn(turn.state, "yes", CONFIRM, TODAY)
    assert "skin_infection" in codes(after.state)
    assert words in evidence(after.state, "skin_infection")
    assert "utter_defer_skin_infection" in after.replies  # a clear yes to a plain question


def test_the_patients_no_to_the_check_keeps_their_no_and_their_words(doubting):
    words = "nope, skin's all good I think"
    turn = take_turn(start_state("skin_infection", TODAY), words, "skin_infection", TODAY)
    after = take_turn(turn.state, "no", CONFIRM, TODAY)
    assert not codes(after.state)
    answer = after.state.answers["skin_infection"]
    assert answer.status == "answered"
    assert any(words in f.evidence for f in answer.findings)
    assert after.next_question != "skin_infection"


def test_not_sure_to_the_check_raises_the_flag_without_saying_treatment_must_wait(doubting):
    turn = take_turn(start_state("pregnancy", TODAY), "nah all good", "pregnancy", TODAY)
    assert turn.next_question == CONFIRM
    after = take_turn(turn.state, "not sure", CONFIRM, TODAY)
    assert "pregnant" in codes(after.state)
    assert not any(r.startswith("utter_defer_") for r in after.replies)


def test_a_flag_the_reader_raises_is_never_checked(doubting):
    turn = take_turn(start_state("pregnancy", TODAY), "yes, 12 weeks", "pregnancy", TODAY)
    assert turn.next_question != CONFIRM
    assert "pregnant" in codes(turn.state)


def test_the_model_alone_never_raises_or_clears_a_flag(doubting):
    turn = take_turn(start_state("neuromuscular", TODAY), "no", "neuromuscular", TODAY)
    assert not codes(turn.state)  # asked back, not raised
    turn = take_turn(start_state("breathing", TODAY), "asthma, flaring this week", "breathing",
                     TODAY)
    assert "swallowing_or_breathing_difficulty" in codes(turn.state)


def test_a_trusted_no_closes_as_before(trusting):
    turn = take_turn(start_state("skin_infection", TODAY), "no", "skin_infection", TODAY)
    assert turn.next_question != CONFIRM
    assert turn.state.answers["skin_infection"].status == "answered"


def test_the_concerns_answer_is_kept_and_heavy_lids_are_checked(doubting):
    words = "mainly the neck bands, and my lids feel a bit meh"
    turn = take_turn(start_state("concerns", TODAY), words, "concerns", TODAY)
    assert turn.next_question == CONFIRM
    assert turn.state.pending.detail["ask"] == "eyelids"
    assert turn.state.answers["concerns"].status == "answered"  # what they asked for is kept
    after = take_turn(turn.state, "yes", CONFIRM, TODAY)
    assert "heavy_eyelids" in codes(after.state)
    assert words in evidence(after.state, "heavy_eyelids")
    assert after.state.answers["concerns"].findings  # still there


@pytest.mark.parametrize("reply", ["yes", "no"])
def test_an_allergy_named_is_kept_whatever_the_reply_to_a_toxin_check(doubting, reply):
    words = "penicillin"
    turn = take_turn(start_state("allergies", TODAY), words, "allergies", TODAY)
    assert turn.next_question == CONFIRM
    assert turn.state.pending.detail["ask"] == "toxin_allergy"
    after = take_turn(turn.state, reply, CONFIRM, TODAY)
    assert any(f.evidence == "penicillin" and f.polarity.value == "present"
               for f in after.state.answers["allergies"].findings)
    assert ("toxin_allergy" in codes(after.state)) == (reply == "yes")


def test_a_milk_allergy_is_checked_as_milk_protein(doubting):
    turn = take_turn(start_state("allergies", TODAY), "penicillin, and dairy makes me break out",
                     "allergies", TODAY)
    assert turn.state.pending.detail["ask"] == "milk_protein_allergy"
    after = take_turn(turn.state, "yes", CONFIRM, TODAY)
    assert codes(after.state) == {"milk_protein_allergy"}


def test_an_answer_the_reader_could_not_read_is_asked_again_not_checked(doubting):
    turn = take_turn(start_state("skin_infection", TODAY), "on my way to work", "skin_infection",
                     TODAY)
    assert turn.next_question != CONFIRM and "skin_infection" not in turn.state.answers


def test_a_spanish_check_keeps_the_patients_spanish(doubting):
    state = start_state("skin_infection", TODAY, "es")
    turn = take_turn(state, "no, nada de fuegos", "skin_infection", TODAY)
    assert turn.next_question == CONFIRM
    assert turn.state.pending.evidence == "no, nada de fuegos"
    after = take_turn(turn.state, "sí", CONFIRM, TODAY)
    assert "skin_infection" in codes(after.state)
    assert evidence(after.state, "skin_infection") == "no, nada de fuegos / sí"


@pytest.mark.parametrize("asked, text", [
    ("pregnancy", "no"), ("pregnancy", "nope not pregnant"), ("breastfeeding", "no"),
    ("skin_infection", "nope all clear"), ("allergies", "none"), ("neuromuscular", "no"),
    ("breathing", "no problems"), ("trying_to_conceive", "no"), ("concerns", "frown lines"),
    ("medications", "none"), ("medications", "just the pill"), ("medications", "Zoloft 50mg"),
])
def test_the_shipped_model_leaves_plain_answers_alone(asked, text):
    turn = take_turn(start_state(asked, TODAY), text, asked, TODAY)
    assert turn.next_question != CONFIRM
    assert turn.state.answers[asked].status == "answered"


@pytest.mark.parametrize("asked, text", [
    ("breastfeeding", "pretty much weaned, she still has a feed in the middle of the night sometimes"),
    ("allergies", "Masport made my face puff up"),
])
def test_the_shipped_model_checks_answers_the_reader_misses(asked, text):
    """Regression-suite answers the reader still reads as nothing to flag (listed misreads)."""
    turn = take_turn(start_state(asked, TODAY), text, asked, TODAY)
    assert turn.next_question == CONFIRM
    assert turn.state.pending.detail.get("second_reading")


def test_a_spanish_check_of_a_hedged_no_keeps_the_first_answer():
    """The patient's first words and their reply both reach the summary (they had become
    "sí / sí": the first answer was lost)."""
    turn = take_turn(start_state("pregnancy", TODAY, "es"), "creo que no", "pregnancy", TODAY)
    assert turn.next_question == CONFIRM
    after = take_turn(turn.state, "sí", CONFIRM, TODAY)
    assert evidence(after.state, "pregnant") == "creo que no / sí"


def test_the_shipped_model_was_trained_on_the_current_suites():
    """Retrain (scripts/train_second_reading.py) when a suite or a label changes."""
    assert second_reading.fingerprint() == second_reading.training_fingerprint(PHRASES)



def test_a_doubted_medicines_answer_keeps_what_was_read_and_a_yes_goes_to_a_clinician(doubting):
    words = "just Zoloft and some herbal thing for my memory"
    turn = take_turn(start_state("medications", TODAY), words, "medications", TODAY)
    assert turn.next_question == CONFIRM
    assert turn.state.pending.detail["ask"] == "medication_risk"
    assert turn.state.answers["medications"].status == "answered"  # Zoloft is recorded now
    after = take_turn(turn.state, "yes", CONFIRM, TODAY)
    summary = build_summary("t", after.state, TODAY)
    assert summary.recommendation == Recommendation.CLINICIAN_REVIEW
    assert any(words in note and "Check which medicine" in note for note in summary.notes)
    assert any(words in f.evidence for f in after.state.answers["medications"].findings)


def test_no_to_a_medicines_check_leaves_the_reading_as_it_was(doubting):
    turn = take_turn(start_state("medications", TODAY), "just Zoloft", "medications", TODAY)
    after = take_turn(turn.state, "no", CONFIRM, TODAY)
    assert after.state.answers["medications"] == turn.state.answers["medications"]
    assert build_summary("t", after.state, TODAY).recommendation == Recommendation.PROCEED


def test_an_unknown_medicine_gets_its_own_follow_up_not_the_check(doubting):
    turn = take_turn(start_state("medications", TODAY), "Zorblax 20mg", "medications", TODAY)
    assert turn.next_question == CONFIRM
    assert not turn.state.pending.detail.get("second_reading")  # "what do you take it for?"
