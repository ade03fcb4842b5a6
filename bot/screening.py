"""Deterministic screening: answers in, flags and a recommendation out.

The codes, default severities and the recommendation rule are the contract in
shared/screening-rules.md. A negated, past or family statement never raises a flag (the parser
marks those ABSENT or PAST); an unsure answer, or an unclear one, to a defer question does.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from bot.models import Answer, Finding, Flag, Polarity, Recommendation, Severity

DEFAULT_SEVERITIES: dict[str, Severity] = {
    "pregnant": Severity.DEFER,
    "breastfeeding": Severity.DEFER,
    "trying_to_conceive": Severity.REVIEW,
    "skin_infection": Severity.DEFER,
    "toxin_allergy": Severity.DEFER,
    "milk_protein_allergy": Severity.REVIEW,
    "under_18": Severity.DEFER,
    "neuromuscular_disorder": Severity.REVIEW,
    "swallowing_or_breathing_difficulty": Severity.REVIEW,
    "interacting_medication": Severity.REVIEW,
    "recent_toxin_treatment": Severity.REVIEW,
    "anticoagulant": Severity.REVIEW,
    "bleeding_risk_supplement": Severity.ADVISORY,
    "event_within_two_weeks": Severity.ADVISORY,
    "heavy_eyelids": Severity.ADVISORY,
}

REASONS = {
    "pregnant": "Reports being pregnant or possibly pregnant: toxin is not given in pregnancy.",
    "breastfeeding": "Reports breastfeeding: toxin is not given while breastfeeding.",
    "trying_to_conceive": "Actively trying to conceive: discuss timing before treating.",
    "skin_infection": "Active skin infection at or near a treatment area: treat once it has cleared.",
    "toxin_allergy": "Possible allergy to a botulinum toxin product or its ingredients "
                     "(e.g. human albumin).",
    "milk_protein_allergy": "Cow's milk protein allergy: Dysport is contraindicated; choose "
                            "another product.",
    "under_18": "Under 18 (or age not given): not recommended.",
    "neuromuscular_disorder": "Neuromuscular condition: higher risk of toxin effects; discuss "
                              "or avoid.",
    "swallowing_or_breathing_difficulty": "Trouble swallowing or breathing, or active "
                                          "asthma/emphysema: distant spread warning.",
    "interacting_medication": "Takes a medicine that interacts with botulinum toxin "
                              "(aminoglycoside, muscle relaxant, anticholinergic).",
    "recent_toxin_treatment": "Botulinum toxin treatment in the last 3 months: doses at least "
                              "90 days apart.",
    "anticoagulant": "Prescription blood thinner or bleeding disorder: bruising risk; never "
                     "advise stopping it.",
    "bleeding_risk_supplement": "Takes an over-the-counter product that increases bruising; "
                                "pausing only if the provider agrees.",
    "event_within_two_weeks": "Event less than 14 days away: full effect takes about 14 days "
                              "and bruises may show.",
    "heavy_eyelids": "Heavy or hooded lids / drooping brows: frontalis dosing must preserve "
                     "lift.",
}

CURRENT = (Polarity.PRESENT, Polarity.UNSURE)
UNCLEAR_DEFER_TOPICS = {"pregnancy": "pregnant", "breastfeeding": "breastfeeding",
                        "skin_infection": "skin_infection", "allergies": "toxin_allergy",
                        "age": "under_18"}


def load_policy(path: str | Path | None) -> dict[str, Severity]:
    """Severities with a clinic's overrides applied; an unknown code or severity is an error."""
    severities = dict(DEFAULT_SEVERITIES)
    if not path:
        return severities
    data = yaml.safe_load(Path(path).read_text()) or {}
    overrides = data.get("severities", data) if isinstance(data, dict) else None
    if not isinstance(overrides, dict):
        raise ValueError(f"{path}: expected a mapping of flag code to severity")
    for code, severity in overrides.items():
        if code not in DEFAULT_SEVERITIES:
            raise ValueError(f"{path}: unknown flag code {code!r}; known: "
                             f"{', '.join(sorted(DEFAULT_SEVERITIES))}")
        try:
            severities[code] = Severity(severity)
        except ValueError:
            raise ValueError(f"{path}: severity for {code!r} must be defer, review or advisory, "
                             f"not {severity!r}") from None
    return severities


def screen(answers: dict[str, Answer], today: date | None = None,
           severities: dict[str, Severity] | None = None) -> list[Flag]:
    """All flags the answers raise, one per code, each with the patient's words as evidence."""
    severities = severities or DEFAULT_SEVERITIES
    raised: dict[str, list[str]] = {}

    def add(code: str, evidence: str) -> None:
        if evidence not in raised.setdefault(code, []):
            raised[code].append(evidence)

    findings = [f for a in answers.values() for f in a.findings]
    for finding in findings:
        for code in _codes_for(finding, today):
            add(code, finding.evidence)
    for topic, code in UNCLEAR_DEFER_TOPICS.items():
        answer = answers.get(topic)
        if answer is not None and answer.status == "unclear":
            add(code, answer.text or "(no clear answer)")
    order = list(DEFAULT_SEVERITIES)
    return [Flag(code=code, severity=severities[code], reason=REASONS[code],
                 evidence=" / ".join(raised[code])) for code in sorted(raised, key=order.index)]


def _codes_for(finding: Finding, today: date | None) -> list[str]:
    """Flag codes one finding raises."""
    current = finding.polarity in CURRENT
    item, topic, detail = finding.item, finding.topic, finding.detail
    if topic in ("pregnancy", "breastfeeding", "trying_to_conceive"):
        code = {"pregnancy": "pregnant"}.get(topic, topic)
        return [code] if current else []
    if topic == "allergies" and item in ("toxin_allergy", "milk_protein_allergy"):
        return [item] if current else []
    if topic == "skin_infection":
        return ["skin_infection"] if current else []
    if topic == "neuromuscular":
        # a named condition the lexicon knows is not neuromuscular (fibromyalgia, MS, migraine)
        # is kept for the clinician without a flag; a bare yes or an unknown condition is flagged
        known_other = "category" in detail and detail["category"] is None
        return ["neuromuscular_disorder"] if current and not known_other else []
    if topic == "breathing":
        return ["swallowing_or_breathing_difficulty"] if current else []
    if topic == "eyelids":
        return ["heavy_eyelids"] if current else []
    if topic == "medications":
        category = detail.get("category")
        return [category] if current and category else []
    if topic == "age":
        age = detail.get("age")
        under = detail.get("under_18") if age is None else age < 18
        return ["under_18"] if under else []
    if topic == "event" and current and detail.get("date"):
        days = _days_between(today, detail["date"]) if today else detail.get("days_away")
        return ["event_within_two_weeks"] if days is not None and 0 <= days < 14 else []
    if topic == "prior_treatment" and finding.polarity in CURRENT and \
            detail.get("recently") and not detail.get("date"):
        return ["recent_toxin_treatment"]  # "recently", no date given: within 90 days for all we know
    if topic == "prior_treatment" and finding.polarity in CURRENT and detail.get("date"):
        days = -_days_between(today, detail["date"]) if today else detail.get("days_ago")
        return ["recent_toxin_treatment"] if days is not None and 0 <= days <= 90 else []
    return []


def _days_between(today: date, iso: str) -> int:
    return (date.fromisoformat(iso) - today).days


def recommend(flags: list[Flag]) -> Recommendation:
    """The strongest severity present: defer, else clinician_review, else proceed."""
    severities = {f.severity for f in flags}
    if Severity.DEFER in severities:
        return Recommendation.DEFER
    if Severity.REVIEW in severities:
        return Recommendation.CLINICIAN_REVIEW
    return Recommendation.PROCEED
