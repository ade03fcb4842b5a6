"""Pydantic models: the contract between the bot, the store, the staff API and exports.

Nothing here imports Rasa or a web framework.
"""
from __future__ import annotations

import datetime as dt
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Optional

from pydantic import BaseModel, Field


class Severity(str, Enum):
    """How strongly a flag affects treatment (see shared/screening-rules.md)."""

    DEFER = "defer"
    REVIEW = "review"
    ADVISORY = "advisory"


class Recommendation(str, Enum):
    """The strongest severity present, as one word for the queue.

    NEEDS_CALL: the patient wrote in a language the assistant can't read yet, so what they said
    is unknown; short of a defer, staff must call them (never "proceed").
    """

    DEFER = "defer"
    NEEDS_CALL = "needs_call"
    CLINICIAN_REVIEW = "clinician_review"
    PROCEED = "proceed"


class Status(str, Enum):
    """Where an intake is in its life."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class Polarity(str, Enum):
    """What the patient said about an item: they have it, they don't, they had it, or unsure.

    OTHER_PERSON and HYPOTHETICAL (ConText's family and hypothetical contexts) are kept as the
    patient's words but never answer a question or raise a flag: "my sister is pregnant", "what
    if I get a cold sore?".
    """

    PRESENT = "present"
    ABSENT = "absent"
    PAST = "past"
    UNSURE = "unsure"
    OTHER_PERSON = "other_person"
    HYPOTHETICAL = "hypothetical"


class Finding(BaseModel):
    """One thing the patient said, in their own words, about one item of one question.

    `topic` is the question id (e.g. "pregnancy"), `item` the normalised thing
    (e.g. "breastfeeding", "warfarin", "frown_lines"). `detail` holds structured extras
    (a drug's category, an event's date, a concern's rest/expression).
    """

    topic: str
    item: str
    polarity: Polarity
    evidence: str
    detail: dict[str, Any] = Field(default_factory=dict)

    def key(self) -> tuple[str, str]:
        """Identity for merging: a later finding on the same topic and item replaces an earlier one."""
        return (self.topic, self.item)


class Answer(BaseModel):
    """Everything the patient said in answer to one consult question."""

    topic: str
    status: str = "answered"  # "answered" or "unclear"
    text: str = ""  # the patient's own words, joined across turns
    findings: list[Finding] = Field(default_factory=list)

    def present(self) -> list[Finding]:
        """Findings the patient reported as current (or unsure about)."""
        return [f for f in self.findings if f.polarity in (Polarity.PRESENT, Polarity.UNSURE)]


class Flag(BaseModel):
    """A screening result the clinician must see."""

    code: str
    severity: Severity
    reason: str
    evidence: str


class Concern(BaseModel):
    """One of the patient's top concerns, mapped to a treatment area."""

    area: str
    text: str
    shows: Optional[str] = None  # "rest", "expression", "both" or None when not said


class Medication(BaseModel):
    """A medicine or supplement the patient takes now."""

    name: str
    kind: str  # "medicine" or "supplement"
    category: Optional[str] = None  # a flag code it may raise, or None
    text: str


class Event(BaseModel):
    """An upcoming event the patient wants to look their best for."""

    description: str
    date: Optional[dt.date] = None
    days_away: Optional[int] = None
    text: str


class PriorTreatment(BaseModel):
    """The patient's previous botulinum toxin treatment, if any."""

    had_before: Optional[bool] = None
    product: Optional[str] = None
    date: Optional[dt.date] = None
    days_ago: Optional[int] = None
    complications: list[str] = Field(default_factory=list)
    text: str = ""


class ScreeningAnswer(BaseModel):
    """One consult question, its answer in the patient's words, and what was understood."""

    question: str
    status: str
    text: str
    understood: list[str] = Field(default_factory=list)


class IntakeSummary(BaseModel):
    """The structured, flagged summary a clinician reads before the consult."""

    conversation_id: str
    channel: str = "web"
    status: Status = Status.IN_PROGRESS
    started_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    completed_at: Optional[datetime] = None
    patient_name: Optional[str] = None
    contact: Optional[str] = None
    age: Optional[int] = None
    concerns: list[Concern] = Field(default_factory=list)
    photos: list[str] = Field(default_factory=list)
    # photo ref -> pose of the guided set (bot.photo_guide); filled by the store from its photos
    photo_poses: dict[str, str] = Field(default_factory=dict)
    photos_answer: Optional[str] = None
    supplements: list[Medication] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    answers: dict[str, ScreeningAnswer] = Field(default_factory=dict)
    event: Optional[Event] = None
    prior_treatment: Optional[PriorTreatment] = None
    allergies: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    recommendation: Recommendation = Recommendation.PROCEED
    # The language the intake was held in ("en", "es"); the patient's words (evidence, answers)
    # are in it, everything else of the summary is in English.
    conversation_language: str = "en"
    language: Optional[str] = None  # ISO 639-1 code of a language the assistant can't read
    unread_messages: list[str] = Field(default_factory=list)  # those messages, word for word
