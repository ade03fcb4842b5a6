"""Reading patient text: clauses, term matching with typos, and negation, past, family, unsure.

A statement's polarity is decided per clause, deterministically, so that "I'm not pregnant but I
am breastfeeding" gives two findings of opposite polarity, each with its own words as evidence.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from bot.models import Polarity

EMOJI_WORDS = {
    "👍": " yes ", "✅": " yes ", "✔": " yes ", "☑": " yes ", "👌": " yes ", "🙋": " yes ",
    "👎": " no ", "❌": " no ", "✖": " no ", "🚫": " no ", "🙅": " no ",
    "🤷": " not sure ", "🤔": " not sure ",
}

NEGATION_CUES = {"no", "not", "never", "none", "nothing", "nor", "neither", "without", "nope",
                 "nah", "negative", "deny", "denies", "dont", "doesnt", "isnt", "arent", "havent",
                 "hasnt", "didnt", "wont", "cant", "aint", "non", "zero", "nil", "nada"}
# Words that end a negation's reach: "no blood thinners, just fish oil".
SCOPE_RESETS = {"but", "except", "besides", "only", "just", "however", "though", "although", "yet",
                "also", "apart", "plus", "i", "im", "we", "were", "ive", "weve", "currently"}
PAST_PATTERNS = [
    r"\bstopped\b", r"\bused to\b", r"\bno longer\b", r"\banymore\b", r"\bany more\b", r"\bquit\b",
    r"\bcleared\b", r"\bhealed\b", r"\bgone\b", r"\bwent away\b", r"\bresolved\b", r"\bweaned\b",
    r"\bfinished\b", r"\byears? ago\b", r"\bas a (kid|child|teen|teenager|baby)\b",
    r"\bwhen i was\b", r"\bin the past\b", r"\bpreviously\b", r"\bwas\b",
    r"\bhad (a|my) baby\b", r"\bdone with\b", r"\bnot anymore\b",
    r"\bcame off\b", r"\bgot off\b", r"\boff (it|them|of it)\b", r"\bgrew out of\b",
    r"\boutgrew\b", r"\bsince cleared\b", r"\ball better\b", r"\bbetter now\b",
]
UNSURE_PATTERNS = [
    r"\bnot (really )?sure\b", r"\bunsure\b", r"\bno idea\b", r"\bidk\b", r"\bi ?dont know\b",
    r"\bdont know\b", r"\bdunno\b", r"\bmaybe\b", r"\bmight\b", r"\bmay be\b", r"\bpossibly\b",
    r"\bpossible\b", r"\bcould be\b", r"\bperhaps\b", r"\bnot certain\b", r"\buncertain\b",
    r"\bperiod is late\b", r"\blate period\b", r"\bmissed (my )?period\b", r"\bperiod.{0,12}late\b",
    r"\bhavent tested\b", r"\bwaiting to (test|find out)\b", r"\bnot confirmed\b",
    r"\bprobably\b(?! not)", r"\bcant remember\b", r"\bdont remember\b", r"\bnot positive\b",
    r"\bunclear\b", r"\bthink i (might|may|could)\b", r"\bwho knows\b", r"\bhmm+\b", r"\bunknown\b",
]
FAMILY_WORDS = r"\b(mom|mum|mother|dad|father|sister|brother|aunt|auntie|uncle|grandma|grandmother|" \
    r"grandpa|grandfather|cousin|friend|husband|wife|partner|boyfriend|girlfriend|son|daughter|" \
    r"niece|nephew|family|neighbou?r|coworker|colleague|sis|bro)s?\b"
FIRST_PERSON = r"\b(i|im|ive|id|ill|me|myself|we|were|weve|us)\b"

YES_WORDS = {"y", "yes", "ya", "yah", "yeah", "yea", "yep", "yup", "ye", "yass", "yesh", "sure",
             "correct", "affirmative", "absolutely", "definitely", "true", "right", "ok", "okay",
             "k", "kk", "indeed", "certainly", "aye", "uh-huh", "yess", "yesss", "mhm", "yas"}
NO_WORDS = {"n", "no", "nope", "nah", "na", "none", "nothing", "never", "negative", "nada", "nil",
            "nay", "noo", "nooo", "nopes", "non", "zero", "neither", "nothin"}


def normalise(text: str) -> str:
    """Lower-case, map emoji yes/no to words, drop apostrophes and control characters."""
    for emoji, word in EMOJI_WORDS.items():
        text = text.replace(emoji, word)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text)
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(\w)'(\w)", r"\1\2", text)  # don't -> dont, crow's -> crows
    return re.sub(r"[ \t]+", " ", text).strip()


@dataclass
class Clause:
    """A stretch of the patient's words that one polarity governs."""

    original: str
    norm: str


_CLAUSE_SPLIT = re.compile(r"(?<=[.!?;\n])\s+|\s*[;\n]\s*|\s+(?=\bbut\b)|\s+(?=\bexcept\b)"
                           r"|\s+(?=\balthough\b)|\s+(?=\bhowever\b)|\s+-\s+|\s*\|\s*")


def clauses(text: str) -> list[Clause]:
    """Split a message into clauses; each keeps the patient's original words for evidence."""
    parts = [p.strip(" ,") for p in _CLAUSE_SPLIT.split(text) if p and p.strip(" ,.")]
    return [Clause(p, normalise(p)) for p in parts if normalise(p)]


def tokens(norm: str) -> list[str]:
    """Word tokens of a normalised clause."""
    return re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", norm)


@lru_cache(maxsize=4096)
def _phrase_regex(phrase: str) -> re.Pattern:
    body = re.escape(normalise(phrase)).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])")


def find_phrase(norm: str, phrase: str) -> int:
    """Position of `phrase` in a normalised clause (word boundaries, typo-tolerant), or -1."""
    match = _phrase_regex(phrase).search(norm)
    if match:
        return match.start()
    target = normalise(phrase)
    if " " in target or len(target) < 6:
        return -1
    for m in re.finditer(r"[a-z]+", norm):
        word = m.group()
        if abs(len(word) - len(target)) <= 2 and len(word) >= 5 and word[0] == target[0]:
            if SequenceMatcher(None, word, target).ratio() >= 0.84:
                return m.start()
    return -1


def _any(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def polarity_at(clause: str, pos: int, phrase_len: int = 0) -> Polarity:
    """Polarity of the term at `pos` in a normalised clause."""
    if _any(UNSURE_PATTERNS, clause):
        return Polarity.UNSURE
    if re.search(FAMILY_WORDS, clause[:pos]) and not re.search(FIRST_PERSON, clause):
        return Polarity.ABSENT
    after = tokens(clause[pos + phrase_len:])[:2]
    if after and after[0] in NO_WORDS | {"not"}:
        return Polarity.ABSENT
    if _negated_before(clause[:pos]):
        return Polarity.ABSENT
    if _any(PAST_PATTERNS, clause):
        return Polarity.PAST
    return Polarity.PRESENT


def _negated_before(prefix: str) -> bool:
    words = tokens(prefix)
    for word in reversed(words):
        if word in NEGATION_CUES or word.endswith("nt") and word in {
                "dont", "doesnt", "isnt", "arent", "havent", "hasnt", "didnt", "wont", "cant"}:
            return True
        if word in SCOPE_RESETS:
            return False
    return False


def yes_no(text: str) -> str | None:
    """A bare answer's meaning: "yes", "no", "unsure" or None when it is not a yes/no answer."""
    norm = normalise(text)
    if not norm:
        return None
    if re.match(r"^no idea\b", norm) or (
            _any(UNSURE_PATTERNS, norm) and not re.match(r"^(no|nope|nah)\b", norm)):
        return "unsure"
    words = tokens(norm)
    if not words:
        return None
    first, rest = words[0], " ".join(words[:3])
    if re.match(r"^(i )?(dont|do not|am not|im not|have not|havent|didnt|did not|wasnt|"
                r"arent|not at all|not really|no way|i think not|not me|not that i know)", rest):
        return "no"
    if re.match(r"^(definitely|absolutely|certainly|of course|hell|surely) (not|no)\b", rest):
        return "no"
    if first in NO_WORDS or re.fullmatch(r"no+|n+o+pe|na+h+", first):
        return "no"
    if first in YES_WORDS or re.fullmatch(r"ye+s*|ya+|yu+p|ye+a+h*|y+", first):
        return "yes"
    if " ".join(words) in {"i am", "im", "i do", "i have", "i did", "i was", "i think so",
                           "i guess", "i guess so", "of course", "for sure", "thats right",
                           "that is right", "uh huh", "i am yes", "i do yes", "yes i am"}:
        return "yes"
    return None
