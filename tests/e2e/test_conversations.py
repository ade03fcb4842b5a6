"""Whole conversations against the trained model, in-process, with the real custom actions.

Each test plays a patient and checks what a patient or the clinician would notice: the
questions asked (and skipped), the bot's replies, and the stored summary's flags.
"""
from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.store import open_store
from tests.e2e.harness import Patient, asked, complete_intake, load_agent

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]


@pytest.fixture(scope="module")
def agent():
    return load_agent()


def summary_of(patient: Patient):
    return open_store(load_settings()).get_summary(patient.sender)


def flag_codes(patient: Patient) -> set[str]:
    return {f.code for f in summary_of(patient).flags}


def all_bot_text(patient: Patient) -> str:
    return "\n".join(t for _, replies in patient.transcript for t in replies)


async def test_happy_path_completes_with_no_flags_and_proceed(agent):
    patient = Patient(agent)
    questions = await complete_intake(patient, {})
    summary = summary_of(patient)
    assert summary.status.value == "completed"
    assert summary.recommendation.value == "proceed"
    assert summary.flags == []
    assert summary.patient_name == "Jane Doe" and summary.age == 34
    assert summary.concerns[0].area == "crows_feet" and summary.concerns[0].shows == "expression"
    assert questions[0] == "name" and questions[-1] == "confirm"
    for topic in ("pregnancy", "breastfeeding", "neuromuscular", "skin_infection", "allergies"):
        assert topic in questions
    assert "sent to the clinic" in all_bot_text(patient)


@pytest.mark.parametrize("question,answer,code", [
    ("pregnancy", "yes 8 weeks", "pregnant"),
    ("breastfeeding", "ya still nursing my 4 month old", "breastfeeding"),
    ("skin_infection", "I have a cold sore on my lip right now", "skin_infection"),
    ("allergies", "I got hives after Dysport last time", "toxin_allergy"),
    ("age", "17", "under_18"),
])
async def test_every_defer_code_is_raised_explained_and_the_intake_still_completes(
        agent, question, answer, code):
    patient = Patient(agent)
    questions = await complete_intake(patient, {question: answer})
    summary = summary_of(patient)
    flag = next(f for f in summary.flags if f.code == code)
    assert flag.severity.value == "defer"
    assert answer.split()[0].lower() in flag.evidence.lower()
    assert summary.recommendation.value == "defer"
    assert summary.status.value == "completed"
    assert "wait" in all_bot_text(patient)  # the patient is told kindly that treatment must wait
    assert questions[-1] == "confirm"


@pytest.mark.parametrize("question,answer,code", [
    ("trying_to_conceive", "yes we're trying for a baby", "trying_to_conceive"),
    ("allergies", "allergic to cow's milk protein", "milk_protein_allergy"),
    ("neuromuscular", "I have myasthenia gravis", "neuromuscular_disorder"),
    ("breathing", "yes I have asthma, use my inhaler most days", "swallowing_or_breathing_difficulty"),
    ("medications", "baclofen for back spasms", "interacting_medication"),
    ("medications", "Eliquis", "anticoagulant"),
    ("prior_treatment", "had Xeomin 5 weeks ago", "recent_toxin_treatment"),
])
async def test_every_review_code_is_raised_with_the_patients_words(agent, question, answer, code):
    patient = Patient(agent)
    await complete_intake(patient, {question: answer})
    summary = summary_of(patient)
    flag = next(f for f in summary.flags if f.code == code)
    assert flag.severity.value == "review"
    assert flag.evidence and flag.evidence.lower() in answer.lower() + " / " + flag.evidence.lower()
    assert summary.recommendation.value == "clinician_review"


async def test_an_unsure_answer_to_a_defer_question_is_flagged_but_the_patient_is_not_told_to_wait(
        agent):
    patient = Patient(agent)
    await complete_intake(patient, {"pregnancy": "not sure, my period is late"})
    summary = summary_of(patient)
    flag = next(f for f in summary.flags if f.code == "pregnant")
    assert flag.severity.value == "defer" and "period is late" in flag.evidence
    assert summary.recommendation.value == "defer"  # the contract: unsure raises the flag
    text = all_bot_text(patient)
    assert "wait" not in text  # only a clear yes is told that treatment must wait
    assert "clinician will go over it" in text


async def test_a_hedged_no_is_checked_with_the_patient_before_it_counts(agent):
    patient = Patient(agent)
    await patient.say("hi")
    while (await asked(patient)) != "pregnancy":
        from tests.e2e.harness import DEFAULT_ANSWERS
        await patient.say(DEFAULT_ANSWERS.get(await asked(patient), "no"))
    replies = await patient.say("don't think so")
    assert await asked(patient) == "confirm_answer"
    assert any("don't think so" in r and "pregnant" in r for r in replies)
    await patient.say("not sure")  # the check itself can be answered "not sure"
    summary = summary_of(patient)
    assert "pregnant" in flag_codes(patient)
    assert "don't think so / not sure" in summary.answers["pregnancy"].text
    assert await asked(patient) == "breastfeeding"


async def test_someone_elses_pregnancy_does_not_answer_and_is_kept_for_the_clinician(agent):
    from tests.e2e.harness import DEFAULT_ANSWERS
    patient = Patient(agent)
    await patient.say("hi")
    while (await asked(patient)) != "pregnancy":
        await patient.say(DEFAULT_ANSWERS.get(await asked(patient), "no"))
    await patient.say("my sister is pregnant")
    assert await asked(patient) == "pregnancy"  # asked again: it was not about the patient
    await complete_intake(patient, {}, first="no")
    summary = summary_of(patient)
    assert summary.status.value == "completed"
    assert "pregnant" not in flag_codes(patient)
    assert any("my sister is pregnant" in note for note in summary.notes)


async def test_an_unknown_medicine_gets_one_follow_up_and_its_purpose_is_kept(agent):
    patient = Patient(agent)
    await complete_intake(patient, {"medications": "the little white pill my cardiologist gave me",
                                    "confirm_answer": "it's for my afib, to stop clots"})
    summary = summary_of(patient)
    assert "What do you take" in all_bot_text(patient)
    flag = next(f for f in summary.flags if f.code == "anticoagulant")
    assert "little white pill" in flag.evidence and "afib" in flag.evidence
    assert summary.recommendation.value == "clinician_review"


async def test_negated_past_and_family_statements_raise_nothing(agent):
    patient = Patient(agent)
    await complete_intake(patient, {
        "pregnancy": "no I'm not pregnant", "breastfeeding": "stopped breastfeeding last year",
        "neuromuscular": "my aunt had ALS but I don't", "skin_infection": "the rash has cleared up",
        "medications": "no blood thinners, nothing", "allergies": "lactose intolerant only",
    })
    assert flag_codes(patient) == set()


async def test_volunteered_answers_are_kept_and_not_asked_again(agent):
    patient = Patient(agent)
    questions = await complete_intake(
        patient, {}, first="Botox for my 11s before my wedding in 9 days; I take fish oil; not pregnant")
    summary = summary_of(patient)
    assert "pregnancy" not in questions and "medications" not in questions
    assert "event" not in questions and "concerns" not in questions
    assert summary.concerns[0].area == "frown_lines"
    assert summary.event and summary.event.days_away == 9
    assert [s.name for s in summary.supplements] == ["fish oil"]
    assert flag_codes(patient) == {"bleeding_risk_supplement", "event_within_two_weeks"}


async def test_a_correction_at_the_read_back_updates_the_summary(agent):
    patient = Patient(agent)
    await patient.say("hi")
    while (await asked(patient)) != "confirm":
        from tests.e2e.harness import DEFAULT_ANSWERS
        await patient.say(DEFAULT_ANSWERS.get(await asked(patient), "no"))
    replies = await patient.say("actually I do take fish oil")
    assert any("fish oil" in r for r in replies)  # the read-back shows the change
    assert await asked(patient) == "confirm"
    await patient.say("yes")
    summary = summary_of(patient)
    assert summary.status.value == "completed"
    assert "bleeding_risk_supplement" in flag_codes(patient)


async def test_sms_shorthand_and_emoji_are_understood(agent):
    patient = Patient(agent, channel="sms")
    await complete_intake(patient, {
        "pregnancy": "n", "breastfeeding": "nah", "trying_to_conceive": "👎",
        "neuromuscular": "nope", "breathing": "no", "skin_infection": "ya",
        "photos": "no", "confirm": "👍",
    })
    summary = summary_of(patient)
    assert summary.channel == "sms"
    assert flag_codes(patient) == {"skin_infection"}
    assert summary.answers["pregnancy"].status == "answered"


async def test_side_question_mid_form_gets_an_answer_and_the_question_again(agent):
    patient = Patient(agent)
    await patient.say("hello")
    await patient.say("Sam")
    assert await asked(patient) == "concerns"
    replies = await patient.say("how long does it last?")
    assert any("3 to 4 months" in r for r in replies)
    assert await asked(patient) == "concerns"
    replies = await patient.say("does it hurt?")
    assert any("pinch" in r for r in replies)
    await patient.say("forehead lines")
    assert await asked(patient) == "concern_timing"


async def test_an_unclear_answer_is_asked_again_in_other_words_then_recorded_as_unclear(agent):
    patient = Patient(agent)
    await patient.say("hi")
    await patient.say("Alex")
    await patient.say("forehead, both")
    await patient.say("bring them")
    await patient.say("none")
    assert await asked(patient) == "pregnancy"
    first = await patient.say("purple")
    assert any("Just to check" in r for r in first)  # asked again, in other words
    await patient.say("banana")
    assert await asked(patient) == "pregnancy"
    third = await patient.say("lorem")
    assert await asked(patient) == "breastfeeding"
    summary = summary_of(patient)
    assert summary.answers["pregnancy"].status == "unclear"
    assert "pregnant" in flag_codes(patient)  # unclear on a defer question: ask the clinician
    assert third


async def test_trouble_breathing_after_treatment_gets_emergency_advice_at_once(agent):
    patient = Patient(agent)
    replies = await patient.say("I had botox yesterday and now I'm having trouble breathing")
    assert any("911" in r for r in replies)


async def test_restart_starts_a_fresh_intake(agent):
    patient = Patient(agent)
    await patient.say("hi")
    await patient.say("Jane")
    await patient.say("restart")
    assert await asked(patient) == "name"
    assert summary_of(patient).patient_name is None


@pytest.mark.parametrize("text", ["😀😀", "<script>alert(1)</script>", "hola, necesito ayuda",
                                  "SELECT * FROM intakes; --", "x" * 3000])
async def test_odd_input_gets_a_reply_and_loses_no_earlier_answer(agent, text):
    patient = Patient(agent)
    await patient.say("hi")
    await patient.say("Jane Doe")
    replies = await patient.say(text)
    assert replies and all(r.strip() for r in replies)
    assert summary_of(patient).patient_name == "Jane Doe"


async def test_a_patient_writing_in_spanish_has_the_intake_in_spanish(agent):
    patient = Patient(agent)
    await patient.say("hi")
    replies = await patient.say("hola, estoy embarazada y no hablo inglés")
    said = " ".join(replies)
    # answered in Spanish on the very message that chose it, the deferral explained
    assert "El bótox no se aplica durante el embarazo" in said, replies
    assert "¿Cómo quiere que le llamemos?" in said, replies
    summary = summary_of(patient)
    assert summary.conversation_language == "es" and not summary.unread_messages
    assert [(f.code, f.evidence) for f in summary.flags] == [
        ("pregnant", "hola, estoy embarazada y no hablo inglés")]
    replies = await patient.say("Ana López")
    assert summary_of(patient).patient_name == "Ana López"
    assert any(r.startswith("¿Qué es lo que más le gustaría cambiar?") for r in replies), replies


async def test_a_patient_writing_another_language_is_answered_in_it_and_needs_a_call(agent):
    patient = Patient(agent)
    await patient.say("hi")
    replies = await patient.say("olá, estou grávida e não falo inglês")
    said = " ".join(replies)
    assert "só consigo conversar em inglês" in said and "only chat in English" in said, replies
    summary = summary_of(patient)
    assert summary.recommendation.value == "needs_call"
    assert summary.unread_messages == ["olá, estou grávida e não falo inglês"]
    await patient.say("Ana")  # the intake goes on in English; the unread message stays
    assert summary_of(patient).unread_messages == ["olá, estou grávida e não falo inglês"]


async def test_the_answer_to_at_rest_or_with_expression_survives_the_whole_intake(agent):
    patient = Patient(agent)
    await complete_intake(patient, {"concerns": "my 11s", "concern_timing": "only with expression",
                                    "prior_treatment": "yes botox",
                                    "prior_treatment_date": "6 weeks ago"})
    summary = summary_of(patient)
    assert [(c.area, c.shows) for c in summary.concerns] == [("frown_lines", "expression")]
    assert "recent_toxin_treatment" in flag_codes(patient)
