#!/usr/bin/env bash
# Idempotent setup on a fresh machine: Python 3.10 virtualenv, pinned dependencies (pydantic 2 /
# spaCy 3.7 override is baked into requirements.lock), the in-repo spaCy pipeline, a trained model.
# Each step is skipped when already done, so running it again takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false UV_PYTHON_DOWNLOADS=never PYTHONPATH=.

if [ ! -x .venv/bin/python ]; then
  py310="${PYTHON310:-$(pyenv prefix 3.10.13 2>/dev/null)/bin/python}"
  [ -x "$py310" ] || { echo "Python 3.10 not found (pyenv 3.10.13 or PYTHON310=...)" >&2; exit 1; }
  "$py310" -m venv .venv
fi
.venv/bin/python -m uv --version >/dev/null 2>&1 || .venv/bin/python -m pip install -q uv==0.13.8
stamp=.venv/.lock.sha
want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== installing pinned dependencies (requirements.lock)"
  .venv/bin/python -m uv pip sync --python .venv/bin/python requirements.lock
  echo "$want" > "$stamp"
fi

if [ "${SETUP_BROWSER:-0}" = "1" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian chromium for browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
fi

old=$(cat build/spacy_intake/patterns.sha 2>/dev/null || true)
.venv/bin/python -m bot.nlp build/spacy_intake >/dev/null
if [ -n "$old" ] && [ "$old" != "$(cat build/spacy_intake/patterns.sha)" ]; then
  rm -rf .rasa/cache  # cached NLU components would keep the old entity patterns
fi
bash scripts/train.sh
