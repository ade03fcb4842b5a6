"""FHIR R4 export: the consult questions as a Questionnaire, an intake as a QuestionnaireResponse.

Each answer's value[x] matches its item's type (choice -> valueCoding, string -> valueString,
integer -> valueInteger, date -> valueDate, boolean -> valueBoolean). Repeating things (concerns,
medicines, flags) are repeating groups; items with nothing to say are left out, because R4 does
not allow empty answer lists.

    >>> from bot.models import IntakeSummary
    >>> questionnaire_response(IntakeSummary(conversation_id="abc"))["status"]
    'in-progress'
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

from bot import photo_guide
from bot.models import IntakeSummary, ScreeningAnswer, Status
from bot.screening import DEFAULT_SEVERITIES
from bot.summary import AREA_LABELS, QUESTION_LABELS

BASE_URL = "https://intake.example.org/fhir"
QUESTIONNAIRE_ID = "botox-intake"
QUESTIONNAIRE_URL = f"{BASE_URL}/Questionnaire/{QUESTIONNAIRE_ID}"
QUESTIONNAIRE_VERSION = "1"
CONVERSATION_SYSTEM = f"{BASE_URL}/NamingSystem/conversation-id"
AREA_SYSTEM = f"{BASE_URL}/CodeSystem/treatment-area"
SHOWS_SYSTEM = f"{BASE_URL}/CodeSystem/shows-at"
REPORTED_SYSTEM = f"{BASE_URL}/CodeSystem/reported"
KIND_SYSTEM = f"{BASE_URL}/CodeSystem/medication-kind"
FLAG_SYSTEM = f"{BASE_URL}/CodeSystem/screening-flag"
SEVERITY_SYSTEM = f"{BASE_URL}/CodeSystem/flag-severity"
RECOMMENDATION_SYSTEM = f"{BASE_URL}/CodeSystem/recommendation"
POSE_SYSTEM = f"{BASE_URL}/CodeSystem/photo-pose"
POSES = {p.key: p.label for p in photo_guide.POSES}

SHOWS = {"rest": "At rest", "expression": "With expression", "both": "Both"}
REPORTED = {"yes": "Yes", "no": "No", "unsure": "Not sure", "unclear": "No clear answer"}
KINDS = {"medicine": "Medicine", "supplement": "Supplement"}
SEVERITIES = {"defer": "Defer", "review": "Clinician review", "advisory": "Advisory"}
RECOMMENDATIONS = {"defer": "Defer", "needs_call": "Needs a call (language)",
                   "clinician_review": "Clinician review", "proceed": "Proceed"}
# Yes/no consult questions; the others (photos, medicines, event...) have their own groups.
YES_NO_TOPICS = ("pregnancy", "breastfeeding", "trying_to_conceive", "neuromuscular",
                 "breathing", "skin_infection")
# QuestionnaireResponse.status for each intake status (R4 codes; "stopped" = abandoned).
RESPONSE_STATUS = {Status.IN_PROGRESS: "in-progress", Status.COMPLETED: "completed",
                   Status.ABANDONED: "stopped"}


def questionnaire() -> dict[str, Any]:
    """The FHIR R4 Questionnaire for the consult questions."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "BotoxIntake",
        "title": "Botulinum toxin (cosmetic) pre-consult intake",
        "status": "active",
        "subjectType": ["Patient"],
        "item": _questionnaire_items(),
    }


def _questionnaire_items() -> list[dict[str, Any]]:
    """Every top-level item, in consult order."""
    items = [
        _group("patient", "Patient", [
            _question("patient.name", "First name", "string"),
            _question("patient.contact", "Contact", "string"),
            _question("patient.age", "Age", "integer"),
        ]),
        _group("concerns", "Top concerns", [
            _question("concerns.area", "Area", "choice",
                      options=_options(AREA_SYSTEM, AREA_LABELS)),
            _question("concerns.shows", "Shows", "choice", options=_options(SHOWS_SYSTEM, SHOWS)),
            _question("concerns.text", "In the patient's words", "string"),
        ], repeats=True),
        _group("photos", QUESTION_LABELS["photos"], [
            _question("photos.answer", "In the patient's words", "string"),
            _question("photos.count", "Photos received", "integer"),
            _question("photos.missing", "Poses missing", "choice",
                      options=_options(POSE_SYSTEM, POSES), repeats=True),
            _group("photos.photo", "Photo", [
                _question("photos.photo.number", "Photo number (as on the staff page)", "integer"),
                _question("photos.photo.pose", "Pose", "choice",
                          options=_options(POSE_SYSTEM, POSES)),
            ], repeats=True),
        ]),
        _group("medications", QUESTION_LABELS["medications"], [
            _question("medications.name", "Name", "string"),
            _question("medications.kind", "Kind", "choice", options=_options(KIND_SYSTEM, KINDS)),
            _question("medications.category", "May raise flag", "choice",
                      options=_options(FLAG_SYSTEM, _flag_labels())),
            _question("medications.text", "In the patient's words", "string"),
        ], repeats=True),
    ]
    items += [_yes_no_group(topic) for topic in YES_NO_TOPICS]
    items += [
        _group("event", QUESTION_LABELS["event"], [
            _question("event.description", "Event", "string"),
            _question("event.date", "Date", "date"),
            _question("event.text", "In the patient's words", "string"),
        ]),
        _group("prior_treatment", QUESTION_LABELS["prior_treatment"], [
            _question("prior_treatment.had_before", "Treated before", "boolean"),
            _question("prior_treatment.product", "Product", "string"),
            _question("prior_treatment.date", "Date", "date"),
            _question("prior_treatment.complications", "Complications", "string", repeats=True),
            _question("prior_treatment.text", "In the patient's words", "string"),
        ]),
        _group("allergies", QUESTION_LABELS["allergies"], [
            _question("allergies.item", "Allergy", "string", repeats=True),
            _question("allergies.text", "In the patient's words", "string"),
        ]),
        _group("flags", "Screening flags", [
            _question("flags.code", "Flag", "choice",
                      options=_options(FLAG_SYSTEM, _flag_labels())),
            _question("flags.severity", "Severity", "choice",
                      options=_options(SEVERITY_SYSTEM, SEVERITIES)),
            _question("flags.reason", "Reason", "string"),
            _question("flags.evidence", "In the patient's words", "string"),
        ], repeats=True),
        _question("recommendation", "Recommendation", "choice",
                  options=_options(RECOMMENDATION_SYSTEM, RECOMMENDATIONS)),
        _question("notes", "Notes for the clinician", "string", repeats=True),
        _question("unread", "Messages in a language the assistant does not read (patient's words)",
                  "string", repeats=True),
    ]
    return items


def _yes_no_group(topic: str) -> dict[str, Any]:
    """A yes/no consult question: what was understood, and the patient's words."""
    return _group(topic, QUESTION_LABELS[topic], [
        _question(f"{topic}.reported", "Reported", "choice",
                  options=_options(REPORTED_SYSTEM, REPORTED)),
        _question(f"{topic}.text", "In the patient's words", "string"),
    ])


def _group(link_id: str, text: str, items: list[dict], repeats: bool = False) -> dict[str, Any]:
    """A Questionnaire group item."""
    group = {"linkId": link_id, "text": text, "type": "group", "item": items}
    if repeats:
        group["repeats"] = True
    return group


def _question(link_id: str, text: str, kind: str, options: list[dict] | None = None,
              repeats: bool = False) -> dict[str, Any]:
    """A Questionnaire question item of the given type."""
    item: dict[str, Any] = {"linkId": link_id, "text": text, "type": kind}
    if repeats:
        item["repeats"] = True
    if options:
        item["answerOption"] = options
    return item


def _options(system: str, labels: dict[str, str]) -> list[dict[str, Any]]:
    """answerOption entries for a code system."""
    return [{"valueCoding": _coding(system, code, label)} for code, label in labels.items()]


def _coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    """A Coding."""
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _flag_labels() -> dict[str, str]:
    """Flag codes with readable displays."""
    return {code: code.replace("_", " ") for code in DEFAULT_SEVERITIES}


# --- the response -------------------------------------------------------------------------------


def questionnaire_response(summary: IntakeSummary) -> dict[str, Any]:
    """The intake as a FHIR R4 QuestionnaireResponse to the Questionnaire above."""
    authored = summary.completed_at or summary.updated_at
    items = [
        _answer_group("patient", "Patient", [
            _string("patient.name", "First name", summary.patient_name),
            _string("patient.contact", "Contact", summary.contact),
            _integer("patient.age", "Age", summary.age),
        ]),
        *[_concern(c) for c in summary.concerns],
        _answer_group("photos", QUESTION_LABELS["photos"], [
            _string("photos.answer", "In the patient's words", summary.photos_answer),
            _integer("photos.count", "Photos received", len(summary.photos) or None),
            _item("photos.missing", "Poses missing",
                  [{"valueCoding": _coding(POSE_SYSTEM, p.key, p.label)}
                   for p in photo_guide.missing(summary.photo_poses.values())]),
            *[_answer_group("photos.photo", "Photo", [
                _integer("photos.photo.number", "Photo number (as on the staff page)", number),
                _choice("photos.photo.pose", "Pose", POSE_SYSTEM,
                        summary.photo_poses.get(ref), POSES),
            ]) for number, ref in enumerate(summary.photos, 1)],
        ]),
        *[_medication(m) for m in summary.medications + summary.supplements],
        *[_yes_no_answer(topic, summary.answers.get(topic)) for topic in YES_NO_TOPICS],
        _event(summary),
        _prior(summary),
        _answer_group("allergies", QUESTION_LABELS["allergies"], [
            _strings("allergies.item", "Allergy", summary.allergies),
            _string("allergies.text", "In the patient's words", _answer_text(summary, "allergies")),
        ]),
        *[_flag(f) for f in summary.flags],
        _choice("recommendation", "Recommendation", RECOMMENDATION_SYSTEM,
                summary.recommendation.value, RECOMMENDATIONS),
        _strings("notes", "Notes for the clinician", summary.notes),
        _strings("unread", "Messages in a language the assistant does not read (patient's words)",
                 summary.unread_messages),
    ]
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": CONVERSATION_SYSTEM, "value": summary.conversation_id},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": RESPONSE_STATUS[summary.status],
        "authored": _datetime(authored),
        "item": [item for item in items if item],
    }
    patient = _patient(summary)
    if patient:
        # The patient is both subject and source (they answered for themselves); contained,
        # because the clinic's own Patient record is matched by staff, not by the assistant.
        resource.update(contained=[patient], subject={"reference": f"#{patient['id']}"},
                        source={"reference": f"#{patient['id']}"})
    return resource


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[\d\s().\-]{7,24}")


def telecom(contact: str | None, channel: str = "web") -> list[dict[str, str]]:
    """The patient's contact as R4 ContactPoints: phone (mobile, if they texted from it),
    email, or other for anything else they wrote.

        >>> telecom("+15550100123", "sms")
        [{'system': 'phone', 'value': '+15550100123', 'use': 'mobile'}]
    """
    value = (contact or "").strip()
    if not value:
        return []
    if _EMAIL.fullmatch(value):
        return [{"system": "email", "value": value}]
    if _PHONE.fullmatch(value) and sum(c.isdigit() for c in value) >= 7:
        point = {"system": "phone", "value": value}
        return [{**point, "use": "mobile"}] if channel == "sms" else [point]
    return [{"system": "other", "value": value}]


def _patient(summary: IntakeSummary) -> dict[str, Any] | None:
    """A contained R4 Patient with the name and contact the patient gave, or None if neither."""
    points = telecom(summary.contact, summary.channel)
    if not points and not summary.patient_name:
        return None
    patient: dict[str, Any] = {"resourceType": "Patient", "id": "patient"}
    if summary.patient_name:
        patient["name"] = [{"text": summary.patient_name}]
    if points:
        patient["telecom"] = points
    return patient


def _concern(concern) -> dict[str, Any] | None:
    """One repeat of the concerns group."""
    return _answer_group("concerns", "Top concerns", [
        _choice("concerns.area", "Area", AREA_SYSTEM,
                concern.area if concern.area in AREA_LABELS else "other", AREA_LABELS),
        _choice("concerns.shows", "Shows", SHOWS_SYSTEM, concern.shows, SHOWS),
        _string("concerns.text", "In the patient's words", concern.text),
    ])


def _medication(med) -> dict[str, Any] | None:
    """One repeat of the medications group."""
    return _answer_group("medications", QUESTION_LABELS["medications"], [
        _string("medications.name", "Name", med.name),
        _choice("medications.kind", "Kind", KIND_SYSTEM, med.kind, KINDS),
        _choice("medications.category", "May raise flag", FLAG_SYSTEM, med.category,
                _flag_labels()),
        _string("medications.text", "In the patient's words", med.text),
    ])


def _yes_no_answer(topic: str, answer: ScreeningAnswer | None) -> dict[str, Any] | None:
    """A yes/no consult question's group, or None if it was not asked yet."""
    if answer is None:
        return None
    return _answer_group(topic, QUESTION_LABELS[topic], [
        _choice(f"{topic}.reported", "Reported", REPORTED_SYSTEM, reported(answer), REPORTED),
        _string(f"{topic}.text", "In the patient's words", answer.text),
    ])


def reported(answer: ScreeningAnswer) -> str:
    """yes / no / unsure / unclear from what was understood (past or negated counts as no)."""
    if answer.status == "unclear":
        return "unclear"
    polarities = {item.rsplit(": ", 1)[-1] for item in answer.understood}
    if "present" in polarities:
        return "yes"
    return "unsure" if "unsure" in polarities else "no"


def _event(summary: IntakeSummary) -> dict[str, Any] | None:
    """The event group, or None."""
    event = summary.event
    if event is None:
        return None
    return _answer_group("event", QUESTION_LABELS["event"], [
        _string("event.description", "Event", event.description),
        _date("event.date", "Date", event.date),
        _string("event.text", "In the patient's words", event.text),
    ])


def _prior(summary: IntakeSummary) -> dict[str, Any] | None:
    """The prior-treatment group, or None."""
    prior = summary.prior_treatment
    if prior is None:
        return None
    return _answer_group("prior_treatment", QUESTION_LABELS["prior_treatment"], [
        _boolean("prior_treatment.had_before", "Treated before", prior.had_before),
        _string("prior_treatment.product", "Product", prior.product),
        _date("prior_treatment.date", "Date", prior.date),
        _strings("prior_treatment.complications", "Complications", prior.complications),
        _string("prior_treatment.text", "In the patient's words", prior.text),
    ])


def _flag(flag) -> dict[str, Any] | None:
    """One repeat of the flags group: code, severity, reason and the patient's words."""
    return _answer_group("flags", "Screening flags", [
        _choice("flags.code", "Flag", FLAG_SYSTEM, flag.code, _flag_labels()),
        _choice("flags.severity", "Severity", SEVERITY_SYSTEM, flag.severity.value, SEVERITIES),
        _string("flags.reason", "Reason", flag.reason),
        _string("flags.evidence", "In the patient's words", flag.evidence),
    ])


def _answer_text(summary: IntakeSummary, topic: str) -> str | None:
    """The patient's words for a consult question, if answered."""
    answer = summary.answers.get(topic)
    return answer.text if answer else None


def _answer_group(link_id: str, text: str, items: list) -> dict[str, Any] | None:
    """A response group with its non-empty items, or None if all are empty."""
    present = [item for item in items if item]
    return {"linkId": link_id, "text": text, "item": present} if present else None


def _item(link_id: str, text: str, answers: list[dict]) -> dict[str, Any] | None:
    """A response item with answers, or None when there are none (R4 forbids empty lists)."""
    return {"linkId": link_id, "text": text, "answer": answers} if answers else None


def _string(link_id: str, text: str, value: str | None) -> dict[str, Any] | None:
    """A string answer item."""
    return _item(link_id, text, [{"valueString": value}] if value else [])


def _strings(link_id: str, text: str, values: list[str]) -> dict[str, Any] | None:
    """A repeating string answer item."""
    return _item(link_id, text, [{"valueString": v} for v in values if v])


def _integer(link_id: str, text: str, value: int | None) -> dict[str, Any] | None:
    """An integer answer item."""
    return _item(link_id, text, [] if value is None else [{"valueInteger": int(value)}])


def _date(link_id: str, text: str, value: date | None) -> dict[str, Any] | None:
    """A date answer item."""
    return _item(link_id, text, [] if value is None else [{"valueDate": value.isoformat()}])


def _boolean(link_id: str, text: str, value: bool | None) -> dict[str, Any] | None:
    """A boolean answer item."""
    return _item(link_id, text, [] if value is None else [{"valueBoolean": bool(value)}])


def _choice(link_id: str, text: str, system: str, code: str | None,
            labels: dict[str, str]) -> dict[str, Any] | None:
    """A coded answer item; None for a code outside the item's answerOptions."""
    if code not in labels:
        return None
    return _item(link_id, text, [{"valueCoding": _coding(system, code, labels.get(code))}])


def _datetime(moment: datetime) -> str:
    """An R4 dateTime (with a timezone, as R4 requires when a time is given)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")
