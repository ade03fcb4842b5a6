"""IntakeStore: summaries survive a round trip, filters work, tokens verify, two writers coexist."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.config import ROOT, Settings
from bot.models import (
    Concern,
    Event,
    Flag,
    IntakeSummary,
    Medication,
    PriorTreatment,
    Recommendation,
    ScreeningAnswer,
    Severity,
    Status,
)
from bot.store import IntakeStore, VersionConflict, open_store

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(db_location) -> IntakeStore:
    """An empty store on each backend in turn (tests/conftest.py: db_location)."""
    return IntakeStore(db_location)


def full_summary(conversation_id: str = "conv-1") -> IntakeSummary:
    """A completed intake with every section filled in and two flags."""
    return IntakeSummary(
        conversation_id=conversation_id,
        status=Status.COMPLETED,
        started_at=T0,
        updated_at=T0 + timedelta(minutes=9),
        completed_at=T0 + timedelta(minutes=9),
        patient_name="Dana Ruiz",
        contact="dana@example.com",
        age=41,
        concerns=[Concern(area="glabella", text="my frown lines", shows="both")],
        supplements=[Medication(name="fish oil", kind="supplement", category="bleeding_risk", text="fish oil")],
        medications=[Medication(name="warfarin", kind="medicine", category="anticoagulant", text="warfarin daily")],
        answers={
            "pregnancy": ScreeningAnswer(question="Are you pregnant?", status="answered", text="no", understood=["not pregnant"])
        },
        event=Event(description="wedding", date=date(2025, 3, 15), days_away=14, text="my wedding on the 15th"),
        prior_treatment=PriorTreatment(had_before=True, product="Botox", date=date(2024, 11, 1), days_ago=120, text="about 4 months ago"),
        allergies=["latex"],
        flags=[
            Flag(code="anticoagulant", severity=Severity.REVIEW, reason="bruising risk", evidence="warfarin daily"),
            Flag(code="event_soon", severity=Severity.ADVISORY, reason="event within 14 days", evidence="my wedding on the 15th"),
        ],
        recommendation=Recommendation.CLINICIAN_REVIEW,
    )


def test_full_summary_round_trips_unchanged(store):
    summary = full_summary()
    store.save_summary(summary)
    assert store.get_summary("conv-1") == summary


def test_unknown_conversation_has_no_summary(store):
    assert store.get_summary("nope") is None


def test_saving_again_replaces_the_summary(store):
    store.save_summary(IntakeSummary(conversation_id="c", started_at=T0, updated_at=T0))
    store.save_summary(full_summary("c"))
    assert store.get_summary("c").recommendation is Recommendation.CLINICIAN_REVIEW
    assert len(store.list_summaries()) == 1


def test_list_filters_and_orders_newest_update_first(store):
    est = timezone(timedelta(hours=-5))
    store.save_summary(IntakeSummary(conversation_id="old", status=Status.COMPLETED, updated_at=T0))
    # 09:30 in New York is later than 09:00 UTC even though "09:30-05:00" would sort as text
    # before "10:00+00:00"; the store must compare moments, not strings.
    store.save_summary(IntakeSummary(conversation_id="newest", status=Status.COMPLETED, updated_at=datetime(2025, 3, 1, 9, 30, tzinfo=est)))
    store.save_summary(IntakeSummary(conversation_id="middle", updated_at=T0 + timedelta(hours=1), recommendation=Recommendation.DEFER))

    assert [s.conversation_id for s in store.list_summaries()] == ["newest", "middle", "old"]
    assert [s.conversation_id for s in store.list_summaries(status="completed")] == ["newest", "old"]
    assert [s.conversation_id for s in store.list_summaries(recommendation="defer")] == ["middle"]
    assert store.list_summaries(status="completed", recommendation="defer") == []
    assert len(store.list_summaries(limit=2)) == 2


def test_unknown_filter_value_is_an_error_not_an_empty_list(store):
    with pytest.raises(ValueError):
        store.list_summaries(status="finished")


def test_delete_intake(store):
    store.save_summary(full_summary())
    assert store.delete_intake("conv-1") is True
    assert store.get_summary("conv-1") is None
    assert store.delete_intake("conv-1") is False


def test_created_token_verifies_and_others_do_not(store):
    token = store.create_api_token("front desk")
    other = store.create_api_token("clinician")
    assert store.verify_api_token(token)
    assert store.verify_api_token(other)
    assert token != other
    assert not store.verify_api_token(token + "x")
    assert not store.verify_api_token("")
    assert not store.verify_api_token("été")  # non-ASCII must not crash the comparison


def test_token_itself_is_not_stored(tmp_path):
    path = tmp_path / "intake.db"
    token = IntakeStore(path).create_api_token("front desk")
    on_disk = b"".join(f.read_bytes() for f in tmp_path.glob("intake.db*"))  # db, -wal, -shm
    assert on_disk and token.encode() not in on_disk


def test_token_needs_a_label(store):
    with pytest.raises(ValueError):
        store.create_api_token("  ")


def test_file_store_uses_wal_and_keeps_data_across_reopen(tmp_path):
    path = tmp_path / "intake.db"
    IntakeStore(path).save_summary(full_summary())
    reopened = IntakeStore(path)  # ensure_schema again: must not wipe anything
    assert reopened.get_summary("conv-1") == full_summary()
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_two_stores_on_one_database_write_concurrently(db_location):
    # like the action server and the web app
    stores = [IntakeStore(db_location), IntakeStore(db_location)]
    errors: list[BaseException] = []

    def writer(thread: int) -> None:
        try:
            for i in range(25):
                stores[(thread + i) % 2].save_summary(IntakeSummary(conversation_id=f"t{thread}-{i}"))
        except BaseException as exc:  # collected so the main thread can report it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(stores[1].list_summaries(limit=1000)) == 200


def test_open_store_creates_the_folder(tmp_path):
    store = open_store(Settings(db_path=tmp_path / "var" / "sub" / "intake.db"))
    store.save_summary(full_summary())
    assert (tmp_path / "var" / "sub" / "intake.db").exists()


def test_store_and_cli_import_no_web_framework_or_rasa():
    code = (
        "import sys, bot.store, bot.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'starlette', 'rasa', 'rasa_sdk'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_idle_in_progress_intakes_are_marked_abandoned_and_a_returning_patient_resumes(store):
    old = IntakeSummary(conversation_id="idle")
    store.save_summary(old)
    store.save_summary(IntakeSummary(conversation_id="done", status="completed"))
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    assert store.mark_abandoned(24, now=later) == 1
    assert store.get_summary("idle").status.value == "abandoned"
    assert store.get_summary("done").status.value == "completed"
    store.save_summary(IntakeSummary(conversation_id="idle"))  # the patient comes back
    assert store.get_summary("idle").status.value == "in_progress"


# --- One summary, two writers: versions with compare-and-swap (tests/test_concurrent_saves.py
# runs both writers in real processes) ---------------------------------------------------------


def test_a_save_based_on_an_older_version_is_refused(store):
    first = store.save_summary(IntakeSummary(conversation_id="c"))
    store.add_photo_refs("c", ["photo-1"])  # the web app linked a photo meanwhile
    with pytest.raises(VersionConflict):
        store.save_summary(IntakeSummary(conversation_id="c", patient_name="Ana"),
                           expected_version=first)
    with pytest.raises(VersionConflict):  # 0: "there is no summary yet"
        store.save_summary(IntakeSummary(conversation_id="c"), expected_version=0)
    assert store.get_summary_version("c")[1] == first + 1
    assert store.get_summary("c").photos == ["photo-1"]


def test_update_summary_reads_again_after_a_conflict_and_keeps_both_changes(store):
    store.save_summary(IntakeSummary(conversation_id="c"))
    seen = []

    def with_name(before: IntakeSummary | None) -> IntakeSummary:
        seen.append(list(before.photos))
        if len(seen) == 1:  # another writer saves between our read and our write
            store.add_photo_refs("c", ["photo-1"])
        return before.model_copy(update={"patient_name": "Ana"})

    store.update_summary("c", with_name)
    assert seen == [[], ["photo-1"]]
    saved = store.get_summary("c")
    assert (saved.patient_name, saved.photos) == ("Ana", ["photo-1"])


def test_a_save_never_drops_a_recorded_photo(store):
    store.add_photo_refs("c", ["photo-1"])  # before the intake has a summary
    store.save_summary(IntakeSummary(conversation_id="c"))
    store.save_summary(IntakeSummary(conversation_id="c", patient_name="Ana"))  # knows no photos
    assert store.get_summary("c").photos == ["photo-1"]


@pytest.mark.parametrize("photo_ids", [["k7"], ["zq", "ab"], ["m1", "c2", "x3", "a4"]])
def test_every_photo_a_patient_uploads_reaches_their_summary_in_a_file_store(store, photo_ids):
    """Photo ids are random, so a new one often sorts before the earlier ones; such an upload
    used to fail on a file store (a half-read query of the refs blocked the write)."""
    store.save_summary(IntakeSummary(conversation_id="c", patient_name="Ana"))
    for photo_id in photo_ids:
        store.add_photo("c", photo_id, f"c/{photo_id}.jpg", "image/jpeg", limit=10)
    saved = store.get_summary("c")
    assert (saved.patient_name, saved.photos) == ("Ana", photo_ids)


def test_a_file_from_before_versions_gets_the_column(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("create table intakes (conversation_id text primary key, status text not null, "
                 "recommendation text not null, patient_name text, started_at text, "
                 "updated_at text not null, summary text not null)")
    conn.execute("insert into intakes values ('c', 'in_progress', 'proceed', null, null, "
                 "'2025-01-01', ?)", [IntakeSummary(conversation_id="c").model_dump_json()])
    conn.commit()
    conn.close()
    store = IntakeStore(path)
    assert store.get_summary_version("c")[1] == 0
    assert store.save_summary(IntakeSummary(conversation_id="c"), expected_version=0) == 1


def test_marking_abandoned_never_overwrites_a_newer_save(store):
    store.save_summary(IntakeSummary(conversation_id="idle"))
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    real_write = store._write

    def patient_writes_first():  # between mark_abandoned's read and its write
        store._write = real_write
        store.save_summary(IntakeSummary(conversation_id="idle", patient_name="Back again"))
        return real_write()

    store._write = patient_writes_first
    assert store.mark_abandoned(24, now=later) == 0
    saved = store.get_summary("idle")
    assert (saved.status, saved.patient_name) == (Status.IN_PROGRESS, "Back again")
    assert store.mark_abandoned(24, now=later) == 1
    assert store.get_summary("idle").patient_name == "Back again"


def test_the_settings_pick_the_backend_for_every_store(db_location, tmp_path):
    """INTAKE_DATABASE_URL, when set, wins over INTAKE_DB for the intake and state stores."""
    from bot.config import load_settings
    from bot.intake import IntakeState
    from bot.state_store import StateStore
    from tests.databases import env_for

    settings = load_settings({"INTAKE_DB": str(tmp_path / "file.db"), **env_for(db_location)})
    open_store(settings).save_summary(full_summary())
    StateStore(settings.db_location).save("conv-1", IntakeState(turns=3))
    assert IntakeStore(db_location).get_summary("conv-1") == full_summary()
    assert StateStore(db_location).load("conv-1").turns == 3
    assert "postgresql" not in repr(settings)  # the URL holds a password
