"""A whole intake by SMS: signed Twilio webhook requests to the real web app, Rasa and actions."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import httpx
import pytest
from twilio.request_validator import RequestValidator

from tests.sim.simulator import DEFAULTS, question_in

pytestmark = pytest.mark.servers
PHONE = "+15550104477"


def send_sms(stack, body: str, sign: bool = True, sid: list[int] = [0]) -> httpx.Response:  # noqa: B006
    sid[0] += 1
    params = {"From": PHONE, "To": "+15550009999", "Body": body, "NumMedia": "0",
              "MessageSid": f"SM{sid[0]:032d}"}
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


def test_a_whole_intake_by_sms_ends_in_a_flagged_summary(stack):
    answers = {**DEFAULTS, "pregnancy": "2", "breastfeeding": "y", "medications": "plavix",
               "contact": "this number"}
    replies = texts(send_sms(stack, "hi"))
    for _ in range(40):
        joined = " ".join(replies)
        if "sent to the clinic" in joined:
            break
        assert all(len(r) <= 330 for r in replies)
        question = question_in([re.sub(r"\s*Reply 1 for.*$", "", r, flags=re.S) for r in replies])
        assert question, replies
        if question == "pregnancy":
            assert "Reply 1 for Yes" in joined  # buttons become numbered options
        replies = texts(send_sms(stack, answers[question]))
    else:
        pytest.fail("the SMS intake did not finish")
    token = stack.staff_token()
    intakes = httpx.get(f"{stack.web_url}/api/intakes", headers={"Authorization": f"Bearer {token}"},
                        params={"status": "completed"}).json()["intakes"]
    sms = [s for s in intakes if s["channel"] == "sms"]
    assert len(sms) == 1
    assert PHONE not in sms[0]["conversation_id"]
    assert {f["code"] for f in sms[0]["flags"]} == {"breastfeeding", "anticoagulant"}
    assert sms[0]["recommendation"] == "defer"


def test_stop_opts_out_before_the_assistant_and_start_resumes(stack):
    assert "unsubscribed" in " ".join(texts(send_sms(stack, "Stop!"))).lower()
    assert texts(send_sms(stack, "hello?")) == []
    assert texts(send_sms(stack, "START"))
