"""A review follows the intake: what changed after a clinician read it, when, in whose words.

Domain tables for bot/changes.py, the store recording changes as the action server saves, and
the staff pages (TestClient) putting a changed intake back in front of a clinician. Staff pages
speak clinic language: flag labels and plain answers, never codes.
"""
from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, timezone
from html import unescape
from pathlib import Path

import pytest

from bot import labels, lexicon, screening
from bot.changes import Change, clinical_snapshot, describe_changes
from bot.models import (Concern, Event, Flag, IntakeSummary, Medication, PriorTreatment,
                        Recommendation, ScreeningAnswer, Severity)
from bot.staff_store import StaffStore
from bot.summary import AREA_LABELS
from bot.store import IntakeStore
from tests.staff_samples import FAST_HASHER, deferred, proceeding, reviewable
from tests.test_staff_web import Clinic, page_token, sign_in

PREGNANT_WORDS = "actually I think I might be pregnant"


def pregnant(summary: IntakeSummary) -> IntakeSummary:
    """The summary the action server saves after the patient says they may be pregnant."""
    changed = summary.model_copy(deep=True)
    changed.answers["pregnancy"] = ScreeningAnswer(
        question="Pregnant", status="answered", text=PREGNANT_WORDS,
        understood=["pregnant: unsure"])
    changed.flags.insert(0, Flag(code="pregnant", severity=Severity.DEFER,
                                 reason=screening.REASONS["pregnant"], evidence=PREGNANT_WORDS))
    changed.recommendation = Recommendation.DEFER
    return changed


def said_no_to_pregnancy(summary: IntakeSummary) -> IntakeSummary:
    """The same summary with a plain "no" to the pregnancy question."""
    changed = summary.model_copy(deep=True)
    changed.answers["pregnancy"] = ScreeningAnswer(question="Pregnant", status="answered",
                                                   text="no", understood=["pregnant: absent"])
    return changed


def edit(summary: IntakeSummary, **fields) -> IntakeSummary:
    """A deep copy with some fields replaced."""
    changed = summary.model_copy(deep=True)
    for name, value in fields.items():
        setattr(changed, name, value)
    return changed


def described(before: IntakeSummary, after: IntakeSummary) -> list[tuple[str, str, str, str, str]]:
    """describe_changes as (kind, label, before, after, words) tuples."""
    return [(c.kind, c.label, c.before, c.after, c.words)
            for c in describe_changes(clinical_snapshot(before), clinical_snapshot(after))]


# --- describe_changes -----------------------------------------------------------------------------

BASE = said_no_to_pregnancy(reviewable())
ANTICOAGULANT = BASE.flags[0]

CASES = [
    ("a pregnancy that was a no becomes unsure", BASE, pregnant(reviewable()), [
        ("recommendation", "Recommendation", "Clinician review", "Defer", ""),
        ("flag", "New flag: Pregnant or possibly pregnant", "Not flagged", "Defer",
         PREGNANT_WORDS),
        ("answer", "Pregnant", "No", "Not sure", PREGNANT_WORDS),
    ]),
    ("a flag cleared by a correction", BASE, edit(BASE, flags=[],
                                                   recommendation=Recommendation.PROCEED), [
        ("recommendation", "Recommendation", "Clinician review", "Proceed", ""),
        ("flag", "Flag cleared: Blood thinner or bleeding disorder", "Clinician review",
         "Not flagged", ""),
    ]),
    ("a clinic policy making a flag stricter", BASE, edit(BASE, flags=[
        ANTICOAGULANT.model_copy(update={"severity": Severity.DEFER})]), [
        ("flag", "Flag: Blood thinner or bleeding disorder", "Clinician review", "Defer",
         "warfarin 5mg daily"),
    ]),
    ("more words for the same flag", BASE, edit(BASE, flags=[
        ANTICOAGULANT.model_copy(update={"evidence": "warfarin 5mg daily / and eliquis"})]), [
        ("flag", "Flag: Blood thinner or bleeding disorder", "Clinician review",
         "Clinician review (same, in new words)", "warfarin 5mg daily / and eliquis"),
    ]),
    ("the same answer said again in other words", BASE, edit(BASE, answers={
        **BASE.answers, "pregnancy": ScreeningAnswer(question="Pregnant", status="answered",
                                                     text="nope, definitely not",
                                                     understood=["pregnant: absent"])}), [
        ("answer", "Pregnant", "No", "No (same, in new words)", "nope, definitely not"),
    ]),
    ("an answer that became unclear", BASE, edit(BASE, answers={
        **BASE.answers, "pregnancy": ScreeningAnswer(question="Pregnant", status="unclear",
                                                     text="hmm", understood=[])}), [
        ("answer", "Pregnant", "No", "Unclear", "hmm"),
    ]),
    ("a supplement added: one change, not the answer again", BASE, edit(
        BASE, supplements=[Medication(name="fish oil", kind="supplement",
                                      category="bleeding_risk_supplement", text="and fish oil")],
        answers={**BASE.answers, "medications": ScreeningAnswer(
            question="Medicines and supplements", status="answered",
            text="warfarin 5mg daily, and fish oil",
            understood=["warfarin: present", "fish oil: present"])}), [
        ("medications", "Medicines and supplements", "warfarin", "warfarin, fish oil",
         "and fish oil"),
    ]),
    ("an event's date given later", edit(BASE, event=Event(description="wedding",
                                                            text="a wedding")),
     edit(BASE, event=Event(description="wedding", date=date(2025, 3, 8), text="next saturday")), [
        ("event", "Upcoming event", "wedding, date not given", "wedding, 2025-03-08",
         "next saturday"),
    ]),
    ("a recent treatment remembered", BASE, edit(BASE, prior_treatment=PriorTreatment(
        had_before=True, product="Botox", date=date(2025, 1, 18), text="6 weeks ago")), [
        ("prior_treatment", "Prior toxin treatment", "Not answered", "Botox, 2025-01-18",
         "6 weeks ago"),
    ]),
    ("an allergy named", BASE, edit(BASE, allergies=["latex"]), [
        ("allergies", "Allergies", "None reported", "latex", ""),
    ]),
    ("the age corrected", BASE, edit(BASE, age=17), [("age", "Age", "52", "17", "")]),
    ("a photo arrived", BASE, edit(BASE, photos=["p1", "p2"]), [
        ("photos", "Photos", "No photos", "2 photos", ""),
    ]),
    ("a concern added", BASE, edit(BASE, concerns=[
        Concern(area="frown_lines", text="my 11s", shows="both")]), [
        ("concerns", "Concerns", "None given", "frown lines (11s) (at rest and with expression)",
         "my 11s"),
    ]),
    ("a new phone number", BASE, edit(BASE, contact="+1 555 0199"), [
        ("contact", "Contact", "+1 555 0100", "+1 555 0199", "+1 555 0199"),
    ]),
    ("nothing clinical: time, status and name", BASE, edit(
        BASE, updated_at=datetime(2030, 1, 1, tzinfo=timezone.utc), patient_name="Omar H.",
        notes=["a note"]), []),
]


@pytest.mark.parametrize("before,after,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_describe_changes_in_clinic_language(before, after, expected):
    assert described(before, after) == expected


def test_a_snapshot_is_plain_json_that_survives_a_round_trip():
    import json
    snapshot = clinical_snapshot(deferred())
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert describe_changes(snapshot, json.loads(json.dumps(snapshot))) == []


# --- the store records changes as the action server saves -----------------------------------------


@pytest.fixture
def intakes(tmp_path) -> IntakeStore:
    return IntakeStore(tmp_path / "intake.db")


def test_save_summary_records_what_changed_and_when(intakes):
    intakes.save_summary(BASE)
    intakes.save_summary(BASE)  # the next message changed nothing clinical
    assert intakes.changes_after(BASE.conversation_id) == []  # the first version is no change
    before = datetime.now(timezone.utc)
    intakes.save_summary(pregnant(reviewable()))
    after = datetime.now(timezone.utc)
    [row] = intakes.changes_after(BASE.conversation_id)
    assert before <= datetime.fromisoformat(row["changed_at"]) <= after
    assert [c.label for c in row["changes"]] == [
        "Recommendation", "New flag: Pregnant or possibly pregnant", "Pregnant"]
    assert intakes.latest_change_ids() == {BASE.conversation_id: row["id"]}
    assert intakes.latest_change_id(BASE.conversation_id) == row["id"]
    assert intakes.changes_after(BASE.conversation_id, row["id"]) == []
    assert intakes.get_summary(BASE.conversation_id).recommendation == Recommendation.DEFER


def test_a_stored_summary_it_cannot_read_never_blocks_the_next_save(tmp_path, intakes):
    intakes.save_summary(BASE)
    conn = sqlite3.connect(tmp_path / "intake.db")
    with conn:
        conn.execute("UPDATE intakes SET summary = '{\"age\": \"not a number\"}'")
    conn.close()
    intakes.save_summary(pregnant(reviewable()))
    assert intakes.get_summary(BASE.conversation_id).recommendation == Recommendation.DEFER
    [row] = intakes.changes_after(BASE.conversation_id)
    assert "New flag: Pregnant or possibly pregnant" in [c.label for c in row["changes"]]


def test_a_photo_linked_later_is_a_change(intakes):
    intakes.save_summary(BASE)
    intakes.add_photo_refs(BASE.conversation_id, ["photo-1"])
    [row] = intakes.changes_after(BASE.conversation_id)
    assert [(c.label, c.before, c.after) for c in row["changes"]] == [
        ("Photos", "No photos", "1 photo")]


def test_changes_are_swept_with_the_rest_of_a_patients_data(tmp_path, intakes):
    from bot.staff_store import delete_patient_data
    staff = StaffStore(tmp_path / "intake.db", hasher=FAST_HASHER)
    intakes.save_summary(BASE)
    intakes.save_summary(pregnant(reviewable()))
    delete_patient_data(intakes, staff, BASE.conversation_id, None, None)
    assert intakes.changes_after(BASE.conversation_id) == []


# --- the audit log records a change after a review ------------------------------------------------


def test_a_change_after_a_review_is_audited_without_the_patients_words(tmp_path, intakes):
    staff = StaffStore(tmp_path / "intake.db", hasher=FAST_HASHER)
    intakes.save_summary(BASE)
    intakes.save_summary(edit(BASE, age=53))  # before any review: not an audit matter
    assert staff.audit_log() == []
    staff.add_review(BASE.conversation_id, "dr.lee", "ok",
                     seen_change=intakes.latest_change_id(BASE.conversation_id))
    intakes.save_summary(pregnant(edit(BASE, age=53)))
    [entry] = staff.audit_log()
    change_id = intakes.latest_change_id(BASE.conversation_id)
    assert (entry.actor, entry.action, entry.conversation_id) == (
        "patient", "changed_after_review", BASE.conversation_id)
    assert entry.detail == f"change {change_id}: recommendation, flag, answer"
    assert "pregnant" not in entry.detail.lower()


OLD_STAFF_SCHEMA = """
CREATE TABLE staff_reviews (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL,
    reviewer TEXT NOT NULL, note TEXT NOT NULL, reviewed_at TEXT NOT NULL);
CREATE TABLE staff_audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL
        CHECK (action IN ('view', 'export', 'review', 'delete', 'login', 'logout', 'print')),
    conversation_id TEXT, detail TEXT NOT NULL DEFAULT '');
CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
INSERT INTO staff_audit (at, actor, action, conversation_id) VALUES ('2025-01-01', 'dr.lee',
    'review', 'conv-review');
INSERT INTO staff_reviews (conversation_id, reviewer, note, reviewed_at) VALUES ('conv-review',
    'dr.lee', 'seen', '2025-01-01');
"""


def old_database(path) -> None:
    """A staff database as the previous version left it."""
    conn = sqlite3.connect(path)
    conn.executescript(OLD_STAFF_SCHEMA)
    conn.close()


def test_the_patients_answer_is_saved_even_before_the_audit_table_is_migrated(tmp_path):
    db_path = tmp_path / "intake.db"
    old_database(db_path)
    intakes = IntakeStore(db_path)  # the action server can start before the web app migrates
    intakes.save_summary(BASE)
    intakes.save_summary(pregnant(reviewable()))
    assert intakes.get_summary(BASE.conversation_id).recommendation == Recommendation.DEFER
    assert len(intakes.changes_after(BASE.conversation_id)) == 1


def test_an_old_database_is_migrated_once_keeping_its_history(tmp_path):
    db_path = tmp_path / "intake.db"
    old_database(db_path)
    StaffStore(db_path, hasher=FAST_HASHER)
    staff = StaffStore(db_path, hasher=FAST_HASHER)  # a second start changes nothing
    [old_review] = staff.reviews("conv-review")
    assert (old_review.reviewer, old_review.snapshot, old_review.seen_change) == (
        "dr.lee", None, None)
    staff.audit("patient", "changed_after_review", "conv-review", "change 1: flag")
    assert [e.action for e in staff.audit_log()] == ["changed_after_review", "review"]
    conn = sqlite3.connect(db_path)
    for statement in ("UPDATE staff_audit SET detail = ''", "DELETE FROM staff_audit"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement)
    conn.close()


# --- the staff pages ------------------------------------------------------------------------------


@pytest.fixture
def clinic(tmp_path) -> Clinic:
    clinic = Clinic(tmp_path)
    clinic.intakes.save_summary(deferred())
    clinic.intakes.save_summary(said_no_to_pregnancy(reviewable()))
    return clinic


@pytest.fixture
def clinician(clinic):
    client = clinic.client()
    assert sign_in(client, "dr.lee").status_code == 303
    return client


def queue_rows(client, query: str = "") -> list[str]:
    """Each queue row's text, tags stripped, in order."""
    html = client.get(f"/staff{query}").text
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr class=\"row-.*?</tr>", html, re.S)]


def review(client, conversation_id: str, note: str = "ok", seen_change: str | None = None):
    """Mark an intake reviewed through its page's form (with the page's seen_change)."""
    html = client.get(f"/staff/intakes/{conversation_id}").text
    seen = re.search(r'name="seen_change" value="(\d+)"', html).group(1)
    data = {"note": note, "csrf_token": page_token(client, f"/staff/intakes/{conversation_id}"),
            "seen_change": seen if seen_change is None else seen_change}
    response = client.post(f"/staff/intakes/{conversation_id}/review", data=data)
    assert response.status_code == 303
    return response


def test_a_reviewed_intake_that_gains_a_defer_flag_needs_review_again(clinic, clinician):
    review(clinician, "conv-review")
    assert [r for r in queue_rows(clinician, "?status=reviewed")][0].startswith(
        "Clinician review Omar Haddad")
    assert not any("Omar Haddad" in r for r in queue_rows(clinician, "?status=needs_review"))

    clinic.intakes.save_summary(pregnant(reviewable()))  # as the action server saves it
    [change] = clinic.intakes.changes_after("conv-review")

    assert not any("Omar Haddad" in r for r in queue_rows(clinician, "?status=reviewed"))
    for query in ("?status=needs_review", "?status=completed"):
        assert any("Omar Haddad" in r for r in queue_rows(clinician, query)), query
    rows = queue_rows(clinician)
    # Defer now, and first among the deferred: it changed since someone read it.
    assert rows[0].startswith("Defer Omar Haddad") and "Changed since review" in rows[0]
    assert "Pregnant or possibly pregnant" in rows[0] and "was reviewed by dr.lee" in rows[0]

    html = clinician.get("/staff/intakes/conv-review").text
    panel = html[html.index('id="changed-title"'):html.index('id="flags-title"')]
    when = datetime.fromisoformat(change["changed_at"]).strftime("%Y-%m-%d %H:%M")  # UTC clinic
    assert when in panel
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", panel))
    assert "Recommendation : Clinician review → Defer" in text
    assert "New flag: Pregnant or possibly pregnant : Not flagged → Defer" in text
    assert "Pregnant : No → Not sure" in text
    assert f"Patient said: “{PREGNANT_WORDS}”" in text
    assert "✓ Reviewed by" not in html and "Mark reviewed" in html


def test_a_new_review_clears_it_until_the_next_change(clinic, clinician):
    review(clinician, "conv-review")
    clinic.intakes.save_summary(pregnant(reviewable()))
    review(clinician, "conv-review", "Asked her to confirm with a test")
    assert "Changed since review" not in clinician.get("/staff").text
    assert 'id="changed-title"' not in clinician.get("/staff/intakes/conv-review").text
    assert any("Omar Haddad" in r for r in queue_rows(clinician, "?status=reviewed"))
    [latest] = clinic.staff.reviews("conv-review")[-1:]
    assert latest.snapshot["recommendation"] == "defer"
    assert latest.seen_change == clinic.intakes.latest_change_id("conv-review")

    clinic.intakes.save_summary(said_no_to_pregnancy(reviewable()).model_copy(
        update={"recommendation": Recommendation.CLINICIAN_REVIEW}))
    html = clinician.get("/staff/intakes/conv-review").text
    assert "Flag cleared: Pregnant or possibly pregnant" in html
    assert PREGNANT_WORDS not in html[html.index('id="changed-title"'):
                                      html.index('id="flags-title"')]  # only what is new


def test_a_change_that_lands_while_the_clinician_reads_stays_unreviewed(clinic, clinician):
    html = clinician.get("/staff/intakes/conv-review").text
    seen = re.search(r'name="seen_change" value="(\d+)"', html).group(1)
    clinic.intakes.save_summary(pregnant(reviewable()))  # the patient writes meanwhile
    review(clinician, "conv-review", seen_change=seen)
    assert "Changed since review" in clinician.get("/staff/intakes/conv-review").text
    assert any("Omar Haddad" in r for r in queue_rows(clinician, "?status=needs_review"))


@pytest.mark.parametrize("seen_change", ["", "²", "-1", "abc", "99999999999"])
def test_a_review_form_with_an_odd_seen_change_covers_what_is_there(clinic, clinician,
                                                                      seen_change):
    clinic.intakes.save_summary(pregnant(reviewable()))
    review(clinician, "conv-review", seen_change=seen_change)
    assert clinic.staff.reviews("conv-review")[-1].seen_change == \
        clinic.intakes.latest_change_id("conv-review") > 0
    assert "Changed since review" not in clinician.get("/staff").text


def test_the_audit_log_shows_the_change_after_the_review(clinic, clinician):
    review(clinician, "conv-review")
    clinic.intakes.save_summary(pregnant(reviewable()))
    entries = clinic.staff.audit_log(conversation_id="conv-review")
    assert (entries[0].actor, entries[0].action) == ("patient", "changed_after_review")
    assert entries[1].action == "review"
    page = clinician.get("/staff/audit?conversation_id=conv-review").text
    assert "changed after review" in page and PREGNANT_WORDS not in page


def test_front_desk_sees_that_it_changed_but_not_what_the_patient_said(clinic):
    clinic.staff.add_review("conv-review", "dr.lee", "ok", seen_change=0)
    clinic.intakes.save_summary(pregnant(reviewable()))
    client = clinic.client()
    assert sign_in(client, "frontdesk").status_code == 303
    assert "Changed since review" in client.get("/staff").text
    html = client.get("/staff/intakes/conv-review").text
    assert "Changed since review" in html
    assert PREGNANT_WORDS not in html and 'id="changed-title"' not in html


def test_patient_words_in_a_change_are_shown_as_text(clinic, clinician):
    review(clinician, "conv-review")
    script = "<script>alert(1)</script>"
    clinic.intakes.save_summary(edit(reviewable(), contact=script))
    html = clinician.get("/staff/intakes/conv-review").text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- clinic language ------------------------------------------------------------------------------


def test_every_flag_code_has_a_label_and_no_label_is_a_stray():
    assert set(labels.FLAG_LABELS) == set(screening.DEFAULT_SEVERITIES)
    for code, label in labels.FLAG_LABELS.items():
        assert "_" not in label and label[0].isupper(), code


def test_every_item_the_parser_records_has_plain_words():
    parser = (Path(__file__).resolve().parents[1] / "bot" / "parsing.py").read_text()
    items = {t.item for t in lexicon.all_terms()} | set(re.findall(r'item="([^"]+)"', parser))
    coded = sorted(i for i in items if "_" in i and i not in labels.ITEM_LABELS
                   and i not in AREA_LABELS)  # concerns are shown with AREA_LABELS
    assert coded == []
    assert {"toxin_allergy", "trying_to_conceive", "heavy_eyelids"} <= items  # the scan works


@pytest.mark.parametrize("topic,status,understood,expected", [
    ("pregnancy", "answered", ["pregnant: absent"], "No"),
    ("pregnancy", "answered", ["pregnant: unsure"], "Not sure"),
    ("breastfeeding", "unclear", [], "Unclear"),
    ("neuromuscular", "answered", ["myasthenia gravis: present"], "Yes: Myasthenia gravis"),
    ("breathing", "answered", ["asthma: past"], "No: Asthma — in the past"),
    ("allergies", "answered", ["none: absent"], "None reported"),
    ("allergies", "answered", ["toxin_allergy: unsure"], "Allergy to botulinum toxin — unsure"),
    ("age", "answered", ["age: present", "under_18=True"], "Under 18"),
    ("prior_treatment", "answered", ["toxin: absent"], "First time"),
    ("medications", "answered", ["warfarin: present", "fish oil: present"], "Warfarin; Fish oil"),
])
def test_answers_read_as_plain_words(topic, status, understood, expected):
    assert labels.plain_answer(topic, status, understood) == expected


def every_flag(conversation_id: str) -> IntakeSummary:
    """A deferred intake carrying every flag there is, and answers with raw codes in them."""
    summary = deferred(conversation_id)
    summary.flags = [Flag(code=code, severity=severity, reason=screening.REASONS[code],
                          evidence=f"words for {code.replace('_', ' ')}")
                     for code, severity in screening.DEFAULT_SEVERITIES.items()]
    summary.answers["allergies"] = ScreeningAnswer(question="Allergies", status="answered",
                                                   text="no", understood=["none: absent"])
    summary.answers["age"] = ScreeningAnswer(question="Age", status="answered", text="17",
                                             understood=["age: present", "under_18=True"])
    return summary


def test_staff_pages_show_labels_and_plain_answers_never_codes(clinic, clinician):
    clinic.intakes.save_summary(every_flag("all-flags"))
    for path in ("/staff", "/staff/intakes/all-flags", "/staff/intakes/all-flags/print"):
        html = clinician.get(path).text
        for code, label in labels.FLAG_LABELS.items():
            assert label in unescape(html), (path, label)
            if "_" in code:
                assert code not in html, (path, code)
    html = clinician.get("/staff/intakes/all-flags").text
    assert "none: absent" not in html and "None reported" in html
    assert "under_18=True" not in html and "Under 18" in html
    assert "Blood thinner or bleeding disorder" in html


def test_the_json_api_contract_keeps_the_machine_readable_answers(clinic):
    clinic.intakes.save_summary(every_flag("all-flags"))
    stored = clinic.intakes.get_summary("all-flags")
    assert stored.answers["allergies"].understood == ["none: absent"]
    assert {f.code for f in stored.flags} == set(screening.DEFAULT_SEVERITIES)


def test_change_records_hold_clinic_language(clinic):
    clinic.intakes.save_summary(edit(proceeding("p"), flags=[Flag(
        code="under_18", severity=Severity.DEFER, reason="r", evidence="I'm 17")]))
    clinic.intakes.save_summary(proceeding("p"))
    [row] = clinic.intakes.changes_after("p")
    assert isinstance(row["changes"][0], Change)
    assert "Flag cleared: Under 18" in [c.label for c in row["changes"]]
