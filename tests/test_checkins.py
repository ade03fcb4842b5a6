"""Two-week check-ins: scheduled when staff mark a treatment given, kept across a restart in
APScheduler's job store, sent at day 14 in office hours (fake clock: time-machine, no
sleeping), answered by SMS or on the check-in page, cancelled by STOP."""
from __future__ import annotations

import re
import threading
from datetime import date, datetime, timezone

import pytest
import time_machine
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from bot import cli
from bot.care_catalogue import load_care_catalogue, load_care_catalogues
from bot.care_scheduler import CareScheduler, scheduler_runs_jobs
from bot.care_store import CareStore
from bot.checkins import (CareService, OfficeHours, checkin_due_at, read_reply,
                          secret_hash)
from bot.config import Settings, database_url
from bot.models import IntakeSummary, Status
from bot.store import IntakeStore
from bot.sms_sender import FakeSmsSender
from bot.sms_text import Segments, sms_segments
from bot.web.app import create_app
from bot.web.rasa_client import FakeRasaClient
from tests.staff_samples import stores

UTC = timezone.utc
NY = OfficeHours.from_env({"CLINIC_TZ": "America/New_York"})
TREATED = date(2026, 11, 11)  # a Wednesday; day 14 is Wednesday November 25
PHONE = "+15550100123"
TOKEN = "test-twilio-auth-token"
PASSWORD = "correct horse battery"


# --- reading replies ------------------------------------------------------------------------------

@pytest.mark.parametrize("reply, answer, urgent", [
    ("1", "happy", False),
    ("Happy!", "happy", False),
    ("love it, thank you", "happy", False),
    ("not happy tbh", "other", False),
    ("2", "uneven", False),
    ("2 - left brow is higher", "uneven", False),
    ("it looks a bit lopsided", "uneven", False),
    ("3", "not_enough", False),
    ("I can still see my 11s", "not_enough", False),
    ("barely any difference", "not_enough", False),
    ("4", "side_effects", True),
    ("my left eyelid is drooping", "side_effects", True),
    ("1 but it's hard to swallow since tuesday", "side_effects", True),
    ("trouble breathing", "side_effects", True),
    ("seeing double", "side_effects", True),
    ("can we talk?", "other", False),
    # A side effect the patient says they do NOT have is not one (no 911 advice for "love it").
    ("no side effects, love it", "happy", False),
    ("happy, no bruising at all", "happy", False),
    ("all good, no headaches", "other", False),
    ("no bruising but one brow is higher", "uneven", False),
    ("without any bruising, still see my 11s", "not_enough", False),
    ("sin moretones, me encanta", "happy", False),
    ("no bruising, but a bad headache since friday", "side_effects", True),
    ("a bit of bruising by my eye", "side_effects", True),
    ("no headache but my eyelid droops", "side_effects", True),
])
def test_replies_are_read_as_patients_write_them(reply, answer, urgent):
    reading = read_reply(reply)
    assert (reading.answer, reading.urgent) == (answer, urgent)
    assert reading.touch_up is (answer != "happy")


# --- office hours ---------------------------------------------------------------------------------

@pytest.mark.parametrize("treated, due_utc", [
    (date(2026, 11, 11), "2026-11-25T14:00:00+00:00"),  # Wednesday: 09:00 New York (EST)
    (date(2026, 11, 14), "2026-11-30T14:00:00+00:00"),  # day 14 is a Saturday: Monday
    (date(2026, 6, 3), "2026-06-17T13:00:00+00:00"),  # summer time: 09:00 EDT
])
def test_a_checkin_is_due_on_day_14_at_opening_time_or_the_next_office_day(treated, due_utc):
    assert checkin_due_at(treated, NY).isoformat() == due_utc


def test_office_hours_and_days_are_configurable():
    hours = OfficeHours.from_env({"CLINIC_TZ": "Europe/London", "CLINIC_OFFICE_HOURS": "10:30-16:00",
                                  "CLINIC_OFFICE_DAYS": "tue-sat"})
    assert checkin_due_at(date(2026, 11, 9), hours).isoformat() == "2026-11-24T10:30:00+00:00"
    assert not hours.is_open(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))
    with pytest.raises(ValueError):
        OfficeHours.from_env({"CLINIC_OFFICE_HOURS": "5pm-9am"})


def test_the_database_url_comes_from_one_place():
    settings = Settings(db_path="/data/intake.db")
    assert database_url(settings, {}) == "sqlite:////data/intake.db"
    assert database_url(settings, {"INTAKE_DATABASE_URL": "postgresql://db/x"}) == \
        "postgresql://db/x"


@pytest.mark.parametrize("value, runs", [("", True), ("1", True), ("0", False), ("off", False)])
def test_intake_scheduler_0_opts_a_process_out_of_running_jobs(value, runs):
    assert scheduler_runs_jobs({"INTAKE_SCHEDULER": value} if value else {}) is runs


# --- the whole story, across a restart ------------------------------------------------------------

class Clinic:
    """The web app over one database (a SQLite file or PostgreSQL); `restart()` builds a new
    app and scheduler over the same database, as a redeploy does."""

    def __init__(self, tmp_path, monkeypatch, location) -> None:
        self.db_path = tmp_path / "intake.db"  # photos live beside it on both backends
        self.location = location
        self.env = {"INTAKE_DB": str(self.db_path)}
        if isinstance(location, str):  # PostgreSQL: what a deployment sets
            self.env["INTAKE_DATABASE_URL"] = location
            monkeypatch.setenv("INTAKE_DATABASE_URL", location)
        monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
        monkeypatch.setenv("INTAKE_RATE_LIMITS", "off")
        self.intakes, self.staff = stores(location)
        self.settings = Settings(secret_key="k", db_path=self.db_path, clinic_name="Brightside",
                                 clinic_phone="555-0199",
                                 database_url=self.env.get("INTAKE_DATABASE_URL"))
        self.client: TestClient | None = None
        self.start()

    def start(self) -> None:
        self.intakes = IntakeStore(self.location)  # nothing carried over but the database
        self.sender = FakeSmsSender()
        self.scheduler = CareScheduler(database_url(self.settings), step=True)
        self.care = CareService(CareStore(self.location), self.intakes,
                                load_care_catalogues({}), NY, sender=self.sender,
                                scheduler=self.scheduler, base_url="https://clinic.example",
                                clinic="Brightside", phone="555-0199")
        app = create_app(self.settings, self.intakes, FakeRasaClient(), care=self.care)
        self.client = TestClient(app, follow_redirects=False)
        self.client.__enter__()  # runs the lifespan: the scheduler starts

    def restart(self) -> None:
        self.client.__exit__(None, None, None)
        self.start()

    def stop(self) -> None:
        self.client.__exit__(None, None, None)

    def sign_in(self) -> str:
        """Sign the clinician in; their CSRF token."""
        login = self.client.get("/staff/login")
        if login.status_code == 303:  # still signed in
            return _csrf(self.client.get("/staff").text)
        token = _csrf(login.text)
        self.client.post("/staff/login", data={"username": "dr.lee", "password": PASSWORD,
                                               "csrf_token": token})
        return _csrf(self.client.get("/staff").text)

    def treatment_given(self, conversation_id: str, day: date = TREATED):
        token = self.sign_in()
        return self.client.post(f"/staff/intakes/{conversation_id}/treatment", data={
            "treated_on": day.isoformat(), "areas": ["frown_lines", "crows_feet"],
            "csrf_token": token})

    def text(self, body: str, number: str = PHONE) -> list[str]:
        fields = {"MessageSid": f"SM{abs(hash((body, datetime.now()))):032d}"[:34],
                  "From": number, "To": "+15550109999", "Body": body, "NumMedia": "0"}
        url = "http://testserver/sms/twilio"
        signature = RequestValidator(TOKEN).compute_signature(url, fields)
        response = self.client.post("/sms/twilio", data=fields,
                                    headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200, response.text
        return re.findall(r"<Message>(.*?)</Message>", response.text, re.S)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def clinic(tmp_path, monkeypatch, db_location):
    """The clinic on each backend (the care store sits wherever the intakes do)."""
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic = Clinic(tmp_path, monkeypatch, db_location)
        for cid, channel, name in (("conv-sms", "sms", "Ana Lopez"),
                                   ("conv-web", "web", "<b>Zoe</b> Kim")):
            clinic.intakes.save_summary(IntakeSummary(
                conversation_id=cid, channel=channel, status=Status.COMPLETED,
                patient_name=name))
        clinic.intakes.touch_sms_contact("conv-sms", PHONE)
    yield clinic
    clinic.stop()


def test_scheduled_checkin_survives_a_restart_and_is_texted_on_day_14_in_office_hours(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        response = clinic.treatment_given("conv-sms")
        assert response.status_code == 303
        assert response.headers["location"].endswith("?done=treatment")
        [row] = clinic.care.store.checkins_for("conv-sms")
        assert row["due_at"].startswith("2026-11-25T14:00:00")  # 09:00 in New York
        assert list(clinic.scheduler.due_times()) == [row["id"]]
    clinic.restart()  # a new app and scheduler over the same database
    assert clinic.sender.sent == []
    for moment in (at(2026, 11, 24, 15, 0), at(2026, 11, 25, 13, 59)):  # day 13; 08:59 day 14
        with time_machine.travel(moment, tick=False):
            clinic.scheduler.run_due()
    assert clinic.sender.sent == []
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
        sent_at = datetime.now(UTC)
    [(to, body)] = clinic.sender.sent
    assert to == PHONE and NY.is_open(sent_at)
    assert sms_segments(body) == Segments("GSM-7", 2)  # one text, two segments at most
    assert body.startswith("Hi Ana, it's Brightside: 2 weeks since your treatment.")
    assert "Reply 1 Happy, 2 Uneven, 3 Not enough, 4 Side effects" in body
    link = re.search(r"https://clinic\.example/checkin/(\S+)", body).group(1)
    assert clinic.care.store.checkin(row["id"])["status"] == "sent"
    assert clinic.care.store.checkin_by_secret(secret_hash(link))["id"] == row["id"]
    assert clinic.scheduler.due_times() == {}  # the job ran once and is gone

    # "uneven": a touch-up request in the staff queue, the patient thanked
    with time_machine.travel(at(2026, 11, 25, 15, 0), tick=False):
        reply = clinic.text("2, the left brow sits higher")
        assert "be in touch about a touch-up" in reply[0]
        clinic.sign_in()
        queue = clinic.client.get("/staff").text
    assert "Touch-up request" in queue and "Ana Lopez" in queue and "Uneven" in queue
    assert "the left brow sits higher" in queue
    assert clinic.care.store.checkin(row["id"])["answer"] == "uneven"


def test_a_checkin_missed_while_down_is_not_texted_at_night(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
    clinic.stop()
    with time_machine.travel(at(2026, 11, 26, 3, 0), tick=False):  # 22:00 in New York
        clinic.start()
        clinic.scheduler.run_due()  # the missed job runs at once...
    assert clinic.sender.sent == []  # ...and moves itself to the next opening
    [row] = clinic.care.store.checkins_for("conv-sms")
    assert row["due_at"].startswith("2026-11-26T14:00:00")
    with time_machine.travel(at(2026, 11, 26, 14, 0, 1), tick=False):
        clinic.scheduler.run_due()
    assert len(clinic.sender.sent) == 1


def test_stop_cancels_the_checkin(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
        assert "unsubscribed" in clinic.text("STOP")[0]
    [row] = clinic.care.store.checkins_for("conv-sms")
    assert row["status"] == "cancelled" and row["cancelled_by"] == "patient texted STOP"
    assert clinic.scheduler.due_times() == {}
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
    assert clinic.sender.sent == []


def test_an_sms_patient_who_opted_out_some_other_way_is_never_texted(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
    clinic.intakes.set_sms_opted_out("conv-sms", True)
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
    assert clinic.sender.sent == []
    assert clinic.care.store.checkins_for("conv-sms")[0]["status"] == "cancelled"


def test_a_web_patient_gets_a_link_and_side_effects_go_to_the_top_with_urgent_advice(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
        clinic.treatment_given("conv-web")
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
        assert clinic.text("2")  # the SMS patient: uneven
    assert len(clinic.sender.sent) == 1  # the web patient is not texted
    said = clinic.intakes.list_messages("conv-web")[-1]["text"]
    secret = re.search(r"/checkin/(\S+)", said).group(1)

    page = clinic.client.get(f"/checkin/{secret}")
    assert page.status_code == 200
    assert "Hi &lt;b&gt;Zoe&lt;/b&gt;, how does your result look" in page.text
    assert "Kim" not in page.text and "<b>Zoe" not in page.text  # first name only, escaped
    assert clinic.client.get(f"/checkin/{secret}x").status_code == 404

    answered = clinic.client.post(f"/checkin/{secret}", data={
        "answer": "happy", "details": "mostly fine but my eyelid droops a bit"})
    assert "call 911 now" in answered.text and "drooping eyelid" in answered.text
    again = clinic.client.post(f"/checkin/{secret}", data={"answer": "happy"})
    assert "we already have your answer" in again.text

    requests = clinic.care.store.open_requests()
    assert [r["conversation_id"] for r in requests] == ["conv-web", "conv-sms"]  # urgent first
    assert requests[0]["urgent"] and requests[0]["answer"] == "side_effects"
    with time_machine.travel(at(2026, 11, 25, 15, 0), tick=False):
        clinic.sign_in()
        queue = clinic.client.get("/staff").text
    assert queue.index("Side effects: urgent") < queue.index("Touch-up request")


def test_a_happy_answer_stays_out_of_the_queue(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
        assert "glad you're happy" in clinic.text("1")[0]
    assert clinic.care.store.open_requests() == []


def test_a_paused_process_writes_jobs_that_the_running_one_runs(clinic, tmp_path):
    """INTAKE_SCHEDULER=0: a web replica adds jobs to the shared store and never runs them."""
    paused = CareScheduler(database_url(clinic.settings), runs_jobs=False)
    replica = CareService(CareStore(clinic.location), clinic.intakes, load_care_catalogue(), NY,
                          sender=FakeSmsSender(), scheduler=paused)
    paused.start(replica)
    try:
        assert paused.scheduler.state == 2  # STATE_PAUSED: started, runs nothing
        with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
            row = replica.schedule("conv-sms", TREATED, ["masseter"], "dr.lee",
                                   patient_name="Ana", channel="sms")
    finally:
        paused.shutdown()
    clinic.restart()  # the one process that runs jobs
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
    assert len(clinic.sender.sent) == 1 and replica.sender.sent == []
    assert clinic.care.store.checkin(row["id"])["status"] == "sent"


def test_treatment_needs_a_clinician_csrf_a_sane_date_and_an_area(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        token = clinic.sign_in()
        post = clinic.client.post
        assert post("/staff/intakes/conv-sms/treatment", data={
            "treated_on": "2026-11-11", "areas": ["frown_lines"]}).status_code == 403
        assert post("/staff/intakes/conv-sms/treatment", data={
            "treated_on": "2026-11-12", "areas": ["frown_lines"],
            "csrf_token": token}).status_code == 422  # tomorrow
        assert post("/staff/intakes/conv-sms/treatment", data={
            "treated_on": "2026-11-11", "areas": ["<script>"], "csrf_token": token}
        ).status_code == 422
    assert clinic.care.store.checkins_for("conv-sms") == []


def test_the_cli_lists_and_cancels_checkins(clinic, capsys):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
    [row] = clinic.care.store.checkins_for("conv-sms")
    env = clinic.env
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        assert cli.main(["list-checkins", "--due"], env=env) == 0
    assert capsys.readouterr().out.split("\t")[:2] == [str(row["id"]), "scheduled"]
    assert cli.main(["cancel-checkin", str(row["id"]), "--by", "dr.lee"], env=env) == 0
    assert cli.main(["cancel-checkin", str(row["id"])], env=env) == 1
    assert clinic.care.store.checkin(row["id"])["status"] == "cancelled"
    clinic.restart()
    assert clinic.scheduler.due_times() == {}  # the job is gone from the shared store


def a_png() -> bytes:
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "tan").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_photo_sent_with_the_checkin_reaches_clinicians_only(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-web")
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
    secret = re.search(r"/checkin/(\S+)",
                       clinic.intakes.list_messages("conv-web")[-1]["text"]).group(1)
    answered = clinic.client.post(f"/checkin/{secret}", data={"answer": "not_enough"},
                                  files={"photo": ("me.png", a_png(), "image/png")})
    assert "be in touch about a touch-up" in answered.text
    [row] = clinic.care.store.checkins_for("conv-web")
    assert len(row["photos"]) == 1 and row["answer"] == "not_enough"
    with time_machine.travel(at(2026, 11, 25, 15, 0), tick=False):
        clinic.sign_in()
        page = clinic.client.get("/staff/intakes/conv-web").text
        assert "Check-in photo 1" in page and "Not enough" in page
        photo = clinic.client.get(f"/staff/checkins/{row['id']}/photos/1")
    assert photo.status_code == 200 and photo.headers["content-type"].startswith("image/")
    assert clinic.client.get(f"/checkin/{secret}").status_code == 200  # says it is answered


def test_a_cross_site_form_and_a_missing_answer_are_refused(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-web")
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
    secret = re.search(r"/checkin/(\S+)",
                       clinic.intakes.list_messages("conv-web")[-1]["text"]).group(1)
    assert clinic.client.post(f"/checkin/{secret}", data={"answer": "happy"},
                              headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert clinic.client.post(f"/checkin/{secret}", data={"answer": "meh"}).status_code == 422
    assert clinic.care.store.checkins_for("conv-web")[0]["status"] == "sent"


def test_staff_see_the_checklist_that_was_sent(clinic):
    clinic.care.store.record_checklist(
        "conv-sms", "sms", [{"code": "prescribed", "text": "Keep taking apixaban exactly as "
                             "prescribed."}], ["Before your consult:", "- Keep taking ..."])
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.sign_in()
        page = clinic.client.get("/staff/intakes/conv-sms").text
    assert "Pre-appointment checklist sent" in page and "by sms (2 texts)" in page
    assert "Keep taking apixaban exactly as prescribed." in page


def test_deleting_a_patient_removes_their_checkins_and_checklist(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
        clinic.care.store.record_checklist("conv-sms", "sms", [], [])
        token = clinic.sign_in()
        clinic.client.post("/staff/intakes/conv-sms/delete", data={"confirm": "DELETE",
                                                                   "csrf_token": token})
    assert clinic.care.store.checkins_for("conv-sms") == []
    assert clinic.care.store.checklist("conv-sms") is None
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()  # the orphaned job finds nothing to send
    assert clinic.sender.sent == []


def test_a_refused_text_is_tried_again_later(clinic):
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
    clinic.sender.fail = True
    with time_machine.travel(at(2026, 11, 25, 14, 0, 5), tick=False):
        clinic.scheduler.run_due()
    [row] = clinic.care.store.checkins_for("conv-sms")
    assert row["status"] == "scheduled" and row["due_at"].startswith("2026-11-25T15:00:05")
    clinic.sender.fail = False
    with time_machine.travel(at(2026, 11, 25, 15, 1), tick=False):
        clinic.scheduler.run_due()
    assert len(clinic.sender.sent) == 1


class SignalingSender(FakeSmsSender):
    """A fake sender that also tells a waiting test when a text went out."""

    def __init__(self) -> None:
        super().__init__()
        self.done = threading.Event()

    def send(self, to: str, body: str) -> None:
        super().send(to, body)
        self.done.set()


def test_the_production_scheduler_thread_sends_a_checkin_that_came_due_while_down(clinic):
    """The BackgroundScheduler the app runs (not the step scheduler): started after day 14, it
    sends the stored job by itself. The test waits on an event, never sleeps."""
    with time_machine.travel(at(2026, 11, 11, 16, 0), tick=False):
        clinic.treatment_given("conv-sms")
    clinic.stop()
    running = CareScheduler(database_url(clinic.settings))  # runs jobs, in its own thread
    sender = SignalingSender()
    care = CareService(CareStore(clinic.location), IntakeStore(clinic.location),
                       load_care_catalogue(), NY, sender=sender, scheduler=running)
    with time_machine.travel(at(2026, 11, 25, 15, 0), tick=False):
        running.start(care)
        try:
            assert sender.done.wait(timeout=20), "the scheduler thread sent nothing"
        finally:
            running.shutdown()
    assert [to for to, _ in sender.sent] == [PHONE]
    clinic.start()  # for the fixture's stop()
