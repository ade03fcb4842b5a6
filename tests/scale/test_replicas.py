"""Two of everything on PostgreSQL and Redis; 50 typing patients; one Rasa server dies.

Each patient's messages go to either web app at random; the web apps spread conversations over
both Rasa servers. Once a third of all messages are sent, one Rasa server is killed (SIGKILL).
Then every intake must still complete, each stored summary must hold exactly the answers the
patient gave (tests/servers/test_every_answer_kept.py's checks), and Rasa's tracker must hold
each patient's messages once each, in the order they were sent.

`make test-scale` runs it (scripts/test_scale.sh); it is left out of the default run.
"""
from __future__ import annotations

import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bot import db as backend
from bot.care_store import CareStore
from bot.web.app import reply_text
from tests.databases import services
from tests.replicas import LOCK_LIFETIME, ReplicaStack
from tests.servers.test_every_answer_kept import CHOICES, CORRECTIONS, Plan, _check_summary

pytestmark = pytest.mark.scale
PATIENTS = 50
KILL_AFTER_SHARE = 1 / 3  # of all messages the run is expected to send
TURNS_PER_INTAKE = 17  # about (docs/understanding.md: median 17 turns)


@pytest.fixture(scope="module")
def replicas():
    urls = services()
    stack = ReplicaStack(urls["database_url"], urls["redis_url"])
    try:
        stack.ready_seconds = stack.start_all()
        yield stack
    finally:
        stack.stop_all()


def make_plan(rng: random.Random) -> Plan:
    """A web patient with one answer per question, a correction at the read-back one time in 4."""
    answers = {question: rng.choice(options) for question, options in CHOICES.items()}
    correction = rng.choice(CORRECTIONS) if rng.random() < 0.25 else None
    return Plan(channel="web", answers=answers, correction=correction)


class Patient:
    """One patient typing: each message to either web app, a short pause to read each reply."""

    def __init__(self, stack: ReplicaStack, plan: Plan, rng: random.Random, sent_total) -> None:
        self.stack, self.plan, self.rng, self.sent_total = stack, plan, rng, sent_total
        self.http = httpx.Client(timeout=120)  # one cookie jar: the same browser throughout
        self.sent: list[str] = []
        self.seconds: list[float] = []  # each reply's wait
        self.apologies: list[tuple[float, str]] = []  # (when the message was sent, reply)
        # per message sent: False when the only answer was "please send it again" (not handled)
        self.handled: list[bool] = []
        created = self.http.post(f"{rng.choice(stack.web_urls)}/api/conversations")
        created.raise_for_status()
        self.id = created.json()["conversation_id"]

    def say(self, text: str) -> list[dict]:
        # Reading the question and typing, 6-16 s (people on phones take longer): once one Rasa
        # server is gone, the other answers all 50 alone on two shared cores, and faster
        # patients queue replies past the web app's 30 s wait (seen at 4-10 s under load).
        time.sleep(self.rng.uniform(6.0, 16.0))
        began = time.monotonic()
        response = self.http.post(f"{self.rng.choice(self.stack.web_urls)}/webhooks/rest/webhook",
                                  json={"sender": self.id, "message": text})
        self.seconds.append(time.monotonic() - began)
        response.raise_for_status()
        self.sent.append(text)
        self.sent_total()
        replies = response.json()
        sorry = [(began, r["text"]) for r in replies
                 if r.get("text") in (reply_text("rasa_down"), reply_text("retry"))]
        self.apologies += sorry
        self.handled.append(not sorry)
        return replies

    def asked_now(self) -> str | None:
        """The question the form waits on: the latest requested_slot in the tracker store
        (read from PostgreSQL, so the test adds no load to the Rasa servers)."""
        with backend.pg_connect(self.stack.tracker_db) as conn:
            row = conn.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = "
                               "'slot' AND data::json->>'name' = 'requested_slot' "
                               "ORDER BY id DESC LIMIT 1", [self.id]).fetchone()
        return json.loads(row[0])["value"] if row else None

    def play(self) -> None:
        """The whole intake, like tests/servers/test_every_answer_kept.py's `play`."""
        assert self.say("hi"), "no reply to hi"
        corrected = False
        for _ in range(60):
            question = self.asked_now()
            if question is None:
                return
            self.plan.asked.append(question)
            if question == "confirm" and self.plan.correction and not corrected:
                text, corrected = self.plan.correction[0], True
            else:
                text = "yes" if question == "confirm" else self.plan.answers[question].text
            assert self.say(text), f"no reply to {text!r}"
        raise AssertionError(f"the intake did not finish: {self.plan.asked}")


def tracker_user_texts(stack: ReplicaStack, conversation_id: str) -> list[str]:
    """The patient messages in Rasa's tracker store, in the order they were handled."""
    with backend.pg_connect(stack.tracker_db) as conn:
        rows = conn.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' "
                            "ORDER BY id", [conversation_id]).fetchall()
    return [json.loads(row[0])["text"] for row in rows]


def test_fifty_patients_over_two_of_everything_lose_nothing_when_a_rasa_server_dies(replicas):
    rng = random.Random(20261205)
    plans = [make_plan(random.Random(rng.random())) for _ in range(PATIENTS)]
    kill_at = int(PATIENTS * TURNS_PER_INTAKE * KILL_AFTER_SHARE)
    count = {"sent": 0, "at_kill": None, "kill_time": 0.0}
    lock = threading.Lock()
    killed = threading.Event()

    def sent_one() -> None:
        with lock:
            count["sent"] += 1
            if count["sent"] >= kill_at and not killed.is_set():
                killed.set()

    def killer() -> None:
        killed.wait()
        count["kill_time"] = time.monotonic()
        replicas.kill("rasa1")
        count["at_kill"] = count["sent"]

    began = time.monotonic()
    threading.Thread(target=killer, daemon=True).start()
    patients = [Patient(replicas, plan, random.Random(n), sent_one)
                for n, plan in enumerate(plans)]
    with ThreadPoolExecutor(PATIENTS) as pool:
        outcomes = list(pool.map(_play, patients))
    seconds = time.monotonic() - began
    waits = sorted(w for p in patients for w in p.seconds)
    print(f"\nreplica run: {PATIENTS} patients, {count['sent']} messages in {seconds:.0f} s "
          f"(ready in {replicas.ready_seconds:.0f} s); rasa1 killed after {count['at_kill']}; "
          f"reply p50 {waits[len(waits) // 2]:.2f} s, p95 {waits[int(len(waits) * .95)]:.2f} s, "
          f"max {waits[-1]:.1f} s")

    assert killed.is_set() and "rasa1" not in replicas.procs, "the kill never happened"
    failures = [(p.id, error) for p, error in zip(patients, outcomes) if error]
    assert failures == [], failures[:3]
    web = httpx.Client(base_url=replicas.web_urls[1], timeout=60,
                       headers={"Authorization": f"Bearer {replicas.staff_token()}"})
    care = CareStore(replicas.intake_db)
    for patient in patients:
        summary = web.get(f"/api/intakes/{patient.id}").json()
        assert summary["status"] == "completed", (patient.id, summary["status"])
        # The checklist sent at submission (to patients who may go ahead) is in the shared
        # database, whichever server sent it.
        sent_checklist = care.checklist(patient.id) is not None
        assert sent_checklist == (summary["recommendation"] in ("proceed", "clinician_review")), \
            (patient.id, summary["recommendation"])
        given = patient.plan.given()
        expected_flags = set().union(*(choice.flags for choice in given.values()))
        assert {f["code"] for f in summary["flags"]} == expected_flags, (patient.id, given)
        _check_summary(summary, given)
        # Each message handled once, in the order sent: no loss, no duplicate, no reordering. A
        # message answered only with "please send it again" was not handled (the patient then
        # answers the question again), so it must not be in the tracker either.
        handled = [text for text, ok in zip(patient.sent, patient.handled) if ok]
        assert tracker_user_texts(replicas, patient.id) == handled, (patient.id, patient.apologies)
    # "Please send it again" is the kind answer to a message caught by the kill (its turn was
    # on the server that died); the patient resends and nothing is lost (checked above). It is
    # allowed only for messages sent around the kill (until the dead server's conversation locks
    # have expired), a few at most; anywhere else it is a failure.
    kill_time = count["kill_time"]
    apologies = [(p.id, round(at - kill_time, 1), text) for p in patients
                 for at, text in p.apologies]
    print(f"apologies (conversation, seconds after the kill, reply): {apologies}")
    assert all(-2.0 <= after <= LOCK_LIFETIME + 5.0 for _, after, _ in apologies), apologies
    assert len(apologies) <= 3, apologies


def _play(patient: Patient) -> str | None:
    """Play one patient; the error as text, or None."""
    try:
        patient.play()
        return None
    except Exception as exc:  # reported with the conversation id by the test
        return f"{type(exc).__name__}: {exc}"


def test_a_resent_message_that_was_handled_is_answered_from_the_tracker(replicas):
    """The retry a web app makes when a server dropped the connection after saving the turn:
    same message_id, `retry`. The channel answers from the tracker and handles nothing again."""
    web = httpx.Client(base_url=replicas.web_urls[0], timeout=60)
    conversation_id = web.post("/api/conversations").json()["conversation_id"]
    web.post("/webhooks/rest/webhook", json={"sender": conversation_id, "message": "hi"})
    replies = web.post("/webhooks/rest/webhook",
                       json={"sender": conversation_id, "message": "Jane Doe"}).json()
    with backend.pg_connect(replicas.tracker_db) as conn:
        rows = conn.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' "
                            "ORDER BY id", [conversation_id]).fetchall()
    first_try = json.loads(rows[-1][0])["metadata"]
    assert first_try["message_id"]  # several Rasa servers: every message carries one

    body = json.dumps({"sender": conversation_id, "message": "Jane Doe",
                       "metadata": {**first_try, "retry": True}}).encode()
    resent = httpx.post(f"{replicas.url('rasa2')}/webhooks/webapp/webhook", content=body,
                        headers=replicas.channel_headers(body), timeout=60).json()
    assert [r.get("text") for r in resent] == [r.get("text") for r in replies]
    assert tracker_user_texts(replicas, conversation_id) == ["hi", "Jane Doe"]
