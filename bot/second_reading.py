"""A second, statistical reading of an answer: it can only ask, never clear or raise a flag.

The deterministic reader (bot.parsing, bot.text) decides every answer and every flag. On unseen
patient text it still misreads some answers that should raise a flag as a plain "no" ("I have a
cold sore but otherwise I'm fine now"), and nobody asks again: a silent miss. This module is a
logistic regression over character and word n-grams of the answer, trained on the labelled
patient answers of the regression phrase suites (tests/nlu, never on the unseen sets). When the
reader finds nothing to flag in the answer to one of `CODES`' questions but the model thinks the
answer likely names one, the reading is checked with the patient before it counts: a short yes/no
question in the patient's own words ("You wrote "...". Just so I have it right: ..."). Only the
patient's yes raises the flag, with their words and their yes as evidence; their no keeps the
reader's no. The model never closes a question and never raises or removes a flag by itself.

The weights are shipped in `second_reading.npz` (trained by `scripts/train_second_reading.py`;
the file records a fingerprint of its training data, and a test fails when the suites change
without retraining). The features are hashed, so the file holds no vocabulary of patient text.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot import lexicon
from bot.models import Finding, Polarity
from bot.text import find_phrase, normalise

MODEL = Path(__file__).resolve().parent / "second_reading.npz"
# The questions checked, and the flag codes a wrong "nothing to flag" would hide.
CODES: dict[str, set[str]] = {
    "pregnancy": {"pregnant"},
    "breastfeeding": {"breastfeeding"},
    "trying_to_conceive": {"trying_to_conceive"},
    "skin_infection": {"skin_infection"},
    "neuromuscular": {"neuromuscular_disorder"},
    "breathing": {"swallowing_or_breathing_difficulty"},
    "allergies": {"toxin_allergy", "milk_protein_allergy"},
    "concerns": {"heavy_eyelids"},
    "medications": {"interacting_medication", "anticoagulant", "bleeding_risk_supplement"},
}
# Questions whose plain "no" is held back until the check is answered (a yes/no question); on
# the others the reader's reading is recorded and the check can only add to it.
HELD = {"pregnancy", "breastfeeding", "trying_to_conceive", "skin_infection", "neuromuscular",
        "breathing", "allergies"}
# Chosen by leave-one-suite-out cross-validation (scripts/train_second_reading.py --cv), never
# on an unseen set: see docs/understanding.md.
THRESHOLD = 0.5
N_FEATURES = 2 ** 18

_enabled = contextvars.ContextVar("second_reading_enabled", default=True)


@contextmanager
def disabled():
    """The reader alone (used to record what the reader sees when training the model)."""
    token = _enabled.set(False)
    try:
        yield
    finally:
        _enabled.reset(token)


def _hash(token: str) -> int:
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % N_FEATURES


def features(topic: str, text: str) -> dict[int, float]:
    """Hashed n-gram counts, L2-normalised per block: characters 2-5 within words, words 1-3,
    and words 1-2 tied to the question (the same word means different things per question)."""
    norm = normalise(text)
    words = re.findall(r"[a-z0-9']+", norm)
    blocks = [
        [f"c:{w[i:i + n]}" for w in (f" {w} " for w in words) for n in range(2, 6)
         for i in range(len(w) - n + 1)],
        [f"w:{' '.join(words[i:i + n])}" for n in (1, 2, 3) for i in range(len(words) - n + 1)],
        [f"t:{topic}:{' '.join(words[i:i + n])}" for n in (1, 2)
         for i in range(len(words) - n + 1)],
    ]
    row: dict[int, float] = {}
    for block in blocks:
        counts: dict[int, float] = {}
        for token in block:
            index = _hash(token)
            counts[index] = counts.get(index, 0.0) + 1.0
        norm2 = sum(v * v for v in counts.values()) ** 0.5 or 1.0
        for index, value in counts.items():
            row[index] = row.get(index, 0.0) + value / norm2
    return row


@lru_cache(maxsize=1)
def _weights() -> tuple[np.ndarray, float, dict]:
    data = np.load(MODEL, allow_pickle=False)
    return data["coef"].astype(np.float64), float(data["intercept"]), json.loads(
        str(data["meta"]))


def fingerprint() -> str:
    """The training data's fingerprint recorded in the shipped model."""
    return _weights()[2]["fingerprint"]


def label(phrase: dict) -> bool:
    """A labelled suite phrase (tests/nlu) must raise one of its question's flags."""
    return bool(set(phrase.get("flags") or []) & CODES[phrase["asked"]])


def training_fingerprint(phrases: list[dict]) -> str:
    """Of the phrases the model learns from and their labels (not of the reader's gloss, which
    changes often): retrain when it differs from `fingerprint()`."""
    digest = hashlib.sha256()
    for phrase in sorted((p for p in phrases if p.get("asked") in CODES), key=lambda p: p["id"]):
        digest.update(f"{phrase['id']}\t{phrase['asked']}\t{phrase['text']}\t"
                      f"{int(label(phrase))}\n".encode("utf-8"))
    return digest.hexdigest()


def likelihood(topic: str, text: str) -> float:
    """The model's probability that this answer to `topic` names something its flags are for."""
    coef, intercept, _ = _weights()
    row = features(topic, text)
    score = intercept + sum(coef[i] * v for i, v in row.items())
    return float(1.0 / (1.0 + np.exp(-score)))


def wants_check(topic: str | None, text: str) -> bool:
    """True when the answer to `topic` should be checked if the reader finds nothing to flag."""
    if topic not in CODES or not _enabled.get() or not (text or "").strip():
        return False
    return likelihood(topic, text) >= THRESHOLD


def check_finding(topic: str, text: str) -> Finding:
    """The reading to check with the patient: recorded only from their reply (yes raises it)."""
    if topic == "concerns":
        return Finding(topic="eyelids", item="heavy_eyelids", polarity=Polarity.ABSENT,
                       evidence=text.strip(), detail={"ask": "eyelids", "second_reading": True})
    if topic == "allergies":
        norm = normalise(text)
        milk = any(find_phrase(norm, word) >= 0 for word in lexicon.MILK_ALLERGENS)
        item = "milk_protein_allergy" if milk else "toxin_allergy"
        return Finding(topic="allergies", item=item, polarity=Polarity.ABSENT,
                       evidence=text.strip(), detail={"ask": item, "second_reading": True})
    if topic == "medications":  # a yes sends the intake to a clinician with these words
        return Finding(topic="medications", item="unrecognised", polarity=Polarity.ABSENT,
                       evidence=text.strip(), detail={"ask": "medication_risk", "kind": "checked",
                                                      "category": None, "second_reading": True})
    item = {"neuromuscular": "neuromuscular condition", "breathing": "swallowing or breathing",
            "skin_infection": "skin infection"}.get(topic, topic)
    return Finding(topic=topic, item=item, polarity=Polarity.ABSENT, evidence=text.strip(),
                   detail={"ask": topic, "second_reading": True})
