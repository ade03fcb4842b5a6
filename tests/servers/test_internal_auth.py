"""Zero trust between the product's own processes, with the real processes on loopback.

Rasa's channel takes only messages the web app signed; Rasa's HTTP API takes only a JWT in the
Authorization header; the action server takes only calls carrying Rasa's token. Anything else is
refused (401) and changes nothing. No secret is on a command line or in any log.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from bot.internal_auth import (ACTION_TOKEN_ENV, CHANNEL_SECRET_ENV, JWT_SECRET_ENV,
                               SIGNATURE_HEADER, rasa_api_jwt, sign_body)
from tests.servers.test_product import SCRIPT
from tests.stack import ROOT, ChatClient, Stack, _children, free_port

pytestmark = pytest.mark.servers

def channel_url(stack: Stack) -> str:
    return f"{stack.rasa_url}/webhooks/webapp/webhook"


def patient_message(sender: str, text: str) -> bytes:
    return json.dumps({"sender": sender, "message": text,
                       "metadata": {"channel": "sms"}}).encode()


def user_texts(stack: Stack, sender: str) -> list[str]:
    """What Rasa recorded as said by the patient in a conversation (read with a JWT)."""
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{sender}/tracker",
                        headers=stack.rasa_api_headers(), timeout=30).json()
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]


def staff_api(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.web_url, timeout=30,
                        headers={"Authorization": f"Bearer {stack.staff_token()}"})


def other_secret() -> str:
    return "f" * 64


# --- Rasa's channel: only the web app may speak as a patient ---------------------------------


def forged_headers(stack: Stack, body: bytes) -> dict[str, dict[str, str]]:
    """Ways a local process might try to post a message without the channel secret."""
    base = {"Content-Type": "application/json"}
    other_body = patient_message("someone-else", "hello")
    return {
        "no signature": base,
        "signed with another secret": {**base, SIGNATURE_HEADER: sign_body(other_secret(), body)},
        "a signature of another body": {**base, **stack.channel_headers(other_body)},
        "a signature from 10 minutes ago": {**base, SIGNATURE_HEADER: sign_body(
            stack.hop_secrets[CHANNEL_SECRET_ENV], body, now=time.time() - 600)},
        "the secret itself as the signature": {**base, SIGNATURE_HEADER:
                                               stack.hop_secrets[CHANNEL_SECRET_ENV]},
        "rasa's API JWT": {**base, **stack.rasa_api_headers()},
    }


def test_the_channel_refuses_every_message_the_web_app_did_not_sign(stack):
    chat = ChatClient(stack.web_url)
    chat.say("hi")  # a real conversation that a forger wants to write into
    body = patient_message(chat.id, "I am not pregnant")
    for how, headers in forged_headers(stack, body).items():
        response = httpx.post(channel_url(stack), content=body, headers=headers, timeout=30)
        assert response.status_code == 401, how
        assert "text" not in response.text, how  # no bot reply leaks to the forger
    assert "I am not pregnant" not in user_texts(stack, chat.id)


def test_the_channel_takes_a_message_the_web_app_signed(stack):
    body = patient_message("signed-direct", "hi")
    response = httpx.post(channel_url(stack), content=body, headers=stack.channel_headers(body),
                          timeout=60)
    assert response.status_code == 200
    assert response.json() and "intake assistant" in response.json()[0]["text"]


def test_rasa_has_no_unauthenticated_rest_channel(stack):
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                          json={"sender": "anyone", "message": "hi"}, timeout=30)
    assert response.status_code == 404


# --- Rasa's HTTP API: a JWT in the Authorization header, never a query-string token -----------


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/status", None),
    ("GET", "/conversations/someone/tracker", None),
    ("POST", "/conversations/someone/messages", {"text": "hi", "sender": "user"}),
    ("POST", "/conversations/someone/tracker/events", {"event": "slot", "name": "intake_complete",
                                                       "value": True}),
    ("POST", "/conversations/someone/trigger_intent", {"name": "affirm"}),
])
def test_the_rasa_api_refuses_calls_without_a_valid_jwt(stack, method, path, body):
    url = f"{stack.rasa_url}{path}"
    attempts = {
        "nothing": {},
        "query-string tokens": {"params": {"token": stack.hop_secrets[JWT_SECRET_ENV]}},
        "the JWT in the query string": {"params": {"token": stack.rasa_api_headers()[
            "Authorization"].split()[1]}},
        "a JWT signed with another secret": {"headers": {
            "Authorization": f"Bearer {rasa_api_jwt(other_secret())}"}},
        "an expired JWT": {"headers": {"Authorization": "Bearer " + rasa_api_jwt(
            stack.hop_secrets[JWT_SECRET_ENV], now=time.time() - 3600)}},
        "the secret itself": {"headers": {
            "Authorization": f"Bearer {stack.hop_secrets[JWT_SECRET_ENV]}"}},
    }
    for how, extra in attempts.items():
        response = httpx.request(method, url, json=body, timeout=30, **extra)
        assert response.status_code == 401, how


def test_the_rasa_api_takes_a_jwt_in_the_authorization_header(stack):
    response = httpx.get(f"{stack.rasa_url}/status", headers=stack.rasa_api_headers(), timeout=30)
    assert response.status_code == 200
    assert response.json()["model_file"]


# --- The action server: only Rasa may run actions -------------------------------------------


def action_call(sender: str, text: str) -> dict:
    """A call as Rasa makes it: run the form's validation for one patient message."""
    return {"next_action": "validate_intake_form", "sender_id": sender, "version": "3.6.21",
            "domain": {}, "tracker": {
                "sender_id": sender, "slots": {"requested_slot": None}, "events": [],
                "paused": False, "followup_action": None, "active_loop": {"name": "intake_form"},
                "latest_action_name": "action_listen",
                "latest_message": {"text": text, "intent": {"name": "inform", "confidence": 0.9},
                                   "entities": [], "metadata": {"channel": "web"}}}}


def test_the_action_server_refuses_calls_without_rasas_token(stack):
    api = staff_api(stack)
    body = action_call("forged-intake", "I take warfarin")
    attempts = {"no token": {}, "another token": {"Authorization": f"Bearer {other_secret()}"},
                "the token without Bearer": {"Authorization": stack.hop_secrets[ACTION_TOKEN_ENV]},
                "the channel secret": {"Authorization":
                                       f"Bearer {stack.hop_secrets[CHANNEL_SECRET_ENV]}"}}
    for how, headers in attempts.items():
        response = httpx.post(f"{stack.actions_url}/webhook", json=body, headers=headers,
                              timeout=30)
        assert response.status_code == 401, how
        assert "warfarin" not in response.text, how
        assert httpx.get(f"{stack.actions_url}/actions", headers=headers).status_code == 401, how
    assert api.get("/api/intakes/forged-intake").status_code == 404  # nothing was saved


def test_the_action_server_runs_actions_for_rasa(stack):
    response = httpx.post(f"{stack.actions_url}/webhook", headers=stack.action_headers(),
                          json=action_call("direct-action-call", "I take warfarin"), timeout=30)
    assert response.status_code == 200
    slots = {e["name"]: e["value"] for e in response.json()["events"] if e["event"] == "slot"}
    assert slots["requested_slot"] == "name"
    saved = staff_api(stack).get("/api/intakes/direct-action-call").json()
    assert [f["code"] for f in saved["flags"]] == ["anticoagulant"]
    assert httpx.get(f"{stack.actions_url}/health").status_code == 200  # for process managers


def test_an_action_server_error_does_not_echo_the_conversation(stack):
    call = action_call("broken-call", "my private words")
    del call["tracker"]["sender_id"]  # rasa_sdk fails on it (stock rasa_sdk echoes the call)
    response = httpx.post(f"{stack.actions_url}/webhook", json=call,
                          headers=stack.action_headers(), timeout=30)
    assert response.status_code == 500
    assert "my private words" not in response.text


def start_action_server(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rasa_addons.action_server", "--actions",
                             "actions", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_during_a_token_rotation_the_action_server_takes_the_new_and_the_previous_token(stack):
    new, old, port = "n" * 64, "o" * 64, free_port()
    server = start_action_server({**stack.env, ACTION_TOKEN_ENV: new,
                                  f"{ACTION_TOKEN_ENV}_PREVIOUS": old}, port)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        statuses = {token[0]: httpx.get(f"{url}/actions", headers={
            "Authorization": f"Bearer {token}"}).status_code for token in (new, old, "x" * 64)}
        assert statuses == {"n": 200, "o": 200, "x": 401}
    finally:
        server.terminate()
        server.wait(timeout=15)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (unencrypted, as docs/deploy.md advises)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "action server")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(
                "127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def wait_for_health(url: str, verify=True) -> None:
    for _ in range(240):
        try:
            if httpx.get(f"{url}/health", verify=verify).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} never became healthy")


async def test_over_tls_rasa_reaches_the_action_server_as_docs_deploy_describes(
        tmp_path, monkeypatch):
    """The several-hosts set-up on loopback: the action server with a certificate, Rasa's
    client configured from this repo's endpoints.yml plus `cafile`, the token in the header."""
    import ssl

    from rasa.core.utils import read_endpoints_from_path

    cert, key = self_signed_certificate(tmp_path)
    token, port = "t" * 64, free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "INTAKE_DB": str(tmp_path / "intake.db"), ACTION_TOKEN_ENV: token}
    server = subprocess.Popen([sys.executable, "-m", "rasa_addons.action_server", "--actions",
                               "actions", "--port", str(port), "--ssl-certificate", str(cert),
                               "--ssl-keyfile", str(key)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"https://127.0.0.1:{port}"
        wait_for_health(url, verify=ssl.create_default_context(cafile=str(cert)))
        monkeypatch.setenv("ACTION_ENDPOINT_URL", f"{url}/webhook")
        monkeypatch.setenv(ACTION_TOKEN_ENV, token)
        monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "tracker.db"))  # endpoints.yml needs it
        endpoint = read_endpoints_from_path(ROOT / "endpoints.yml").action
        endpoint.cafile = str(cert)  # `cafile:` under action_endpoint, for a private CA
        answer = await endpoint.request(json=action_call("over-tls", "I take warfarin"),
                                        method="post", timeout=60)
        slots = {e["name"]: e["value"] for e in answer["events"] if e["event"] == "slot"}
        assert slots["requested_slot"] == "name"
        untrusted = ssl.create_default_context()  # the public CAs do not vouch for it
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/health", verify=untrusted)
        with pytest.raises(httpx.HTTPError):  # no plain HTTP on the TLS port
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_the_action_server_will_not_start_without_its_token(stack):
    env = {k: v for k, v in stack.env.items() if k != ACTION_TOKEN_ENV}
    server = start_action_server(env, free_port())
    output, _ = server.communicate(timeout=120)
    assert server.returncode != 0
    assert "ACTION_SERVER_TOKEN must be set" in output


# --- Every intake flow still works; secrets are nowhere to be read --------------------------


def test_a_whole_intake_with_a_photo_goes_through_every_authenticated_hop(stack):
    chat = ChatClient(stack.web_url)
    for message in SCRIPT[:3]:
        assert chat.say(message)
    image = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 150, 120)).save(image, "JPEG")
    upload = chat.http.post("/api/chat/photos",
                            files={"photo": ("me.jpg", image.getvalue(), "image/jpeg")})
    assert upload.status_code == 200, upload.text
    for message in SCRIPT[3:]:
        assert chat.say(message)
    assert any("sent to the clinic" in m["text"] for m in chat.say("yes"))
    summary = staff_api(stack).get(f"/api/intakes/{chat.id}").json()
    assert summary["status"] == "completed"
    assert summary["photos"] == [upload.json()["photo"]["id"]]
    assert summary["patient_name"] == "Maria Lopez"


def test_no_secret_is_on_any_process_command_line(stack):
    secrets = stack.secret_values()
    for name, proc in stack.procs.items():
        for pid in [proc.pid] + _children(proc.pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            leaked = [var for var, value in secrets.items() if value in cmdline]
            assert not leaked, f"{name} (pid {pid}) has {leaked} on its command line"


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


def test_each_process_holds_only_the_secrets_of_its_own_hops(stack):
    """A process that is broken into gives away only what it needs: the action server cannot
    sign patient messages or call Rasa's API, and neither it nor Rasa can forge cookies."""
    held = {name: {var for var, value in stack.secret_values().items()
                   if value in environment_of(proc.pid).values()}
            for name, proc in stack.procs.items()}
    assert held == {
        "actions": {ACTION_TOKEN_ENV},
        "rasa": {CHANNEL_SECRET_ENV, ACTION_TOKEN_ENV, JWT_SECRET_ENV},
        "web": {CHANNEL_SECRET_ENV, "INTAKE_SECRET_KEY", "TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID"},
    }


def test_no_secret_appears_in_any_log_of_the_run(stack):
    """Runs last (conftest), over the logs of every server test of this run."""
    chat = ChatClient(stack.web_url)  # at least one intake, even when run alone
    for message in SCRIPT:
        chat.say(message)
    chat.say("yes")
    logs = {path.name: path.read_text(errors="replace") for path in stack.dir.glob("*.log")}
    assert {"actions.log", "rasa.log", "web.log"} <= set(logs)
    secrets = {**stack.secret_values(),
               **{f"Rasa API JWT #{n}": jwt for n, jwt in enumerate(stack.issued_jwts)}}
    found = [(var, log) for var, value in secrets.items() for log, text in logs.items()
             if value in text]
    assert found == []
