"""The pre-appointment checklist a patient gets once their intake is sent, built from their
answers: confirm the top two concerns, the photos still missing, prescribed blood thinners
(keep taking them) and bruising supplements (pause only if the clinic advises), timing around
an upcoming event, and booking the two-week review.

Each line has a condition here and its wording in the care catalogue (bot/care_catalogue.py),
which the clinic can override. Never says to stop a prescribed medicine.

    >>> from datetime import date
    >>> from bot.models import IntakeSummary, Medication
    >>> s = IntakeSummary(conversation_id="c", medications=[Medication(
    ...     name="apixaban", kind="medicine", category="anticoagulant", text="I take Eliquis")])
    >>> [line.code for line in build_checklist(s, date(2025, 3, 3), "web").lines]
    ['concerns', 'photos', 'prescribed', 'review']
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot import photo_guide
from bot.care_catalogue import CareCatalogue, load_care_catalogue
from bot.dates import spoken_date
from bot.language import patient_catalogue, spoken
from bot.lexicon import BLEEDING_DISORDERS
from bot.models import IntakeSummary, Recommendation
from bot.sms_text import MAX_SEGMENTS, gsm_friendly, sms_segments, split_message

FULL_EFFECT_DAYS = 14  # treatment at least this long before an event (screening-rules.md)
ANTICOAGULANT = "anticoagulant"
BRUISING_SUPPLEMENT = "bleeding_risk_supplement"
# Conditions filed under the blood-thinner flag (a bleeding disorder) are not medicines to keep
# taking; the clinician discusses them.
CONDITIONS = {term.item for term in BLEEDING_DISORDERS}
# Group names the patient would not recognise, in plain words.
PLAIN_NAMES = {"nsaid": "anti-inflammatory painkillers (like ibuprofen)"}


@dataclass(frozen=True)
class ChecklistLine:
    """One item: `code` says which condition raised it, `text` is what the patient reads."""

    code: str
    text: str


@dataclass(frozen=True)
class Checklist:
    """The whole checklist for one patient."""

    heading: str
    lines: tuple[ChecklistLine, ...]
    footer: str

    def as_text(self) -> str:
        """One message (the web chat): heading, one "- " line per item, footer."""
        items = [f"- {line.text}" for line in self.lines]
        return "\n".join([self.heading, *items, self.footer]).strip()

    def sms_texts(self, max_segments: int = MAX_SEGMENTS) -> list[str]:
        """The checklist as texts of at most max_segments segments each, cut between items
        (an item too long for one text on its own is split at a sentence or word)."""
        texts: list[str] = []
        current = gsm_friendly(self.heading)
        for item in [f"- {line.text}" for line in self.lines] + [self.footer]:
            item = gsm_friendly(item).strip()
            if not item:
                continue
            joined = f"{current}\n{item}" if current else item
            if sms_segments(joined).count <= max_segments:
                current = joined
                continue
            if current:
                texts.append(current)
            parts = split_message(item, max_segments)
            texts.extend(parts[:-1])
            current = parts[-1] if parts else ""
        if current:
            texts.append(current)
        return texts


def should_send_checklist(summary: IntakeSummary) -> bool:
    """Only to patients who may go ahead (perhaps after a clinician's review): a patient told
    to wait (defer) gets no treatment plan, and one who wrote in a language the assistant does
    not read (needs a call) could not read it."""
    return summary.recommendation in (Recommendation.PROCEED, Recommendation.CLINICIAN_REVIEW)


def build_checklist(summary: IntakeSummary, today: date, channel: str,
                    catalogue: CareCatalogue | None = None, clinic: str = "the clinic",
                    phone: str = "", language: str = "en") -> Checklist:
    """The checklist for this summary, for the channel it goes out on ("web" or "sms"), in the
    language the intake was held in (`catalogue` must be in that language too)."""
    text = (catalogue or load_care_catalogue(language=language)).checklist
    words = patient_catalogue(language)
    lines = [_concerns_line(summary, text, words), _photos_line(summary, channel, text, language),
             _prescribed_line(summary, text, words), _supplements_line(summary, text, words),
             _event_line(summary, today, text, language), ChecklistLine("review", text["review"])]
    footer = text["footer"].format(phone=phone) if phone else ""
    return Checklist(heading=text["heading"].format(clinic=clinic),
                     lines=tuple(line for line in lines if line is not None), footer=footer)


def _concerns_line(summary: IntakeSummary, text: dict[str, str], words: dict) -> ChecklistLine:
    """Confirm the top two concerns (or think about them, if none were given)."""
    top = [words["areas"].get(c.area, c.area.replace("_", " ")) for c in summary.concerns[:2]]
    if not top:
        return ChecklistLine("concerns", text["concerns_missing"])
    return ChecklistLine("concerns", text["concerns"].format(
        concerns=f" {words['checklist']['and']} ".join(top)))


def _photos_line(summary: IntakeSummary, channel: str, text: dict[str, str],
                 language: str = "en") -> ChecklistLine | None:
    """The poses of the guided set still missing (bot.photo_guide), and how to send them on
    this channel."""
    missing = photo_guide.missing(summary.photo_poses.get(ref) for ref in summary.photos)
    if not missing:
        return None
    how = "sms" if channel == "sms" else "web"
    poses = ", ".join(photo_guide.title(p, language).lower() for p in missing)
    return ChecklistLine("photos", text[f"photos_missing_{how}"].format(poses=poses))


def _prescribed_line(summary: IntakeSummary, text: dict[str, str], words: dict
                     ) -> ChecklistLine | None:
    """Prescribed blood thinners: keep taking them (never advice to stop)."""
    names = _names(summary, ANTICOAGULANT, words)
    return ChecklistLine("prescribed", text["prescribed"].format(medicines=names)) if names \
        else None


def _supplements_line(summary: IntakeSummary, text: dict[str, str], words: dict
                      ) -> ChecklistLine | None:
    """Bruising supplements and painkillers: pause only if the clinic advises it."""
    names = _names(summary, BRUISING_SUPPLEMENT, words)
    if not names:
        return None
    return ChecklistLine("supplements", text["supplements"].format(
        supplements=names[0].upper() + names[1:]))


def _event_line(summary: IntakeSummary, today: date, text: dict[str, str], language: str = "en"
                ) -> ChecklistLine | None:
    """Treatment at least FULL_EFFECT_DAYS before an upcoming event (none once it is past)."""
    event = summary.event
    if event is None:
        return None
    words = patient_catalogue(language)
    name = spoken(event.description or "event", language)
    if event.date is None:
        return ChecklistLine("event", text["event_no_date"].format(event=name))
    days = (event.date - today).days
    if days < 0:
        return None
    if days < FULL_EFFECT_DAYS:
        return ChecklistLine("event", text["event_soon"].format(event=name,
                                                                when=_when(days, words)))
    latest = event.date - timedelta(days=FULL_EFFECT_DAYS)
    return ChecklistLine("event", text["event_plan"].format(
        event=name, event_date=spoken_date(event.date, today, language),
        latest=spoken_date(latest, today, language)))


def _names(summary: IntakeSummary, category: str, words: dict) -> str:
    """The medicines and supplements of one category, as "fish oil and aspirin"."""
    plain = (PLAIN_NAMES.get(m.name, m.name.replace("_", " ")) for m in
             summary.medications + summary.supplements
             if m.category == category and m.name not in CONDITIONS)
    names = list(dict.fromkeys(words["words"].get(n.lower(), n) for n in plain))
    joined = f" {words['checklist']['and']} "
    if len(names) <= 2:
        return joined.join(names)
    return ", ".join(names[:-1]) + joined + names[-1]


def _when(days: int, words: dict) -> str:
    """"today", "tomorrow" or "in 10 days"."""
    say = words["checklist"]
    return {0: say["today"], 1: say["tomorrow"]}.get(days, say["in_days"].format(days=days))
