"""Sample intakes and fast stores for the staff review tests (unit, web and browser)."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from argon2 import PasswordHasher

from bot.models import (Concern, Event, Flag, IntakeSummary, Medication, PriorTreatment,
                        Recommendation, ScreeningAnswer, Severity, Status)
from bot.staff_store import StaffStore
from bot.store import IntakeStore

T0 = datetime(2025, 3, 1, 14, 0, tzinfo=timezone.utc)
TODAY = date(2025, 3, 3)
PASSWORD = "correct horse battery"
# Cheap argon2 parameters: the tests check behaviour, not the cost of guessing.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def stores(db_path: Path) -> tuple[IntakeStore, StaffStore]:
    """An intake store and a staff store sharing one database file, with two accounts."""
    intakes = IntakeStore(db_path)
    staff = StaffStore(db_path, hasher=FAST_HASHER)
    staff.create_user("dr.lee", "clinician", PASSWORD)
    staff.create_user("frontdesk", "front_desk", PASSWORD)
    return intakes, staff


def deferred(conversation_id: str = "conv-defer", name: str = "Maya Brooks",
             started: datetime = T0) -> IntakeSummary:
    """A completed intake deferred for breastfeeding, with medical answers a clinician needs."""
    return IntakeSummary(
        conversation_id=conversation_id, status=Status.COMPLETED, started_at=started,
        updated_at=started + timedelta(minutes=8), completed_at=started + timedelta(minutes=8),
        patient_name=name, contact="maya@example.com", age=34,
        concerns=[Concern(area="frown_lines", text="the 11s between my brows", shows="both"),
                  Concern(area="crows_feet", text="lines when I smile", shows="expression")],
        photos_answer="I'll bring them",
        supplements=[Medication(name="fish oil", kind="supplement",
                                category="bleeding_risk_supplement",
                                text="fish oil every morning")],
        medications=[Medication(name="sertraline", kind="medicine", text="sertraline 50mg")],
        answers={
            "pregnancy": ScreeningAnswer(question="Pregnant", status="answered", text="no",
                                         understood=["pregnant: absent"]),
            "breastfeeding": ScreeningAnswer(question="Breastfeeding", status="answered",
                                             text="yes, still nursing my 4 month old",
                                             understood=["breastfeeding: present"]),
            "medications": ScreeningAnswer(question="Medicines and supplements", status="answered",
                                           text="fish oil every morning, sertraline 50mg",
                                           understood=["fish_oil: present", "sertraline: present"]),
        },
        event=Event(description="wedding", date=date(2025, 3, 12), days_away=11,
                    text="my sister's wedding on the 12th"),
        prior_treatment=PriorTreatment(had_before=True, product="Botox", date=date(2024, 6, 1),
                                       text="Botox last June"),
        allergies=["penicillin"],
        notes=["Mentioned, not current: pregnant (\"no\")"],
        flags=[
            Flag(code="bleeding_risk_supplement", severity=Severity.ADVISORY,
                 reason="Takes an over-the-counter product that increases bruising.",
                 evidence="fish oil every morning"),
            Flag(code="breastfeeding", severity=Severity.DEFER,
                 reason="Reports breastfeeding: toxin is not given while breastfeeding.",
                 evidence="yes, still nursing my 4 month old"),
            Flag(code="event_within_two_weeks", severity=Severity.ADVISORY,
                 reason="Event less than 14 days away.",
                 evidence="my sister's wedding on the 12th"),
        ],
        recommendation=Recommendation.DEFER,
    )


def reviewable(conversation_id: str = "conv-review", name: str = "Omar Haddad",
               started: datetime = T0) -> IntakeSummary:
    """A completed intake that needs a clinician to discuss a blood thinner."""
    return IntakeSummary(
        conversation_id=conversation_id, status=Status.COMPLETED, started_at=started,
        updated_at=started, patient_name=name, contact="+1 555 0100", age=52,
        medications=[Medication(name="warfarin", kind="medicine", category="anticoagulant",
                                text="warfarin 5mg daily")],
        answers={"medications": ScreeningAnswer(question="Medicines and supplements",
                                                status="answered", text="warfarin 5mg daily",
                                                understood=["warfarin: present"])},
        flags=[Flag(code="anticoagulant", severity=Severity.REVIEW,
                    reason="Prescription blood thinner or bleeding disorder.",
                    evidence="warfarin 5mg daily")],
        recommendation=Recommendation.CLINICIAN_REVIEW,
    )


def proceeding(conversation_id: str = "conv-proceed", name: str = "Ana Silva",
               started: datetime = T0, status: Status = Status.COMPLETED) -> IntakeSummary:
    """An intake with nothing in the way of treatment."""
    return IntakeSummary(conversation_id=conversation_id, status=status, started_at=started,
                         updated_at=started, patient_name=name, contact="ana@example.com", age=29,
                         concerns=[Concern(area="forehead_lines", text="forehead lines",
                                           shows="rest")],
                         recommendation=Recommendation.PROCEED)


def tracker_db(path: Path, sender_ids: list[str]) -> Path:
    """A tiny stand-in for Rasa's SQL tracker store: an `events` table keyed by sender_id."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT NOT NULL, "
                     "type_name TEXT, timestamp REAL, data TEXT)")
        for sender in sender_ids:
            for n in range(3):
                conn.execute("INSERT INTO events (sender_id, type_name, timestamp, data) "
                             "VALUES (?, 'user', ?, '{}')", (sender, float(n)))
    conn.close()
    return path


def count(db_path: Path | str, table: str, where: str, args: tuple) -> int:
    """Rows of a table matching a condition (a SQLite file or a PostgreSQL URL)."""
    from tests.databases import raw

    with raw(db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", args).fetchone()[0]
