#!/usr/bin/env bash
# Set up (if needed) and run every check: lint, rasa data validate, rasa test stories, pytest,
# then the replica test (scripts/test_scale.sh).
# REQUIRE_BROWSER=1 (the default here): a browser test fails, not skips, without Chromium.
# REQUIRE_SERVICES=1 (the default here): the store tests also run on PostgreSQL (and the limits
# on Redis), started by the tests with scripts/services.sh; if they cannot start, those fail.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_BROWSER=1 bash scripts/setup.sh
export RASA_TELEMETRY_ENABLED=false PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=3
export REQUIRE_BROWSER="${REQUIRE_BROWSER:-1}" REQUIRE_SERVICES="${REQUIRE_SERVICES:-1}"
echo "== lint (make lint: ruff check, rules in pyproject.toml)"
make --no-print-directory lint
echo "== rasa data validate"
.venv/bin/rasa data validate --quiet >/tmp/rasa-validate.log 2>&1 || { tail -30 /tmp/rasa-validate.log; exit 1; }
echo "== rasa test (stories, --fail-on-prediction-errors)"
.venv/bin/rasa test core --stories tests/stories -m models/intake.tar.gz --fail-on-prediction-errors \
  --out results/core >/tmp/rasa-test-core.log 2>&1 || { tail -30 /tmp/rasa-test-core.log; exit 1; }
echo "== pytest"
.venv/bin/python -m pytest "$@"
echo "== replica test (make test-scale: two of everything on PostgreSQL + Redis, one Rasa killed)"
bash scripts/test_scale.sh
