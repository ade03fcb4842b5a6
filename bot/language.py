"""Which language a message is in, when it is clearly not English.

The assistant holds the intake in English or Spanish (bot.spanish). A patient who writes in
another language must still be seen: the message is kept, the intake goes to staff as "needs a call", and the
patient gets a short reply in their language. Detection uses lingua (offline, built for short
text) but only where it is safe: short English SMS ("n", "idk", "ya", a name) is never read as
another language, so lingua is asked only about messages of three or more words, messages in a
non-Latin script, or messages with a greeting or phrase that only another language uses.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).resolve().parent / "catalogue" / "other_language.yml"
CATALOGUES = Path(__file__).resolve().parent / "catalogue"
SPOKEN = ("en", "es")  # languages the intake is held in; any other is kept for a call
# Languages most often written by patients of US clinics besides English (ISO 639-1).
LANGUAGES = ("es", "fr", "pt", "de", "it", "vi", "zh", "ko", "ru", "ar", "tl", "pl")
MIN_CONFIDENCE = 0.35  # lingua's relative confidence for the language it names
MAX_ENGLISH = 0.1  # ...while English stays this unlikely (the decision that matters),
ENGLISH_RATIO = 4.0  # ...or the language named is this many times likelier than English
RUNNER_UP = 0.15  # a hinted language this close to the top is preferred (es/pt/it look alike)
MIN_WORDS = 3
ENGLISH_SHARE = 0.5  # a message at least half made of common English words is English
# Words and phrases English-speaking patients don't write; each says which language it is.
HINTS = {
    "es": r"hola|necesito|gracias|quiero|estoy|tengo|por favor|buen[oa]s|embarazada|"
          r"amamantando|ning[uú]n[oa]?|s[ií] claro|no s[eé]|hablo|cu[aá]nto|cuesta|"
          r"medicamentos?|al[eé]rgic[oa]",
    "fr": r"bonjour|merci|je suis|voudrais|enceinte|s'il vous pla[iî]t",
    "de": r"ich bin|bitte|danke|hallo|schwanger",
    "pt": r"obrigad[oa]|ol[aá]|gr[aá]vida|estou",
    "it": r"ciao|grazie|incinta|buongiorno",
}
_HINT = re.compile(r"\b(" + "|".join(f"(?P<{code}>{words})" for code, words in HINTS.items())
                   + r")\b", re.I)
_NON_LATIN = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u0900-\u097f\u3040-\u30ff\u3400-\u9fff"
                        r"\uac00-\ud7af]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_lock = threading.Lock()


def foreign_language(text: str, name_expected: bool = False) -> str | None:
    """The ISO 639-1 code of the language a message is clearly written in, if not English.

    A message of capitalised words only ("Maria Guadalupe Hernandez"), or any answer to the name
    question, is a name unless it holds a word only another language uses or another script.

    >>> foreign_language("hola, estoy embarazada y quiero botox")
    'es'
    >>> foreign_language("idk") is None
    True
    """
    # Drug, product and condition names say nothing about the language ("impetigo", "Xeomin"
    # read as Spanish or French): lingua sees the message without them.
    text = " ".join(w for w in (text or "").split() if _plain(w) not in _clinical_terms())
    words = _WORD.findall(text)
    hint = _HINT.search(text)
    non_latin = len(_NON_LATIN.findall(text)) >= 2
    if not words or not (hint or non_latin or len(words) >= MIN_WORDS):
        return None
    if not (hint or non_latin) and _mostly_english(words):
        return None  # "no, not pergnant", "trynig for baby #2": English with a typo
    looks_like_a_name = name_expected or all(w[0].isupper() for w in words)
    if looks_like_a_name and not (hint or non_latin):
        return None
    detected = _detect(text, _hinted(hint))
    if detected is not None:
        return detected
    if hint and len(words) <= 2:  # "hola", "gracias": too short for statistics, plain enough
        return _hinted(hint)
    return None


def _plain(word: str) -> str:
    """A word without surrounding punctuation, lower case."""
    return word.strip(".,;:!?()[]\"'").lower()


@lru_cache(maxsize=1)
def _clinical_terms() -> frozenset[str]:
    """One-word names from the lexicon (medicines, supplements, conditions, products, areas)."""
    from bot.lexicon import all_terms

    return frozenset(p for term in all_terms() for p in term.phrases if " " not in p)


def _mostly_english(words: list[str]) -> bool:
    """At least ENGLISH_SHARE of `words` are common English words, words of the clinic's lexicon,
    SMS shorthand, or one slip from a lexicon word. Known words are counted first; the costlier
    misspelling check runs only while the answer is still open."""
    from bot.text import SHORTHAND

    need = ENGLISH_SHARE * len(words)
    plain = [_plain(w) for w in words]
    unknown = [w for w in plain if w not in _english_words() and w not in SHORTHAND]
    english = len(plain) - len(unknown)
    for seen, word in enumerate(unknown):
        if english >= need or english + len(unknown) - seen < need:
            break
        english += _misspelt_english(word)
    return english >= need


@lru_cache(maxsize=4096)
def _misspelt_english(word: str) -> bool:
    """"smlie", "pregnat": one slip from a word of the lexicon (five letters or more)."""
    by_start = _english_by_start_and_length()
    return len(word) >= 5 and any(_one_slip(word, e) for size in range(
        len(word) - 1, len(word) + 2) for e in by_start.get((word[0], size), ()))


def _one_slip(a: str, b: str) -> bool:
    """`a` and `b` differ by exactly one edit (a letter changed, added, dropped, or two
    neighbours swapped): `bot.text.edit_distance(a, b) == 1`, in one pass."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[i:] == longer[i + 1:]


@lru_cache(maxsize=1)
def _english_by_start_and_length() -> dict[tuple[str, int], tuple[str, ...]]:
    """The English words of `_english_words`, grouped by first letter and length."""
    groups: dict[tuple[str, int], list[str]] = {}
    for word in _english_words():
        if word:
            groups.setdefault((word[0], len(word)), []).append(word)
    return {key: tuple(words) for key, words in groups.items()}


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """spaCy's English stop words and every word of the lexicon's phrases."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from bot.lexicon import all_terms

    from bot.text import NO_WORDS, YES_WORDS

    lexicon_words = {w for term in all_terms() for p in term.phrases for w in p.lower().split()}
    body = {"lungs", "lung", "chest", "skin", "face", "breathing", "swallowing", "throat", "eyes",
            "lips", "good", "fine", "ok", "okay", "lol", "haha", "thanks", "pls", "plz"}
    return frozenset(STOP_WORDS) | frozenset(lexicon_words) | YES_WORDS | NO_WORDS | body


def _hinted(hint: re.Match | None) -> str | None:
    """The language a hint word belongs to."""
    return next((code for code, found in hint.groupdict().items() if found), None) if hint else None


def reply_for(code: str | None) -> str:
    """The short reply to a patient writing in `code`, in their language and in English."""
    replies = _catalogue()
    english = replies["en"]
    theirs = replies.get(code or "", "")
    return f"{theirs}\n\n{english}" if theirs else english


def language_name(code: str | None) -> str:
    """The English name of a language code, for staff ("Spanish")."""
    return _catalogue().get("names", {}).get(code or "", code or "unknown")


def _detect(text: str, hinted: str | None) -> str | None:
    """lingua's verdict, when it is sure the text is in one of LANGUAGES and not English."""
    values = {v.language.iso_code_639_1.name.lower(): v.value
              for v in _detector().compute_language_confidence_values(text)}
    code = max(values, key=values.get)
    english = values.get("en", 0.0)
    if code == "en" or values[code] < MIN_CONFIDENCE or (
            english > MAX_ENGLISH and values[code] < ENGLISH_RATIO * english):
        return None
    if hinted and values.get(hinted, 0.0) >= RUNNER_UP:
        return hinted
    return code


@lru_cache(maxsize=1)
def _detector():
    """The lingua detector for English and LANGUAGES, built on first use (models load lazily)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    with _lock:
        codes = [getattr(IsoCode639_1, c.upper()) for c in ("en", *LANGUAGES)]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    """The replies and language names (patient-facing text lives in the catalogue, not here)."""
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def response_catalogue(code: str) -> dict:
    """The responses of the domain in `code` (bot/catalogue/responses.<code>.yml), by name."""
    path = CATALOGUES / f"responses.{code}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]


@lru_cache(maxsize=None)
def patient_catalogue(code: str) -> dict:
    """The read-back's words and the web app's own replies in `code` (patient.<code>.yml)."""
    return yaml.safe_load((CATALOGUES / f"patient.{code}.yml").read_text(encoding="utf-8"))


def spoken(word: str, language: str) -> str:
    """A word the reader stores in English (a supplement, an allergen, an event) as the patient
    says it; unchanged when the catalogue has no entry (brand names, English)."""
    return patient_catalogue(language).get("words", {}).get(word.lower(), word)


def patient_text(section: str, key: str, language: str = "en", **values: object) -> str:
    """One patient-facing text from patient.<language>.yml (English for a language the intake
    is not held in), with its {placeholders} filled in.

    >>> patient_text("sms", "option", "es", number=1, title="Sí")
    '1 para Sí'
    """
    text = patient_catalogue(language if language in SPOKEN else "en")[section][key]
    return text.format(**values) if values else text
