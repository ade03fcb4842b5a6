"""The benchmark's typing patients: whole intakes, the same messages for every bot.

Each patient plays one of a few personas with values of its own (first name, age, e-mail), so an
answer that lands in someone else's summary is caught. Against the product a patient answers
whatever the assistant asks (read-back and submit included) and the stored summary is checked
against what was sent; the baselines get the same messages in the same order (`messages_for`),
learned from one unhurried intake per persona on the product (`calibrate`).

    >>> PatientValues.for_index(3).contact
    'patient3@example.com'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.sim.simulator import DEFAULTS, question_in

SENT = "sent to the clinic"  # in the reply to the final "yes" (utter_submitted)
FIRST_NAMES = ["Jordan", "Priya", "Samira", "Maria", "Alex", "Dana", "Tomas", "Grace"]


@dataclass(frozen=True)
class PatientValues:
    """What makes one simulated patient's answers theirs."""

    first_name: str
    age: int
    contact: str

    @classmethod
    def for_index(cls, index: int) -> "PatientValues":
        """Deterministic values for patient number `index` (ages 25-64, a unique e-mail)."""
        return cls(FIRST_NAMES[index % len(FIRST_NAMES)], 25 + (index * 7) % 40,
                   f"patient{index}@example.com")


@dataclass(frozen=True)
class Persona:
    """A way of doing the intake: what is typed, and what the clinic must then see."""

    id: str
    first: str
    answers: dict[str, str]
    flags: frozenset[str]
    areas: frozenset[str]
    meds: tuple[str, ...] = ()
    event: str | None = None
    prior: bool = False
    correct_age_by: int = 0  # at the read-back: "actually I'm <age + this>", then "yes"

    def answer(self, question: str, values: PatientValues) -> str:
        """What this persona types when asked `question`."""
        mine = {"name": f"{values.first_name} Lee", "age": str(values.age),
                "contact": values.contact}
        return mine.get(question) or self.answers.get(question) or DEFAULTS[question]

    def final_age(self, values: PatientValues) -> int:
        return values.age + self.correct_age_by


PERSONAS = [
    Persona("wedding-chatty", "hi, I'd like botox for my 11s before my wedding",
            {"medications": "fish oil and vitamin d", "event_date": "in 10 days",
             "concern_timing": "both really"},
            flags=frozenset({"bleeding_risk_supplement", "event_within_two_weeks"}),
            areas=frozenset({"frown_lines"}), meds=("fish oil",), event="wedding"),
    Persona("terse-all-no", "hi",
            {"concerns": "forehead lines", "concern_timing": "both", "photos": "n",
             "medications": "none", "pregnancy": "n", "breastfeeding": "n",
             "trying_to_conceive": "n", "neuromuscular": "n", "breathing": "n",
             "skin_infection": "n", "event": "n", "prior_treatment": "n", "allergies": "n",
             "confirm": "y"},
            flags=frozenset(), areas=frozenset({"forehead_lines"})),
    Persona("returning-eliquis", "hello, I had botox before and want it again",
            {"concerns": "crows feet and my forehead", "medications": "Eliquis",
             "prior_treatment": "yes botox", "prior_treatment_date": "5 months ago"},
            flags=frozenset({"anticoagulant"}),
            areas=frozenset({"crows_feet", "forehead_lines"}), meds=("eliquis",), prior=True),
    Persona("corrects-age", "hey there",
            {"concerns": "crow's feet when I smile", "medications": "ibuprofen sometimes"},
            flags=frozenset({"bleeding_risk_supplement"}), areas=frozenset({"crows_feet"}),
            meds=("ibuprofen",), correct_age_by=3),
]


def persona_of(index: int) -> Persona:
    return PERSONAS[index % len(PERSONAS)]


@dataclass
class IntakePlay:
    """One patient's intake as it goes: the next message from the last replies."""

    persona: Persona
    values: PatientValues
    sent: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    corrected: bool = False
    completed: bool = False
    off_script: str | None = None

    def next_message(self, replies: list[str] | None) -> str | None:
        """The first message, then the answer to the question asked; None when done or lost."""
        if replies is None:
            return self.persona.first
        if any(SENT in text for text in replies):
            self.completed = True
            return None
        question = question_in(replies)
        if question is None or len(self.sent) > 60:
            self.off_script = f"no question recognised in {replies!r}"[:300]
            return None
        self.asked.append(question)
        if question == "confirm" and self.persona.correct_age_by and not self.corrected:
            self.corrected = True
            return f"actually I'm {self.persona.final_age(self.values)}"
        return self.persona.answer(question, self.values)


@dataclass
class Replay:
    """The same messages again, for a bot that does not ask the product's questions."""

    messages: list[str]
    sent: list[str] = field(default_factory=list)
    completed: bool = False

    def next_message(self, replies: list[str] | None) -> str | None:
        if len(self.sent) == len(self.messages):
            self.completed = True
            return None
        return self.messages[len(self.sent)]


def messages_for(asked: dict[str, list[str]], index: int) -> list[str]:
    """Patient `index`'s messages, from the questions the product asked its persona."""
    persona, values = persona_of(index), PatientValues.for_index(index)
    play = IntakePlay(persona, values)
    out = [persona.first]
    for question in asked[persona.id]:
        if question == "confirm" and persona.correct_age_by and not play.corrected:
            play.corrected = True
            out.append(f"actually I'm {persona.final_age(values)}")
        else:
            out.append(persona.answer(question, values))
    return out


def lost_answers(summary: dict | None, persona: Persona, values: PatientValues) -> list[str]:
    """What the patient said that the stored summary does not hold (or holds differently)."""
    if not summary:
        return ["no stored summary"]
    lost = []
    checks = {
        "status": summary.get("status") == "completed",
        "name": values.first_name in (summary.get("patient_name") or ""),
        "age": summary.get("age") == persona.final_age(values),
        "contact": summary.get("contact") == values.contact,
        "concerns": {c["area"] for c in summary.get("concerns", [])} >= persona.areas,
        "flags": {f["code"] for f in summary.get("flags", [])} == persona.flags,
    }
    named = " ".join(f"{m['name']} {m['text']}".lower()
                     for m in summary.get("medications", []) + summary.get("supplements", []))
    checks["medications"] = all(m in named for m in persona.meds) and (persona.meds or not named)
    event = summary.get("event")
    checks["event"] = (bool(event) and persona.event in event.get("description", "")
                       and bool(event.get("date"))) if persona.event else not event
    prior = summary.get("prior_treatment") or {}
    checks["prior_treatment"] = (prior.get("had_before") is True and bool(prior.get("date"))) \
        if persona.prior else prior.get("had_before") is not True
    for name, ok in checks.items():
        if not ok:
            lost.append(name)
    return lost
