"""Train the second reading (bot/second_reading.py) on the regression phrase suites.

Usage (from the repo root):
  PYTHONPATH=. .venv/bin/python scripts/train_second_reading.py        # write bot/second_reading.npz
  PYTHONPATH=. .venv/bin/python scripts/train_second_reading.py --cv   # measure only, write nothing

Training data: every phrase of the regression suites (tests/test_phrase_suites.PHRASES: the tuned
suite, English blind sets 1-13, the Spanish suites) answering one of the checked questions. The
label is whether the phrase must raise one of that question's flags. The model reads what the
reader reads: the message after a taken-back first answer is dropped, a Spanish one as its English
gloss (captured from bot.intake with the second reading switched off). The unseen sets (the newest
blind sets, not in PHRASES) are never read here.

--cv: leave-one-suite-out cross-validation (each suite scored by a model trained on the others):
per threshold, the share of flag answers the model would check, the share of plain no answers it
would check for nothing, and how many of the silent misses each suite had at its first, blind
run (listed in docs/understanding-*.txt) it would have caught.
"""
from __future__ import annotations

import argparse
import glob
import json
import re
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

import bot.intake as intake
from bot import second_reading
from bot.second_reading import CODES, N_FEATURES, features
from tests.nlu.phrase_eval import TODAY, start_state
from tests.test_phrase_suites import PHRASES

ROOT = Path(__file__).resolve().parents[1]
C = 10.0


def reader_text(phrase: dict) -> str:
    """The text bot.intake reads for this phrase (its English gloss for Spanish)."""
    seen: list[str] = []
    original = intake._apply_findings

    def capture(state, text, asked, today, intent):
        seen.append(text)
        return original(state, text, asked, today, intent)

    intake._apply_findings = capture
    try:
        with second_reading.disabled():
            today = phrase.get("today", TODAY)
            intake.take_turn(start_state(phrase["asked"], today, phrase.get("language", "en")),
                             phrase["text"], phrase["asked"], today)
    finally:
        intake._apply_findings = original
    return seen[-1] if seen else phrase["text"]


def dataset() -> tuple[list[dict], list[str], np.ndarray]:
    rows = [p for p in PHRASES if p.get("asked") in CODES]
    texts = [reader_text(p) for p in rows]
    labels = np.array([second_reading.label(p) for p in rows])
    return rows, texts, labels


def matrix(rows: list[dict], texts: list[str]) -> csr_matrix:
    data, indices, indptr = [], [], [0]
    for phrase, text in zip(rows, texts):
        row = features(phrase["asked"], text)
        indices.extend(row)
        data.extend(row.values())
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), N_FEATURES))


def fit(x: csr_matrix, y: np.ndarray) -> LogisticRegression:
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    return model.fit(x, y)


def suite_of(phrase_id: str) -> str:
    return re.sub(r"-?\d+$", "", phrase_id)


def first_run_silent_misses() -> list[tuple[str, str, bool]]:
    """(id, code, reviewed) for each silent miss at a suite's first blind run."""
    found = []
    for path in sorted(glob.glob(str(ROOT / "docs" / "understanding-*.txt"))):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith("silent misses: "):
                for item in line[len("silent misses: "):].split(", "):
                    parts = item.split()
                    found.append((parts[0], parts[1], "(reviewed)" in item))
    return found


def cross_validate(rows, texts, labels) -> None:
    x = matrix(rows, texts)
    groups = np.array([suite_of(p["id"]) for p in rows])
    probs = np.zeros(len(rows))
    for group in sorted(set(groups)):
        held = groups == group
        probs[held] = fit(x[~held], labels[~held]).predict_proba(x[held])[:, 1]
    plain_no = np.array([not y and p.get("closes") is True for p, y in zip(rows, labels)])
    index = {p["id"]: i for i, p in enumerate(rows)}
    silent = [s for s in first_run_silent_misses() if s[0] in index]
    print(f"leave-one-suite-out over {len(set(groups))} suites, {len(rows)} answers "
          f"({labels.sum()} with a flag of their question, {plain_no.sum()} closing with none)")
    print(f"silent misses at the suites' first blind runs on these questions: {len(silent)} "
          f"({sum(not s[2] for s in silent)} that no clinician would have seen)")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7):
        caught = [s for s in silent if probs[index[s[0]]] >= t]
        print(f"threshold {t}: flag answers checked {np.mean(probs[labels] >= t):.3f}; "
              f"no-flag answers checked {np.mean(probs[plain_no] >= t):.3f} "
              f"({(probs[plain_no] >= t).sum()}/{plain_no.sum()}); first-run silent misses "
              f"caught {len(caught)}/{len(silent)} (unseen by a clinician: "
              f"{sum(not s[2] for s in caught)}/{sum(not s[2] for s in silent)})")
        per = []
        for topic in CODES:
            mine = np.array([p["asked"] == topic for p in rows])
            per.append(f"{topic} {np.mean(probs[mine & labels] >= t):.2f}/"
                       f"{np.mean(probs[mine & plain_no] >= t):.2f}")
        print("    per question (flag answers checked / no-flag answers checked): "
              + ", ".join(per))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate only")
    args = parser.parse_args(argv)
    rows, texts, labels = dataset()
    if args.cv:
        cross_validate(rows, texts, labels)
        return 0
    model = fit(matrix(rows, texts), labels)
    coef = model.coef_[0]
    nonzero = np.flatnonzero(coef)
    dense = np.zeros(N_FEATURES, dtype=np.float32)
    dense[nonzero] = coef[nonzero]
    meta = {"fingerprint": second_reading.training_fingerprint(rows), "phrases": len(rows),
            "positives": int(labels.sum()), "C": C}
    np.savez_compressed(second_reading.MODEL, coef=dense,
                        intercept=np.float64(model.intercept_[0]), meta=json.dumps(meta))
    print(f"wrote {second_reading.MODEL} ({len(rows)} answers, {labels.sum()} with a flag)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
