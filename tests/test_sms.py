"""The SMS channel as Twilio and a texting patient see it: signed webhooks only, STOP/START/HELP,
numbered buttons, short replies, a pseudonymous conversation id, MMS photos.

Requests are signed with twilio's own RequestValidator.compute_signature, so the tests check
the real algorithm. TestSmsOverRealServer runs a real uvicorn server on loopback.
"""
from __future__ import annotations

import asyncio
import io
import itertools
import logging
import socket
import threading
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from twilio.request_validator import RequestValidator

from bot.config import Settings
from bot.models import IntakeSummary
from bot.store import IntakeStore
from bot.web import photos, sms
from bot.web.rasa_client import FakeRasaClient
from bot.web.sms import (
    FakeMediaFetcher,
    SmsNotConfigured,
    create_sms_router,
    normalise_number,
    sms_conversation_id,
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


def sms_app(store, rasa, media=None, env=ENV, settings=CLINIC) -> FastAPI:
    """A web app with just the SMS router, as the lead mounts it."""
    app = FastAPI()
    app.include_router(create_sms_router(settings, store, rasa, media, env=env))
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


def test_restart_goes_to_rasa_as_it_is(phone, rasa):
    phone.text("restart")
    assert rasa.calls[0]["message"] == "restart"


@pytest.mark.parametrize("body", ["", "   ", "\x00\x07"])
def test_empty_text_gets_a_kind_reply_and_is_not_forwarded(phone, rasa, body):
    assert phone.text(body) == [sms.NO_TEXT_REPLY]
    assert rasa.calls == []


def test_very_long_text_asks_for_a_shorter_one(phone, rasa):
    assert phone.text("a" * 1601) == [sms.TOO_LONG_REPLY]
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
    assert phone.text("2") == [sms.RETRY_REPLY]
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


def test_mms_urls_are_recorded_on_the_intake(phone, rasa, store):
    store.save_summary(IntakeSummary(conversation_id=conversation(), channel="sms"))
    replies = phone.text("here you go", media=((MEDIA, "image/jpeg"),))
    assert replies[0] == "Thanks, I've got your photo (1 of 5)."
    assert store.get_summary(conversation()).photos == [MEDIA]
    assert rasa.calls[0]["message"] == "here you go"


def test_mms_before_the_intake_exists_is_kept_for_later(phone, rasa, store):
    assert phone.text("", media=((MEDIA, "image/png"), (MEDIA + "2", "image/jpeg"))) == [
        "Thanks, I've got your 2 photos (2 of 5)."
    ]
    assert rasa.calls == []  # a photo alone is not an answer for Rasa
    assert store.photo_refs(conversation()) == [MEDIA, MEDIA + "2"]


def test_mms_that_is_not_a_picture_is_declined(phone, store):
    assert phone.text("", media=((MEDIA, "text/vcard"),)) == [sms.NOT_A_PHOTO]
    assert store.photo_refs(conversation()) == []


def test_mms_past_the_photo_limit_is_declined(phone, store):
    store.add_photo_refs(conversation(), [f"ref{i}" for i in range(photos.MAX_PHOTOS)])
    assert phone.text("", media=((MEDIA, "image/jpeg"),)) == [photos.TOO_MANY]


def test_mms_photos_are_downloaded_cleaned_and_stored_with_a_fetcher(tmp_path, rasa):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, "JPEG")
    fetcher = FakeMediaFetcher({MEDIA: buffer.getvalue(), MEDIA + "x": b"not a photo"})
    store = IntakeStore(tmp_path / "intake.db")
    settings = CLINIC.model_copy(update={"db_path": tmp_path / "intake.db"})
    phone = Phone(TestClient(sms_app(store, rasa, fetcher, settings=settings)))
    replies = phone.text("", media=((MEDIA, "image/jpeg"), (MEDIA + "x", "image/jpeg")))
    assert replies == ["Thanks, I've got your photo (1 of 5).", photos.NOT_A_PHOTO]
    assert fetcher.fetched == [MEDIA, MEDIA + "x"]
    [photo_id] = store.photo_refs(conversation())
    row = store.get_photo(conversation(), photo_id)
    assert (photos.photos_root(tmp_path / "intake.db") / row["file"]).is_file()


def test_twilio_media_fetcher_only_talks_to_twilio():
    fetcher = sms.TwilioMediaFetcher("AC0", TOKEN, transport=httpx.MockTransport(
        lambda request: pytest.fail("no request may be made")))
    with pytest.raises(sms.MediaUnavailable):
        asyncio.run(fetcher.fetch("https://evil.example.com/x.jpg"))


def test_twilio_media_fetcher_sends_basic_auth_and_caps_the_size():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(200, content=b"x" * (photos.MAX_PHOTO_BYTES + 100))

    fetcher = sms.TwilioMediaFetcher("AC0", TOKEN, transport=httpx.MockTransport(handler))
    data = asyncio.run(fetcher.fetch(MEDIA))
    assert len(data) == photos.MAX_PHOTO_BYTES + 1
    assert seen[0].startswith("Basic ")


# --- splitting, directly ----------------------------------------------------------------------


def test_split_never_cuts_a_word():
    text = " ".join(["supercalifragilistic"] * 60)
    parts = split_message(text, limit=100)
    assert all(len(p) <= 100 for p in parts)
    assert " ".join(parts) == text


def test_split_prefers_line_breaks():
    text = "First line that is fairly long.\n" + "word " * 10
    assert split_message(text, limit=45)[0] == "First line that is fairly long."


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
