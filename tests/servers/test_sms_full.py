"""Whole intakes by SMS: signed Twilio webhook requests to the real web app, Rasa and actions.

Signatures are computed with twilio's own RequestValidator, as Twilio computes them for the
public URL (PUBLIC_BASE_URL). For MMS, a local HTTP server on 127.0.0.1 stands in for Twilio's
media hosts (the stack's TWILIO_MEDIA_HOSTS) and, like Twilio, requires HTTP basic auth.
"""
from __future__ import annotations

import base64
import io
import re
import secrets
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import yaml
from PIL import Image
from twilio.request_validator import RequestValidator

from bot.web.sms import MAX_SEGMENTS, sms_segments
from tests.sim.simulator import DEFAULTS, SENT, SPANISH_PATIENTS, question_in

pytestmark = pytest.mark.servers
PHONE = "+15550104477"


def send_sms(stack, body: str, sign: bool = True, phone: str = PHONE,
             media: tuple[str, ...] = ()) -> httpx.Response:
    """Post one text (with any media URLs) to the web app as Twilio would."""
    params = {"From": phone, "To": "+15550009999", "Body": body, "NumMedia": str(len(media)),
              "MessageSid": f"SM{secrets.token_hex(16)}"}  # unique, as Twilio's are
    for i, url in enumerate(media):
        params[f"MediaUrl{i}"], params[f"MediaContentType{i}"] = url, "image/jpeg"
    url = stack.env["PUBLIC_BASE_URL"] + "/sms/twilio"
    headers = {}
    if sign:
        headers["X-Twilio-Signature"] = RequestValidator(
            stack.env["TWILIO_AUTH_TOKEN"]).compute_signature(url, params)
    return httpx.post(f"{stack.web_url}/sms/twilio", data=params, headers=headers, timeout=60)


def texts(response: httpx.Response) -> list[str]:
    return [m.text or "" for m in ET.fromstring(response.text).iter("Message")]


def test_an_unsigned_request_is_refused_and_nothing_is_processed(stack):
    assert send_sms(stack, "hi", sign=False).status_code == 403


OPTIONS = re.compile(r"\s*(Reply 1 for|Responda 1 para).*$", re.S)


def finish_intake(stack, phone: str, answers: dict[str, str], first: str = "hi",
                  options: str = "Reply 1 for Yes") -> list[str]:
    """Answer every question the bot asks by SMS until the intake is sent; the last replies."""
    replies = texts(send_sms(stack, first, phone=phone))
    for _ in range(40):
        joined = " ".join(replies)
        assert all(sms_segments(r).count <= MAX_SEGMENTS for r in replies), replies
        if any(r.startswith(SENT) for r in replies):
            return replies
        question = question_in([OPTIONS.sub("", r) for r in replies])
        assert question, replies
        assert question != "contact", "an SMS patient is never asked for the number they text from"
        if question == "pregnancy":
            assert options in joined  # buttons become numbered options, in the patient's language
        replies = texts(send_sms(stack, answers[question], phone=phone))
    pytest.fail("the SMS intake did not finish")


@pytest.fixture(scope="module")
def staff(stack):
    """GET a staff API path with a staff token made by the project's CLI."""
    token = stack.staff_token()

    def get(path: str, **params) -> httpx.Response:
        return httpx.get(f"{stack.web_url}{path}", headers={"Authorization": f"Bearer {token}"},
                         params=params, timeout=30)

    return get


def sms_intakes(staff) -> dict[str, dict]:
    """Every SMS intake the staff API lists, by conversation id."""
    intakes = staff("/api/intakes", limit=1000).json()["intakes"]
    return {s["conversation_id"]: s for s in intakes if s["channel"] == "sms"}


def test_a_whole_intake_by_sms_ends_in_a_flagged_summary(stack, staff):
    answers = {**DEFAULTS, "pregnancy": "2", "breastfeeding": "y", "medications": "plavix"}
    before = sms_intakes(staff)
    finish_intake(stack, PHONE, answers)
    [summary] = [s for cid, s in sms_intakes(staff).items() if cid not in before]
    assert summary["status"] == "completed"
    assert PHONE not in summary["conversation_id"]
    assert summary["contact"] == PHONE  # the number reaches staff without being asked for
    assert {f["code"] for f in summary["flags"]} == {"breastfeeding", "anticoagulant"}
    assert summary["recommendation"] == "defer"


def test_stop_opts_out_before_the_assistant_and_start_resumes(stack):
    assert "unsubscribed" in " ".join(texts(send_sms(stack, "Stop!"))).lower()
    assert texts(send_sms(stack, "hello?")) == []
    assert texts(send_sms(stack, "START"))


def test_restart_after_a_sent_sms_intake_leaves_the_clinic_s_copy_unchanged(stack, staff):
    phone = "+15550104478"
    before = sms_intakes(staff)
    finish_intake(stack, phone, {**DEFAULTS, "name": "Zoé", "medications": "eliquis"})
    [sent_id] = [cid for cid in sms_intakes(staff) if cid not in before]
    sent = staff(f"/api/intakes/{sent_id}").json()
    assert sent["status"] == "completed" and sent["patient_name"] == "Zoé"

    replies = texts(send_sms(stack, "restart", phone=phone))
    assert question_in(replies) == "name", replies  # a new intake, from its first question
    texts(send_sms(stack, "Sam", phone=phone))

    assert staff(f"/api/intakes/{sent_id}").json() == sent  # not a byte changed
    [new] = [s for cid, s in sms_intakes(staff).items() if cid not in before and cid != sent_id]
    assert new["status"] == "in_progress" and new["patient_name"] == "Sam"
    assert new["contact"] == phone  # the new conversation knows the number too
    assert phone not in new["conversation_id"] and phone[1:] not in new["conversation_id"]


# --- MMS through a stand-in for Twilio's media hosts ---------------------------------------------


CAMERA = "StandInCam 3000"


def jpeg_with_exif() -> bytes:
    """A real JPEG carrying EXIF (camera make, model, date and owner) as phones send them."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0132], exif[0x013B] = (
        CAMERA, "Model 7", "2025:03:01 14:08:00", "Jane Doe")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "peachpuff").save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert b"Exif" in data and CAMERA.encode() in data
    return data


@pytest.fixture(scope="module")
def media_host(stack):
    """An HTTP server on the stack's media port that serves one photo to Twilio's credentials."""
    photo = jpeg_with_exif()
    credentials = f"{stack.env['TWILIO_ACCOUNT_SID']}:{stack.env['TWILIO_AUTH_TOKEN']}"
    expected = "Basic " + base64.b64encode(credentials.encode()).decode()
    seen: list[tuple[str, bool]] = []

    class Media(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            authorised = self.headers.get("Authorization") == expected
            seen.append((self.path, authorised))
            status, body = (200, photo) if authorised and self.path.endswith("/ME1") else (
                (401, b"") if not authorised else (404, b""))
            self.send_response(status)
            self.send_header("Content-Type", "image/jpeg" if status == 200 else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", stack.media_port), Media)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{stack.media_port}/2010-04-01/Accounts/AC0/Messages/MM1/Media"
    yield {"base": base, "seen": seen}
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_mms_photos_follow_the_guided_poses_and_staff_see_them_labelled(stack, staff, media_host):
    phone = "+15550104479"
    before = sms_intakes(staff)
    texts(send_sms(stack, "hi", phone=phone))
    photo_url = media_host["base"] + "/ME1"
    replies = texts(send_sms(stack, "", phone=phone, media=(photo_url,)))
    assert len(replies) == 1 and replies[0].startswith(
        "Thanks, I've got your photo: Face at rest. Next photo (2 of 5): Frowning")
    assert media_host["seen"] == [("/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1", True)]
    [skipped] = texts(send_sms(stack, "skip", phone=phone))
    assert skipped.startswith("OK, skipped. Next photo (3 of 5): Raising your eyebrows")
    [second] = texts(send_sms(stack, "", phone=phone, media=(photo_url,)))
    assert second.startswith("Thanks, I've got your photo: Eyebrows raised. Next photo (4 of 5)")
    assert all(sms_segments(r).count <= MAX_SEGMENTS for r in (replies[0], skipped, second))

    [conversation_id] = [cid for cid in sms_intakes(staff) if cid not in before]
    intake = staff(f"/api/intakes/{conversation_id}").json()
    first_id, second_id = intake["photos"]
    assert intake["photo_poses"] == {first_id: "rest", second_id: "brows"}
    response = staff(f"/api/intakes/{conversation_id}/photos/{first_id}")
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (64, 48)
    assert not image.getexif() and b"Exif" not in response.content
    assert CAMERA.encode() not in response.content and b"Jane Doe" not in response.content
    # ...and the clinician sees them by pose on the intake page, served cleaned there too.
    clinician = stack.staff_browser("mms.clinician")
    page = clinician.get(f"/staff/intakes/{conversation_id}").text
    shown_poses = re.findall(r'<figure class="pose[^"]*" data-pose="(\w+)"', page)
    assert shown_poses == ["rest", "frown", "brows", "smile"]
    assert "Frowning: <strong>missing</strong>" in page and "Smiling (crow" in page
    assert "Poses missing: Frowning, Smiling (crow&#39;s feet)." in page
    links = re.findall(r'href="(/staff/intakes/[^"]+/photos/\d+)"', page)
    assert len(links) == 2
    shown = clinician.get(links[0])
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(shown.content)).size == (64, 48) and b"Exif" not in shown.content


def test_a_photo_the_provider_refuses_asks_the_patient_to_bring_it(stack, media_host):
    phone = "+15550104480"
    texts(send_sms(stack, "hi", phone=phone))
    replies = texts(send_sms(stack, "", phone=phone, media=(media_host["base"] + "/ME404",)))
    assert len(replies) == 1 and "bring" in replies[0] and "consult" in replies[0]


def test_a_spanish_patient_texts_the_whole_intake_photos_included_in_spanish(stack, staff,
                                                                             media_host):
    phone = "+15550104481"
    before = sms_intakes(staff)
    opening = texts(send_sms(stack, "hola, quiero botox para las patas de gallo", phone=phone))
    assert opening[0].startswith("¡Hola!"), opening
    photo_url = media_host["base"] + "/ME1"
    photo_texts = texts(send_sms(stack, "", phone=phone, media=(photo_url,)))
    thanks = " ".join(photo_texts)  # a long Spanish text comes in parts (UCS-2 segments)
    assert thanks.startswith("Gracias, recibí su foto: Cara en reposo. Siguiente foto (2 de 5): "
                             "Frunciendo el ceño")
    assert "SALTAR" in thanks and "LISTO" in thanks, thanks
    skipped = texts(send_sms(stack, "saltar", phone=phone))
    assert skipped[0].startswith("Está bien, la saltamos. Siguiente foto (3 de 5)"), skipped
    stopped = texts(send_sms(stack, "listo", phone=phone))
    assert stopped[0].startswith("Está bien, no más fotos por ahora"), stopped
    assert all(sms_segments(r).count <= MAX_SEGMENTS for r in (*opening, *photo_texts, *skipped)), [(r, sms_segments(r).count) for r in (*opening, *photo_texts, *skipped)]

    defaults = yaml.safe_load(SPANISH_PATIENTS.read_text(encoding="utf-8"))["defaults"]
    answers = {**defaults, "breastfeeding": "1", "medications": "tomo eliquis diario"}
    last = finish_intake(stack, phone, answers, first=defaults["name"],
                         options="Responda 1 para Sí, 2 para No")
    assert any(r.startswith(SENT) for r in last)
    [conversation_id] = [cid for cid in sms_intakes(staff) if cid not in before]
    intake = staff(f"/api/intakes/{conversation_id}").json()
    assert intake["conversation_language"] == "es" and intake["status"] == "completed"
    assert {f["code"] for f in intake["flags"]} == {"breastfeeding", "anticoagulant"}
    assert intake["recommendation"] == "defer"
    assert "eliquis" in " ".join(f["evidence"] for f in intake["flags"]).lower()  # their words
    assert list(intake["photo_poses"].values()) == ["rest"]  # labelled for staff, in English
