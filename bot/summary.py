"""From collected answers to the clinician's structured summary, and the patient's read-back."""
from __future__ import annotations

from datetime import date, datetime, timezone

from bot.dates import describe
from bot.intake import IntakeState
from bot.labels import POLARITY_WORDS, item_label
from bot.language import language_name, patient_catalogue, spoken
from bot.models import (Concern, Event, IntakeSummary, Medication, Polarity, PriorTreatment,
                        Recommendation, ScreeningAnswer, Severity, Status)
from bot.screening import recommend, screen

AREA_LABELS = {
    "forehead_lines": "forehead lines", "frown_lines": "frown lines (11s)",
    "crows_feet": "crow's feet", "under_eye": "under-eye", "bunny_lines": "bunny lines",
    "lip_lines": "lip lines", "gummy_smile": "gummy smile", "mouth_corners": "downturned mouth corners",
    "chin": "chin", "masseter": "jaw / masseter", "platysma": "neck bands", "other": "other",
}
QUESTION_LABELS = {
    "photos": "Photos", "medications": "Medicines and supplements", "pregnancy": "Pregnant",
    "breastfeeding": "Breastfeeding", "trying_to_conceive": "Trying to conceive",
    "neuromuscular": "Neuromuscular condition", "breathing": "Swallowing or breathing trouble",
    "skin_infection": "Active skin infection", "event": "Upcoming event",
    "prior_treatment": "Prior toxin treatment", "allergies": "Allergies", "age": "Age",
}


def build_summary(conversation_id: str, state: IntakeState, today: date, channel: str = "web",
                  status: Status = Status.IN_PROGRESS, severities: dict[str, Severity] | None = None,
                  started_at: datetime | None = None) -> IntakeSummary:
    """The structured summary of an intake as it stands."""
    answers = state.answers
    flags = screen(answers, today, severities)
    now = datetime.now(timezone.utc)
    summary = IntakeSummary(conversation_id=conversation_id, channel=channel, status=status,
                            started_at=started_at or now, updated_at=now,
                            completed_at=now if status == Status.COMPLETED else None,
                            flags=flags, recommendation=recommend(flags),
                            conversation_language=state.conversation_language)
    summary.patient_name = _detail(state, "name", "name")
    summary.contact = _detail(state, "contact", "contact")
    summary.age = _detail(state, "age", "age")
    summary.concerns = [Concern(area=f.item, text=f.evidence, shows=f.detail.get("shows"))
                        for f in _present(state, "concerns")]
    photos = answers.get("photos")
    summary.photos_answer = photos.text if photos else None
    for finding in _present(state, "medications"):
        if finding.item == "none":
            continue
        kind = finding.detail.get("kind") or "medicine"
        brand = finding.detail.get("name")  # a name from the drug list: "Pristiq (desvenlafaxine)"
        name = f"{brand.title()} ({finding.item})" if brand and brand != finding.item else finding.item
        med = Medication(name=name, kind="supplement" if kind == "supplement" else "medicine",
                         category=finding.detail.get("category"), text=finding.evidence)
        (summary.supplements if med.kind == "supplement" else summary.medications).append(med)
    summary.event = _event(state, today)
    summary.prior_treatment = _prior(state)
    summary.allergies = [f.detail.get("allergen") or f.item.replace("_", " ")
                         for f in _present(state, "allergies") if f.item != "none"]
    summary.answers = {topic: _screening_answer(state, topic) for topic in QUESTION_LABELS
                       if topic in answers}
    summary.notes = _notes(state, summary)
    if unknown_medicines(state) and summary.recommendation == Recommendation.PROCEED:
        # a medicine nobody could name may thin the blood or interact: a clinician checks it
        summary.recommendation = Recommendation.CLINICIAN_REVIEW
    if state.partly_read:
        # Spanish with words the reader could not read: unseen Spanish is read far less well
        # than English (docs/understanding.md), so a clinician reads those answers
        summary.notes.append("Some Spanish answers were only partly understood; read them in "
                             "the patient's words: " + "; ".join(state.partly_read))
        if summary.recommendation == Recommendation.PROCEED:
            summary.recommendation = Recommendation.CLINICIAN_REVIEW
    if state.unread:
        summary.language, summary.unread_messages = state.language, list(state.unread)
        if summary.recommendation != Recommendation.DEFER:
            summary.recommendation = Recommendation.NEEDS_CALL  # unknown answers never "proceed"
        summary.notes.insert(0, f"Wrote in {language_name(state.language)}: needs a call "
                                "(with an interpreter); their messages are kept word for word.")
    return summary


def _present(state: IntakeState, topic: str):
    answer = state.answers.get(topic)
    return answer.present() if answer else []


def _detail(state: IntakeState, topic: str, key: str):
    found = _present(state, topic)
    return found[-1].detail.get(key) if found else None


def _event(state: IntakeState, today: date) -> Event | None:
    found = [f for f in _present(state, "event")]
    if not found:
        return None
    f = found[-1]
    when = date.fromisoformat(f.detail["date"]) if f.detail.get("date") else None
    return Event(description=f.detail.get("description", "event"), date=when,
                 days_away=(when - today).days if when else None, text=f.evidence)


def _prior(state: IntakeState) -> PriorTreatment | None:
    answer = state.answers.get("prior_treatment")
    if answer is None or not answer.findings:
        return None
    f = answer.findings[-1]
    if f.polarity == Polarity.ABSENT:
        return PriorTreatment(had_before=False, text=answer.text)
    when = date.fromisoformat(f.detail["date"]) if f.detail.get("date") else None
    return PriorTreatment(had_before=True if f.polarity == Polarity.PRESENT else None,
                          product=f.detail.get("product"), date=when,
                          days_ago=f.detail.get("days_ago"),
                          complications=f.detail.get("complications", []), text=f.evidence)


def _screening_answer(state: IntakeState, topic: str) -> ScreeningAnswer:
    answer = state.answers[topic]
    understood = [f"{f.item}: {f.polarity.value}" for f in answer.findings]
    if topic == "age":  # a range without a number ("under 18") still reads back
        understood += [f"under_18={f.detail['under_18']}" for f in answer.findings
                       if "under_18" in f.detail]
    return ScreeningAnswer(question=QUESTION_LABELS[topic], status=answer.status,
                           text=answer.text, understood=understood)


def unknown_medicines(state: IntakeState) -> list:
    """The patient's own current medicines that the assistant could not identify."""
    return [f for f in _present(state, "medications")
            if f.item == "unrecognised" and not f.detail.get("category")]


def _notes(state: IntakeState, summary: IntakeSummary) -> list[str]:
    notes = []
    for finding in unknown_medicines(state):
        if finding.detail.get("kind") == "checked":  # the patient's yes to the second reading
            notes.append(f"Asked to check \"{finding.evidence}\": the patient said some of it may "
                         "thin the blood, ease pain and swelling, relax muscles or be a "
                         "supplement. Check which medicine before treating.")
            continue
        purpose = finding.detail.get("purpose")
        notes.append(f"Medicine not recognised: \"{finding.evidence}\""
                     + (f" (taken for: {purpose})" if purpose else "")
                     + ". Check what it is before treating.")
    if summary.prior_treatment and summary.prior_treatment.had_before is False:
        notes.append("First-time patient.")
    if summary.prior_treatment and summary.prior_treatment.complications:
        notes.append("Prior complications: " + ", ".join(summary.prior_treatment.complications))
    if summary.age is not None and summary.age >= 65:
        notes.append("Age 65 or over: Dysport's cosmetic approval covers adults under 65.")
    unclear = [QUESTION_LABELS.get(t, t) for t, a in state.answers.items() if a.status == "unclear"]
    if unclear:
        notes.append("No clear answer to: " + ", ".join(unclear) + ". Please ask at the consult.")
    for finding in state.findings():
        if finding.polarity in (Polarity.PAST, Polarity.ABSENT) and finding.item not in (
                "none", "toxin", "event", "photos") and finding.topic not in ("concerns",):
            notes.append(f"Mentioned, not current: {item_label(finding.item)} "
                         f"(\"{finding.evidence}\")")
    for finding in state.noted:  # said, but not an answer: the clinician may want to ask
        notes.append(f"Mentioned, {POLARITY_WORDS.get(finding.polarity.value, 'not current')}: "
                     f"{item_label(finding.item)} (\"{finding.evidence}\")")
    return notes


def _detail_any(summary: IntakeSummary, key: str):
    """A detail of the age answer when only a range was given ("under 18", "40s")."""
    answer = summary.answers.get("age")
    for item in answer.understood if answer else []:
        if item.startswith(f"{key}="):
            return item.split("=", 1)[1] == "True"
    return None


def readback(summary: IntakeSummary, today: date, language: str = "en") -> str:
    """A short summary the patient can check before sending it to the clinic, in the language
    the intake is held in (words from bot/catalogue/patient.<language>.yml)."""
    words = patient_catalogue(language)
    say = words["readback"]

    def yes_no(topic: str) -> str:
        a = summary.answers.get(topic)
        if a is None:
            return say["not_answered"]
        if a.status == "unclear":
            return say["unclear"]
        present = [u for u in a.understood if not u.endswith(("absent", "past"))]
        return say["yes"] if any(u.endswith("present") for u in present) else (
            say["not_sure"] if present else say["no"])

    shows = {"at rest": say["shows_at_rest"], "with expression": say["shows_with_expression"],
             "both": say["shows_both"]}
    under = _detail_any(summary, "under_18")
    age = summary.age if summary.age is not None else (
        say["under_18"] if under else say["adult"] if under is False else "-")
    lines = [say["name_age"].format(name=summary.patient_name or "-", age=age)]
    concerns = ", ".join(words["areas"].get(c.area, c.area) + (
        f" ({shows.get(c.shows, c.shows)})" if c.shows else "") for c in summary.concerns)
    lines.append(say["concerns"].format(concerns=concerns or "-"))
    meds = [spoken(m.name, language) for m in summary.medications + summary.supplements]
    lines.append(say["medicines"].format(medicines=", ".join(meds) if meds else say["none"]))
    lines.append(say["pregnancy_line"].format(pregnancy=yes_no("pregnancy"),
                                              breastfeeding=yes_no("breastfeeding"),
                                              trying=yes_no("trying_to_conceive")))
    lines.append(say["health_line"].format(neuromuscular=yes_no("neuromuscular"),
                                           breathing=yes_no("breathing"),
                                           skin=yes_no("skin_infection")))
    if summary.event:
        when = describe(summary.event.date, today, language) if summary.event.date \
            else say["date_not_given"]
        lines.append(say["event"].format(event=spoken(summary.event.description, language), when=when))
    else:
        lines.append(say["event_none"])
    prior = summary.prior_treatment
    if prior and prior.had_before:
        when = describe(prior.date, today, language) if prior.date else say["date_not_given"]
        lines.append(say["before"].format(product=prior.product or say["toxin"], when=when))
    else:
        lines.append(say["first_time"] if prior else say["before_unknown"])
    allergies = ", ".join(spoken(a, language) for a in summary.allergies)
    lines.append(say["allergies"].format(allergies=allergies or say["none"]))
    lines.append(say["contact"].format(contact=summary.contact or "-"))
    return "\n".join(lines)
