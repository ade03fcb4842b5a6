"""Staff review pages as clinic staff (and an intruder) see them, through FastAPI's TestClient.

A fake clock drives session expiry and the sign-in throttle (the `limits` package reads
time.time() itself, so it is pointed at the same clock); the stores share a real SQLite file in
tmp_path, with a tiny Rasa tracker database and a photo folder beside it, so deletion can be
checked everywhere.
"""
from __future__ import annotations

import re
import sqlite3
import time
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import limits.storage.memory
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.models import Flag, Severity
from bot.web.staff import IDLE_SECONDS, LOGIN_FAILED, create_staff_router
from tests.staff_samples import (PASSWORD, T0, TODAY, count, deferred, proceeding, reviewable,
                                 stores, tracker_db)

XSS_NAME = "<script>alert(1)</script>"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_740_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Clinic:
    """The app under test and everything behind it."""

    def __init__(self, tmp_path: Path, trust_forwarded: bool = False, monkeypatch=None,
                 **settings_values) -> None:
        self.db_path = tmp_path / "intake.db"
        self.photos = tmp_path / "photos"
        self.tracker = tracker_db(tmp_path / "tracker.db", ["conv-defer", "conv-review"])
        self.intakes, self.staff = stores(self.db_path)
        self.clock = FakeClock()
        self.staff.clock = self.clock  # sessions, reviews and audit lines use the same clock
        if monkeypatch is not None:  # the sign-in throttle counts with `limits`: same clock
            monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=self.clock))
        settings = Settings(secret_key="staff-test-secret", db_path=self.db_path,
                            today_override=TODAY.isoformat(), clinic_timezone="UTC",
                            **settings_values)
        app = FastAPI()
        app.include_router(create_staff_router(settings, self.intakes, self.staff, self.tracker,
                                               self.photos, clock=self.clock,
                                               trust_forwarded=trust_forwarded))
        self.app = app

    def client(self, **kwargs) -> TestClient:
        return TestClient(self.app, follow_redirects=False, **kwargs)


@pytest.fixture
def clinic(tmp_path, monkeypatch) -> Clinic:
    clinic = Clinic(tmp_path, monkeypatch=monkeypatch)
    clinic.intakes.save_summary(deferred())
    clinic.intakes.save_summary(reviewable())
    clinic.intakes.add_message("conv-defer", "patient", "yes, still nursing <b>my</b> baby")
    clinic.intakes.add_message("conv-defer", "bot", "Thanks for telling me.")
    return clinic


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/staff/login").text)
    return client.post("/staff/login", data={"username": username, "password": password,
                                              "csrf_token": token})


@pytest.fixture
def clinician(clinic) -> TestClient:
    client = clinic.client()
    assert sign_in(client, "dr.lee").status_code == 303
    return client


@pytest.fixture
def front_desk(clinic) -> TestClient:
    client = clinic.client()
    assert sign_in(client, "frontdesk").status_code == 303
    return client


def page_token(client: TestClient, path: str = "/staff") -> str:
    return csrf_of(client.get(path).text)


# --- nobody signed in -----------------------------------------------------------------------------

PAGES = ["/staff", "/staff/intakes/conv-defer", "/staff/intakes/conv-defer/print", "/staff/audit"]
OTHERS = [("get", "/staff/intakes/conv-defer/fhir"), ("get", "/staff/fhir/Questionnaire"),
          ("get", "/staff/intakes/conv-defer/photos/1"),
          ("post", "/staff/intakes/conv-defer/review"),
          ("post", "/staff/intakes/conv-defer/delete"), ("post", "/staff/logout")]


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_a_stranger_to_sign_in(clinic, path):
    response = clinic.client().get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login"


@pytest.mark.parametrize("method,path", OTHERS)
def test_everything_else_refuses_a_stranger_with_401(clinic, method, path):
    response = getattr(clinic.client(), method)(path)
    assert response.status_code == 401
    assert clinic.intakes.get_summary("conv-defer") is not None
    assert clinic.staff.reviews("conv-defer") == []


def test_a_forged_session_cookie_is_no_session(clinic):
    client = clinic.client(cookies={"staff_session": '{"u": "dr.lee"}.forged'})
    assert client.get("/staff").status_code == 303


# --- signing in -----------------------------------------------------------------------------------


def test_wrong_password_and_unknown_user_get_the_same_generic_message(clinic):
    client = clinic.client()
    wrong = sign_in(client, "dr.lee", "not the password")
    unknown = sign_in(client, "nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert LOGIN_FAILED in wrong.text and LOGIN_FAILED in unknown.text
    assert client.get("/staff").status_code == 303
    failures = [(e.actor, e.detail) for e in clinic.staff.audit_log() if e.action == "login"]
    assert failures == [("unknown", "failed"), ("dr.lee", "failed")]


def alert_of(response) -> str:
    return re.search(r'role="alert">([^<]*)<', response.text).group(1)


def test_thirty_wrong_passwords_slow_that_client_while_the_real_user_signs_in_elsewhere(clinic):
    attacker = clinic.client(client=("203.0.113.7", 40000))
    answers = [sign_in(attacker, "dr.lee", f"guess number {n}") for n in range(30)]
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 25
    assert alert_of(answers[-1]) == ("Too many sign-in attempts. Please wait 30 seconds and "
                                     "try again.")
    assert answers[-1].headers["retry-after"] == "30"
    assert sign_in(attacker, "dr.lee").status_code == 429  # a guess while waiting is not tried

    dr_lee = clinic.client(client=("198.51.100.20", 40001))
    assert sign_in(dr_lee, "dr.lee").status_code == 303
    assert dr_lee.get("/staff").status_code == 200


def test_each_further_guess_waits_twice_as_long(clinic):
    attacker = clinic.client(client=("203.0.113.7", 40000))
    for _ in range(5):
        assert sign_in(attacker, "dr.lee", "another guess").status_code == 401
    waits, words = [], []
    for _ in range(8):
        refused = sign_in(attacker, "dr.lee", "another guess")
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
        words.append(re.search(r"wait (.+) and", alert_of(refused)).group(1))
        clinic.clock.advance(waits[-1] - 1)
        assert sign_in(attacker, "dr.lee", "another guess").status_code == 429  # not yet
        clinic.clock.advance(1)
        assert sign_in(attacker, "dr.lee", "another guess").status_code == 401  # tried, wrong
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert words[:3] == ["30 seconds", "60 seconds", "2 minutes"] and words[-1] == "60 minutes"


def test_a_wait_says_nothing_about_whether_the_username_exists(clinic):
    known, unknown = (clinic.client(client=(ip, 40000)) for ip in ("203.0.113.7", "203.0.113.8"))
    known_answers = [sign_in(known, "dr.lee", "a wrong guess") for _ in range(7)]
    unknown_answers = [sign_in(unknown, "nobody", "a wrong guess") for _ in range(7)]
    assert [a.status_code for a in known_answers] == [a.status_code for a in unknown_answers]
    assert [alert_of(a) for a in known_answers] == [alert_of(a) for a in unknown_answers]
    assert ([a.headers.get("retry-after") for a in known_answers]
            == [a.headers.get("retry-after") for a in unknown_answers])


def test_one_client_trying_many_usernames_is_slowed_down_too(clinic):
    sprayer = clinic.client(client=("203.0.113.7", 40000))
    answers = [sign_in(sprayer, f"name{n}", "Summer2025!") for n in range(16)]
    assert [a.status_code for a in answers] == [401] * 15 + [429]
    assert sign_in(sprayer, "dr.lee").status_code == 429
    assert sign_in(clinic.client(client=("198.51.100.20", 40001)), "dr.lee").status_code == 303


@pytest.mark.parametrize("trusted", [False, True])
def test_a_forged_forwarded_address_does_not_escape_the_wait(tmp_path, monkeypatch, trusted):
    clinic = Clinic(tmp_path, trust_forwarded=trusted, monkeypatch=monkeypatch)
    client = clinic.client(client=("127.0.0.1", 40000))  # behind the clinic's proxy
    codes = []
    for n in range(7):  # the client forges a new first address; the proxy appends the real one
        forwarded = {"X-Forwarded-For": f"10.9.9.{n}, 203.0.113.7"}
        token = csrf_of(client.get("/staff/login").text)
        codes.append(client.post("/staff/login", headers=forwarded, data={
            "username": "dr.lee", "password": "a wrong guess", "csrf_token": token}).status_code)
    assert codes == [401] * 5 + [429] * 2


def test_a_browser_that_signed_in_before_is_not_held_up_by_an_attack_from_many_addresses(clinic):
    dr_lee = clinic.client(client=("198.51.100.20", 40001))
    assert sign_in(dr_lee, "dr.lee").status_code == 303
    dr_lee.post("/staff/logout", data={"csrf_token": page_token(dr_lee)})
    for n in range(25):  # 100 failures from 25 addresses: the account-wide tier is full
        bot = clinic.client(client=(f"192.0.2.{n}", 40000))
        form = {"username": "dr.lee", "password": "guess",
                "csrf_token": page_token(bot, "/staff/login")}
        assert [bot.post("/staff/login", data=form).status_code for _ in range(4)] == [401] * 4
    assert sign_in(clinic.client(client=("192.0.2.200", 40000)), "dr.lee").status_code == 429
    assert sign_in(dr_lee, "dr.lee").status_code == 303


def test_sign_in_without_the_forms_token_is_refused(clinic):
    client = clinic.client()
    client.get("/staff/login")
    response = client.post("/staff/login", data={"username": "dr.lee", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/staff").status_code == 303


def test_the_session_cookie_is_httponly_lax_and_scoped_to_staff(clinic):
    response = sign_in(clinic.client(), "dr.lee")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/staff" in cookie
    assert "secure" not in cookie  # plain http in tests


@pytest.mark.parametrize("trusted,secure", [(True, True), (False, False)])
def test_cookie_is_secure_behind_a_trusted_https_proxy(tmp_path, trusted, secure):
    clinic = Clinic(tmp_path, trust_forwarded=trusted)
    response = clinic.client().get("/staff/login", headers={"X-Forwarded-Proto": "https"})
    assert ("secure" in response.headers["set-cookie"].lower()) is secure


def test_pages_forbid_scripts_framing_and_caching(clinician):
    response = clinician.get("/staff")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["cache-control"] == "no-store"
    assert "<script" not in response.text


# --- sessions expire after inactivity -------------------------------------------------------------


def test_a_session_slides_while_used_and_ends_after_thirty_idle_minutes(clinic, clinician):
    for _ in range(3):  # 87 minutes in all, never idle for 30
        clinic.clock.advance(IDLE_SECONDS - 60)
        assert clinician.get("/staff").status_code == 200
    clinic.clock.advance(IDLE_SECONDS + 1)
    assert clinician.get("/staff").status_code == 303
    assert clinician.post("/staff/intakes/conv-defer/review", data={"note": "x"}).status_code == 401


def test_signing_out_ends_the_session(clinic, clinician):
    response = clinician.post("/staff/logout", data={"csrf_token": page_token(clinician)})
    assert response.status_code == 303
    assert clinician.get("/staff").status_code == 303
    assert clinic.staff.audit_log()[0].action == "logout"


def test_disabling_an_account_ends_its_session_at_once(clinic, clinician):
    clinic.staff.set_disabled("dr.lee", True)
    assert clinician.get("/staff").status_code == 303
    clinic.staff.set_disabled("dr.lee", False)
    assert clinician.get("/staff").status_code == 303  # enabling again starts no old session


def test_a_session_ends_twelve_hours_after_sign_in_even_while_in_use(clinic, clinician):
    for _ in range(35):  # every 20 minutes for 11 h 40 min
        clinic.clock.advance(20 * 60)
        assert clinician.get("/staff").status_code == 200
    clinic.clock.advance(21 * 60)
    assert clinician.get("/staff").status_code == 303
    assert sign_in(clinician, "dr.lee").status_code == 303
    assert clinician.get("/staff").status_code == 200


def test_session_lifetimes_come_from_the_settings(tmp_path, monkeypatch):
    clinic = Clinic(tmp_path, monkeypatch=monkeypatch, staff_idle_minutes=5,
                    staff_session_hours=1)
    client = clinic.client()
    assert "signed out after 5 minutes without activity" in client.get("/staff/login").text
    sign_in(client, "dr.lee")
    clinic.clock.advance(4 * 60)
    assert client.get("/staff").status_code == 200
    clinic.clock.advance(5 * 60 + 1)
    assert client.get("/staff").status_code == 303
    sign_in(client, "dr.lee")
    for _ in range(14):  # active every 4 minutes, but one hour is the most
        clinic.clock.advance(4 * 60)
        assert client.get("/staff").status_code == 200
    clinic.clock.advance(4 * 60 + 30)  # 60.5 minutes after sign-in, 4.5 idle
    assert client.get("/staff").status_code == 303


# --- sessions live on the server: a copied cookie dies with the session ---------------------------


def test_a_session_cookie_replayed_after_sign_out_opens_nothing(clinic, clinician):
    copied = clinician.cookies.get("staff_session")
    token = page_token(clinician, "/staff/intakes/conv-defer")
    assert clinician.post("/staff/logout", data={"csrf_token": token}).status_code == 303

    replay = clinic.client(cookies={"staff_session": copied})
    assert replay.get("/staff").headers["location"] == "/staff/login"
    assert replay.get("/staff/intakes/conv-defer").status_code == 303
    assert replay.get("/staff/intakes/conv-defer/fhir").status_code == 401
    review = replay.post("/staff/intakes/conv-defer/review",
                         data={"note": "replayed", "csrf_token": token})
    assert review.status_code == 401
    assert clinic.staff.reviews("conv-defer") == []
    assert [e.action for e in clinic.staff.audit_log(conversation_id="conv-defer")] == ["view"]


def test_the_cookie_holds_only_a_random_id_and_a_new_one_at_every_sign_in(clinic):
    first, second = clinic.client(), clinic.client()
    sign_in(first, "dr.lee")
    sign_in(second, "dr.lee")
    cookies = [first.cookies.get("staff_session"), second.cookies.get("staff_session")]
    assert cookies[0] != cookies[1] and all(len(c) >= 40 for c in cookies)
    assert not any("dr.lee" in c or "." in c for c in cookies)  # no name, nothing signed


def test_a_password_change_signs_that_user_out_everywhere(clinic, clinician, front_desk):
    other_desk = clinic.client()
    sign_in(other_desk, "dr.lee")
    clinic.staff.set_password("dr.lee", "a brand new passphrase")
    assert clinician.get("/staff").status_code == 303
    assert other_desk.get("/staff/intakes/conv-defer/fhir").status_code == 401
    assert front_desk.get("/staff").status_code == 200  # other people stay signed in
    assert sign_in(clinician, "dr.lee", "a brand new passphrase").status_code == 303


def test_the_cli_lists_and_revokes_sessions(clinic, capsys):
    from bot.staff_cli import main
    clinic.clock.now = time.time()  # the command reads the real clock to tell active sessions
    clinician, front_desk = clinic.client(), clinic.client()
    sign_in(clinician, "dr.lee")
    sign_in(front_desk, "frontdesk")
    env = {"INTAKE_DB": str(clinic.db_path)}
    secret = clinician.cookies.get("staff_session")
    assert main(["list-sessions", "--active"], env=env) == 0
    listed = capsys.readouterr().out
    assert [line.split("\t")[1] for line in listed.splitlines()] == ["frontdesk", "dr.lee"]
    assert secret not in listed

    assert main(["revoke-sessions", "--username", "dr.lee"], env=env) == 0
    assert "1 session ended for dr.lee" in capsys.readouterr().out
    assert clinician.get("/staff").status_code == 303
    assert front_desk.get("/staff").status_code == 200

    number = listed.splitlines()[0].split("\t")[0]  # the front desk's session
    assert main(["revoke-sessions", "--id", number], env=env) == 0
    assert front_desk.get("/staff").status_code == 303


def test_a_password_changed_from_the_cli_ends_the_users_sessions(clinic, clinician, capsys):
    from bot.staff_cli import main
    env = {"INTAKE_DB": str(clinic.db_path), "STAFF_PASSWORD": "a brand new passphrase"}
    assert main(["set-password", "--username", "dr.lee"], env=env) == 0
    assert "1 session ended" in capsys.readouterr().out
    assert clinician.get("/staff").status_code == 303


# --- CSRF -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "forged-token-value"])
def test_forms_without_the_sessions_token_are_refused(clinic, clinician, token):
    data = {"note": "looks fine", "confirm": "DELETE"}
    if token is not None:
        data["csrf_token"] = token
    assert clinician.post("/staff/intakes/conv-defer/review", data=data).status_code == 403
    assert clinician.post("/staff/intakes/conv-defer/delete", data=data).status_code == 403
    assert clinician.post("/staff/logout", data=data).status_code == 403
    assert clinic.staff.reviews("conv-defer") == []
    assert clinic.intakes.get_summary("conv-defer") is not None


def test_another_sessions_token_is_refused(clinic, clinician):
    other = clinic.client()
    sign_in(other, "dr.lee")
    response = clinician.post("/staff/intakes/conv-defer/review",
                              data={"note": "x", "csrf_token": page_token(other)})
    assert response.status_code == 403


# --- the queue ------------------------------------------------------------------------------------


def queue_names(client: TestClient, query: str = "") -> list[str]:
    html = client.get("/staff" + query).text
    return re.findall(r'class="patient">([^<]+)</a>', html)


def test_queue_puts_defer_first_then_review_then_proceed_newest_first(clinic, clinician):
    clinic.intakes.save_summary(proceeding("p-new", "Newest Proceed", T0 + timedelta(days=2)))
    clinic.intakes.save_summary(deferred("d-old", "Older Defer", T0 - timedelta(days=1)))
    clinic.intakes.save_summary(reviewable("r-new", "Newer Review", T0 + timedelta(days=1)))
    assert queue_names(clinician) == ["Maya Brooks", "Older Defer", "Newer Review", "Omar Haddad",
                                      "Newest Proceed"]


def test_queue_marks_recommendations_with_words_not_colour_alone(clinician):
    html = clinician.get("/staff").text
    assert re.search(r'class="badge rec-defer">Defer<', html)
    assert re.search(r'class="badge rec-clinician_review">Clinician review<', html)


def test_queue_filters(clinic, clinician):
    clinic.intakes.save_summary(proceeding("p1", "Ana Silva", T0 + timedelta(days=3)))
    clinic.staff.add_review("conv-review", "dr.lee", "ok")
    assert queue_names(clinician, "?recommendation=defer") == ["Maya Brooks"]
    assert queue_names(clinician, "?status=reviewed") == ["Omar Haddad"]
    assert queue_names(clinician, "?status=completed") == ["Maya Brooks", "Ana Silva"]
    assert queue_names(clinician, "?from=2025-03-02") == ["Ana Silva"]
    assert queue_names(clinician, "?to=2025-03-01") == ["Maya Brooks", "Omar Haddad"]
    assert queue_names(clinician, "?q=haDD") == ["Omar Haddad"]
    assert queue_names(clinician, "?recommendation=bogus&from=not-a-date") == [
        "Maya Brooks", "Omar Haddad", "Ana Silva"]
    assert "From date ignored" in clinician.get("/staff?from=not-a-date").text


def test_queue_shows_who_reviewed_and_when(clinic, clinician):
    clinic.staff.add_review("conv-review", "dr.kim", "fine")
    html = clinician.get("/staff").text
    assert "✓ dr.kim" in html and "2025-02-19 21:20" in html  # the fake clock's time


def test_front_desk_queue_shows_why_a_patient_must_wait_but_no_flag_codes(front_desk):
    html = front_desk.get("/staff").text
    assert "Reports breastfeeding: toxin is not given while breastfeeding." in html
    assert "maya@example.com" in html
    assert "bleeding_risk_supplement" not in html and "anticoagulant" not in html


# --- one intake -----------------------------------------------------------------------------------


def test_clinician_reads_flags_first_with_the_patients_words(clinician):
    html = clinician.get("/staff/intakes/conv-defer").text
    flags = html.index('id="flags-title"')
    assert flags < html.index('id="concerns-title"') < html.index('id="answers-title"')
    defer_flag = html.index('<strong class="flag-label">Breastfeeding</strong>')
    # most severe first
    assert defer_flag < html.index('<strong class="flag-label">Product that increases bruising')
    assert "yes, still nursing my 4 month old" in html
    assert "frown lines (11s)" in html and "at rest and with expression" in html
    assert "sertraline 50mg" in html and "penicillin" in html


def test_event_days_are_counted_from_today(clinician):
    html = clinician.get("/staff/intakes/conv-defer").text
    assert "in 9 days" in html  # the 12th, seen on the 3rd (the summary said 11 days)
    assert "Under 14 days" in html


def test_answers_follow_the_consult_order(clinician):
    html = clinician.get("/staff/intakes/conv-defer").text
    positions = [html.index(f'<th scope="row">{q}</th>') for q in
                 ("Medicines and supplements", "Pregnant", "Breastfeeding")]
    assert positions == sorted(positions)


def test_transcript_is_folded_away_and_escaped(clinician):
    html = clinician.get("/staff/intakes/conv-defer").text
    assert "<details class=\"transcript\">" in html
    assert "nursing &lt;b&gt;my&lt;/b&gt; baby" in html


def test_front_desk_sees_contact_and_reason_but_no_medical_answers(front_desk):
    html = front_desk.get("/staff/intakes/conv-defer").text
    assert "Maya Brooks" in html and "maya@example.com" in html
    assert "Reports breastfeeding" in html
    for secret in ("still nursing my 4 month old", "sertraline", "fish oil", "penicillin",
                   "frown lines", "Botox", "wedding", "flags-title", "transcript", "/fhir",
                   "Mark reviewed", "/delete"):
        assert secret not in html, secret


def test_front_desk_print_view_is_as_limited(front_desk):
    html = front_desk.get("/staff/intakes/conv-defer/print").text
    assert "Maya Brooks" in html and "sertraline" not in html and "still nursing" not in html


@pytest.mark.parametrize("method,path", [
    ("get", "/staff/intakes/conv-defer/fhir"), ("get", "/staff/intakes/conv-defer/photos/1"),
    ("get", "/staff/audit"), ("post", "/staff/intakes/conv-defer/review"),
    ("post", "/staff/intakes/conv-defer/delete")])
def test_front_desk_is_refused_clinician_actions(clinic, front_desk, method, path):
    data = {"csrf_token": page_token(front_desk), "note": "x", "confirm": "DELETE"}
    response = getattr(front_desk, method)(path, **({"data": data} if method == "post" else {}))
    assert response.status_code == 403
    assert "nursing" not in response.text
    assert clinic.intakes.get_summary("conv-defer") is not None
    assert clinic.staff.reviews("conv-defer") == []


def test_an_unknown_intake_is_404_for_everyone(clinician, front_desk):
    assert clinician.get("/staff/intakes/nope").status_code == 404
    assert front_desk.get("/staff/intakes/nope").status_code == 404
    assert clinician.get("/staff/intakes/nope/fhir").status_code == 404


# --- escaping -------------------------------------------------------------------------------------


def test_what_a_patient_typed_is_shown_as_text(clinic, clinician):
    summary = deferred("xss", XSS_NAME)
    summary.contact = '"><img src=x onerror=alert(1)>'
    summary.flags.append(Flag(code="pregnant", severity=Severity.DEFER, reason="r",
                              evidence="</blockquote><script>alert(2)</script>"))
    clinic.intakes.save_summary(summary)
    for path in ("/staff", "/staff/intakes/xss", "/staff/intakes/xss/print"):
        html = clinician.get(path).text
        assert "<script" not in html and "<img" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


# --- actions --------------------------------------------------------------------------------------


def test_marking_reviewed_records_the_note_and_shows_in_the_queue(clinic, clinician):
    token = page_token(clinician, "/staff/intakes/conv-defer")
    response = clinician.post("/staff/intakes/conv-defer/review",
                              data={"note": "Rebook after weaning", "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/intakes/conv-defer?done=reviewed"
    assert [(r.reviewer, r.note) for r in clinic.staff.reviews("conv-defer")] == [
        ("dr.lee", "Rebook after weaning")]
    assert "✓ dr.lee" in clinician.get("/staff").text
    assert "Rebook after weaning" in clinician.get("/staff/intakes/conv-defer").text
    assert clinic.staff.audit_log(conversation_id="conv-defer")[1].action == "review"


def test_fhir_export_is_a_download_and_audited(clinic, clinician):
    response = clinician.get("/staff/intakes/conv-defer/fhir")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.json()["resourceType"] == "QuestionnaireResponse"
    assert clinic.staff.audit_log()[0].action == "export"
    definition = clinician.get("/staff/fhir/Questionnaire").json()
    assert definition["resourceType"] == "Questionnaire"


def test_every_view_and_print_is_audited(clinic, clinician, front_desk):
    clinician.get("/staff/intakes/conv-defer")
    front_desk.get("/staff/intakes/conv-review")
    clinician.get("/staff/intakes/conv-defer/print")
    log = [(e.actor, e.action, e.conversation_id) for e in clinic.staff.audit_log()
           if e.action != "login"]
    assert log == [("dr.lee", "print", "conv-defer"), ("frontdesk", "view", "conv-review"),
                   ("dr.lee", "view", "conv-defer")]
    assert "Audit log" in clinician.get("/staff/audit").text


def test_photos_are_served_to_clinicians_from_the_patients_folder_only(clinic, clinician):
    folder = clinic.photos / "conv-defer"
    folder.mkdir(parents=True)
    (folder / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0fake")
    (clinic.photos / "conv-review").mkdir()
    (clinic.photos / "conv-review" / "b.jpg").write_bytes(b"\xff\xd8\xff\xe0other")
    summary = deferred()
    summary.photos = ["conv-defer/a.jpg", "../conv-review/b.jpg", "conv-review/b.jpg", "missing"]
    clinic.intakes.save_summary(summary)
    html = clinician.get("/staff/intakes/conv-defer").text
    assert "/photos/1" in html and "/photos/2" not in html and "/photos/3" not in html
    photo = clinician.get("/staff/intakes/conv-defer/photos/1")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    for number in (2, 3, 4, 5, 0):
        assert clinician.get(f"/staff/intakes/conv-defer/photos/{number}").status_code == 404


def test_photos_uploaded_through_the_widget_are_found_by_their_id(clinic, clinician):
    folder = clinic.photos / "conv-defer"
    folder.mkdir(parents=True)
    (folder / "pid123.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    clinic.intakes.add_photo("conv-defer", "pid123", "conv-defer/pid123.png", "image/png", 5)
    assert clinic.intakes.get_summary("conv-defer").photos == ["pid123"]
    photo = clinician.get("/staff/intakes/conv-defer/photos/1")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
    assert clinic.staff.audit_log()[0].detail == "photo 1"


def test_photos_are_laid_out_by_pose_with_the_missing_poses_named(clinic, clinician):
    folder = clinic.photos / "conv-defer"
    folder.mkdir(parents=True)
    for photo_id, pose in (("p-smile", "smile"), ("p-rest", "rest"), ("p-extra", None)):
        (folder / f"{photo_id}.jpg").write_bytes(b"\xff\xd8\xff\xe0fake")
        clinic.intakes.add_photo("conv-defer", photo_id, f"conv-defer/{photo_id}.jpg",
                                 "image/jpeg", 8, pose=pose)
    html = clinician.get("/staff/intakes/conv-defer").text
    figures = _Figures.of(html)
    # The set's order, whatever order the photos came in; the extra photo last.
    assert [f["pose"] for f in figures] == ["rest", "frown", "brows", "smile", "other"]
    assert [f["caption"] for f in figures] == [
        "Face at rest", "Frowning: missing", "Brows raised: missing", "Smiling (crow's feet)",
        "Other photo"]
    assert figures[0]["images"] == ["/staff/intakes/conv-defer/photos/2"]  # rest came second
    assert figures[3]["images"] == ["/staff/intakes/conv-defer/photos/1"]
    assert figures[1]["images"] == []
    assert "Poses missing: Frowning, Brows raised." in html


class _Figures(HTMLParser):
    """The pose figures of a staff page: data-pose, image sources and caption text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict] = []
        self.in_caption = False

    @classmethod
    def of(cls, html: str) -> list[dict]:
        parser = cls()
        parser.feed(html)
        return parser.found

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "figure" and "data-pose" in values:
            self.found.append({"pose": values["data-pose"], "images": [], "caption": ""})
        elif tag == "img" and self.found:
            self.found[-1]["images"].append(values["src"])
        elif tag == "figcaption":
            self.in_caption = True

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self.in_caption = False
            self.found[-1]["caption"] = " ".join(self.found[-1]["caption"].split())

    def handle_data(self, data):
        if self.in_caption:
            self.found[-1]["caption"] += data


def test_a_wrong_confirmation_deletes_nothing(clinic, clinician):
    token = page_token(clinician)
    response = clinician.post("/staff/intakes/conv-defer/delete",
                              data={"confirm": "yes", "csrf_token": token})
    assert response.status_code == 422
    assert clinic.intakes.get_summary("conv-defer") is not None


def test_deletion_leaves_nothing_of_the_patient(clinic, clinician):
    folder = clinic.photos / "conv-defer"
    folder.mkdir(parents=True)
    (folder / "a.jpg").write_bytes(b"\xff\xd8\xff")
    clinic.staff.add_review("conv-defer", "dr.lee", "seen")
    token = page_token(clinician)
    response = clinician.post("/staff/intakes/conv-defer/delete",
                              data={"confirm": "DELETE", "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/staff?done=deleted"

    assert clinic.intakes.get_summary("conv-defer") is None
    assert count(clinic.db_path, "messages", "conversation_id = ?", ("conv-defer",)) == 0
    assert count(clinic.db_path, "staff_reviews", "conversation_id = ?", ("conv-defer",)) == 0
    assert count(clinic.tracker, "events", "sender_id = ?", ("conv-defer",)) == 0
    assert not folder.exists()
    assert count(clinic.tracker, "events", "sender_id = ?", ("conv-review",)) == 3
    assert clinic.intakes.get_summary("conv-review") is not None
    assert clinician.get("/staff/intakes/conv-defer").status_code == 404
    assert "Maya Brooks" not in clinician.get("/staff").text


def test_audit_rows_are_appended_and_the_database_refuses_to_change_them(clinic, clinician):
    clinician.get("/staff/intakes/conv-defer")
    token = page_token(clinician)
    clinician.post("/staff/intakes/conv-defer/delete",
                   data={"confirm": "DELETE", "csrf_token": token})
    actions = [e.action for e in clinic.staff.audit_log()]
    assert actions[:2] == ["delete", "view"] and actions[-1] == "login"
    conn = sqlite3.connect(clinic.db_path)
    for statement in ("UPDATE staff_audit SET detail = ''", "DELETE FROM staff_audit"):
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(statement)
    conn.close()
    assert len(clinic.staff.audit_log()) == len(actions)
