"""The SMS channel as Twilio and a texting patient see it: signed webhooks only, STOP/START/HELP,
numbered buttons, short replies counted in real SMS segments, a pseudonymous conversation id
that moves to a new one after a sent intake, MMS photos.

Requests are signed with twilio's own RequestValidator.compute_signature, so the tests check
the real algorithm. TestSmsOverRealServer runs a real uvicorn server on loopback.
"""
from __future__ import annotations

import asyncio
import io
import itertools
import logging
import re
import socket
import threading
import time
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import uvicorn
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from twilio.request_validator import RequestValidator

from bot import photo_guide
from bot.config import Settings
from bot.models import Concern, IntakeSummary, Status
from bot.store import IntakeStore
from bot.summary import readback
from bot.web import photos, sms
from bot.web.rasa_client import FakeRasaClient
from bot.web.sms import (
    FakeMediaFetcher,
    SmsNotConfigured,
    create_sms_router,
    is_opt_out,
    normalise_number,
    sms_conversation_id,
    sms_segments,
    split_message,
)

TOKEN = "test-twilio-auth-token"
KEY = "test-secret"
PHONE = "+15550100123"
PHONE_DIGITS = "5550100123"
CLINIC = Settings(secret_key=KEY, clinic_name="Brightside & Co", clinic_phone="(555) 010-0199")
ENV = {"TWILIO_AUTH_TOKEN": TOKEN}
URL = "http://testserver/sms/twilio"
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"},
          {"title": "Not sure", "payload": "/unsure"}]
_sids = itertools.count(1)


# --- helpers ----------------------------------------------------------------------------------


def sms_app(store, rasa, media=None, env=ENV, settings=CLINIC, clock=None) -> FastAPI:
    """A web app with just the SMS router, as the lead mounts it."""
    app = FastAPI()
    app.include_router(create_sms_router(settings, store, rasa, media, env=env, clock=clock))
    return app


def form(body: str, sender: str = PHONE, media: tuple[tuple[str, str], ...] = ()) -> dict:
    """The fields Twilio posts for one incoming message."""
    fields = {
        "MessageSid": f"SM{next(_sids):032d}", "AccountSid": "AC" + "0" * 32, "From": sender,
        "To": "+15550109999", "Body": body, "NumMedia": str(len(media)),
    }
    for i, (url, kind) in enumerate(media):
        fields[f"MediaUrl{i}"], fields[f"MediaContentType{i}"] = url, kind
    return fields


def signed(fields: dict, url: str = URL, token: str = TOKEN) -> dict[str, str]:
    """Headers with Twilio's signature of url and fields."""
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, fields)}


def messages(response: httpx.Response) -> list[str]:
    """The <Message> texts of a TwiML answer."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    return [m.text or "" for m in root.findall("Message")]


class Phone:
    """A patient's phone texting one app through Twilio (signed requests)."""

    def __init__(self, client, url: str = URL, number: str = PHONE) -> None:
        self.client, self.url, self.number = client, url, number

    def text(self, body: str, media: tuple[tuple[str, str], ...] = ()) -> list[str]:
        fields = form(body, self.number, media)
        return messages(self.client.post(self.url, data=fields, headers=signed(fields, self.url)))


@pytest.fixture
def client(store, rasa) -> TestClient:
    return TestClient(sms_app(store, rasa))


@pytest.fixture
def phone(client) -> Phone:
    return Phone(client)


def conversation() -> str:
    return sms_conversation_id(PHONE, KEY.encode())


# --- signatures -------------------------------------------------------------------------------


def test_signed_message_is_answered_with_twiml_and_forwarded(phone, rasa):
    rasa.replies = [[{"text": "Hi! What's your first name?"}]]
    assert phone.text("hello") == ["Hi! What's your first name?"]
    assert rasa.calls == [{"sender": conversation(), "message": "hello",
                           "metadata": {"channel": "sms"}}]


@pytest.mark.parametrize("headers", [{}, {"X-Twilio-Signature": ""},
                                     signed(form("x"), token="someone-elses-token")])
def test_unsigned_or_wrongly_signed_requests_are_refused_and_nothing_stored(
    client, rasa, store, headers
):
    response = client.post(URL, data=form("hello"), headers=headers)
    assert response.status_code == 403
    assert rasa.calls == []
    assert store.sms_contact(conversation()) is None
    assert store.list_messages(conversation()) == []


def test_tampered_body_is_refused(client, rasa, store):
    fields = form("hello")
    headers = signed(fields)
    response = client.post(URL, data={**fields, "Body": "STOP"}, headers=headers)
    assert response.status_code == 403
    assert rasa.calls == [] and store.sms_contact(conversation()) is None


def test_signature_for_another_url_is_refused(client, rasa):
    fields = form("hello")
    response = client.post(URL, data=fields, headers=signed(fields, URL + "?x=1"))
    assert response.status_code == 403 and rasa.calls == []


def test_without_an_auth_token_everything_is_refused(store, rasa):
    client = TestClient(sms_app(store, rasa, env={}))
    fields = form("hello")
    response = client.post(URL, data=fields, headers=signed(fields, token=""))
    assert response.status_code == 503
    assert rasa.calls == [] and store.sms_contact(conversation()) is None


def test_auth_token_without_a_secret_key_refuses_to_start(store, rasa):
    with pytest.raises(SmsNotConfigured, match="INTAKE_SECRET_KEY"):
        create_sms_router(Settings(secret_key=""), store, rasa, env=ENV)


def test_secret_key_is_not_needed_while_sms_is_off(store, rasa):
    """The web app must still start without SMS configured (and without a key)."""
    create_sms_router(Settings(secret_key=""), store, rasa, env={})


def test_a_repeated_message_sid_is_answered_once(client, rasa):
    fields = form("hello")
    first = client.post(URL, data=fields, headers=signed(fields))
    again = client.post(URL, data=fields, headers=signed(fields))
    assert messages(first) == ["ok"] and messages(again) == []
    assert len(rasa.calls) == 1


# --- the public URL behind a proxy ------------------------------------------------------------


def test_public_base_url_is_the_url_that_is_signed(store, rasa):
    env = {**ENV, "PUBLIC_BASE_URL": "https://clinic.example.com/"}
    client = TestClient(sms_app(store, rasa, env=env))
    assert Phone(client, "https://clinic.example.com/sms/twilio").text("hi") == ["ok"]
    fields = form("hi")
    assert client.post(URL, data=fields, headers=signed(fields)).status_code == 403


@pytest.mark.parametrize("trust, status", [("1", 200), ("", 403)])
def test_forwarded_headers_count_only_when_trusted(store, rasa, trust, status):
    client = TestClient(sms_app(store, rasa, env={**ENV, "TRUST_FORWARDED": trust}))
    public = "https://clinic.example.com/sms/twilio"
    fields = form("hi")
    headers = {**signed(fields, public), "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "clinic.example.com"}
    assert client.post(URL, data=fields, headers=headers).status_code == status


# --- STOP, START, HELP ------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop. ", "stop!", "STOPALL", "Unsubscribe",
                                  "cancel", "END", "quit", "Revoke", "optout", "\nSTOP\n"])
def test_stop_opts_out_before_rasa_then_silence(phone, rasa, store, word):
    assert phone.text(word) == ["You're unsubscribed from Brightside & Co messages. "
                                "Reply START to resume."]
    assert phone.text("hello?") == []
    assert phone.text("1") == []
    assert rasa.calls == []
    assert store.sms_contact(conversation())["opted_out"] is True


@pytest.mark.parametrize("word", ["START", "unstop", "Yes"])
def test_start_resumes_and_the_intake_is_kept(phone, rasa, store, word):
    store.save_summary(IntakeSummary(conversation_id=conversation(), channel="sms",
                                     patient_name="Dana"))
    phone.text("STOP")
    [confirmation] = phone.text(word)
    assert "subscribed to Brightside & Co messages again" in confirmation
    assert rasa.calls == []
    assert phone.text("where was I?") == ["ok"]
    assert rasa.calls[0]["message"] == "where was I?"
    assert store.get_summary(conversation()).patient_name == "Dana"


def test_yes_is_an_ordinary_answer_when_not_opted_out(phone, rasa):
    phone.text("yes")
    assert rasa.calls[0]["message"] == "yes"


def test_stop_inside_a_sentence_is_an_ordinary_answer(phone, rasa):
    phone.text("I had to stop warfarin last week")
    assert rasa.calls[0]["message"] == "I had to stop warfarin last week"


@pytest.mark.parametrize("word", ["HELP", "help", "Info?"])
def test_help_names_the_clinic_and_a_person_to_call(phone, rasa, word):
    [reply] = phone.text(word)
    assert "Brightside & Co" in reply and "(555) 010-0199" in reply
    assert rasa.calls == []


# --- buttons, splitting, odd messages ---------------------------------------------------------


def test_buttons_become_numbered_options(phone, rasa):
    rasa.replies = [[{"text": "Are you pregnant?", "buttons": YES_NO}]]
    assert phone.text("hi") == ["Are you pregnant?\nReply 1 for Yes, 2 for No, 3 for Not sure."]


@pytest.mark.parametrize("reply, sent", [("1", "/affirm"), ("2.", "/deny"), (" 3 ", "/unsure"),
                                         ("4", "4"), ("12", "12"), ("2 kids", "2 kids")])
def test_a_number_picks_the_offered_button(phone, rasa, store, reply, sent):
    rasa.replies = [[{"text": "Are you pregnant?", "buttons": YES_NO}]]
    phone.text("hi")
    phone.text(reply)
    assert rasa.calls[-1]["message"] == sent


def test_numbers_refer_to_the_latest_buttons_only(phone, rasa):
    rasa.replies = [[{"text": "Pregnant?", "buttons": YES_NO}], [{"text": "How old are you?"}]]
    phone.text("hi")
    phone.text("2")
    phone.text("1")
    assert [c["message"] for c in rasa.calls] == ["hi", "/deny", "1"]


def test_buttons_are_remembered_across_a_restart(tmp_path, rasa):
    rasa.replies = [[{"text": "Pregnant?", "buttons": YES_NO}]]
    Phone(TestClient(sms_app(IntakeStore(tmp_path / "a.db"), rasa))).text("hi")
    Phone(TestClient(sms_app(IntakeStore(tmp_path / "a.db"), rasa))).text("3")
    assert rasa.calls[-1]["message"] == "/unsure"


def test_help_in_between_keeps_the_buttons(phone, rasa):
    rasa.replies = [[{"text": "Pregnant?", "buttons": YES_NO}]]
    phone.text("hi")
    phone.text("help")
    phone.text("2")
    assert rasa.calls[-1]["message"] == "/deny"


def test_long_replies_are_split_into_short_messages_at_sentences(phone, rasa):
    sentence = "Botulinum toxin relaxes the muscles that cause expression lines. "
    long_text = (sentence * 12).strip()
    rasa.replies = [[{"text": long_text}, {"text": "Shall we start?"}]]
    replies = phone.text("tell me more")
    assert len(replies) >= 4
    assert all(len(r) <= 320 for r in replies)
    assert all(r.endswith(".") for r in replies[:-2])  # cut after a sentence, not mid-way
    assert " ".join(replies[:-1]).split() == long_text.split()  # no word was cut
    assert replies[-1] == "Shall we start?"


def test_bot_text_is_xml_escaped(client, rasa):
    rasa.replies = [[{"text": "Tom & Jerry <script>alert(1)</script> ]]>"}]]
    fields = form("hi")
    response = client.post(URL, data=fields, headers=signed(fields))
    assert "<script>" not in response.text
    assert messages(response) == ["Tom & Jerry <script>alert(1)</script> ]]>"]


@pytest.mark.parametrize("body", ["", "   ", "\x00\x07"])
def test_empty_text_gets_a_kind_reply_and_is_not_forwarded(phone, rasa, body):
    assert phone.text(body) == [sms.sms_text("no_text")]
    assert rasa.calls == []


def test_very_long_text_asks_for_a_shorter_one(phone, rasa):
    assert phone.text("a" * 1601) == [sms.sms_text("too_long")]
    assert rasa.calls == []
    phone.text("a" * 1600)
    assert len(rasa.calls) == 1


def test_rasa_down_gets_an_apology(store):
    phone = Phone(TestClient(sms_app(store, FakeRasaClient(down=True))))
    assert phone.text("hello") == [
        "Sorry, I'm having a moment. Please try again in a minute; your earlier answers are saved."
    ]


def test_no_reply_from_rasa_asks_to_send_again_and_keeps_the_buttons(phone, rasa):
    rasa.replies = [[{"text": "Pregnant?", "buttons": YES_NO}], []]
    phone.text("hi")
    assert phone.text("2") == [sms.sms_text("retry")]
    phone.text("2")
    assert [c["message"] for c in rasa.calls] == ["hi", "/deny", "/deny"]


def test_transcript_shows_the_button_title_the_patient_picked(phone, rasa, store):
    rasa.replies = [[{"text": "Pregnant?", "buttons": YES_NO}]]
    phone.text("hi")
    phone.text("2")
    shown = [(m["role"], m["text"]) for m in store.list_messages(conversation())]
    assert shown == [("patient", "hi"), ("bot", "Pregnant?"), ("patient", "No"), ("bot", "ok")]


# --- the phone number stays private -----------------------------------------------------------


def test_the_number_is_in_no_id_no_rasa_call_and_no_log(phone, rasa, store, caplog):
    caplog.set_level(logging.DEBUG)
    for body in ("hello", "STOP", "START", "help", ""):
        phone.text(body)
    fields = form("forged")
    TestClient(phone.client.app).post(URL, data=fields, headers={"X-Twilio-Signature": "bad"})
    sent = repr(rasa.calls)
    assert rasa.calls and rasa.calls[0]["sender"] == conversation()
    for leak in (PHONE, PHONE_DIGITS, PHONE_DIGITS[-7:]):
        assert leak not in conversation() and leak not in sent and leak not in caplog.text
    assert store.sms_contact(conversation())["phone"] == PHONE  # kept for staff, in one place


def test_the_id_is_stable_across_routers_with_the_same_key(tmp_path):
    ids = []
    for _ in range(2):  # two processes (a restart), same key
        rasa = FakeRasaClient()
        Phone(TestClient(sms_app(IntakeStore(tmp_path / "b.db"), rasa))).text("hi")
        ids.append(rasa.calls[0]["sender"])
    rasa = FakeRasaClient()
    other_key = Settings(secret_key="another-key")
    Phone(TestClient(sms_app(IntakeStore(None), rasa, settings=other_key))).text("hi")
    assert ids[0] == ids[1] == conversation() != rasa.calls[0]["sender"]


@pytest.mark.parametrize("written", ["+15550100123", "+1 (555) 010-0123", " +1.555.010.0123 ",
                                     "0015550100123"])
def test_ways_of_writing_a_number_give_one_id(written):
    assert normalise_number(written) == PHONE
    assert sms_conversation_id(written, b"k") == sms_conversation_id(PHONE, b"k")


def test_ids_are_usable_as_photo_folder_names():
    photos.conversation_folder(photos.Path("/tmp"), conversation())  # raises if not


# --- MMS --------------------------------------------------------------------------------------


MEDIA = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1"
CDN = "https://mms.twiliocdn.com/AC0/0a1b2c?Expires=1700000000&Signature=x"


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def mms(tmp_path, rasa):
    """A phone texting an app that can fetch MMS media (a fake fetcher serving MEDIA)."""
    fetcher = FakeMediaFetcher({MEDIA: jpeg_bytes(), MEDIA + "x": b"not a photo"})
    store = IntakeStore(tmp_path / "intake.db")
    settings = CLINIC.model_copy(update={"db_path": tmp_path / "intake.db"})
    phone = Phone(TestClient(sms_app(store, rasa, fetcher, settings=settings)))
    return phone, store, fetcher, photos.photos_root(tmp_path / "intake.db")


def transcript(store, conversation_id: str) -> list[tuple[str, str]]:
    return [(m["role"], m["text"]) for m in store.list_messages(conversation_id)]


def test_mms_photos_are_downloaded_cleaned_and_stored_with_a_fetcher(mms, rasa):
    phone, store, fetcher, root = mms
    replies = phone.text("", media=((MEDIA, "image/jpeg"), (MEDIA + "x", "image/jpeg")))
    assert replies[0].startswith("Thanks, I've got your photo: Face at rest.")
    assert replies[1:] == [photos.refusal(photos.NOT_A_PHOTO)]
    assert fetcher.fetched == [MEDIA, MEDIA + "x"]
    [photo_id] = store.photo_refs(conversation())
    row = store.get_photo(conversation(), photo_id)
    assert (root / row["file"]).is_file()
    assert rasa.calls == []  # a photo alone is not an answer for Rasa


def test_mms_photo_lands_on_the_intake_and_the_text_is_answered(mms, rasa):
    phone, store, _, _ = mms
    store.save_summary(IntakeSummary(conversation_id=conversation(), channel="sms"))
    replies = phone.text("here you go", media=((MEDIA, "image/jpeg"),))
    # With text the intake's next question follows, not another photo request.
    assert replies == ["Thanks, I've got your photo: Face at rest.", "ok"]
    assert store.get_summary(conversation()).photos == store.photo_refs(conversation())
    assert len(store.photo_refs(conversation())) == 1
    assert rasa.calls[0]["message"] == "here you go"


# --- the guided set by MMS: one pose per photo, the next pose asked for ------------------------


def poses_of(store) -> list[str | None]:
    found = store.photo_poses(conversation())
    return [found[ref] for ref in store.photo_refs(conversation())]


def test_each_mms_photo_is_labelled_with_the_pose_asked_for_and_the_next_one_is_asked(mms, rasa):
    phone, store, _, _ = mms
    store.save_summary(IntakeSummary(conversation_id=conversation(), channel="sms"))
    first = phone.text("", media=((MEDIA, "image/jpeg"),))
    assert first[0].startswith("Thanks, I've got your photo: Face at rest. Next photo (2 of 5): Frowning")
    assert "SKIP" in first[0] and "DONE" in first[0]
    second = phone.text("", media=((MEDIA, "image/jpeg"),))
    assert second[0].startswith("Thanks, I've got your photo: Frowning. Next photo (3 of 5)")
    assert poses_of(store) == ["rest", "frown"]
    assert store.get_summary(conversation()).photo_poses == dict(
        zip(store.photo_refs(conversation()), ["rest", "frown"]))
    assert rasa.calls == []


def test_skip_after_a_pose_was_asked_moves_to_the_next_pose_not_to_the_intake(mms, rasa):
    phone, store, _, _ = mms
    phone.text("", media=((MEDIA, "image/jpeg"),))  # rest; frowning asked next
    skipped = phone.text("skip this one")
    assert skipped[0].startswith("OK, skipped. Next photo (3 of 5): Raising your eyebrows")
    assert rasa.calls == []  # "skip" answered the photo guide, not the intake's question
    phone.text("", media=((MEDIA, "image/jpeg"),))
    assert poses_of(store) == ["rest", "brows"]  # the skipped pose stays missing


def test_done_ends_the_photos_and_the_next_photo_fills_the_first_missing_pose(mms, rasa):
    phone, store, _, _ = mms
    phone.text("", media=((MEDIA, "image/jpeg"),))
    assert phone.text("DONE") == [photo_guide.SMS_STOPPED]
    assert rasa.calls == []
    assert phone.text("skip") == ["ok"]  # nothing asked now: an ordinary text for the intake
    assert rasa.calls[-1]["message"] == "skip"
    phone.text("", media=((MEDIA, "image/jpeg"),))
    assert poses_of(store) == ["rest", "frown"]


def test_an_answer_after_a_pose_was_asked_still_reaches_the_intake(mms, rasa):
    phone, store, _, _ = mms
    phone.text("", media=((MEDIA, "image/jpeg"),))
    assert phone.text("no i dont take anything") == ["ok"]
    assert rasa.calls[-1]["message"] == "no i dont take anything"
    assert store.sms_contact(conversation())["pose_asked"] is None


def test_after_the_last_pose_the_patient_is_thanked_and_nothing_more_is_asked(mms, rasa):
    phone, store, _, _ = mms
    for _ in range(4):
        reply = phone.text("", media=((MEDIA, "image/jpeg"),))
    assert "5 of 5" in reply[0] and "If you like" in reply[0]
    last = phone.text("", media=((MEDIA, "image/jpeg"),))
    assert last == [f"Thanks, I've got your photo: A photo you like. {photo_guide.SMS_FINISHED}"]
    assert poses_of(store) == ["rest", "frown", "brows", "smile", "favourite"]
    assert store.sms_contact(conversation())["pose_asked"] is None


def test_a_failed_media_fetch_asks_to_bring_the_photos_and_the_transcript_says_so(mms, rasa):
    phone, store, _, _ = mms
    replies = phone.text("my forehead", media=((MEDIA + "-expired", "image/jpeg"),))
    assert replies == [sms.sms_text("photo_bring_instead"), "ok"]
    assert "again" not in replies[0] and "consult" in replies[0]
    assert store.photo_refs(conversation()) == []
    assert transcript(store, conversation())[:2] == [("patient", sms.PHOTO_NOT_RECEIVED),
                                                     ("bot", sms.sms_text("photo_bring_instead"))]
    assert rasa.calls[0]["message"] == "my forehead"


def test_without_a_media_fetcher_photos_are_declined_not_pretended(phone, rasa, store):
    store.save_summary(IntakeSummary(conversation_id=conversation(), channel="sms"))
    assert phone.text("", media=((MEDIA, "image/jpeg"),)) == [sms.sms_text("photo_bring_instead")]
    assert store.get_summary(conversation()).photos == []
    assert store.photo_refs(conversation()) == []
    assert ("patient", sms.PHOTO_NOT_RECEIVED) in transcript(store, conversation())


def test_mms_past_the_photo_limit_is_declined(mms):
    phone, store, fetcher, _ = mms
    store.add_photo_refs(conversation(), [f"ref{i}" for i in range(photos.MAX_PHOTOS)])
    assert phone.text("", media=((MEDIA, "image/jpeg"),)) == [photos.refusal(photos.TOO_MANY)]
    assert fetcher.fetched == []


def media_env(**extra: str) -> dict[str, str]:
    return {"TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_ACCOUNT_SID": "AC0", **extra}


def test_a_media_fetcher_needs_the_account_sid_as_well_as_the_token(caplog):
    assert sms.media_fetcher_from_env({}) is None
    assert sms.media_fetcher_from_env({"TWILIO_AUTH_TOKEN": TOKEN}) is None
    assert "TWILIO_ACCOUNT_SID" in caplog.text
    assert isinstance(sms.media_fetcher_from_env(media_env()), sms.TwilioMediaFetcher)


def fetch(fetcher: sms.TwilioMediaFetcher, url: str) -> bytes:
    return asyncio.run(fetcher.fetch(url))


def test_twilio_media_fetcher_only_talks_to_twilio():
    fetcher = sms.TwilioMediaFetcher("AC0", TOKEN, transport=httpx.MockTransport(
        lambda request: pytest.fail("no request may be made")))
    for url in ("https://evil.example.com/x.jpg", "http://api.twilio.com/2010-04-01/x",
                "https://api.twilio.com.evil.example/x", "https://mms.twiliocdn.com/x"):
        with pytest.raises(sms.MediaUnavailable):
            fetch(fetcher, url)


def test_twilio_media_fetcher_sends_basic_auth_and_caps_the_size():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(200, content=b"x" * (photos.MAX_PHOTO_BYTES + 100))

    fetcher = sms.TwilioMediaFetcher("AC0", TOKEN, transport=httpx.MockTransport(handler))
    data = fetch(fetcher, MEDIA)
    assert len(data) == photos.MAX_PHOTO_BYTES + 1
    assert seen == [httpx.BasicAuth("AC0", TOKEN)._auth_header]


def test_twilio_media_redirect_to_its_cdn_is_followed_without_the_credentials():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("authorization")))
        if request.url.host == "api.twilio.com":
            return httpx.Response(307, headers={"location": CDN})
        return httpx.Response(200, content=b"the photo")

    fetcher = sms.TwilioMediaFetcher("AC0", TOKEN, transport=httpx.MockTransport(handler))
    assert fetch(fetcher, MEDIA) == b"the photo"
    assert seen[0][0] == "api.twilio.com" and seen[0][1].startswith("Basic ")
    assert seen[1] == ("mms.twiliocdn.com", None)


@pytest.mark.parametrize("location", ["https://evil.example.com/steal", "http://mms.twiliocdn.com/x",
                                      "https://mms.twiliocdn.com.evil.example/x"])
def test_twilio_media_redirect_off_its_hosts_is_not_followed(location):
    hosts = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(302, headers={"location": location})

    fetcher = sms.TwilioMediaFetcher("AC0", TOKEN, transport=httpx.MockTransport(handler))
    with pytest.raises(sms.MediaUnavailable):
        fetch(fetcher, MEDIA)
    assert hosts == ["api.twilio.com"]


def test_a_redirect_loop_ends():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": MEDIA})

    fetcher = sms.TwilioMediaFetcher("AC0", TOKEN, transport=httpx.MockTransport(handler))
    with pytest.raises(sms.MediaUnavailable, match="redirects"):
        fetch(fetcher, MEDIA)


def test_a_local_media_stand_in_may_use_http_on_loopback_only():
    hosts = sms.MediaHosts.from_env({"TWILIO_MEDIA_HOSTS": "http://127.0.0.1:8123"})
    assert hosts.is_source("http://127.0.0.1:8123/media/1")
    assert not hosts.allows("https://api.twilio.com/x")  # the stand-in replaces Twilio
    assert not hosts.allows("http://127.0.0.1:9999/media/1")
    for entry in ("http://media.example.com", "http://10.0.0.5:8123"):
        with pytest.raises(SmsNotConfigured, match="TWILIO_MEDIA_HOSTS"):
            sms.MediaHosts.from_env({"TWILIO_MEDIA_HOSTS": entry})


# --- a new intake after a sent one ------------------------------------------------------------


SENT_AT = datetime(2025, 3, 1, 14, 0, tzinfo=timezone.utc)


def sent_intake(conversation_id: str) -> IntakeSummary:
    return IntakeSummary(conversation_id=conversation_id, channel="sms", status=Status.COMPLETED,
                         started_at=SENT_AT - timedelta(minutes=6), updated_at=SENT_AT,
                         completed_at=SENT_AT, patient_name="Dana", contact=PHONE, age=41,
                         concerns=[Concern(area="frown_lines", text="my 11s", shows="both")])


class Clock:
    """A settable clock for the SMS channel."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(SENT_AT + timedelta(hours=1))


@pytest.fixture
def sent(store, rasa, clock) -> Phone:
    """A phone whose first intake was sent an hour ago."""
    phone = Phone(TestClient(sms_app(store, rasa, clock=clock)))
    phone.text("hi")
    store.save_summary(sent_intake(conversation()))
    return phone


@pytest.mark.parametrize("word", ["restart", "Start over", "start again!", "new intake"])
def test_restart_after_a_sent_intake_starts_a_new_conversation_and_keeps_the_sent_one(
    sent, rasa, store, word
):
    before = store.get_summary(conversation())
    replies = sent.text(word)
    new_id = rasa.calls[-1]["sender"]
    assert new_id != conversation() and new_id.startswith("sms-")
    assert PHONE_DIGITS not in new_id and PHONE_DIGITS[-7:] not in new_id
    assert rasa.calls[-1]["message"] == word
    assert replies == [sms.sms_text("new_intake"), "ok"]
    assert store.get_summary(conversation()) == before  # the clinic's copy, untouched
    assert store.get_summary(conversation()).status == Status.COMPLETED
    # The contract the actions rely on: every conversation of the number knows the number.
    assert store.sms_contact(new_id)["phone"] == store.sms_contact(conversation())["phone"] == PHONE
    sent.text("Sam")
    assert rasa.calls[-1]["sender"] == new_id  # and the number stays in the new one
    assert ("patient", "Sam") in transcript(store, new_id)
    assert ("patient", "Sam") not in transcript(store, conversation())


def test_numbered_buttons_of_the_sent_intake_do_not_carry_over(store, rasa, clock):
    rasa.replies = [[{"text": "Send it?", "buttons": YES_NO}]]
    phone = Phone(TestClient(sms_app(store, rasa, clock=clock)))
    phone.text("hi")
    store.save_summary(sent_intake(conversation()))
    phone.text("restart")
    phone.text("1")
    assert rasa.calls[-1]["message"] == "1"


def test_restart_while_the_intake_is_in_progress_stays_in_the_conversation(phone, rasa, store):
    store.save_summary(IntakeSummary(conversation_id=conversation(), channel="sms"))
    assert phone.text("restart") == ["ok"]
    assert rasa.calls[-1] == {"sender": conversation(), "message": "restart",
                              "metadata": {"channel": "sms"}}


def test_a_correction_soon_after_sending_reaches_the_sent_intake(sent, rasa, clock):
    clock.now = SENT_AT + timedelta(days=3)
    assert sent.text("actually I think I might be pregnant") == ["ok"]
    assert rasa.calls[-1]["sender"] == conversation()


def test_a_text_long_after_a_sent_intake_starts_a_new_one(sent, rasa, store, clock):
    clock.now = SENT_AT + sms.NEW_INTAKE_AFTER + timedelta(minutes=1)
    assert sent.text("hi, booking again")[0] == sms.sms_text("new_intake")
    assert rasa.calls[-1]["sender"] != conversation()
    assert store.get_summary(conversation()) == sent_intake(conversation())


def test_the_new_conversation_is_remembered_across_a_process_restart(tmp_path, clock):
    store, rasa = IntakeStore(tmp_path / "a.db"), FakeRasaClient()
    Phone(TestClient(sms_app(store, rasa, clock=clock))).text("hi")
    store.save_summary(sent_intake(conversation()))
    Phone(TestClient(sms_app(store, rasa, clock=clock))).text("restart")
    new_id = rasa.calls[-1]["sender"]
    Phone(TestClient(sms_app(IntakeStore(tmp_path / "a.db"), rasa, clock=clock))).text("Sam")
    assert rasa.calls[-1]["sender"] == new_id


def test_a_second_restart_after_the_second_intake_is_sent_starts_a_third(sent, rasa, store):
    sent.text("restart")
    second = rasa.calls[-1]["sender"]
    store.save_summary(sent_intake(second))
    sent.text("restart")
    third = rasa.calls[-1]["sender"]
    assert len({conversation(), second, third}) == 3
    assert store.get_summary(second) == sent_intake(second)


def test_stop_holds_for_every_conversation_of_the_number(sent, rasa, store):
    sent.text("restart")
    new_id = rasa.calls[-1]["sender"]
    calls = len(rasa.calls)
    assert "unsubscribed" in sent.text("stop texting me")[0]
    assert sent.text("hello?") == [] and sent.text("restart") == []
    assert len(rasa.calls) == calls
    assert store.sms_contact(conversation())["opted_out"] is True
    assert store.sms_contact(new_id)["opted_out"] is True
    assert "again" in sent.text("START")[0]
    assert sent.text("back") == ["ok"] and rasa.calls[-1]["sender"] == new_id


def test_an_opt_out_outlives_deleting_the_patient_s_conversations(tmp_path, rasa, clock):
    from bot.staff_store import StaffStore, delete_patient_data

    store = IntakeStore(tmp_path / "i.db")
    phone = Phone(TestClient(sms_app(store, rasa, clock=clock)))
    phone.text("hi")
    store.save_summary(sent_intake(conversation()))
    phone.text("restart")
    new_id = rasa.calls[-1]["sender"]
    phone.text("unsubscribe")
    for conversation_id in (conversation(), new_id):
        delete_patient_data(store, StaffStore(store.path), conversation_id, None, None, actor="dr")
    calls = len(rasa.calls)
    assert phone.text("hello again") == []
    assert len(rasa.calls) == calls
    assert phone.text("HELP")  # still answered


# --- opt-out phrasings ------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "STOP", "stop", "Stop!", "stop texting me", "Stop texting me.", "STOP TEXTING ME PLEASE",
    "please stop", "Please stop!", "stop it", "stop messaging me", "stop sending me messages",
    "no more texts", "stop the texts please", "unsubscribe", "Unsubscribe me",
    "unsubscribe me please", "unsubscribe me from this list", "opt out", "Opt-out", "opt me out",
    "remove me", "Remove me from your list", "take me off this list", "don't text me again",
    "Don’t text me", "do not message me", "i want to unsubscribe",
    "I'd like to stop receiving these texts", "please stop texting me, thanks", "leave me alone",
    "quit", "cancel", "end",
])
def test_opt_out_phrasings_opt_out(text):
    assert is_opt_out(text)


@pytest.mark.parametrize("text", [
    "I stopped taking aspirin", "stop sign", "I had to stop warfarin last week", "stopped",
    "I stopped botox two years ago", "non-stop", "I quit smoking", "please stop the frown lines",
    "remove my frown lines", "no more than 2 glasses of wine", "no", "it ended last month",
    "I take something to stop migraines", "can I stop at any time?", "don't know",
    "the lines never stop", "stop? what do you mean", "end of the month", "help", "yes",
])
def test_answers_that_merely_contain_stop_are_answers(text):
    assert not is_opt_out(text)


def test_an_opt_out_phrase_opts_out_before_rasa(phone, rasa, store):
    assert phone.text("Please stop texting me") == [
        "You're unsubscribed from Brightside & Co messages. Reply START to resume."]
    assert phone.text("I stopped taking aspirin") == []
    assert rasa.calls == []


def test_help_is_answered_while_opted_out(phone, rasa, store):
    phone.text("STOP")
    [reply] = phone.text("HELP")
    assert "Brightside & Co" in reply and "(555) 010-0199" in reply and "START" in reply
    assert phone.text("hello") == []
    assert rasa.calls == []
    assert store.sms_contact(conversation())["opted_out"] is True  # HELP does not opt back in


# --- SMS segments -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, encoding, count", [
    ("", "GSM-7", 0),
    ("a" * 160, "GSM-7", 1),
    ("a" * 161, "GSM-7", 2),
    ("a" * 306, "GSM-7", 2),
    ("a" * 307, "GSM-7", 3),
    ("€" * 80, "GSM-7", 1),  # extension characters take two septets
    ("€" + "a" * 159, "GSM-7", 2),
    ("a" * 152 + "€" + "a" * 152, "GSM-7", 3),  # 306 septets, but the € may not straddle parts
    ("Zoé Müller, Muñoz, Ørsted, Åsa, Ça va", "GSM-7", 1),  # accents GSM-7 has
    ("Zoé " * 40, "GSM-7", 1),
    ("ç", "UCS-2", 1),  # lower-case c-cedilla is not in GSM-7
    ("It’s", "UCS-2", 1),  # a curly apostrophe, before gsm_friendly
    ("a" * 69 + "😀", "UCS-2", 2),  # one emoji: UCS-2, and it takes two units
    ("ê" * 70, "UCS-2", 1),
    ("ê" * 71, "UCS-2", 2),
    ("ê" * 134, "UCS-2", 2),
    ("ê" * 135, "UCS-2", 3),
    ("a" * 66 + "😀" + "a" * 66, "UCS-2", 3),  # 134 units, but the emoji may not be cut
])
def test_segments_are_counted_as_carriers_count_them(text, encoding, count):
    assert sms_segments(text) == sms.Segments(encoding, count)


def test_typographic_characters_become_gsm7():
    friendly = sms.gsm_friendly("It’s “fine” – really… see you")
    assert friendly == 'It\'s "fine" - really... see you'
    assert sms_segments(friendly).encoding == "GSM-7"


def test_bot_replies_with_curly_quotes_go_out_as_gsm7(phone, rasa):
    rasa.replies = [[{"text": "Thanks! That’s everything – we’ll be in touch…"}]]
    [reply] = phone.text("hi")
    assert reply == "Thanks! That's everything - we'll be in touch..."
    assert sms_segments(reply) == sms.Segments("GSM-7", 1)


def confirm_text(name: str) -> tuple[str, list[dict]]:
    """The read-back question Rasa sends (the domain's own template) for an intake named name."""
    domain = yaml.safe_load((Path(__file__).resolve().parents[1] / "domain.yml").read_text())
    variant = next(v for v in domain["responses"]["utter_ask_confirm"] if "condition" not in v)
    summary = IntakeSummary(conversation_id="c", channel="sms", patient_name=name, age=34,
                            contact=PHONE, concerns=[Concern(area="frown_lines", text="my 11s",
                                                             shows="both")])
    return variant["text"].format(readback=readback(summary, date(2025, 3, 1))), variant["buttons"]


def test_the_read_back_of_an_accented_name_goes_as_gsm7_in_few_segments():
    text, buttons = confirm_text("Zoé Müller")
    texts, _ = sms.as_sms([{"text": text, "buttons": buttons}])
    counts = [sms_segments(t) for t in texts]
    assert {c.encoding for c in counts} == {"GSM-7"}
    assert all(c.count <= sms.MAX_SEGMENTS for c in counts)
    # Each cut between texts costs at most one partly filled segment.
    whole = sms_segments("\n".join(texts)).count
    assert sum(c.count for c in counts) <= whole + len(texts) - 1
    assert "Zoé Müller" in texts[0]


def test_a_name_outside_gsm7_makes_only_its_own_text_ucs2():
    text, buttons = confirm_text("Zoë")  # ë is not in GSM-7
    texts, _ = sms.as_sms([{"text": text, "buttons": buttons}])
    encodings = [sms_segments(t).encoding for t in texts]
    assert encodings[0] == "UCS-2" and "Zoë" in texts[0]
    assert set(encodings[1:]) == {"GSM-7"}
    assert all(sms_segments(t).count <= sms.MAX_SEGMENTS for t in texts)


# --- the README ------------------------------------------------------------------------------


def test_every_variable_the_sms_channel_reads_is_in_the_readme_sms_section():
    names = set(re.findall(r'env\.get\("([A-Z_]+)"', Path(sms.__file__).read_text()))
    assert {"TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID", "PUBLIC_BASE_URL"} <= names
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## SMS (Twilio)\n", 1)[1].split("\n## ", 1)[0]
    assert {name for name in names if f"`{name}`" not in section} == set()


# --- splitting, directly ----------------------------------------------------------------------


def test_split_never_cuts_a_word():
    text = " ".join(["supercalifragilistic"] * 60)
    parts = split_message(text, max_segments=1)
    assert all(sms_segments(p).count == 1 for p in parts)
    assert " ".join(parts) == text


def test_split_prefers_line_breaks():
    first = "A first line that is long enough to be a good place to end the first text message."
    text = first + "\n" + "word " * 40
    assert split_message(text, max_segments=1)[0] == first


def test_split_counts_ucs2_parts_in_utf16_units():
    text = " ".join(["café😀"] * 60)  # 6 units a word plus a space
    parts = split_message(text)
    assert all(sms_segments(p) == sms.Segments("UCS-2", 2) for p in parts[:-1])
    assert " ".join(parts) == text


def test_short_text_is_one_message():
    assert split_message("Hi there.") == ["Hi there."]


# --- a real server on loopback ----------------------------------------------------------------


PUBLIC = "https://clinic.example.com"


class TestSmsOverRealServer:
    """The webhook served by uvicorn on 127.0.0.1, behind an imagined proxy (PUBLIC_BASE_URL)."""

    @pytest.fixture(scope="class")
    def server(self, tmp_path_factory):
        store = IntakeStore(tmp_path_factory.mktemp("sms") / "intake.db")
        rasa = FakeRasaClient()
        env = {**ENV, "PUBLIC_BASE_URL": PUBLIC}
        app = sms_app(store, rasa, env=env)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        # ws="none" as in production (`uvicorn --ws none`): no websockets library needed.
        config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            yield {"http": http, "store": store, "rasa": rasa}
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

    @staticmethod
    def post(server, fields: dict, headers: dict) -> httpx.Response:
        return server["http"].post("/sms/twilio", data=fields, headers=headers)

    def text(self, server, body: str, number: str) -> list[str]:
        fields = form(body, number)
        return messages(self.post(server, fields, signed(fields, PUBLIC + "/sms/twilio")))

    def test_unsigned_wrong_and_tampered_requests_are_refused(self, server):
        calls = len(server["rasa"].calls)
        fields = form("hello", "+15550100901")
        good = signed(fields, PUBLIC + "/sms/twilio")
        assert self.post(server, fields, {}).status_code == 403
        assert self.post(server, fields, signed(fields, PUBLIC + "/sms/twilio", "wrong")
                         ).status_code == 403
        assert self.post(server, {**fields, "Body": "hell0"}, good).status_code == 403
        # Signed for the address the app listens on, not the public one Twilio calls: refused.
        local = str(server["http"].base_url).rstrip("/") + "/sms/twilio"
        assert self.post(server, fields, signed(fields, local)).status_code == 403
        assert len(server["rasa"].calls) == calls
        unknown = sms_conversation_id("+15550100901", KEY.encode())
        assert server["store"].sms_contact(unknown) is None

    def test_signed_request_gets_twiml(self, server):
        server["rasa"].replies.append([{"text": "Hello & welcome"}])
        assert self.text(server, "hi", "+15550100902") == ["Hello & welcome"]
        assert server["rasa"].calls[-1]["metadata"] == {"channel": "sms"}

    def test_stop_then_silence_then_start(self, server):
        number = "+15550100903"
        calls = len(server["rasa"].calls)
        [confirmation] = self.text(server, "Stop", number)
        assert confirmation.startswith("You're unsubscribed")
        assert self.text(server, "anyone there?", number) == []
        assert len(server["rasa"].calls) == calls
        assert "again" in self.text(server, "START", number)[0]
        assert self.text(server, "back", number) == ["ok"]
        assert server["rasa"].calls[-1]["message"] == "back"

    def test_numbered_reply_and_short_messages(self, server):
        number = "+15550100904"
        server["rasa"].replies += [[{"text": "Word " * 150 + "end.", "buttons": YES_NO}]]
        replies = self.text(server, "hi", number)
        assert len(replies) > 1 and all(len(r) <= 320 for r in replies)
        assert replies[-1].endswith("Reply 1 for Yes, 2 for No, 3 for Not sure.")
        self.text(server, "2", number)
        assert server["rasa"].calls[-1]["message"] == "/deny"
        assert "5550100904" not in repr(server["rasa"].calls)


# --- a patient whose intake is in Spanish: the channel's own texts in Spanish too -------------


def spanish_intake(store) -> None:
    """The conversation's intake is held in Spanish (the assistant saved it so)."""
    store.save_summary(IntakeSummary(conversation_id=conversation(), channel="sms",
                                     conversation_language="es"))


def test_a_spanish_intake_numbers_its_buttons_in_spanish(phone, rasa, store):
    spanish_intake(store)
    rasa.replies = [[{"text": "¿Está embarazada?", "buttons": [
        {"title": "Sí", "payload": "sí"}, {"title": "No", "payload": "no"}]}]]
    assert phone.text("hola") == ["¿Está embarazada?\nResponda 1 para Sí, 2 para No."]
    phone.text("2")
    assert rasa.calls[-1]["message"] == "no"


def test_the_message_that_chooses_spanish_gets_spanish_options(phone, rasa, store):
    class ChoosesSpanish(FakeRasaClient):
        async def send(self, sender, message, metadata=None):
            spanish_intake(store)  # what the assistant's action does on "Español"
            return [{"text": "Claro, seguimos en español.", "buttons": [
                {"title": "Sí", "payload": "sí"}]}]

    spanish_phone = Phone(TestClient(sms_app(store, ChoosesSpanish())))
    assert spanish_phone.text("Español") == ["Claro, seguimos en español.\nResponda 1 para Sí."]


def test_a_spanish_intakes_own_replies_are_in_spanish(phone, rasa, store):
    spanish_intake(store)
    assert phone.text("   ") == [sms.sms_text("no_text", "es")]
    assert phone.text("a" * 1601) == [sms.sms_text("too_long", "es")]
    assert "texto" in sms.sms_text("no_text", "es")
    rasa.down = True
    assert phone.text("mi frente") == split_message(sms.sms_text("rasa_down", "es"))
    assert sms.sms_text("rasa_down", "es").startswith("Disculpe")


def test_a_spanish_patient_is_guided_through_the_poses_in_spanish_with_saltar_and_listo(mms, rasa):
    phone, store, _, _ = mms
    spanish_intake(store)
    first = phone.text("", media=((MEDIA, "image/jpeg"),))
    assert " ".join(first).startswith("Gracias, recibí su foto: Cara en reposo. Siguiente foto "
                                      "(2 de 5): Frunciendo el ceño")
    assert "SALTAR" in first[-1] and "LISTO" in first[-1]
    assert all(sms_segments(part).count <= sms.MAX_SEGMENTS for part in first)  # UCS-2: parts
    skipped = phone.text("saltar")
    assert skipped[0].startswith("Está bien, la saltamos. Siguiente foto (3 de 5): Levantando las cejas")
    assert rasa.calls == []  # SALTAR answered the photo guide, not the intake's question
    assert phone.text("listo") == split_message(photo_guide.sms_text("sms_stopped", "es"))
    assert rasa.calls == []
    assert poses_of(store) == ["rest"]
    refused = phone.text("", media=((MEDIA + "x", "image/jpeg"),))
    assert refused == [photos.refusal(photos.NOT_A_PHOTO, "es")] and "foto" in refused[0]


def test_ya_is_not_done_in_an_english_intake(mms, rasa):
    phone, store, _, _ = mms
    phone.text("", media=((MEDIA, "image/jpeg"),))  # frowning asked next
    assert phone.text("ya") == ["ok"]  # English SMS "ya" (yeah) goes to the intake
    assert rasa.calls[-1]["message"] == "ya"


def test_a_spanish_intake_sent_long_ago_starts_a_new_one_with_a_spanish_note(tmp_path, rasa):
    store = IntakeStore(tmp_path / "intake.db")
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    store.save_summary(IntakeSummary(conversation_id=conversation(), channel="sms",
                                     conversation_language="es", status=Status.COMPLETED,
                                     completed_at=now - timedelta(days=40)))
    phone = Phone(TestClient(sms_app(store, rasa, clock=lambda: now)))
    assert phone.text("hola otra vez") == [sms.sms_text("new_intake", "es"), "ok"]
    assert sms.sms_text("new_intake", "es").startswith("Su cuestionario anterior")


@pytest.mark.parametrize("word", ["ALTO", "parar", "Baja.", "cancelar", "ya no me manden mensajes",
                                  "dejen de escribirme por favor", "quiero darme de baja"])
def test_a_spanish_stop_opts_out_and_is_answered_in_spanish(phone, rasa, store, word):
    assert phone.text(word) == ["Ya no recibirá mensajes de Brightside & Co. "
                                "Responda COMENZAR para volver a recibirlos."]
    assert phone.text("hola?") == []
    assert rasa.calls == []
    assert store.sms_contact(conversation())["opted_out"] is True
    [confirmation] = phone.text("COMENZAR")
    assert confirmation.startswith("Vuelve a recibir mensajes de Brightside & Co")
    assert store.sms_contact(conversation())["opted_out"] is False


def test_english_stop_and_help_in_a_spanish_intake_are_answered_in_spanish(phone, rasa, store):
    spanish_intake(store)
    [help_reply] = phone.text("HELP")
    assert "Para hablar con una persona, llame al (555) 010-0199" in help_reply
    assert phone.text("STOP") == ["Ya no recibirá mensajes de Brightside & Co. "
                                  "Responda COMENZAR para volver a recibirlos."]
    [help_reply] = phone.text("ayuda")
    assert help_reply.startswith("Brightside & Co: se dio de baja")
    assert rasa.calls == []


@pytest.mark.parametrize("text", ["no me manden fotos, las llevo", "alto riesgo? no creo",
                                  "dejé de tomar aspirina"])
def test_spanish_words_for_stop_inside_an_answer_are_an_answer(phone, rasa, store, text):
    phone.text(text)
    assert rasa.calls[0]["message"] == text
    assert store.sms_contact(conversation())["opted_out"] is False
