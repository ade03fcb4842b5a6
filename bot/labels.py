"""Clinic language for staff pages: flag labels and plain wording of what was understood.

One catalogue, plain data a clinician can read and correct. Codes (`under_18`, `toxin_allergy`)
stay in the FHIR export and the JSON API; staff pages show these labels instead.

    >>> flag_label("toxin_allergy")
    'Allergy to botulinum toxin'
    >>> understood_label("none: absent")
    'None reported'
    >>> plain_answer("pregnancy", "answered", ["pregnant: unsure"])
    'Not sure'
"""
from __future__ import annotations

# Every flag code in bot/screening.py (a meta-test keeps them in step).
FLAG_LABELS = {
    "pregnant": "Pregnant or possibly pregnant",
    "breastfeeding": "Breastfeeding",
    "trying_to_conceive": "Trying to conceive",
    "skin_infection": "Skin infection near a treatment area",
    "toxin_allergy": "Allergy to botulinum toxin",
    "milk_protein_allergy": "Cow's milk protein allergy",
    "under_18": "Under 18",
    "neuromuscular_disorder": "Neuromuscular condition",
    "swallowing_or_breathing_difficulty": "Trouble swallowing or breathing",
    "interacting_medication": "Medicine that interacts with toxin",
    "recent_toxin_treatment": "Toxin in the last 3 months",
    "anticoagulant": "Blood thinner or bleeding disorder",
    "bleeding_risk_supplement": "Product that increases bruising",
    "event_within_two_weeks": "Event within two weeks",
    "heavy_eyelids": "Heavy or hooded eyelids",
}
SEVERITY_LABELS = {"defer": "Defer", "review": "Clinician review", "advisory": "Advisory"}
RECOMMENDATION_LABELS = {"defer": "Defer", "needs_call": "Needs a call",
                         "clinician_review": "Clinician review", "proceed": "Proceed"}
ANSWER_WORDS = {"yes": "Yes", "no": "No", "unsure": "Not sure", "unclear": "Unclear"}

# Items the parser records that are not plain words (lexicon items such as "fish oil" are).
ITEM_LABELS = {
    "pregnant": "Pregnant",
    "breastfeeding": "Breastfeeding",
    "trying_to_conceive": "Trying to conceive",
    "toxin_allergy": "Allergy to botulinum toxin",
    "milk_protein_allergy": "Cow's milk protein allergy",
    "heavy_eyelids": "Heavy or hooded eyelids",
    "other": "Something else (see their words)",
    "other condition": "Another condition (see their words)",
    "unrecognised": "Not recognised (see their words)",
    "toxin": "Had toxin before",
    "photos": "Sending photos",
    "event": "Event coming up",
    "age": "Age given",
}
# How an item reads when the patient said no to it, where "<item> — no" would be clumsy.
ABSENT_LABELS = {"none": "None reported", "toxin": "First time", "photos": "No photos",
                 "event": "No event planned"}
POLARITY_WORDS = {"absent": "no", "past": "in the past", "unsure": "unsure",
                  "other_person": "about someone else", "hypothetical": "as a possibility"}
# The age answer's range detail ("under 18" said without a number).
RANGE_LABELS = {"under_18=True": "Under 18", "under_18=False": "18 or over"}

# Yes/no questions and the item a bare "yes" or "no" to them records (the answer word says it).
YES_NO_ITEMS = {
    "pregnancy": "pregnant", "breastfeeding": "breastfeeding",
    "trying_to_conceive": "trying_to_conceive", "neuromuscular": "neuromuscular disorder",
    "breathing": "swallowing or breathing trouble", "skin_infection": "skin infection",
}


def flag_label(code: str) -> str:
    """The clinic's name for a flag code."""
    return FLAG_LABELS.get(code) or _readable(code)


def item_label(item: str) -> str:
    """The clinic's name for an understood item ("toxin_allergy" -> its flag's wording)."""
    return ITEM_LABELS.get(item) or _readable(item)


def understood_label(entry: str) -> str:
    """One `understood` entry ("pregnant: unsure") in plain words ("Pregnant — unsure")."""
    if entry in RANGE_LABELS:
        return RANGE_LABELS[entry]
    item, _, polarity = entry.rpartition(": ")
    if not item:  # not "item: polarity": show it as written
        return _readable(entry)
    if polarity == "absent" and item in ABSENT_LABELS:
        return ABSENT_LABELS[item]
    word = POLARITY_WORDS.get(polarity)
    return f"{item_label(item)} — {word}" if word else item_label(item)


def answer_details(topic: str, understood: list[str]) -> list[str]:
    """What was understood, in plain words, minus what a yes/no answer word already says."""
    bare = YES_NO_ITEMS.get(topic)
    shown = [u for u in understood if not (bare and u.rpartition(": ")[0] == bare)]
    if topic == "age":  # the number is in the patient's words; only the range adds anything
        shown = [u for u in shown if u in RANGE_LABELS]
    return [understood_label(u) for u in shown]


def answer_word(status: str, understood: list[str]) -> str:
    """Yes / No / Not sure / Unclear for a yes/no question (past or negated counts as no)."""
    if status == "unclear":
        return ANSWER_WORDS["unclear"]
    polarities = {u.rpartition(": ")[2] for u in understood}
    if "present" in polarities:
        return ANSWER_WORDS["yes"]
    return ANSWER_WORDS["unsure" if "unsure" in polarities else "no"]


def plain_answer(topic: str, status: str, understood: list[str]) -> str:
    """A whole answer in one line: "No", "Yes: Asthma", "None reported", "Unclear"."""
    details = answer_details(topic, understood)
    if topic in YES_NO_ITEMS or status == "unclear":
        word = answer_word(status, understood)
        return f"{word}: {'; '.join(details)}" if details and status != "unclear" else word
    return "; ".join(details) or "Answered (see their words)"


def _readable(code: str) -> str:
    """A code as words with a capital letter ("fish_oil" -> "Fish oil")."""
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
