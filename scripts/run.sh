#!/usr/bin/env bash
# Set up (if needed) and run the product: action server, Rasa, web app, all on loopback.
# Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export RASA_TELEMETRY_ENABLED=false PYTHONPATH=. TF_CPP_MIN_LOG_LEVEL=3
mkdir -p var
export INTAKE_DB="${INTAKE_DB:-$PWD/var/intake.db}"
export RASA_TRACKER_DB="${RASA_TRACKER_DB:-$PWD/var/rasa-tracker.db}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}" RASA_PORT="${RASA_PORT:-5005}" WEB_PORT="${WEB_PORT:-8000}"
export ACTION_ENDPOINT_URL="http://127.0.0.1:${ACTIONS_PORT}/webhook"
export RASA_URL="http://127.0.0.1:${RASA_PORT}"
# Secrets are made once per install and kept in var/ (mode 600), so conversation ids survive a
# restart. Each process gets only the secrets of its own hops, in its environment: never on a
# command line (any local user can read those) or in a URL (docs/deploy.md).
secret() { [ -s "var/$1" ] || (umask 077; .venv/bin/python -c "import secrets;print(secrets.token_hex(32))" > "var/$1"); cat "var/$1"; }
secret_key="$(secret secret_key)"                 # web app: conversation ids, cookies
channel_secret="$(secret rasa_channel_secret)"    # web app -> Rasa channel (signed bodies)
action_token="$(secret action_server_token)"      # Rasa -> action server (Bearer)
jwt_secret="$(secret rasa_jwt_secret)"            # Rasa HTTP API (JWT in Authorization)
rm -f var/rasa_token  # the old query-string API token, no longer accepted
.venv/bin/python -m bot.cli check-policy >/dev/null

pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT

# Bash prefix assignments put a secret in one process's environment (never on a command line);
# `env -u` drops the ones this shell holds for other processes (an operator's exported
# TWILIO_AUTH_TOKEN reaches only the web app).
web_only=(-u INTAKE_SECRET_KEY -u TWILIO_AUTH_TOKEN -u TWILIO_ACCOUNT_SID)
SANIC_HOST=127.0.0.1 ACTION_SERVER_TOKEN="$action_token" \
  env "${web_only[@]}" -u RASA_CHANNEL_SECRET -u RASA_JWT_SECRET \
  .venv/bin/python -m rasa_addons.action_server --actions actions --port "$ACTIONS_PORT" \
  > var/actions.log 2>&1 & pids+=($!)
RASA_CHANNEL_SECRET="$channel_secret" ACTION_SERVER_TOKEN="$action_token" RASA_JWT_SECRET="$jwt_secret" \
  env "${web_only[@]}" \
  .venv/bin/python -m rasa_addons.rasa_server -i 127.0.0.1 -p "$RASA_PORT" -m models/intake.tar.gz \
  --endpoints endpoints.yml --credentials credentials.yml \
  > var/rasa.log 2>&1 & pids+=($!)
INTAKE_SECRET_KEY="$secret_key" RASA_CHANNEL_SECRET="$channel_secret" \
  env -u ACTION_SERVER_TOKEN -u RASA_JWT_SECRET \
  .venv/bin/uvicorn --factory bot.web.app:app_factory --host 127.0.0.1 --port "$WEB_PORT" --ws none \
  --timeout-keep-alive 75 \
  > var/web.log 2>&1 & pids+=($!)

echo "== starting (Rasa takes ~20-60 s); logs in var/*.log"
for _ in $(seq 1 180); do
  # The channel's health route needs no secret and answers once the model is loaded.
  if curl -fsS "http://127.0.0.1:${RASA_PORT}/webhooks/webapp/" >/dev/null 2>&1 \
     && curl -fsS "http://127.0.0.1:${WEB_PORT}/healthz" >/dev/null 2>&1; then break; fi
  sleep 1
done
cat <<MSG
== ready
   Clinic page with the chat widget:  http://127.0.0.1:${WEB_PORT}/
   Staff workspace:                   http://127.0.0.1:${WEB_PORT}/staff
     (first: PYTHONPATH=. .venv/bin/python -m bot.staff_cli create-user --username NAME --role clinician)
   Chat by HTTP (Rasa REST protocol through the web app; the cookie ties the id to you):
     id=\$(curl -s -X POST -c /tmp/c http://127.0.0.1:${WEB_PORT}/api/conversations | python3 -c 'import sys,json;print(json.load(sys.stdin)["conversation_id"])')
     curl -s -b /tmp/c http://127.0.0.1:${WEB_PORT}/webhooks/rest/webhook -H 'content-type: application/json' -d "{\"sender\":\"\$id\",\"message\":\"hi\"}"
   Staff API: curl -H "Authorization: Bearer \$(make -s token)" http://127.0.0.1:${WEB_PORT}/api/intakes
   Ctrl-C stops everything.
MSG
wait -n "${pids[@]}"
echo "== a process exited; see var/*.log" >&2
