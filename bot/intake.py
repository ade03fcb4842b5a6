"""The intake as a state machine over answers: which question is next, and what a message changes.

`take_turn` is the whole of what one patient message does to an intake. It is plain Python over
pydantic models, so every behaviour (volunteered answers, corrections, side questions, asking
again in other words, "unclear" after two tries) is testable without Rasa.
"""
from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, Field

from bot import second_reading, spanish
from bot.language import HINTS, foreign_language
from bot.models import Answer, Finding, Polarity
from bot.parsing import EXTRACTORS, REQUEST, purpose_category
from bot.screening import screen
from bot.text import (FAMILY_WORDS, SELF_DENIAL, clauses, corrected_answer, normalise, typo_tolerance,
                      yes_no)

QUESTIONS = ["name", "concerns", "concern_timing", "photos", "medications", "pregnancy",
             "breastfeeding", "trying_to_conceive", "neuromuscular", "breathing",
             "skin_infection", "event", "event_date", "prior_treatment", "prior_treatment_date",
             "allergies", "age", "contact", "confirm"]
FOLLOW_UPS = {"concern_timing": "concerns", "event_date": "event",
              "prior_treatment_date": "prior_treatment"}
# A later explicit mention always updates these, whatever was said before: safety first.
ALWAYS_MERGE = {"medications", "pregnancy", "breastfeeding", "trying_to_conceive", "neuromuscular",
                "breathing", "skin_infection", "allergies", "prior_treatment", "eyelids"}
SINGLE_VALUED = {"name", "age", "contact", "event", "event_date", "prior_treatment_date",
                 "concern_timing", "photos", "confirm"}
MAX_UNREAD_CHARS = 1000
DEFER_TOPICS = {"pregnancy", "breastfeeding", "skin_infection"}
CONFIRM = "confirm_answer"  # the requested slot while a reading is checked with the patient
# Questions where a hedged answer is checked rather than taken: a wrong "no" would hide a flag.
CONFIRMED_TOPICS = {"pregnancy", "breastfeeding", "trying_to_conceive", "skin_infection",
                    "neuromuscular", "breathing", "allergies"}
HEDGED_NO = r"^(i )?(dont|do not|shouldnt|should not) (think|reckon|believe|suppose) (so|im|i am|i have|i do|i was|" \
    r"its|it is|that)\b|\bi wouldnt (think|say) so\b|" \
    r"\bprob(ably|ly)? not\b|^(i )?doubt it\b|\bi (very much |really |highly |seriously )?doubt " \
    r"(im|i am|i have|it)\b|" \
    r"\bi dont believe so\b|\bshouldnt be\b|\bpretty sure (not|im not|i am not|i dont)\b|" \
    r"\bi think not\b|\bnot likely\b|\bunlikely\b|\bi hope not\b|\bhopefully not\b|" \
    r",\s*(i )?(dont|do not) (think|reckon|believe)\W*$"  # "nothing I can see, I don't think"
# A conventional no that still leaves room: checked on defer questions only.
SOFT_NO = r"\bnot that (i know|im aware|i am aware|i can think|i have noticed|ive noticed|i noticed)\b|" \
    r"\bnone (that )?i know (about|of)\b|\bnone (that )?(im|i am) aware of\b|\bnot to my (knowledge|knowlege)\b|\bthat (i|im) (know|am aware|aware|" \
    r"can think) of\b|\bas far as i (know|am aware)\b|\bafaik\b|\bi (dont )?reckon( not)?\b|" \
    r"\bnot (really )?preventing\b|\bif it happens\b|\bnever (been|had (a|any)) tested\b|" \
    r"\bnever (been )?tested\b|\bnever had (any )?(allergy )?tests\b"
# "not officially trying, just not preventing": neither a yes nor a no to trying (checked)
NOT_PREVENTING = r"\bnot (really |actively )?(preventing|avoiding it|using (anything|protection))\b|" \
    r"\bnot (stopping|preventing) it( either)?\b|" \
    r"\bif it happens\b|\bsee what happens\b|\bleaving it (to|up to) (fate|chance|nature)\b"
# Statements that do not answer a question about the patient now: kept, never closing it.
NOT_ANSWERS = (Polarity.PAST, Polarity.OTHER_PERSON, Polarity.HYPOTHETICAL)
MAX_ATTEMPTS = 3  # the question, then twice in other words, then "unclear"

SIDE_QUESTIONS = {
    "ask_pain": r"\b(hurt|hurts|painful|pain|sting|needles?)\b",
    "ask_duration": r"\bhow long (does|do|will|would) (it|they|the results?|botox|the effect)s? "
                    r"(last|stay)|\bhow often\b|\blast(s)? (for )?how long\b",
    "ask_onset": r"\b(when (will|do|would|should) i see|how (long|soon) (until|till|before|"
                 r"for) (it|results?|i see)|kick in|start working|take effect|see results)\b",
    "ask_price": r"\b(how much|price|prices|cost|costs|pricing|expensive|\$+|fee|fees|charge)\b",
    "ask_safety": r"\b(is it safe|side effects?|risks?|dangerous|safe\?)\b",
    "ask_human": r"\b(real person|human|speak to (someone|a person|staff)|talk to (someone|a person|"
                 r"staff|a human)|call me back|are you a (bot|robot|real)|receptionist)\b",
}
RESTART = r"^\s*(restart|start over|start again|reset|begin again|new intake|/restart)\s*[.!]*\s*$"
CORRECTION = r"\b(actually|sorry|correction|i meant|meant to say|wait|oops|change|update|" \
    r"forgot|mistake|wrong|instead|not \d+)\b"
EMERGENCY_AFTER = r"\b(after|since|from) (my|the|last|yesterday'?s?|recent|a) ?" \
    r"(botox|tox|dysport|xeomin|jeuveau|daxxify|injections?|treatment|appointment|shots?|" \
    r"procedure|session)|\b(botox|injections?|treatment) (yesterday|last week|this week|" \
    r"\d+ days? ago|a few days ago)\b"



class IntakeState(BaseModel):
    """Everything collected so far: answers by question, and tries per question."""

    answers: dict[str, Answer] = Field(default_factory=dict)
    attempts: dict[str, int] = Field(default_factory=dict)
    turns: int = 0
    # The language the intake is held in: "en", or "es" once the patient writes Spanish or asks
    # for it. Replies, questions and the read-back follow it; the summary stays in English.
    conversation_language: str = "en"
    language: str | None = None  # a language the patient wrote in that the assistant can't read
    unread: list[str] = Field(default_factory=list)  # those messages, in the patient's words
    # Statements that answer nothing (someone else's, the past, a plan or a question back), kept
    # in the patient's words for the clinician: "my sister is pregnant" never closes a question.
    noted: list[Finding] = Field(default_factory=list)
    # A reading to check with the patient before it counts ("don't think so" to a defer
    # question): asked back as a plain yes/no (CONFIRM), then recorded from that answer.
    pending: Finding | None = None
    # Spanish answers to a screening question with words the reader could not read, in the
    # patient's words: a clinician reads them before treating (never a silent "proceed")
    partly_read: list[str] = Field(default_factory=list)

    def findings(self) -> list[Finding]:
        """Every finding across all answers."""
        return [f for a in self.answers.values() for f in a.findings]


class Turn(BaseModel):
    """What one message did: the new state, which questions it answered, what to say.

    `changed` drives asking again; it is not a list of what to save (a follow-up also completes
    its parent answer): use `updated_answers` for that.
    """

    state: IntakeState
    changed: list[str] = Field(default_factory=list)
    replies: list[str] = Field(default_factory=list)
    rephrase: bool = False
    restarted: bool = False
    next_question: str | None = None


def outstanding(state: IntakeState) -> list[str]:
    """Questions still to ask, in consult order; follow-ups only when needed."""
    todo = []
    for question in QUESTIONS:
        if question in state.answers:
            continue
        parent = FOLLOW_UPS.get(question)
        if parent and not _needs_follow_up(state, question, parent):
            continue
        todo.append(question)
    return todo


def with_known_contact(state: IntakeState, phone: str) -> IntakeState:
    """The state with the number an SMS patient texts from as their contact, unless they gave one.

    A vague "this chat" is replaced by the number itself, so staff can call back.
    """
    given = state.answers.get("contact")
    if given and given.status == "answered" and any(
            f.detail.get("contact") not in (None, "this chat") for f in given.findings):
        return state
    state = state.model_copy(deep=True)
    state.answers["contact"] = Answer(topic="contact", text=given.text if given else "", findings=[
        Finding(topic="contact", item="contact", polarity=Polarity.PRESENT,
                evidence=f"texted from {phone}", detail={"contact": phone, "source": "sms"})])
    return state


def _needs_follow_up(state: IntakeState, question: str, parent: str) -> bool:
    answer = state.answers.get(parent)
    if answer is None or answer.status != "answered":
        return False
    present = answer.present()
    if question == "concern_timing":
        return any(f.detail.get("shows") is None for f in present)
    key = "date"
    return any(f.polarity == Polarity.PRESENT and not f.detail.get(key) for f in present)


def side_question(text: str, intent: str | None, confidence: float) -> str | None:
    """The side question asked ("does it hurt?"), by the NLU's intent or by its words."""
    norm = normalise(text)
    if intent in SIDE_QUESTIONS and confidence >= 0.6:
        return intent
    for name, pattern in SIDE_QUESTIONS.items():
        if re.search(pattern, norm) and ("?" in text or name == "ask_human"):
            return name
    return None


def is_emergency(text: str, intent: str | None, confidence: float) -> bool:
    """Trouble breathing or swallowing after a recent treatment: emergency advice at once."""
    norm = normalise(text)
    trouble = re.search(r"\b(breath\w*|swallow\w*|throat (is |feels )?(tight|closing|swelling)|"
                        r"choking)\b", norm)
    negated = re.search(r"\b(no|not|never|dont|without)\b[^.]*\b(breath|swallow)", norm)
    recent = re.search(EMERGENCY_AFTER, norm)
    return bool(trouble and not negated and (recent or (intent == "emergency" and confidence >= 0.8)))


# A word only Spanish uses ("tengo", "quiero"): with mostly Spanish words, the message is Spanish.
SPANISH_HINT = re.compile(r"\b(" + HINTS["es"] + r")\b", re.I)


def take_turn(state: IntakeState, text: str, asked: str | None, today: date,
              intent: str | None = None, confidence: float = 0.0) -> Turn:
    """Apply one patient message to the intake and decide what to say.

    A patient who writes Spanish (or asks for it) has the intake in Spanish from then on: the
    message is glossed into English for the one reader (bot.spanish), the NLU's English intent
    is not used, and every answer keeps the patient's own Spanish words.
    """
    choice = spanish.language_choice(text)
    if choice is not None and choice != state.conversation_language:
        return _switched_language(state, choice, asked)
    written_in = foreign_language(text, name_expected=asked == "name")  # once per message
    if (written_in in ("it", "ca", "gl") or (written_in == "pt" and SPANISH_HINT.search(text))) and \
            spanish.mostly_spanish(text):
        # "ola kiero kitarme las arugas": misspelt Spanish the detector calls Italian; "ola
        # buenas, kiero info del votox, tengo 42": Portuguese to it, but "tengo" is Spanish
        written_in = "es"
    elif written_in is None and state.conversation_language != "es" and SPANISH_HINT.search(text) and \
            spanish.mostly_spanish(text) and \
            not spanish.reads_as_english(text):
        # "hi! tengo 33 y quiero botox preventivo, hay availability este weekend?": Spanglish the
        # detector calls English, with Spanish words enough to be read as Spanish
        written_in = "es"
    if written_in == "es" and state.conversation_language != "es":
        state = state.model_copy(update={"conversation_language": "es"})
    if written_in not in (None, "es") and state.conversation_language == "es" and \
            spanish.mostly_spanish(text):
        written_in = None  # short Spanish the detector gives to French ("no lo sé")
    if state.conversation_language != "es" or written_in not in (None, "es") or \
            spanish.reads_as_english(text):
        # English is read as it is; a third language is kept for a call, as in English
        return _take_turn(state, text, asked, today, intent, confidence,
                          None if written_in == "es" else written_in)
    glossed = spanish.gloss(text)
    turn = _take_turn(state, glossed.english, asked, today, None, 0.0, None)
    if glossed.unread and (asked in SCREENING_TOPICS or
                           any(t in SCREENING_TOPICS for t in turn.changed)):
        note = f"\"{text.strip()[:300]}\" (words not read: {', '.join(glossed.unread[:8])})"
        if note not in turn.state.partly_read:
            turn.state.partly_read.append(note)
    return _in_patients_words(turn, state, glossed)


# Questions whose answers screening reads: a Spanish answer to one of them with words the reader
# could not read is shown to a clinician (see IntakeState.partly_read).
SCREENING_TOPICS = {"medications", "pregnancy", "breastfeeding", "trying_to_conceive",
                    "neuromuscular", "breathing", "skin_infection", "event", "event_date",
                    "prior_treatment", "prior_treatment_date", "allergies", "age", "eyelids"}


def _switched_language(state: IntakeState, language: str, asked: str | None) -> Turn:
    """"Español" / "English": the intake goes on in that language; nothing is answered."""
    state = state.model_copy(deep=True, update={"conversation_language": language})
    state.turns += 1
    todo = outstanding(state)
    question = asked if asked in todo or asked == CONFIRM else (todo[0] if todo else None)
    return Turn(state=state, replies=["utter_language_changed"], next_question=question)


def _in_patients_words(turn: Turn, before: IntakeState, glossed: spanish.Gloss) -> Turn:
    """The turn with the patient's own Spanish wherever the English gloss was kept: answers'
    text, each new finding's evidence (and a medicine's stated purpose), notes, the reading
    being checked. Staff and the patient's confirmation see what the patient wrote."""
    known = {f.evidence for f in before.findings() + before.noted}
    if before.pending is not None:
        known.add(before.pending.evidence)

    checked = f"{before.pending.evidence} / " if before.pending is not None else None

    def restore(finding: Finding) -> None:
        if checked and finding.evidence.startswith(checked):  # "creo que no / sí": the reply
            reply = finding.evidence[len(checked):]           # is this message, the rest is not
            finding.evidence = checked + glossed.to_spanish(reply, whole_if_unknown=True)
        elif finding.evidence not in known:
            finding.evidence = glossed.to_spanish(finding.evidence, whole_if_unknown=True)
            if isinstance(finding.detail.get("purpose"), str):
                finding.detail["purpose"] = glossed.to_spanish(finding.detail["purpose"])

    state = turn.state
    for topic, answer in state.answers.items():
        if before.answers.get(topic) != answer:
            answer.text = glossed.to_spanish(answer.text)
            for finding in answer.findings:
                restore(finding)
    for finding in state.noted + ([state.pending] if state.pending else []):
        restore(finding)
    return turn


def _take_turn(state: IntakeState, text: str, asked: str | None, today: date,
               intent: str | None = None, confidence: float = 0.0,
               other_language: str | None = None) -> Turn:
    """One message read in English (a Spanish one arrives as its gloss); `other_language`: the
    language it was written in when the assistant cannot read it (kept for a call)."""
    state = state.model_copy(deep=True)
    state.turns += 1
    text = corrected_answer((text or "").strip())  # "no - actually yes, in March": the yes
    if is_restart(text) or (intent == "start_over" and confidence >= 0.8):
        return Turn(state=IntakeState(turns=1, conversation_language=state.conversation_language),
                    replies=["utter_restarted"], restarted=True,
                    changed=list(QUESTIONS), next_question=QUESTIONS[0])
    if asked == CONFIRM:
        confirmed = _confirmed(state, text)
        if confirmed is not None:
            return confirmed
        asked = state.pending.topic if state.pending else None  # read it as an answer instead
        state.pending = None
    defer_before = clear_defers(state)
    replies: list[str] = []
    if is_emergency(text, intent, confidence):
        replies.append("utter_emergency")
    side = side_question(text, intent, confidence)
    chatter = bool(re.fullmatch(r"(hi+|hello|hey+|hiya|good (morning|afternoon|evening)|thanks?|"
                                r"thank you|ty|thx|ok|okay|k+|okk+|oki|okie|cool|great|bye)"
                                r"( there)?[!. ]*",
                                normalise(text)))
    if other_language:  # kept word for word: staff call the patient and read what they wrote
        state.language = other_language
        state.unread.append(text[:MAX_UNREAD_CHARS])
    # A question or off-topic chatter is not an answer: read it only for volunteered facts.
    # ...except a question that is itself an answer: "maybe?", "yes?" to "are you pregnant?"
    answer_first = answer_then_question(text)
    question_only = text.endswith("?") and yes_no(text) is None and not answer_first and not (
        asked == "concerns" and re.match(REQUEST, normalise(text))
        and EXTRACTORS["concerns"](text, False, today))  # "can you fix my 11s?"
    answering = asked if not ((side and not answer_first) or other_language or (chatter and asked != "name")
                              or question_only) else None
    changed = _apply_findings(state, text, answering, today, intent)
    if side:
        replies.append(f"utter_{side}")
    elif other_language:
        replies.append("utter_other_language")
    elif intent == "out_of_scope" and confidence >= 0.8 and asked not in changed:
        replies.append("utter_out_of_scope")
    if answering == "photos" and "photos" in changed and _photo_plan(state) == "upload":
        replies.append("utter_photo_guide")  # the poses, one at a time (bot.photo_guide)
    rephrase = False
    if answering and answering not in changed and not side and not (
            answering == "confirm" and changed):
        rephrase = _count_attempt(state, answering, text, changed)
    if state.pending is not None:  # checked with the patient before anything is recorded
        return Turn(state=state, changed=changed, replies=replies, next_question=CONFIRM)
    replies += _defer_replies(state, defer_before, answering)
    todo = outstanding(state)
    if answering in todo and (rephrase or side or not changed):
        todo.insert(0, answering)  # stay on the question until it is answered or unclear
    return Turn(state=state, changed=changed, replies=replies, rephrase=rephrase,
                next_question=todo[0] if todo else None)


def _photo_plan(state: IntakeState) -> str | None:
    """"upload", "bring" or "none": what the patient said they will do with photos."""
    answer = state.answers.get("photos")
    plans = [f.detail.get("plan") for f in answer.findings] if answer else []
    return plans[-1] if plans else None


QUESTION_WORDS = r"^(can|could|does|do|did|is|are|am|would|will|should|shall|what|whats|how|why|" \
    r"when|which|any|anyone|isnt|wont|will|would|hows|thats)\b"


def answer_then_question(text: str) -> bool:
    """"shellfish, does that matter?", "the 15th, is that cutting it fine?": an answer first.

    The message is read as an answer when its first part is a statement, not a question; the
    question at its end is still answered as a side question.
    """
    parts = _parts(text)
    return len(parts) > 1 and not re.match(QUESTION_WORDS, normalise(parts[0])) and not re.match(
        r"((and|but|so|or) )?(if|what if|in case|suppose|say|when|once)\b", normalise(parts[0]))


def _parts(text: str) -> list[str]:
    return [p for p in re.split(r"[,;.!]+\s+|\s+-\s+|\?\s+", text.strip()) if p.strip()]


def clear_defers(state: IntakeState) -> set[str]:
    """Defer flags raised by a clear yes: only these are explained as "treatment must wait"."""
    clear = {t: a.model_copy(update={"findings": [f for f in a.findings
                                                  if f.polarity == Polarity.PRESENT]})
             for t, a in state.answers.items() if a.status == "answered"}
    return {f.code for f in screen(clear) if f.severity.value == "defer"}


def _defer_replies(state: IntakeState, before: set[str], answering: str | None) -> list[str]:
    """A kind explanation for each new defer from a clear yes; a neutral word for an unsure one."""
    replies = [f"utter_defer_{code}" for code in sorted(clear_defers(state) - before)]
    answer = state.answers.get(answering) if answering else None
    if not replies and answer is not None and any(
            f.polarity == Polarity.UNSURE for f in answer.findings) and answering in CONFIRMED_TOPICS:
        replies.append("utter_unsure_noted")
    return replies


def _to_confirm(topic: str, findings: list[Finding], text: str) -> bool:
    """True when the reading of an answer must be checked with the patient before it counts."""
    norm = normalise(text)
    if topic == "medications":  # one follow-up for a medicine we don't know: what is it for?
        return bool(findings) and all(f.item == "unrecognised" and not f.detail.get("purpose")
                                      for f in findings)
    if topic == "trying_to_conceive" and findings and re.search(NOT_PREVENTING, norm) and not any(
            f.polarity == Polarity.PRESENT for f in findings):
        return True  # "not officially trying, just not preventing", "kinda? not preventing"
    if topic not in CONFIRMED_TOPICS or not findings or any(
            f.polarity != Polarity.ABSENT for f in findings):
        return False
    if re.search(HEDGED_NO, norm):
        return True
    if re.search(SOFT_NO, norm) and (topic in DEFER_TOPICS or topic == "allergies"):
        return True  # "not that I know of" is checked only where a wrong no defers treatment
    # "my sister is pregnant, not me": a no by contrast with someone else, to a defer question
    # (a plain "no" first is clear: "no, but my sister is")
    first = clauses(text)[0].original if clauses(text) else ""
    return topic in DEFER_TOPICS and bool(re.search(FAMILY_WORDS, norm)) and \
        yes_no(lead := re.split(r"[,;]|\s[-\u2013\u2014]\s", first)[0]) != "no" and \
        not re.match(r"\W*(no|not|nope|nah)\b", normalise(lead)) and \
        not re.search(SELF_DENIAL, norm) and not re.search(
            r"\b(son|daughter|baby|bub|twins|little one|lo)\b[^,;]{0,30}\b(arrived|was born|were born|"
            r"came along|came early)\b", norm)  # "my daughter arrived at Easter, so not again"


def _confirmed(state: IntakeState, text: str) -> Turn | None:
    """The patient's yes / no / not sure to a confirmation; None when the reply is not one.

    For an unknown medicine the reply is what it is taken for: kept with it for the clinician,
    and a purpose that points to a blood thinner raises that flag.
    """
    pending, answer = state.pending, yes_no(text)
    if pending is None:
        return None
    before = clear_defers(state)
    words = f"{pending.evidence} / {text.strip()}"
    if pending.topic == "medications" and not pending.detail.get("second_reading"):
        state.pending = None
        named = [f for f in EXTRACTORS["medications"](text, False, date.today())
                 if f.item not in ("none", "unrecognised")]
        finding = pending.model_copy(deep=True, update={"evidence": words})
        finding.detail.update(purpose=text.strip()[:200],
                              category=purpose_category(text) or finding.detail.get("category"))
        _merge(state, "medications", named + [finding], words)
    else:
        if answer is None or len(text.split()) > 6:
            return None
        polarity = {"yes": Polarity.PRESENT, "no": Polarity.ABSENT,
                    "unsure": Polarity.UNSURE}[answer]
        if pending.topic == "medications":  # the second reading's check of the medicines:
            # yes or not sure, a clinician checks which one it is; no leaves the reading as it was
            polarity = None if answer == "no" else Polarity.PRESENT
        state.pending = None
        if polarity is not None:
            _merge(state, pending.topic, [pending.model_copy(update={"polarity": polarity,
                                                                     "evidence": words})], words)
    todo = outstanding(state)
    return Turn(state=state, changed=[pending.topic],
                replies=_defer_replies(state, before, pending.topic),
                next_question=todo[0] if todo else None)


def is_restart(text: str) -> bool:
    """True when the whole message asks to start the intake over ("restart", "start over")."""
    return bool(re.match(RESTART, (text or "").strip(), re.I))


def updated_answers(before: IntakeState, after: IntakeState) -> list[str]:
    """Questions whose whole answer (findings, details, text, status) differs between two states.

    Comparing whole answers is what makes saving safe: no nested change can be missed.
    """
    topics = set(before.answers) | set(after.answers)
    return sorted(t for t in topics if before.answers.get(t) != after.answers.get(t))


def _apply_findings(state: IntakeState, text: str, asked: str | None, today: date,
                    intent: str | None) -> list[str]:
    correcting = bool(re.search(CORRECTION, normalise(text))) or intent == "correct"
    changed = []
    # The second reading (bot.second_reading) doubts an answer to this question that the reader
    # finds nothing to flag in: that reading is checked with the patient before it counts. The
    # model runs only when the reader would close the question with nothing to flag.
    doubt: list[bool] = []

    def doubted() -> bool:
        if not doubt:
            doubt.append(second_reading.wants_check(asked, text))
        return doubt[0]

    checkable = asked in second_reading.CODES and state.pending is None
    held = False
    for topic, extractor in EXTRACTORS.items():
        if topic == "confirm" and asked != "confirm":
            continue
        with typo_tolerance(topic == asked):  # typos only in the answer to the question asked
            findings = extractor(text, topic == asked, today)
        if not findings and topic == asked:  # "yes, to latex - will the gloves be a problem?"
            findings = _self_denied(extractor, text, today) or (
                _answer_before_question(extractor, text, today) if text.rstrip().endswith("?") and
                _parts(text) and yes_no(_parts(text)[0]) in ("yes", "no") else [])
        if not findings:
            continue
        if topic in FOLLOW_UPS and topic != asked and FOLLOW_UPS[topic] not in changed:
            continue  # a bare date only answers the follow-up that asked for it
        findings = _answering(state, topic, findings, text)
        if topic == asked and _to_confirm(topic, findings, text):
            # "don't think so", "my sister is, not me", an unknown medicine: asked back before
            # it counts
            state.pending = findings[0].model_copy(update={"evidence": text.strip()})
            continue
        if checkable and topic == asked and topic in second_reading.HELD and findings and all(
                f.polarity == Polarity.ABSENT for f in findings) and doubted():
            held = True  # a plain no the second reading doubts: checked below before it counts
            continue
        if not findings and topic == asked:  # "no, had asthma as a kid": the "no" answers
            first = clauses(text)[0].original if clauses(text) else ""
            if first != text.strip() and yes_no(first) == "no" and len(first.split()) <= 3:
                with typo_tolerance(True):
                    findings = [f for f in extractor(first, True, today)
                                if f.polarity == Polarity.ABSENT]
            findings = findings or _self_denied(extractor, text, today) or \
                _answer_before_question(extractor, text, today)
        if not findings:
            continue
        if topic == asked or topic not in state.answers or topic in ALWAYS_MERGE or correcting:
            _merge(state, topic, findings, text)
            changed.append(topic)
    # only a reading that would close the question is checked (one the reader could not read is
    # asked again anyway)
    if checkable and (held or asked in changed) and state.pending is None and \
            not second_reading.CODES[asked] & {
            flag.code for flag in screen(state.answers, today)} and not (
            asked == "medications" and _unknown_medicine(state)) and doubted():
        # (an unknown medicine reaches a clinician anyway)
        state.pending = second_reading.check_finding(asked, text)
    for follow_up, parent in FOLLOW_UPS.items():
        if follow_up in changed or parent in changed:
            _apply_follow_up(state, follow_up, parent)
    if "confirm" not in changed and asked == "confirm":
        state.answers.pop("confirm", None)
    return changed


def _unknown_medicine(state: IntakeState) -> bool:
    answer = state.answers.get("medications")
    return bool(answer) and any(f.item == "unrecognised" and f.polarity == Polarity.PRESENT
                                for f in answer.findings)


def _answer_before_question(extractor, text: str, today: date) -> list[Finding]:
    """"we are, should we stop trying before the botox?": the statement before the question
    answers it, when it is the patient's own clear answer."""
    if not answer_then_question(text):
        return []
    parts = _parts(text)
    # "yes, to latex - will the gloves be a problem?": every statement before the question
    first = ", ".join(parts[:-1]) if len(parts) > 2 and parts[-1].rstrip().endswith("?") and not any(
        p.rstrip().endswith("?") for p in parts[:-1]) else parts[0]
    with typo_tolerance(True):
        found = [f for f in extractor(first, True, today) if f.polarity not in NOT_ANSWERS]
    if "?" not in text and not (yes_no(first) and len(first.split()) <= 3) and any(
            f.polarity != Polarity.ABSENT for f in found):
        # with no question after it, a first part's yes stands alone only when it is a plain
        # yes: "my piercing got infected, but that was back in 2022" is one statement
        return []
    return [f.model_copy(update={"evidence": text.strip()}) for f in found]


def _self_denied(extractor, text: str, today: date) -> list[Finding]:
    """Someone else's yes beside the patient's own clear no: "my daughter has chickenpox but
    I'm fine", "no, it's my girlfriend who's pregnant". The patient's no answers the question."""
    norm = normalise(text)
    first = re.split(r"[,;.!]", text.strip())[0]
    if not re.search(FAMILY_WORDS, norm) or not (
            re.search(SELF_DENIAL, norm) or yes_no(first) == "no"):
        return []
    return [f.model_copy(update={"evidence": text.strip()}) for f in extractor("no", True, today)
            if f.polarity == Polarity.ABSENT]


def _answering(state: IntakeState, topic: str, findings: list[Finding], text: str
               ) -> list[Finding]:
    """The findings that answer the question; the rest are noted in the patient's words.

    Only the patient's own statement about now answers: another person's, a plan, a question
    back or the past alone does not ("my sister is pregnant", "used to take warfarin"). A past
    statement still updates an item already answered ("stopped the fish oil"), and a plain "no"
    before it answers ("no, had asthma as a kid").
    """
    known = {f.key() for f in state.answers[topic].findings} if topic in state.answers else set()
    answers = [f for f in findings if f.polarity not in NOT_ANSWERS
               or (f.polarity == Polarity.PAST and f.key() in known)]
    others = [f for f in findings if f not in answers]
    for finding in others:
        if not any(n.key() == finding.key() and n.evidence == finding.evidence
                   for n in state.noted):
            state.noted.append(finding)
    return answers + [f for f in others if f.polarity == Polarity.PAST] if answers else []


def _merge(state: IntakeState, topic: str, findings: list[Finding], text: str) -> None:
    """A later statement about the same item replaces the earlier one; "none" clears a list."""
    answer = state.answers.get(topic) or Answer(topic=topic)
    if answer.status == "unclear":
        answer = Answer(topic=topic)
    kept = answer.findings
    for new in findings:
        if new.item == "none" and new.polarity == Polarity.ABSENT:
            kept = []
        elif new.polarity in (Polarity.PRESENT, Polarity.UNSURE):
            kept = [f for f in kept if f.item != "none"]
        if topic in SINGLE_VALUED:
            kept = []
        kept = [f for f in kept if f.key() != new.key()] + [new]
    answer.findings = kept
    answer.status = "answered"
    answer.text = text if not answer.text else (
        answer.text if text in answer.text else f"{answer.text} / {text}")
    state.answers[topic] = answer


def _apply_follow_up(state: IntakeState, follow_up: str, parent: str) -> None:
    """Copy a follow-up's answer (timing, a date) onto the findings it completes."""
    extra, main = state.answers.get(follow_up), state.answers.get(parent)
    if not extra or not main or not extra.findings:
        return
    detail = extra.findings[-1].detail
    for finding in main.present():
        if follow_up == "concern_timing" and finding.detail.get("shows") is None:
            finding.detail["shows"] = detail.get("shows")
        elif follow_up != "concern_timing" and detail.get("date") and not finding.detail.get("date"):
            finding.detail.update(detail)
            finding.evidence = f"{finding.evidence} / {extra.text}"


def _count_attempt(state: IntakeState, asked: str, text: str, changed: list[str]) -> bool:
    """Count a try that gave no answer; after the last try, record "unclear". True to rephrase."""
    if asked == "confirm":
        return True  # the read-back is never skipped: ask what to change, as often as needed
    tries = state.attempts.get(asked, 0) + 1
    state.attempts[asked] = tries
    if tries < MAX_ATTEMPTS:
        return True
    previous = state.answers.get(asked)
    words = text if previous is None else f"{previous.text} / {text}"
    state.answers[asked] = Answer(topic=asked, status="unclear", text=words)
    changed.append(asked)
    return False
