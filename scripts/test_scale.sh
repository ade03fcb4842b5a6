#!/usr/bin/env bash
# The replica test (tests/scale): two web apps, two Rasa servers and two action servers on
# PostgreSQL and Redis (started by scripts/services.sh), 50 typing patients, one Rasa server
# killed mid-run. Reuses the trained model in models/. Fails if the services cannot start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export RASA_TELEMETRY_ENABLED=false PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=3 REQUIRE_SERVICES=1
start=$(date +%s)
.venv/bin/python -m pytest -m scale tests/scale -s "$@"
echo "== replica test took $(( $(date +%s) - start )) s"
