"""The two-week check-in after a treatment.

Staff mark a treatment as given (date and areas); a check-in is then due 14 days later, at the
clinic's opening time in its time zone (the next office day if that is a weekend or outside
office hours). When it is due, a patient who came by SMS and has not opted out gets a text;
a web patient gets a link in their chat (/checkin/<secret>, where the secret is made at send
time and only its hash is kept). The patient says how the result looks (happy, uneven, not
enough, side effects) and may add a photo. Anything but "happy" goes to the staff queue as a
touch-up request; side effects (a drooping eyelid, trouble swallowing...) get the urgent advice
at once and go to the top of the queue. The patient reads everything in the language their
intake was held in (bot/catalogue/care.<language>.yml); answers are read in English and Spanish.

The timing runs on a scheduler (bot/care_scheduler.py: APScheduler, jobs kept in the intake
database); this module decides what happens and never waits.

    >>> from datetime import date
    >>> hours = OfficeHours.from_env({"CLINIC_TZ": "America/New_York"})
    >>> checkin_due_at(date(2026, 11, 11), hours).isoformat()  # day 14 is Wednesday Nov 25
    '2026-11-25T14:00:00+00:00'
    >>> read_reply("2").answer, read_reply("my left eyelid is drooping").urgent
    ('uneven', True)
    >>> read_reply("bien, pero se me cayo el parpado").urgent, read_reply("no muy bien").answer
    (True, 'other')
"""
from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Mapping, Protocol
from zoneinfo import ZoneInfo

from bot.care_catalogue import CareCatalogue
from bot.care_store import ANSWERED, SCHEDULED, SENT, CareStore
from bot.sms_sender import SmsSender, SmsSendFailed
from bot.sms_text import gsm_friendly, split_message

logger = logging.getLogger(__name__)

CHECKIN_AFTER = timedelta(days=14)
RETRY_AFTER = timedelta(hours=1)  # a text the provider refused is tried again this much later
HAPPY, UNEVEN, NOT_ENOUGH, SIDE_EFFECTS, OTHER = (
    "happy", "uneven", "not_enough", "side_effects", "other")
ANSWER_LABELS = {HAPPY: "Happy", UNEVEN: "Uneven", NOT_ENOUGH: "Not enough",
                 SIDE_EFFECTS: "Side effects", OTHER: "Something else (read their words)"}
CHOICES = (HAPPY, UNEVEN, NOT_ENOUGH, SIDE_EFFECTS)  # "Reply 1 ..4" in this order
# The check-in page's words, filled in for one patient (bot/web/checkin.py shows them).
PAGE_KEYS = ("page_title", "page_question", "page_photo", "page_details", "page_send",
             "page_choose_one", "page_footer", "already_answered",
             *(f"choice_{choice}" for choice in CHOICES))
DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _near(first: str, then: str, words: int = 3) -> str:
    """A regex for `first` followed by `then` with at most `words` words between them."""
    return rf"(?:{first})\w*\W+(?:\w+\W+){{0,{words}}}?(?:{then})\w*"


def _any(*alternatives: str) -> str:
    """One regex matching any of the alternatives."""
    return "|".join(f"(?:{a})" for a in alternatives)


# How an answer reads, as a table of phrasings in English and in Spanish. The text is read
# without its accents ("parpado caido" reads like "párpado caído"); the first answer either
# language matches wins, and URGENT wins over every answer.
# URGENT: a possible spread of the toxin or a complication a clinician must hear about today,
# read in any answer whatever number the patient picked.
_EYE_ES = r"parpados?|ojos?|cejas?"
URGENT = re.compile(r"\b(?:" + _any(
    r"droop\w*|ptosis|(eye ?lid|lid|brow)s? (is |are |has |have )?(dropp|fall|hang|heavy|low)\w*",
    r"heavy (eye ?lid|lid|brow)\w*|can'?t (open|close) my eye|swallow\w*|chok\w*|breath\w*",
    r"short of breath|speak\w*|slurr\w*|doubl\w* vision|seeing double|blurr\w*|vision|hoarse",
    r"weak(ness)? (in )?my (neck|arms?|legs?|face)|allergic|hives|throat",
    r"swell\w* (up )?(of )?my (face|lips|throat|tongue)",
    # Spanish: "se me cayó el párpado", "tengo el ojo caído", "me cuesta tragar", "veo doble"
    _near(_EYE_ES, r"caid|cay|cae|pesad|baj"), _near(r"cay|cae", _EYE_ES, 2),
    r"no (puedo|logro) (abrir|cerrar) (el |los |mi |mis )?ojos?",
    r"trag(ar|o|a|ue|ando)|respir\w*|ahog\w*|atragant\w*|asfixi\w*",
    _near(r"no puedo|me cuesta|dificultad|problemas?", r"hablar|tragar|respirar", 2),
    r"arrastr\w* (las )?palabras|veo (doble|borroso|nublado)|vision|vista (doble|borrosa|nublada)",
    r"borros\w*|ronc[oa]|ronquera|afonic\w*|sin voz",
    _near(r"debil", r"cuello|brazos?|piernas?|cara"),
    _near(r"hinch|inflam", r"cara|labios?|garganta|lengua"),
    _near(r"cara|labios?|garganta|lengua", r"hinchad|inflamad"),
    r"alergi\w*|ronchas|urticaria|garganta") + r")\b", re.I)
_RULES = (  # (answer, English phrasings, Spanish phrasings)
    (SIDE_EFFECTS,
     (r"^\s*4\b|side ?effects?|\bsore\b|headache|bruis\w*|infect\w*",),
     (r"efectos? secundarios?|moreton\w*|\bmorad[oa]s?\b|hematoma|dolor|\bdoli\w*",
      r"\bduel(e|en)\b|infecc\w*|enrojec\w*|\bardor\b|comezon|picazon")),
    (UNEVEN,
     (r"^\s*2\b|uneven|lopsided|asymmetr\w*|wonky|one side|spock|not (even|symmetric\w*)",
      r"crooked|one (eye)?brow|(eye)?brows? (is |are )?(higher|uneven|different)"),
     (r"dispar\w*|desigual\w*|chuec\w*|torcid\w*|asimetr\w*|de un solo lado",
      _near(r"\blado", r"mas\b", 2), _near(r"\bceja", r"mas (arriba|alta|levantada)", 2),
      r"no (esta|estan|quedo|quedaron|se ve|se ven) (parej|igual)\w*")),
    (NOT_ENOUGH,
     (r"^\s*3\b|not enough|still (see|have|there|moving|visible)|no (difference|change)",
      r"barely|hardly|didn'?t (work|do)|not (working|much)|want more|more units"),
     (r"no (me )?(hizo|ha hecho|hace) (mucho |el |ningun |nada de )?(efecto|nada)",
      r"no (me )?(funciono|sirvio|agarro)|poco efecto|casi nada|quiero mas|mas unidades",
      r"\bapenas\b",
      _near(r"\b(todavia|aun|sigo|sigue|siguen)\b",
            r"ven\b|veo\b|viendo|tengo|teniendo|noto|notando|hay\b|igual|mueve|muevo|marcad", 2),
      _near(r"\bno (se )?(noto|nota|note|veo|ve|hay)\b", r"diferencia|cambio|nada", 2))),
    (HAPPY,  # only at the start: "good" later on is too often "good, but..."
     (r"^\s*1\b|^\s*(happy|love it|great|perfect|good|amazing|looks? (great|good|amazing)|"
      r"very happy|so happy)\b",),
     (r"^\W*((hola|gracias|si|la verdad|estoy|me siento|me veo|me quede|quede|se ve|me|todo|"
      r"muy|super|tan|bastante|ya)\W+)*(bien|encant\w*|gust[oa]\w*|content[oa]s?|feliz|"
      r"perfect[oa]|excelente|genial|de maravilla|hermos[oa]|precios[oa])\b",)),
)
_PATTERNS = tuple((answer, re.compile(_any(*english, *spanish), re.I))
                  for answer, english, spanish in _RULES)
_UNHAPPY = re.compile(_any(
    r"\b(not|isn'?t|un|never) ?(happy|great|good)\b|\bunhappy\b",
    _near(r"\bno\b", r"bien|content|feliz|encant|gust|perfect|excelente|genial", 2),
    r"descontent\w*|infeliz|insatisfech\w*"), re.I)


# A mild side effect the patient says they don't have: "no bruising at all", "without any
# headaches", "sin moretones", "no me duele nada". Only these: an urgent sign is never removed.
_NO_SIDE_EFFECT = re.compile(
    r"\b(?:no|not|without|zero|never|sin|ningun\w*|nada de)\s+(?:any\s+|a\s+|single\s+|de\s+)?"
    r"(?:side ?effects?|bruis\w*|headaches?|soreness|sore|infections?|efectos? secundarios?|"
    r"moreton\w*|morados?|hematomas?|dolor(?:es)?(?: de cabeza)?)(?:\s+(?:at all|whatsoever|"
    r"nada|ninguno))?\b|\bno me duele(?:n)?(?: nada)?\b", re.I)


class Scheduler(Protocol):
    """Runs deliver(checkin_id) at a time (bot/care_scheduler.CareScheduler, or a fake)."""

    def add(self, checkin_id: int, run_at: datetime) -> None: ...

    def remove(self, checkin_id: int) -> None: ...


@dataclass(frozen=True)
class Reading:
    """What a check-in answer says: one of ANSWER_LABELS, and whether it needs the urgent
    advice now (side effects)."""

    answer: str
    urgent: bool

    @property
    def touch_up(self) -> bool:
        """True when staff must follow up (anything but happy)."""
        return self.answer != HAPPY


def read_reply(text: str, choice: str | None = None) -> Reading:
    """Read a patient's answer: a choice from the page, or an SMS reply ("2", "uneven", "my
    eyelid is drooping"). Anything unclear is OTHER, which staff read."""
    plain = _without_accents(text or "")
    urgent = bool(URGENT.search(plain))  # read whole: a negated urgent sign still counts
    if choice in CHOICES:
        answer = choice
    else:
        # "no side effects, love it", "sin moretones": a side effect they don't have is not one.
        said = _NO_SIDE_EFFECT.sub(" ", plain).lstrip(" ,.;:-!")
        answer = next((name for name, pattern in _PATTERNS if pattern.search(said)), OTHER)
        if answer == HAPPY and _UNHAPPY.search(said):
            answer = OTHER
    if urgent:
        answer = SIDE_EFFECTS
    return Reading(answer, urgent or answer == SIDE_EFFECTS)


def _without_accents(text: str) -> str:
    """Text with its accents dropped, as patients often type it ("párpado" as "parpado")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class OfficeHours:
    """When the clinic sends messages: opening and closing time on office days, in its zone."""

    tz: ZoneInfo
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    days: frozenset[int] = frozenset(range(5))  # Monday to Friday

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OfficeHours:
        """CLINIC_TZ, CLINIC_OFFICE_HOURS ("09:00-17:00") and CLINIC_OFFICE_DAYS ("mon-fri" or
        "mon,tue,thu"); ValueError for anything unreadable."""
        tz = ZoneInfo(env.get("CLINIC_TZ") or "America/New_York")
        raw_hours = (env.get("CLINIC_OFFICE_HOURS") or "09:00-17:00").strip()
        try:
            opens, closes = (time.fromisoformat(p.strip()) for p in raw_hours.split("-"))
        except ValueError:
            raise ValueError(f"CLINIC_OFFICE_HOURS must look like 09:00-17:00 (got {raw_hours!r})"
                             ) from None
        if opens >= closes:
            raise ValueError("CLINIC_OFFICE_HOURS: the opening time must come before closing")
        return cls(tz, opens, closes, _days(env.get("CLINIC_OFFICE_DAYS") or "mon-fri"))

    def is_open(self, moment: datetime) -> bool:
        """True if moment falls within office hours on an office day."""
        local = moment.astimezone(self.tz)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def next_open(self, moment: datetime) -> datetime:
        """moment if the office is open then, else the next opening time (in UTC)."""
        if self.is_open(moment):
            return moment.astimezone(timezone.utc)
        local = moment.astimezone(self.tz)
        day = local.date() if local.time() < self.opens else local.date() + timedelta(days=1)
        for _ in range(8):
            if day.weekday() in self.days:
                return datetime.combine(day, self.opens, tzinfo=self.tz).astimezone(timezone.utc)
            day += timedelta(days=1)
        raise ValueError("no office days configured")


def _days(raw: str) -> frozenset[int]:
    """"mon-fri" or "mon,wed,fri" as weekday numbers (Monday is 0)."""
    days: set[int] = set()
    for part in raw.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first[:3] not in DAYS or (last and last[:3] not in DAYS):
            raise ValueError(f"CLINIC_OFFICE_DAYS: cannot read {part!r} (use mon-fri)")
        start, end = DAYS[first[:3]], DAYS[(last or first)[:3]]
        days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
    return frozenset(days)


def checkin_due_at(treated_on: date, hours: OfficeHours) -> datetime:
    """When a check-in for a treatment on treated_on is due: day 14 at opening time, or the
    next office day (UTC)."""
    day = treated_on + CHECKIN_AFTER
    return hours.next_open(datetime.combine(day, hours.opens, tzinfo=hours.tz))


def secret_hash(secret: str) -> str:
    """What the store keeps of a link's secret (the link itself is never stored)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def first_name(full_name: str | None) -> str | None:
    """The first word of the name the patient gave, if any."""
    words = (full_name or "").split()
    return words[0][:40] if words else None


class CareService:
    """Schedules, sends, answers and cancels check-ins (the one interface the web app, the CLI
    and the scheduler's job use). Each patient is spoken to in the language their intake was
    held in; `catalogues` maps a language to its wording (one catalogue alone is English)."""

    def __init__(self, store: CareStore, intakes,
                 catalogues: CareCatalogue | Mapping[str, CareCatalogue], hours: OfficeHours,
                 *, sender: SmsSender | None = None, scheduler: Scheduler | None = None,
                 base_url: str = "http://127.0.0.1:8000", clinic: str = "the clinic",
                 phone: str = "", clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.intakes = intakes  # bot.store.IntakeStore: SMS contacts, transcript, language
        self.catalogues = dict(catalogues) if isinstance(catalogues, Mapping) \
            else {"en": catalogues}
        self.hours = hours
        self.sender = sender
        self.scheduler = scheduler
        self.base_url = base_url.rstrip("/")
        self.clinic, self.phone = clinic, phone
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def schedule(self, conversation_id: str, treated_on: date, areas: list[str], by: str,
                 patient_name: str | None = None, channel: str = "web") -> dict:
        """Record the treatment's check-in and put it on the scheduler; the new row."""
        due = checkin_due_at(treated_on, self.hours)
        checkin_id = self.store.add_checkin(conversation_id, channel, first_name(patient_name),
                                            treated_on.isoformat(), areas, _iso(due), by)
        if self.scheduler is not None:
            self.scheduler.add(checkin_id, due)
        return self.store.checkin(checkin_id)

    def deliver(self, checkin_id: int) -> str:
        """Send a due check-in (what the scheduler runs). Outside office hours it is moved to
        the next opening instead. Returns what happened: sent, rescheduled, cancelled, skipped
        or waiting (no SMS sender configured, or the provider refused: tried again later)."""
        row = self.store.checkin(checkin_id)
        if row is None or row["status"] != SCHEDULED:
            return "skipped"
        now = self.clock()
        if not self.hours.is_open(now):
            return self._move(checkin_id, self.hours.next_open(now), "rescheduled")
        if row["channel"] == "sms":
            return self._deliver_sms(row, now)
        secret = secrets.token_urlsafe(32)
        if not self.store.mark_sent(checkin_id, secret_hash(secret), now):
            return "skipped"
        text = self._text("web_message", row, link=self.link(secret))
        self.intakes.add_message(row["conversation_id"], "bot", text)
        return "sent"

    def _deliver_sms(self, row: dict, now: datetime) -> str:
        """Text the check-in to the patient's number, unless they opted out (then cancel)."""
        contact = self.intakes.sms_contact(row["conversation_id"])
        if contact is None or contact["opted_out"]:
            self.store.cancel(row["id"], "patient opted out of texts", now)
            return "cancelled"
        if self.sender is None:
            logger.error("Check-in %s is due but no SMS sender is configured (TWILIO_FROM); "
                         "trying again on the next office day.", row["id"])
            return self._move(row["id"], self.hours.next_open(now + timedelta(days=1)), "waiting")
        secret = secrets.token_urlsafe(32)
        if not self.store.mark_sent(row["id"], secret_hash(secret), now):
            return "skipped"
        text = gsm_friendly(self._text("sms_question", row, link=self.link(secret)))
        try:
            for part in split_message(text):
                self.sender.send(contact["phone"], part)
        except SmsSendFailed as exc:
            logger.error("Check-in %s could not be texted (%s); trying again later.", row["id"],
                         exc)
            self.store.unsend(row["id"])
            return self._move(row["id"], self.hours.next_open(now + RETRY_AFTER), "waiting")
        self.intakes.add_message(row["conversation_id"], "bot", text)
        return "sent"

    def _move(self, checkin_id: int, when: datetime, outcome: str) -> str:
        """Move a scheduled check-in to `when`, on the scheduler too."""
        self.store.reschedule(checkin_id, _iso(when))
        if self.scheduler is not None:
            self.scheduler.add(checkin_id, when)
        return outcome

    def link(self, secret: str) -> str:
        """The check-in page's address for a secret."""
        return f"{self.base_url}/checkin/{secret}"

    def language(self, conversation_id: str | None) -> str:
        """The language of the conversation's intake when there is wording in it, else "en"."""
        summary = self.intakes.get_summary(conversation_id) \
            if self.intakes is not None and conversation_id else None
        language = summary.conversation_language if summary is not None else "en"
        return language if language in self.catalogues else "en"

    def _text(self, key: str, row: dict, language: str | None = None, **values: str) -> str:
        """A check-in text in the patient's language (looked up unless given), filled in."""
        language = language or self.language(row.get("conversation_id"))
        name = row.get("first_name")
        return self.catalogues[language].checkin[key].format(
            first_name=f" {name}" if name else "", clinic=self.clinic, phone=self.phone, **values)

    def page_text(self, row: dict) -> dict[str, str]:
        """What the check-in page says to this patient, by PAGE_KEYS, in their language (its
        code under "language")."""
        language = self.language(row["conversation_id"])
        return {"language": language, **{key: self._text(key, row, language) for key in PAGE_KEYS}}

    def page(self, secret: str) -> dict | None:
        """The check-in a page link opens (sent or answered), or None."""
        row = self.store.checkin_by_secret(secret_hash(secret)) if secret else None
        return row if row and row["status"] in (SENT, ANSWERED) else None

    def answer(self, checkin_id: int, text: str, choice: str | None = None) -> tuple[Reading, str]:
        """Record the patient's answer (once) and return how it reads and what to tell them."""
        reading = read_reply(text, choice)
        row = self.store.checkin(checkin_id)
        if row is None or not self.store.record_answer(checkin_id, reading.answer, text[:2000],
                                                       reading.urgent, self.clock()):
            return reading, self._text("already_answered", row or {})
        key = "urgent" if reading.urgent else "thanks_touch_up" if reading.touch_up \
            else "thanks_happy"
        if reading.urgent:
            logger.warning("Check-in %s reports side effects: at the top of the staff queue.",
                           checkin_id)
        return reading, self._text(key, row)

    def sms_reply(self, conversation_ids: list[str], text: str) -> list[str] | None:
        """The answer to a text from a number with a check-in waiting for its reply, as texts;
        None when no check-in is waiting (the text goes to the intake assistant)."""
        row = self.store.awaiting_sms_reply(conversation_ids)
        if row is None:
            return None
        _, reply = self.answer(row["id"], text)
        self.intakes.add_message(row["conversation_id"], "patient", text)
        self.intakes.add_message(row["conversation_id"], "bot", reply)
        return split_message(gsm_friendly(reply))

    def cancel(self, checkin_id: int, by: str) -> bool:
        """Cancel a check-in not yet answered (and its job); True if it was."""
        cancelled = self.store.cancel(checkin_id, by, self.clock())
        if cancelled and self.scheduler is not None:
            self.scheduler.remove(checkin_id)
        return cancelled

    def cancel_for_conversations(self, conversation_ids: list[str], by: str) -> list[int]:
        """Cancel every open check-in of these conversations (an SMS STOP); their ids."""
        open_ids = [row["id"] for cid in conversation_ids for row in self.store.checkins_for(cid)
                    if row["status"] in (SCHEDULED, SENT)]
        return [checkin_id for checkin_id in open_ids if self.cancel(checkin_id, by)]


def _iso(moment: datetime) -> str:
    """UTC ISO timestamp in the store's fixed-width form."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def care_from_env(settings, intakes, env: Mapping[str, str], *, scheduler: Scheduler | None = None,
                  sender: SmsSender | None = None) -> CareService:
    """The CareService configured from the environment: CLINIC_CARE_CATALOGUE (and
    CLINIC_CARE_CATALOGUE_ES for Spanish), CLINIC_TZ, CLINIC_OFFICE_HOURS, CLINIC_OFFICE_DAYS,
    PUBLIC_BASE_URL (check-in links), and the SMS sender (TWILIO_FROM...) unless one is given."""
    from bot.care_catalogue import load_care_catalogues
    from bot.sms_sender import sms_sender_from_env

    hours = OfficeHours.from_env({**env, "CLINIC_TZ": settings.clinic_timezone})
    base_url = env.get("PUBLIC_BASE_URL", "").strip() or "http://127.0.0.1:8000"
    location = intakes.location if intakes is not None else settings.db_location
    return CareService(CareStore(location), intakes, load_care_catalogues(env), hours,
                       sender=sender if sender is not None else sms_sender_from_env(env),
                       scheduler=scheduler, base_url=base_url, clinic=settings.clinic_name,
                       phone=settings.clinic_phone)
