"""StaffStore: accounts with argon2 passwords, reviews, an append-only audit log, and deleting a
patient's data everywhere it is kept; plus the staff accounts CLI."""
from __future__ import annotations

import sqlite3

import pytest

from bot import staff_cli
from bot.db import DATABASE_ERRORS
from bot.staff_store import ACTIONS, StaffStore, delete_patient_data
from bot.state_store import StateStore
from bot.intake import IntakeState
from bot.store import IntakeStore
from bot.web.limits import FakeClock
from tests.databases import env_for, raw
from tests.staff_samples import FAST_HASHER, PASSWORD, count, deferred, reviewable, tracker_db


@pytest.fixture
def db_path(db_location):
    """The intake database on each backend in turn: a SQLite file, then a PostgreSQL URL."""
    return db_location


@pytest.fixture
def staff(db_path) -> StaffStore:
    IntakeStore(db_path)  # the staff tables live beside the intake tables
    return StaffStore(db_path, hasher=FAST_HASHER)


# --- accounts -------------------------------------------------------------------------------------


def test_a_created_account_signs_in_with_its_password_only(staff):
    staff.create_user("Dr.Lee", "clinician", PASSWORD)
    user = staff.authenticate("dr.lee", PASSWORD)
    assert user is not None and user.username == "dr.lee" and user.role == "clinician"
    assert staff.authenticate("dr.lee", PASSWORD + "x") is None
    assert staff.authenticate("nobody", PASSWORD) is None


def test_the_password_is_stored_only_as_an_argon2_hash(staff, db_path):
    staff.create_user("dr.lee", "clinician", PASSWORD)
    with raw(db_path) as conn:
        stored = conn.execute("SELECT password_hash FROM staff_users").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize("password", ["", "short", "nine char", None])
def test_passwords_under_ten_characters_are_refused(staff, password):
    with pytest.raises(ValueError, match="at least 10"):
        staff.create_user("dr.lee", "clinician", password)
    assert staff.list_users() == []


def test_ten_characters_is_enough(staff):
    staff.create_user("dr.lee", "clinician", "0123456789")
    assert staff.authenticate("dr.lee", "0123456789")


@pytest.mark.parametrize("username,role", [("dr.lee", "admin"), ("", "clinician"),
                                           ("has space", "clinician"), ("x" * 65, "clinician")])
def test_bad_usernames_and_roles_are_refused(staff, username, role):
    with pytest.raises(ValueError):
        staff.create_user(username, role, PASSWORD)


def test_a_username_cannot_be_taken_twice(staff):
    staff.create_user("dr.lee", "clinician", PASSWORD)
    with pytest.raises(ValueError, match="already"):
        staff.create_user("DR.LEE", "front_desk", PASSWORD)


def test_a_disabled_account_cannot_sign_in_until_enabled(staff):
    staff.create_user("frontdesk", "front_desk", PASSWORD)
    staff.set_disabled("frontdesk", True)
    assert staff.authenticate("frontdesk", PASSWORD) is None
    assert staff.get_user("frontdesk").disabled
    staff.set_disabled("frontdesk", False)
    assert staff.authenticate("frontdesk", PASSWORD)


def test_a_changed_password_replaces_the_old_one(staff):
    staff.create_user("dr.lee", "clinician", PASSWORD)
    staff.set_password("dr.lee", "a brand new passphrase")
    assert staff.authenticate("dr.lee", PASSWORD) is None
    assert staff.authenticate("dr.lee", "a brand new passphrase")


# --- reviews --------------------------------------------------------------------------------------


def test_reviews_are_kept_in_order_and_the_latest_is_shown(staff):
    staff.add_review("c1", "dr.lee", "  discussed fish oil  ")
    staff.add_review("c1", "dr.kim", "")
    staff.add_review("c2", "dr.lee", "ok")
    assert [(r.reviewer, r.note) for r in staff.reviews("c1")] == [("dr.lee", "discussed fish oil"),
                                                                  ("dr.kim", "")]
    latest = staff.latest_reviews()
    assert latest["c1"].reviewer == "dr.kim" and latest["c2"].note == "ok"


def test_an_overlong_review_note_is_refused(staff):
    with pytest.raises(ValueError):
        staff.add_review("c1", "dr.lee", "x" * 4001)


# --- audit ----------------------------------------------------------------------------------------


def test_audit_entries_are_appended_newest_first(staff):
    ticks = iter([1_700_000_000.0, 1_700_000_060.0])
    staff.clock = lambda: next(ticks)
    staff.audit("dr.lee", "login")
    staff.audit("dr.lee", "view", "c1")
    log = staff.audit_log()
    assert [(e.action, e.conversation_id) for e in log] == [("view", "c1"), ("login", None)]
    assert log[0].at > log[1].at
    assert [e.action for e in staff.audit_log(conversation_id="c1")] == ["view"]


def test_only_known_audit_actions_are_accepted(staff):
    assert set(ACTIONS) == {"view", "export", "review", "delete", "login", "logout", "print",
                            "changed_after_review", "treatment", "checkin_handled"}
    with pytest.raises(ValueError):
        staff.audit("dr.lee", "edit", "c1")


@pytest.mark.parametrize("statement", ["UPDATE staff_audit SET actor = 'someone else'",
                                       "DELETE FROM staff_audit"])
def test_the_database_refuses_to_rewrite_the_audit_log(staff, db_path, statement):
    staff.audit("dr.lee", "view", "c1")
    with pytest.raises(DATABASE_ERRORS, match="append-only"):
        with raw(db_path) as conn:
            conn.execute(statement)
    assert [e.actor for e in staff.audit_log()] == ["dr.lee"]


def test_the_store_offers_no_way_to_change_the_audit_log():
    names = [n for n in dir(StaffStore) if "audit" in n]
    assert names == ["audit", "audit_log"]


def test_same_file_as_the_intake_store_in_wal_mode(tmp_path):
    db_path = tmp_path / "intake.db"
    IntakeStore(db_path)
    StaffStore(db_path, hasher=FAST_HASHER)
    conn = sqlite3.connect(db_path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert {"intakes", "staff_users", "staff_reviews", "staff_audit"} <= tables
    assert mode == "wal"


# --- deleting a patient's data --------------------------------------------------------------------


@pytest.fixture
def kept_everywhere(tmp_path, db_path, staff):
    """Two patients' data in every place it is kept: summary, chat, photos, state, tracker..."""
    intakes = IntakeStore(db_path)
    for summary in (deferred("gone"), reviewable("stays")):
        cid = summary.conversation_id
        intakes.save_summary(summary)
        intakes.add_message(cid, "patient", "I'm still nursing")
        intakes.add_photo(cid, f"photo-{cid}", f"{cid}/photo-{cid}.jpg", "image/jpeg", 5)
        intakes.touch_sms_contact(cid, "+15550100")
        StateStore(db_path).save(cid, IntakeState())
        staff.add_review(cid, "dr.lee", "seen")
        (tmp_path / "photos" / cid).mkdir(parents=True)
        (tmp_path / "photos" / cid / f"photo-{cid}.jpg").write_bytes(b"\xff\xd8\xff")
    with raw(db_path) as conn:  # an opt-out register, which the law says must outlive a deletion
        conn.execute("CREATE TABLE sms_opt_outs (conversation_id TEXT, phone_sha256 TEXT)")
        conn.execute("INSERT INTO sms_opt_outs VALUES ('gone', 'abc')")
    tracker = tracker_db(tmp_path / "tracker.db", ["gone", "stays"])
    return intakes, tracker, tmp_path / "photos"


def test_deleting_a_patient_leaves_nothing_of_theirs(kept_everywhere, staff, db_path):
    intakes, tracker, photos = kept_everywhere
    report = delete_patient_data(intakes, staff, "gone", tracker, photos, actor="dr.lee")

    assert intakes.get_summary("gone") is None
    for table in ("messages", "photos", "photo_refs", "sms_contacts", "intake_state",
                  "staff_reviews"):
        assert count(db_path, table, "conversation_id = ?", ("gone",)) == 0, table
    assert count(tracker, "events", "sender_id = ?", ("gone",)) == 0
    assert not (photos / "gone").exists()
    assert report.summary_deleted and report.tracker_events == 3 and report.photo_files == 1


def test_deleting_one_patient_keeps_the_others_and_the_opt_out(kept_everywhere, staff, db_path):
    intakes, tracker, photos = kept_everywhere
    delete_patient_data(intakes, staff, "gone", tracker, photos)
    assert intakes.get_summary("stays") is not None
    assert count(db_path, "messages", "conversation_id = ?", ("stays",)) == 1
    assert count(tracker, "events", "sender_id = ?", ("stays",)) == 3
    assert (photos / "stays").is_dir()
    assert count(db_path, "sms_opt_outs", "conversation_id = ?", ("gone",)) == 1


def test_a_deletion_is_audited_with_counts_but_no_patient_data(kept_everywhere, staff):
    intakes, tracker, photos = kept_everywhere
    delete_patient_data(intakes, staff, "gone", tracker, photos, actor="dr.lee")
    entry = staff.audit_log()[0]
    assert (entry.actor, entry.action, entry.conversation_id) == ("dr.lee", "delete", "gone")
    assert "messages=1" in entry.detail and "tracker_events=3" in entry.detail
    assert "Maya" not in entry.detail and "nursing" not in entry.detail


def test_deletion_copes_with_no_tracker_and_no_photos(db_path, staff, tmp_path):
    intakes = IntakeStore(db_path)
    intakes.save_summary(deferred("gone"))
    report = delete_patient_data(intakes, staff, "gone", tmp_path / "missing.db", tmp_path / "none")
    assert report.summary_deleted and report.tracker_events == 0 and report.photo_files == 0
    assert not (tmp_path / "missing.db").exists()  # never created as a side effect


@pytest.mark.parametrize("conversation_id", ["..", ".", "../photos", "a/../../x", ""])
def test_an_id_that_is_a_path_never_removes_another_folder(tmp_path, db_path, staff,
                                                           conversation_id):
    photos = tmp_path / "store" / "photos"
    (photos / "someone").mkdir(parents=True)
    (photos / "someone" / "p.jpg").write_bytes(b"x")
    delete_patient_data(IntakeStore(db_path), staff, conversation_id, None, photos)
    assert (photos / "someone" / "p.jpg").exists()


# --- sessions -------------------------------------------------------------------------------------

IDLE, LONGEST = 30 * 60, 12 * 3600


@pytest.fixture
def clocked(db_path) -> StaffStore:
    store = StaffStore(db_path, clock=FakeClock(1_740_000_000.0), hasher=FAST_HASHER)
    store.create_user("dr.lee", "clinician", PASSWORD)
    store.create_user("frontdesk", "front_desk", PASSWORD)
    return store


def test_a_session_is_stored_only_as_a_hash_of_its_secret_id(clocked, db_path):
    secret = clocked.start_session("dr.lee", "203.0.113.7 Firefox")
    assert len(secret) >= 40
    with raw(db_path) as conn:
        rows = conn.execute("SELECT * FROM staff_sessions").fetchall()
    assert len(rows) == 1 and not any(secret in str(value) for value in rows[0])
    assert clocked.resume_session(secret, IDLE, LONGEST).username == "dr.lee"
    assert clocked.resume_session(secret[:-1] + "x", IDLE, LONGEST) is None
    assert clocked.resume_session("", IDLE, LONGEST) is None


def test_a_session_slides_while_used_and_ends_when_idle(clocked):
    secret = clocked.start_session("dr.lee")
    for _ in range(5):
        clocked.clock.now += IDLE - 1
        assert clocked.resume_session(secret, IDLE, LONGEST) is not None
    clocked.clock.now += IDLE + 1
    assert clocked.resume_session(secret, IDLE, LONGEST) is None
    assert clocked.list_sessions()[0].state(clocked.clock(), IDLE, LONGEST) == "expired"


def test_a_session_ends_after_its_absolute_lifetime_however_busy(clocked):
    secret = clocked.start_session("dr.lee")
    for _ in range(11):
        clocked.clock.now += 3600
        assert clocked.resume_session(secret, 2 * 3600, LONGEST) is not None
    clocked.clock.now += 3601
    assert clocked.resume_session(secret, 2 * 3600, LONGEST) is None


def test_ending_a_session_is_for_good(clocked):
    secret = clocked.start_session("dr.lee")
    assert clocked.end_session(secret) is True
    assert clocked.resume_session(secret, IDLE, LONGEST) is None
    assert clocked.end_session(secret) is False
    [session] = clocked.list_sessions()
    assert (session.state(clocked.clock(), IDLE, LONGEST), session.revoked_reason) == \
        ("revoked", "signed out")


def test_a_password_change_revokes_all_that_users_sessions_and_no_one_elses(clocked):
    lee = [clocked.start_session("dr.lee") for _ in range(3)]
    desk = clocked.start_session("frontdesk")
    assert clocked.set_password("dr.lee", "a brand new passphrase") == 3
    assert all(clocked.resume_session(s, IDLE, LONGEST) is None for s in lee)
    assert clocked.resume_session(desk, IDLE, LONGEST) is not None
    assert {s.revoked_reason for s in clocked.list_sessions("dr.lee")} == {"password changed"}


def test_disabling_revokes_the_users_sessions(clocked):
    secret = clocked.start_session("dr.lee")
    clocked.set_disabled("dr.lee", True)
    clocked.set_disabled("dr.lee", False)
    assert clocked.resume_session(secret, IDLE, LONGEST) is None


def test_a_rehash_at_sign_in_keeps_the_users_other_sessions(clocked, db_path):
    secret = clocked.start_session("dr.lee")
    stronger = StaffStore(db_path, clock=clocked.clock,
                          hasher=type(FAST_HASHER)(time_cost=2, memory_cost=1024, parallelism=1))
    assert stronger.authenticate("dr.lee", PASSWORD) is not None  # rehashed to the new cost
    assert stronger.resume_session(secret, IDLE, LONGEST) is not None


def test_revoking_one_session_by_number_or_all_of_a_user(clocked):
    first, second = clocked.start_session("dr.lee"), clocked.start_session("dr.lee")
    number = clocked.list_sessions("dr.lee")[-1].id  # oldest last
    assert clocked.revoke_session(number) is True
    assert clocked.resume_session(first, IDLE, LONGEST) is None
    assert clocked.resume_session(second, IDLE, LONGEST) is not None
    assert clocked.revoke_sessions("DR.LEE") == 1
    assert clocked.resume_session(second, IDLE, LONGEST) is None


def test_the_client_description_is_kept_printable(clocked):
    clocked.start_session("dr.lee", "203.0.113.7 \x1b[2JEvil\nagent")
    assert clocked.list_sessions()[0].client == "203.0.113.7 ?[2JEvil?agent"


def test_sessions_unused_for_a_month_are_swept(clocked):
    clocked.start_session("dr.lee")
    clocked.clock.now += 31 * 86400
    clocked.start_session("frontdesk")
    assert [s.username for s in clocked.list_sessions()] == ["frontdesk"]


# --- the CLI --------------------------------------------------------------------------------------


def test_cli_creates_a_user_from_the_environment_and_lists_it(db_path, capsys):
    env = {**env_for(db_path), "STAFF_PASSWORD": PASSWORD}
    assert staff_cli.main(["create-user", "--username", "dr.lee", "--role", "clinician"], env) == 0
    assert staff_cli.main(["list-users"], env_for(db_path)) == 0
    out = capsys.readouterr().out
    assert "created dr.lee (clinician)" in out
    assert "dr.lee\tclinician\t" in out and out.rstrip().endswith("active")
    assert PASSWORD not in out
    assert StaffStore(db_path).authenticate("dr.lee", PASSWORD)


def test_cli_asks_for_the_password_twice_and_refuses_a_mismatch(db_path, capsys):
    answers = iter(["first password", "second password"])
    code = staff_cli.main(["create-user", "--username", "a", "--role", "front_desk"],
                          env_for(db_path), prompt=lambda _: next(answers))
    assert code == 2
    assert "did not match" in capsys.readouterr().err


def test_cli_refuses_a_short_password(db_path, capsys):
    code = staff_cli.main(["create-user", "--username", "a", "--role", "front_desk"],
                          {**env_for(db_path), "STAFF_PASSWORD": "short"})
    assert code == 2
    assert "at least 10" in capsys.readouterr().err


def test_cli_disables_an_account(db_path):
    env = {**env_for(db_path), "STAFF_PASSWORD": PASSWORD}
    staff_cli.main(["create-user", "--username", "a", "--role", "front_desk"], env)
    assert staff_cli.main(["disable-user", "--username", "a"], env) == 0
    assert StaffStore(db_path).authenticate("a", PASSWORD) is None


def test_cli_lists_sessions_without_their_secrets(db_path, capsys):
    store = StaffStore(db_path, hasher=FAST_HASHER)  # the real clock, as the command uses
    store.create_user("dr.lee", "clinician", PASSWORD)
    live = store.start_session("dr.lee", "203.0.113.7 Firefox")
    ended = store.start_session("dr.lee")
    store.end_session(ended)
    env = env_for(db_path)
    assert staff_cli.main(["list-sessions", "--username", "dr.lee"], env) == 0
    out = capsys.readouterr().out
    rows = [line.split("\t") for line in out.splitlines()]
    assert [(r[1], r[4]) for r in rows] == [("dr.lee", "revoked (signed out)"),
                                            ("dr.lee", "active")]
    assert rows[1][5] == "203.0.113.7 Firefox"
    assert live not in out and ended not in out


def test_cli_revokes_sessions_and_says_how_many(db_path, capsys):
    store = StaffStore(db_path, hasher=FAST_HASHER)
    store.create_user("dr.lee", "clinician", PASSWORD)
    secrets = [store.start_session("dr.lee") for _ in range(2)]
    env = env_for(db_path)
    assert staff_cli.main(["revoke-sessions", "--username", "dr.lee"], env) == 0
    assert "2 sessions ended for dr.lee" in capsys.readouterr().out
    assert all(store.resume_session(s, IDLE, LONGEST) is None for s in secrets)
    assert staff_cli.main(["revoke-sessions", "--id", "1"], env) == 1  # already ended
    assert "0 sessions ended" in capsys.readouterr().out


def test_every_cli_command_has_help_and_a_description():
    parser = staff_cli.build_parser()
    commands = parser._subparsers._group_actions[0]
    assert {"create-user", "list-users", "list-sessions", "revoke-sessions"} <= set(
        commands.choices)
    for action in commands._choices_actions:
        assert action.help, action.dest
    for name, sub in commands.choices.items():
        assert sub.description, name
        for option in sub._actions[1:]:
            assert option.help, f"{name} {option.dest}"


def test_deleting_a_patient_keeps_an_sms_opt_out_but_drops_other_sms_numbers(db_location):
    intake = IntakeStore(db_location)
    staff = StaffStore(intake.location)
    intake.touch_sms_contact("sms-a", "+15550100001")
    intake.touch_sms_contact("sms-b", "+15550100002")
    intake.set_sms_opted_out("sms-b", True)
    delete_patient_data(intake, staff, "sms-a", None, None, actor="dr")
    delete_patient_data(intake, staff, "sms-b", None, None, actor="dr")
    assert intake.sms_contact("sms-a") is None
    kept = intake.sms_contact("sms-b")
    assert kept["opted_out"] is True and kept["phone"] == "+15550100002"
