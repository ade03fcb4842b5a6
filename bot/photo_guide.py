"""The guided photo set: which poses a clinician wants to see, in which order, and what is missing.

The clinic's method judges how the face moves, so instead of "a few recent photos" the patient
is asked for one photo per pose: at rest, frowning, brows raised, smiling (crow's feet), and,
if they like, one where they like how they look. Every photo is stored with its pose; staff see
the poses side by side and which ones are missing. Skipping is always possible.

    >>> [p.key for p in POSES]
    ['rest', 'frown', 'brows', 'smile', 'favourite']
    >>> next_pose({"rest"}).key
    'frown'
    >>> next_pose({"rest"}, after="frown").key   # frowning was skipped
    'brows'
    >>> [p.key for p in missing({"rest", "smile"})]
    ['frown', 'brows']
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Pose:
    """One photo of the set: its key (stored), its label (staff page, FHIR), its title for the
    patient and the ask."""

    key: str
    label: str
    title: str
    ask: str  # what the patient is asked to do, as one sentence
    optional: bool = False


POSES: tuple[Pose, ...] = (
    Pose("rest", "Face at rest", "Face at rest",
         "Your face at rest: relaxed, looking straight at the camera, in good light."),
    Pose("frown", "Frowning", "Frowning",
         "Frowning hard, as if you were cross, so the lines between your brows show."),
    Pose("brows", "Brows raised", "Eyebrows raised",
         "Raising your eyebrows as high as you can, so the forehead lines show."),
    Pose("smile", "Smiling (crow's feet)", "Big smile",
         "A big smile that reaches your eyes, so the lines at their corners show."),
    Pose("favourite", "A photo they like", "A photo you like",
         "If you like: a photo where you like how you look (any recent one).", optional=True),
)
KEYS = tuple(pose.key for pose in POSES)
_BY_KEY = {pose.key: pose for pose in POSES}
OTHER_LABEL = "Other photo"  # a photo sent without a pose (an older upload, an API client)


def pose(key: str | None) -> Pose | None:
    """The pose with this key, or None for an unknown key or none."""
    return _BY_KEY.get(key or "")


def label(key: str | None) -> str:
    """The staff label of a pose key; OTHER_LABEL when the photo has no known pose."""
    found = pose(key)
    return found.label if found else OTHER_LABEL


def next_pose(taken: Iterable[str | None], after: str | None = None) -> Pose | None:
    """The first pose not yet taken, in the set's order; after a given pose (the one just
    skipped) only the poses that come later. None when nothing is left to ask for."""
    have = set(taken)
    start = KEYS.index(after) + 1 if after in KEYS else 0
    return next((p for p in POSES[start:] if p.key not in have), None)


def missing(taken: Iterable[str | None]) -> list[Pose]:
    """The poses a clinician wants and does not have (the optional one is never missing)."""
    have = set(taken)
    return [p for p in POSES if not p.optional and p.key not in have]


def position(key: str) -> int:
    """1-based place of a pose in the set (for "photo 2 of 5")."""
    return KEYS.index(key) + 1


def grouped(photos: Iterable[tuple[int, str | None]]) -> list[dict]:
    """Numbered photos (number, pose key) laid out for a page: one entry per pose of the set, in
    order, with its photo numbers (empty: missing), then any photo without a known pose."""
    by_key: dict[str, list[int]] = {key: [] for key in KEYS}
    others: list[int] = []
    for number, key in photos:
        (by_key[key] if key in by_key else others).append(number)
    rows = [{"key": p.key, "label": p.label, "optional": p.optional, "numbers": by_key[p.key]}
            for p in POSES]
    if others:
        rows.append({"key": None, "label": OTHER_LABEL, "optional": True, "numbers": others})
    return rows


# --- by text message: one pose per MMS, the next one asked for -------------------------------

SMS_ASK = "Next photo ({number} of {total}): {ask} Reply SKIP to skip it, or DONE if that's all."
SMS_SKIPPED = "OK, skipped."
SMS_FINISHED = ("That's the photos, thank you. If a question of mine is still waiting, just "
                "reply to it to carry on.")
SMS_STOPPED = ("OK, no more photos for now (you can still text one later, or bring them). If a "
               "question of mine is still waiting, just reply to it to carry on.")
_SMS_ENGLISH = {"sms_skipped": SMS_SKIPPED, "sms_finished": SMS_FINISHED,
                "sms_stopped": SMS_STOPPED}
_SKIP = re.compile(r"(skip|skip (it|this|this one|that|that one|the pose|this pose|this photo)|"
                   r"next|next one|pass|cant|i cant|can not|cannot|dont have one)")
_DONE = re.compile(r"(done|im done|i am done|all done|finished|no more|no more (photos|pics|"
                   r"pictures)|thats (all|it)|that is (all|it)|enough)")
# In a Spanish intake the text asks for SALTAR or LISTO; the English words still work ("ya" is
# Spanish for "that's it" only there: in English SMS it is "yeah").
_SKIP_ES = re.compile(r"(saltar|salta|saltala|saltarla|saltar (esta|esa|la foto)|siguiente|paso|"
                      r"no puedo|no tengo|no la tengo)")
_DONE_ES = re.compile(r"(listo|lista|ya|ya esta|es todo|eso es todo|termine|ya termine|no mas|"
                      r"no mas fotos|ya no mas|ninguna mas)")


def command(text: str, language: str = "en") -> str | None:
    """"skip" or "done" when a whole text is one of those replies to a pose asked for by SMS.

    >>> command("Skip this one!"), command("thats all"), command("skip the botox")
    ('skip', 'done', None)
    >>> command("SALTAR", "es"), command("ya está", "es"), command("ya"), command("saltar el botox", "es")
    ('skip', 'done', None, None)
    """
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z ]+", "", plain.replace("'", "")).strip()
    words = re.sub(r"\s+", " ", words)
    spanish = language == "es"
    if _SKIP.fullmatch(words) or (spanish and _SKIP_ES.fullmatch(words)):
        return "skip"
    if _DONE.fullmatch(words) or (spanish and _DONE_ES.fullmatch(words)):
        return "done"
    return None


def sms_text(key: str, language: str = "en") -> str:
    """One of the guide's fixed texts (sms_skipped, sms_finished, sms_stopped) in a language."""
    return _SMS_ENGLISH[key] if language == "en" else _catalogue(language)[key]


def sms_thanks(keys: list[str | None], language: str = "en") -> str:
    """Thanks naming the pose of each photo just received.

    >>> sms_thanks(["rest"]), sms_thanks(["frown", None])
    ("Thanks, I've got your photo: Face at rest.", "Thanks, I've got your photos: Frowning, an extra photo.")
    >>> sms_thanks(["rest"], "es")
    'Gracias, recibí su foto: Cara en reposo.'
    """
    if language != "en":
        words = _catalogue(language)
        titles = [title(p, language) if (p := pose(k)) else words["extra_photo"] for k in keys]
        template = words["sms_thanks_many" if len(titles) > 1 else "sms_thanks_one"]
        return template.format(titles=", ".join(titles))
    titles = [p.title if (p := pose(k)) else "an extra photo" for k in keys]
    return f"Thanks, I've got your photo{'s' if len(titles) > 1 else ''}: {', '.join(titles)}."


@lru_cache(maxsize=None)
def _catalogue(language: str) -> dict:
    """The guide's words in a language other than English (bot/catalogue/photos.<lang>.yml)."""
    path = Path(__file__).resolve().parent / "catalogue" / f"photos.{language}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def title(shown: Pose, language: str = "en") -> str:
    """A pose's title for the patient, in the language the intake is held in."""
    return shown.title if language == "en" else _catalogue(language)["poses"][shown.key]["title"]


def ask(shown: Pose, language: str = "en") -> str:
    """What the patient is asked to do for a pose, in their language."""
    return shown.ask if language == "en" else _catalogue(language)["poses"][shown.key]["ask"]


def sms_ask(next_up: Pose, language: str = "en") -> str:
    """The text asking for one pose."""
    template = SMS_ASK if language == "en" else _catalogue(language)["sms_ask"]
    return template.format(number=position(next_up.key), total=len(POSES),
                           ask=ask(next_up, language))


def how_to_send(channel: str, language: str = "en") -> str:
    """The reply to "I'll upload them": where the guide is, on this channel.

    >>> how_to_send("sms").startswith("Great: text them")
    True
    """
    first = POSES[0]
    if language != "en":
        words = _catalogue(language)
        if channel == "sms":
            return words["how_sms"].format(first_ask=ask(first, language))
        return words["how_web"].format(names=", ".join(title(p, language).lower()
                                                       for p in POSES[:-1]))
    if channel == "sms":
        return (f"Great: text them one at a time and I'll ask for each pose in turn. First: "
                f"{first.ask[0].lower()}{first.ask[1:]} Meanwhile, the next question:")
    names = ", ".join(p.title.lower() for p in POSES[:-1])
    return (f"Great: the photo guide opens below the chat (or tap the camera button): {names}, "
            f"and one you like. Skip any you want. Meanwhile, the next question:")
