#!/usr/bin/env bash
# NLU on the held-out set (never trained on): intent accuracy and entity F1, per intent/entity.
# CROSS_VALIDATION=1 also runs 3-fold cross-validation on the training data (slower).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
export RASA_TELEMETRY_ENABLED=false PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=3
rm -rf results/nlu-heldout
.venv/bin/rasa test nlu --nlu tests/nlu/heldout.yml -m models/intake.tar.gz \
  --out results/nlu-heldout >/tmp/rasa-nlu-eval.log 2>&1 || { tail -30 /tmp/rasa-nlu-eval.log; exit 1; }
.venv/bin/python -m tests.nlu.report results/nlu-heldout "held-out set (tests/nlu/heldout.yml)"
.venv/bin/python -m tests.nlu.entity_eval 2>/dev/null
.venv/bin/python -m tests.nlu.yes_no_eval
.venv/bin/python -m tests.nlu.language_eval
if [ "${CROSS_VALIDATION:-0}" = "1" ]; then
  rm -rf results/nlu-cv
  .venv/bin/rasa test nlu --nlu data/nlu --cross-validation --folds 3 --config config.yml \
    --out results/nlu-cv >/tmp/rasa-nlu-cv.log 2>&1 || { tail -30 /tmp/rasa-nlu-cv.log; exit 1; }
  .venv/bin/python -m tests.nlu.report results/nlu-cv "3-fold cross-validation (data/nlu)"
fi
# The deterministic reader on the phrase suite (tests/nlu/phrases.yml): accuracy per class and
# per question, tuned and held-out apart; and flags raised on 2,000 ordinary sentences (aim: 0).
# Both are reports (exit 0); PHRASE_MIN=0.98 makes the suite fail when a class is below it.
.venv/bin/python -m tests.nlu.phrase_eval ${PHRASE_MIN:+--min "$PHRASE_MIN"}
# The blind sets: phrases_blind.yml to phrases_blind23.yml (each measured once, then fixed for:
# now regression suites in tests/test_phrase_suites.py) and phrases_blind24.yml (written blind,
# measured once on 2026-12-08, its failures not yet read: never tuned on).
for n in "" 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23; do
  .venv/bin/python -m tests.nlu.phrase_eval --suite "tests/nlu/phrases_blind$n.yml"
done
.venv/bin/python -m tests.nlu.phrase_eval --suite tests/nlu/phrases_blind24.yml ${PHRASE_MIN:+--min "$PHRASE_MIN"}
# Spanish (issue 9): phrases_es.yml (written blind, then tuned on: a third held out) and
# phrases_es_blind.yml to phrases_es_blind13.yml (each measured once, then kept as regression
# suites with their misreads listed), and phrases_es_blind14.yml (written blind, measured once on
# 2026-12-08, its failures not yet read: never tuned on).
for n in "" _blind _blind2 _blind3 _blind4 _blind5 _blind6 _blind7 _blind8 _blind9 _blind10 _blind11 _blind12 _blind13; do
  .venv/bin/python -m tests.nlu.phrase_eval --suite "tests/nlu/phrases_es$n.yml"
done
.venv/bin/python -m tests.nlu.phrase_eval --suite tests/nlu/phrases_es_blind14.yml ${PHRASE_MIN:+--min "$PHRASE_MIN"}
.venv/bin/python -m tests.nlu.ordinary_text
