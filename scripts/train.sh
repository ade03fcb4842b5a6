#!/usr/bin/env bash
# Train the Rasa model only when something it depends on changed (config, domain, data, lexicon).
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false PYTHONPATH=.
want=$(cat config.yml domain.yml build/spacy_intake/patterns.sha $(find data -name '*.yml' | sort) \
       | sha256sum | cut -d' ' -f1)
if [ -f models/intake.tar.gz ] && [ "$(cat models/.train.sha 2>/dev/null)" = "$want" ]; then
  echo "== model is up to date (models/intake.tar.gz)"
  exit 0
fi
echo "== training the Rasa model"
start=$(date +%s)
.venv/bin/rasa train --fixed-model-name intake --out models >/tmp/rasa-train.log 2>&1 \
  || { tail -40 /tmp/rasa-train.log >&2; exit 1; }
echo "$want" > models/.train.sha
echo "== trained in $(( $(date +%s) - start )) s"
