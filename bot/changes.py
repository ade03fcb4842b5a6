"""What changed in an intake, in clinic language, so a review can follow the intake.

`clinical_snapshot` keeps only what a clinician's review covers (flags with their evidence, the
recommendation, every answer, concerns, medicines, event, prior treatment, allergies, age,
photos, contact), as plain JSON; `describe_changes` compares two snapshots. The store compares
snapshots on every save, so both are cheap: no rendering, no I/O.

    >>> from bot.models import IntakeSummary
    >>> before = clinical_snapshot(IntakeSummary(conversation_id="c", age=34))
    >>> [c.label for c in describe_changes(before, {**before, "age": 17})]
    ['Age']
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.labels import (FLAG_LABELS, RECOMMENDATION_LABELS, SEVERITY_LABELS, flag_label,
                        plain_answer)
from bot.models import IntakeSummary
from bot.summary import AREA_LABELS, QUESTION_LABELS

NOT_FLAGGED = "Not flagged"
NOT_ANSWERED = "Not answered"
NEW_WORDS = " (same, in new words)"
SHOWS_WORDS = {"rest": "at rest", "expression": "with expression",
               "both": "at rest and with expression"}
# Structured parts, in consult order; an answer with one of these names that changed with it
# is not listed again (the structured change says it better).
STRUCTURED = ("concerns", "photos", "medications", "event", "prior_treatment", "allergies",
              "age", "contact")
SEVERITY_ORDER = list(SEVERITY_LABELS)


class Change(BaseModel):
    """One thing that changed: what (label), from what to what, and the patient's words."""

    kind: str  # "recommendation", "flag", "answer", or one of STRUCTURED
    label: str  # in clinic language: "New flag: Under 18", "Pregnant"
    before: str
    after: str
    words: str = ""  # the patient's words behind the change, when there are any


def clinical_snapshot(summary: IntakeSummary) -> dict[str, Any]:
    """The parts of a summary a clinician's review covers, as plain JSON-ready data."""
    prior = summary.prior_treatment
    return {
        "recommendation": summary.recommendation.value,
        "flags": {f.code: {"severity": f.severity.value, "evidence": f.evidence}
                  for f in summary.flags},
        "answers": {topic: {"status": a.status, "understood": list(a.understood), "text": a.text}
                    for topic, a in summary.answers.items()},
        "concerns": [{"area": c.area, "shows": c.shows, "text": c.text} for c in summary.concerns],
        "medications": [{"name": m.name, "kind": m.kind, "category": m.category, "text": m.text}
                        for m in summary.medications + summary.supplements],
        "event": summary.event and {"description": summary.event.description,
                                    "date": _iso(summary.event.date), "text": summary.event.text},
        "prior_treatment": prior and {"had_before": prior.had_before, "product": prior.product,
                                      "date": _iso(prior.date), "days_ago": prior.days_ago,
                                      "complications": list(prior.complications),
                                      "text": prior.text},
        "allergies": list(summary.allergies),
        "age": summary.age,
        "photos": list(summary.photos),
        "contact": summary.contact,
    }


def describe_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every difference between two snapshots: recommendation, flags, then the answers."""
    changes = _recommendation(before, after) + _flags(before, after)
    structured = []
    for key in STRUCTURED:
        if (before.get(key) or None) != (after.get(key) or None):  # [] and None both: nothing
            structured.append(_FIELDS[key](before, after))
    changed_topics = {c.kind for c in structured}
    answers = _answers(before, after, skip=changed_topics)
    return changes + answers + structured


def _recommendation(before: dict, after: dict) -> list[Change]:
    """The recommendation, if it moved."""
    old, new = before.get("recommendation"), after.get("recommendation")
    if old == new:
        return []
    return [Change(kind="recommendation", label="Recommendation",
                   before=RECOMMENDATION_LABELS.get(old, "Not set"),
                   after=RECOMMENDATION_LABELS.get(new, "Not set"))]


def _flags(before: dict, after: dict) -> list[Change]:
    """Flags raised, cleared, changed in severity or in the patient's words; most severe first."""
    old, new = before.get("flags") or {}, after.get("flags") or {}
    order = list(FLAG_LABELS)
    changes = []
    for code in sorted(set(old) | set(new), key=lambda c: (
            _severity_rank((new.get(c) or old[c])["severity"]),
            order.index(c) if c in order else len(order))):
        was, now = old.get(code), new.get(code)
        if was == now:
            continue
        label = flag_label(code)
        if was is None:
            changes.append(Change(kind="flag", label=f"New flag: {label}", before=NOT_FLAGGED,
                                  after=_severity(now), words=now["evidence"]))
        elif now is None:
            changes.append(Change(kind="flag", label=f"Flag cleared: {label}",
                                  before=_severity(was), after=NOT_FLAGGED))
        else:
            same = was["severity"] == now["severity"]
            changes.append(Change(kind="flag", label=f"Flag: {label}", before=_severity(was),
                                  after=_severity(now) + (NEW_WORDS if same else ""),
                                  words=now["evidence"]))
    return changes


def _answers(before: dict, after: dict, skip: set[str]) -> list[Change]:
    """Answers that changed, in consult order, except those shown as structured changes."""
    old, new = before.get("answers") or {}, after.get("answers") or {}
    topics = [t for t in QUESTION_LABELS if t in old or t in new]
    topics += sorted(t for t in set(old) | set(new) if t not in QUESTION_LABELS)
    changes = []
    for topic in topics:
        was, now = old.get(topic), new.get(topic)
        if was == now or topic in skip:
            continue
        was_text, now_text = _answer_text(topic, was), _answer_text(topic, now)
        if was_text == now_text:
            now_text += NEW_WORDS
        changes.append(Change(kind="answer", label=QUESTION_LABELS.get(topic, topic),
                              before=was_text, after=now_text, words=(now or {}).get("text", "")))
    return changes


def _answer_text(topic: str, answer: dict | None) -> str:
    """An answer in plain words, or "Not answered"."""
    if answer is None:
        return NOT_ANSWERED
    return plain_answer(topic, answer["status"], answer["understood"])


def _concerns(before: dict, after: dict) -> Change:
    """The concerns list."""
    def line(items: list[dict]) -> str:
        return "; ".join(AREA_LABELS.get(c["area"], c["area"]) + (
            f" ({SHOWS_WORDS.get(c['shows'], c['shows'])})" if c.get("shows") else "")
                         for c in items) or "None given"

    old, new = before.get("concerns") or [], after.get("concerns") or []
    return Change(kind="concerns", label=QUESTION_LABELS.get("concerns", "Concerns"),
                  before=line(old), after=line(new), words=_new_words(old, new))


def _medications(before: dict, after: dict) -> Change:
    """Medicines and supplements, by name."""
    def line(items: list[dict]) -> str:
        return ", ".join(m["name"] for m in items) or "None reported"

    old, new = before.get("medications") or [], after.get("medications") or []
    return Change(kind="medications", label=QUESTION_LABELS["medications"], before=line(old),
                  after=line(new), words=_new_words(old, new) or _said(after, "medications"))


def _event(before: dict, after: dict) -> Change:
    """The upcoming event and its date."""
    def line(event: dict | None) -> str:
        if not event:
            return "None mentioned"
        return event["description"] + (f", {event['date']}" if event.get("date") else
                                       ", date not given")

    old, new = before.get("event"), after.get("event")
    return Change(kind="event", label=QUESTION_LABELS["event"], before=line(old),
                  after=line(new), words=(new or {}).get("text") or _said(after, "event"))


def _prior(before: dict, after: dict) -> Change:
    """Prior toxin treatment: first time, or product and date."""
    def line(prior: dict | None) -> str:
        if not prior:
            return NOT_ANSWERED
        if prior.get("had_before") is False:
            return "First time"
        when = prior.get("date") or (f"{prior['days_ago']} days ago" if prior.get("days_ago")
                                     is not None else "date not given")
        extra = f"; complications: {', '.join(prior['complications'])}" \
            if prior.get("complications") else ""
        return f"{prior.get('product') or 'Toxin'}, {when}{extra}"

    old, new = before.get("prior_treatment"), after.get("prior_treatment")
    return Change(kind="prior_treatment", label=QUESTION_LABELS["prior_treatment"],
                  before=line(old), after=line(new),
                  words=(new or {}).get("text") or _said(after, "prior_treatment"))


def _allergies(before: dict, after: dict) -> Change:
    """Allergies, as the patient named them."""
    def line(items: list[str]) -> str:
        return ", ".join(items) or "None reported"

    return Change(kind="allergies", label=QUESTION_LABELS["allergies"],
                  before=line(before.get("allergies") or []),
                  after=line(after.get("allergies") or []), words=_said(after, "allergies"))


def _age(before: dict, after: dict) -> Change:
    """The age."""
    def line(age: int | None) -> str:
        return "Not given" if age is None else str(age)

    return Change(kind="age", label=QUESTION_LABELS["age"], before=line(before.get("age")),
                  after=line(after.get("age")), words=_said(after, "age"))


def _photos(before: dict, after: dict) -> Change:
    """How many photos arrived."""
    def line(photos: list[str]) -> str:
        count = len(photos)
        return "No photos" if count == 0 else f"{count} photo{'' if count == 1 else 's'}"

    return Change(kind="photos", label=QUESTION_LABELS["photos"],
                  before=line(before.get("photos") or []), after=line(after.get("photos") or []))


def _contact(before: dict, after: dict) -> Change:
    """How to reach the patient."""
    return Change(kind="contact", label="Contact", before=before.get("contact") or "Not given",
                  after=after.get("contact") or "Not given", words=after.get("contact") or "")


_FIELDS = {"concerns": _concerns, "medications": _medications, "event": _event,
           "prior_treatment": _prior, "allergies": _allergies, "age": _age, "photos": _photos,
           "contact": _contact}


def _new_words(old: list[dict], new: list[dict]) -> str:
    """The patient's words of entries that are new in `new`, joined."""
    seen = {item.get("text") for item in old}
    fresh = [item["text"] for item in new if item.get("text") and item["text"] not in seen]
    return " / ".join(dict.fromkeys(fresh))


def _said(snapshot: dict, topic: str) -> str:
    """The patient's words in answer to one question, if the snapshot has them."""
    return ((snapshot.get("answers") or {}).get(topic) or {}).get("text", "")


def _severity(flag: dict) -> str:
    """A flag's severity in words."""
    return SEVERITY_LABELS.get(flag["severity"], flag["severity"])


def _severity_rank(severity: str) -> int:
    """Defer first, then review, then advisory."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def _iso(value: Any) -> str | None:
    """A date as ISO text (None stays None)."""
    return value.isoformat() if value is not None else None
