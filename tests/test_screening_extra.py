"""More patient phrasings, answered to the question asked (found by exploratory testing)."""
from __future__ import annotations

from datetime import date

import pytest

from bot.intake import IntakeState, take_turn
from bot.screening import screen

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("asked,text,expected", [
    ("breastfeeding", "I had a baby in August and I'm nursing", {"breastfeeding"}),
    ("breastfeeding", "weaned him last month", set()),
    ("breastfeeding", "formula feeding", set()),
    ("pregnancy", "we just found out we're expecting!", {"pregnant"}),
    # unsure about pregnancy (defer), and trying to conceive said in passing (review): both
    ("pregnancy", "I could be, we've been trying", {"pregnant", "trying_to_conceive"}),
    ("pregnancy", "had a baby in august", set()),
    ("skin_infection", "just a few pimples, nothing infected", set()),
    ("skin_infection", "I have a cold sore starting", {"skin_infection"}),
    ("medications", "I take 81mg aspirin", {"bleeding_risk_supplement"}),
    ("medications", "I'm on blood thinners after my surgery", {"anticoagulant"}),
    ("medications", "gentamicin eye drops", {"interacting_medication"}),
    ("medications", "none, I stopped my fish oil last week", set()),
    ("allergies", "I swelled up after botox once", {"toxin_allergy"}),
    ("allergies", "none that I know of", set()),
    ("age", "I turn 18 next week", {"under_18"}),
    ("prior_treatment", "a couple weeks ago dysport", {"recent_toxin_treatment"}),
    ("event", "christmas party dec 3", {"event_within_two_weeks"}),
    ("event", "my 40th birthday party on december 20", set()),
    (None, "I'm 8 weeks pregnant and want botox for my forehead", {"pregnant"}),
    (None, "not pregnant, not breastfeeding, no meds", set()),
    ("allergies", "cow's milk", {"milk_protein_allergy"}),
    ("allergies", "dairy", {"milk_protein_allergy"}),
    ("allergies", "lactose", set()),
    ("allergies", "no dairy allergy, just pollen", set()),
    ("skin_infection", "cold sore last week, healing now", {"skin_infection"}),  # not cleared yet
    # "otherwise fine now" is about everything else, never about the thing just named
    ("skin_infection", "I have a cold sore but otherwise I'm fine now", {"skin_infection"}),
    ("skin_infection", "cold sore on my lip, rest of my face is back to normal", {"skin_infection"}),
    ("breathing", "I have asthma, otherwise fine", {"swallowing_or_breathing_difficulty"}),
    ("skin_infection", "had a cold sore last week but it's back to normal now", set()),
    # almost over is not over; how the patient feels is not whether it is over
    ("skin_infection", "impetigo but its almost gone", {"skin_infection"}),
    ("skin_infection", "impetigo, nearly healed", {"skin_infection"}),
    ("pregnancy", "pregnant but feeling fine now", {"pregnant"}),
    ("pregnancy", "i am but only just found out", {"pregnant"}),
    ("pregnancy", "think so, did a test", {"pregnant"}),
    ("pregnancy", "I'm carrying twins", {"pregnant"}),
    ("pregnancy", "I was, but I lost it", set()),
    ("breathing", "asthma but it's mostly better", {"swallowing_or_breathing_difficulty"}),
    ("medications", "I have von willebrand disease", {"anticoagulant"}),
    ("age", "17 but 18 in Feb", {"under_18"}),
    ("prior_treatment", "yes, every 4 months, last was in september", {"recent_toxin_treatment"}),
])
def test_flags_from_one_answer(asked, text, expected):
    turn = take_turn(IntakeState(), text, asked, TODAY)
    flags = screen(turn.state.answers, TODAY)
    assert {f.code for f in flags} == expected
    for flag in flags:
        assert flag.evidence and flag.evidence in text or text in flag.evidence


def test_mothers_day_is_a_date_not_someone_elses_treatment():
    june = date(2028, 6, 16)  # US Mother's Day 2028 was 14 May: within the 90 days
    state = take_turn(IntakeState(), "yes, botox", "prior_treatment", june).state
    turn = take_turn(state, "had some in January and again around Mother's Day",
                     "prior_treatment_date", june)
    assert {f.code for f in screen(turn.state.answers, june)} == {"recent_toxin_treatment"}


@pytest.mark.parametrize("correction,expected", [
    ("wait, I'm actually breastfeeding", {"breastfeeding"}),
    ("change my age to 17", {"under_18"}),
    ("oh I forgot, I had botox 3 weeks ago", {"recent_toxin_treatment"}),
])
def test_a_correction_at_the_read_back_changes_the_flags(correction, expected):
    state = IntakeState()
    for asked, text in [("age", "34"), ("breastfeeding", "no"), ("prior_treatment", "no")]:
        state = take_turn(state, text, asked, TODAY).state
    state = take_turn(state, correction, "confirm", TODAY).state
    assert {f.code for f in screen(state.answers, TODAY)} == expected


@pytest.mark.parametrize("asked, text", [
    (None, "I'm due for my next botox"), ("pregnancy", "no, but I'm due for a touch up"),
    (None, "im due to come in next month"), ("breastfeeding", "no lol just nursing a hangover"),
    (None, "nursing a cold this week but fine otherwise"),
    (None, "single mom of two, want my 11s done"), (None, "I want an efficient appointment"),
])
def test_everyday_words_raise_no_reproductive_or_other_flag(asked, text):
    from datetime import date

    from bot.intake import IntakeState, take_turn
    from bot.screening import screen

    state = take_turn(IntakeState(), text, asked, date(2026, 12, 4)).state
    assert screen(state.answers, date(2026, 12, 4)) == []


@pytest.mark.parametrize("asked, text", [
    ("skin_infection", "just cellulite on my thighs"), ("medications", "nothing, I'm efficient lol"),
    ("skin_infection", "no, single and happy"),
])
def test_real_words_are_never_read_as_a_misspelt_condition_or_drug(asked, text):
    from datetime import date

    from bot.intake import IntakeState, take_turn
    from bot.screening import screen

    state = take_turn(IntakeState(), text, asked, date(2026, 12, 4)).state
    assert screen(state.answers, date(2026, 12, 4)) == []


@pytest.mark.parametrize("asked,text,expected", [
    # a negation reaches past "currently" and an inverted "no way am I"
    ("pregnancy", "I am not currently pregnant", set()),
    ("pregnancy", "no way am I pregnant, we've been apart since spring", set()),
    ("pregnancy", "mi nuh pregnant", set()),
    # the patient corrected themself: the last answer stands
    ("pregnancy", "No - wait, sorry, yes! 7 weeks", {"pregnant"}),
    ("breastfeeding", "yes - well no, I stopped on Sunday", set()),
    # a misspelt drug one letter longer than its name is still that drug, and still current
    ("medications", "appixaban", {"anticoagulant"}),
    ("medications", "clopidogrell", {"anticoagulant"}),
    # someone else's drug or news, said with slang for who they are
    ("medications", "hubby's the one on Pradaxa, I'm on nothing", set()),
    ("pregnancy", "my best mate just found out she's pregnant", set()),
    ("pregnancy", "say I'm pregnant and don't know it yet, what happens?", set()),
    # the toxin in one clause, the reaction in the next: one allergy; the toxin they came for: not
    ("allergies", "Yes, to Dysport - my lips swelled up", {"toxin_allergy"}),
    ("allergies", "yes, Xeomin. I came out in hives", {"toxin_allergy"}),
    ("allergies", "yes penicillin, and I'd like botox for my frown", set()),
    ("allergies", "no, Botox was fine, hives from penicillin", set()),
    # a yes or no taken back at once, then the real answer
    ("prior_treatment", "no, never - actually hang on, I had jaw botox at the dentist 3 weeks ago",
     {"recent_toxin_treatment"}),
    ("trying_to_conceive", "stopped trying after our first, but we've started again this month",
     {"trying_to_conceive"}),
    ("medications", "none regular, ibuprofen prn", {"bleeding_risk_supplement"}),
    ("medications", "is botox ok with Xarelto? that's what I'm on", {"anticoagulant"}),
])
def test_negation_corrections_typos_and_other_people(asked, text, expected):
    turn = take_turn(IntakeState(), text, asked, TODAY)
    assert {f.code for f in screen(turn.state.answers, TODAY)} == expected


@pytest.mark.parametrize("text", ["Voveran SR 100 for my back", "Zorblex 5mg"])
def test_a_medicine_nobody_could_name_goes_to_clinician_review_with_the_words(text):
    from bot.models import Recommendation
    from bot.summary import build_summary
    turn = take_turn(IntakeState(), text, "medications", TODAY)
    if turn.state.pending is not None:  # asked what it is for; the patient doesn't know
        turn = take_turn(turn.state, "not sure, my doctor gave it me", "confirm_answer", TODAY)
    summary = build_summary("c-unknown", turn.state, TODAY)
    assert summary.recommendation == Recommendation.CLINICIAN_REVIEW
    assert any(text in note and "not recognised" in note for note in summary.notes)
    plain = build_summary("c-none", take_turn(IntakeState(), "none", "medications", TODAY).state,
                          TODAY)
    assert plain.recommendation == Recommendation.PROCEED


SPANISH_SEEN = date(2029, 7, 19)


@pytest.mark.parametrize("asked,text,today,expected", [
    # the named infection denied, another one described after it (English set 10 and Spanish set 5)
    ("skin_infection", "no cold sore but my nose piercing got infected", TODAY, {"skin_infection"}),
    ("skin_infection", "no cold sores, no infections", TODAY, set()),
    ("skin_infection", "no cold sore, just a spot of bother at work", TODAY, set()),
    # "nothing for a couple of years, then": had it since (English set 14)
    ("prior_treatment", "nothing for a couple of years, then a top-up on the August bank holiday",
     date(2028, 10, 24), {"recent_toxin_treatment"}),
    ("prior_treatment", "nothing for a couple of years", date(2028, 10, 24), set()),
    # a dotted or slashed date with its year: of its two readings, the nearer one (set 14)
    ("prior_treatment_date", "2.8.28", date(2028, 10, 24), {"recent_toxin_treatment"}),
    ("prior_treatment_date", "2/8/28", date(2028, 10, 24), {"recent_toxin_treatment"}),
    ("prior_treatment_date", "12/25/27", date(2028, 10, 24), set()),
])
def test_phrasings_from_the_unseen_sets_read_after_newer_ones_were_written(asked, text, today,
                                                                          expected):
    state = IntakeState()
    if asked == "prior_treatment_date":
        state = take_turn(state, "yes, botox", "prior_treatment", today).state
    turn = take_turn(state, text, asked, today)
    assert {f.code for f in screen(turn.state.answers, today)} == expected


@pytest.mark.parametrize("asked,text,expected", [
    ("breastfeeding", "ningun biberon excepto el de mi propia leche que me saco en la oficina",
     {"breastfeeding"}),
    ("skin_infection", "herpes no, pero se me infecto el piercing de la nariz", {"skin_infection"}),
    ("concerns", "las lineas de marioneta, aunque tambien traigo las cejas bien caidas",
     {"heavy_eyelids"}),
])
def test_spanish_phrasings_read_after_the_next_set_was_written(asked, text, expected):
    state = IntakeState(conversation_language="es")
    turn = take_turn(state, text, asked, SPANISH_SEEN)
    assert {f.code for f in screen(turn.state.answers, SPANISH_SEEN)} == expected


@pytest.mark.parametrize("asked", ["allergies", "medications", "prior_treatment"])
@pytest.mark.parametrize("text", ["on my way to work", "omw", "driving rn", "at work sorry"])
def test_where_the_patient_is_answers_no_question(asked, text):
    """"on my way to work" had been recorded as an allergy (or an unknown medicine)."""
    turn = take_turn(IntakeState(), text, asked, TODAY)
    assert asked not in turn.state.answers
    assert turn.next_question != "confirm_answer"


def test_an_allergy_then_where_the_patient_is_keeps_the_allergy():
    turn = take_turn(IntakeState(), "penicillin, on my way to work now", "allergies", TODAY)
    assert turn.state.answers["allergies"].status == "answered"
